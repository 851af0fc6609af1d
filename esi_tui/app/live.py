"""Live replay: play a rehearsed script in the app, one answer per tick, through the store's one applier."""

from __future__ import annotations

from textual.timer import Timer

from esi_tui.core.script_format import Step
from esi_tui.store.applier import Context, apply_step, problem_of
from esi_tui.store.errors import InvalidChange, StoreError

MIN_SPEED, MAX_SPEED = 0.25, 200.0


class LiveReplay:
    """Applies a script's steps (already rehearsed) at N answers a second; the review follows each answer."""

    def __init__(self, app, steps: list[Step], speed: float, context: Context):
        self.app = app
        self.steps = [step for step in steps if step.type != "inspection"]
        self.speed = min(max(speed, MIN_SPEED), MAX_SPEED)
        self.context = context
        self.index = 0
        self.applied = 0
        self.paused = False
        self.stopped = False
        self.timer: Timer | None = None

    @property
    def active(self) -> bool:
        """Whether there is still something to play."""
        return not self.stopped and self.index < len(self.steps)

    def start(self) -> None:
        """Start (or restart at the current speed) the playback timer."""
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.app.set_interval(1 / self.speed, self.tick)
        self.announce()

    def announce(self) -> None:
        """Show where the replay is in the app's subtitle."""
        state = "stopped" if self.stopped else "paused" if self.paused else f"{self.speed:g}/s"
        done = " · done" if self.index >= len(self.steps) else ""
        self.app.sub_title = f"replay {self.applied} answers ({state}){done} · reviewer: {self.app.reviewer}"

    def tick(self) -> None:
        """Apply steps until one answer has been applied (cases, completions and notes go along the way)."""
        if self.paused or not self.active:
            return
        while self.index < len(self.steps):
            step = self.steps[self.index]
            self.index += 1
            if step.type == "answer":
                self.app.open_case(step.data["case"])
            try:
                apply_step(self.app.repo, step, self.context)
            except InvalidChange as exc:
                self.app.notify(f"line {step.line}: {problem_of(step, exc)}", title="Replay stopped: not saved",
                                severity="error", timeout=15)
                self.stop()
                return
            except StoreError as exc:
                self.app.notify(str(exc), title="Replay stopped: not saved", severity="error", timeout=15)
                self.stop()
                return
            if step.type == "answer":
                self.applied += 1
                self.app.show_replayed(step.data["case"], step.data["question"])
                break
        if self.index >= len(self.steps):
            self.finish()
        self.announce()

    def finish(self) -> None:
        """Stop the timer once the script is played."""
        if self.timer is not None:
            self.timer.stop()
        self.app.notify(f"Replay finished: {self.applied} answers applied.", title="Replay")

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.announce()

    def faster(self) -> None:
        self.speed = min(self.speed * 2, MAX_SPEED)
        self.start()

    def slower(self) -> None:
        self.speed = max(self.speed / 2, MIN_SPEED)
        self.start()

    def stop(self) -> None:
        """Stop playing; what was applied stays."""
        self.stopped = True
        if self.timer is not None:
            self.timer.stop()
        self.announce()
        self.app.notify(f"Replay stopped after {self.applied} answers; they are saved.", title="Replay")
