"""Live replay: play a checked script's answers in the review screen at N per second."""

from __future__ import annotations

from textual.timer import Timer

from esi_tui.core.replay import Plan, Step
from esi_tui.store.errors import StoreError

MIN_SPEED, MAX_SPEED = 0.25, 200.0


class LiveReplay:
    """Applies a plan's case and answer steps one answer per tick, moving the review as it goes."""

    def __init__(self, app, plan: Plan, speed: float, default_reviewer: str):
        self.app = app
        self.steps: list[Step] = [s for s in plan.steps if s.type != "inspection"]
        self.speed = min(max(speed, MIN_SPEED), MAX_SPEED)
        self.default_reviewer = default_reviewer
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
        """Apply case steps until one answer has been applied."""
        if self.paused or not self.active:
            return
        session = self.app.session
        while self.index < len(self.steps):
            step = self.steps[self.index]
            self.index += 1
            data = step.data
            try:
                if step.type == "case":
                    session.save_case(data["reference"], data.get("attributes", {}))
                    if "complete" in data:
                        session.set_complete(data["reference"], data["complete"])
                    continue
                self.app.open_case(data["case"])
                session.apply_answer(data["case"], data["question"], data["value"],
                                     data.get("reviewer") or self.default_reviewer, data.get("note"), data.get("at"))
            except StoreError as exc:
                self.app.notify(str(exc), title="Replay stopped: not saved", severity="error", timeout=15)
                self.stop()
                return
            self.applied += 1
            self.app.show_replayed(data["case"], data["question"])
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
