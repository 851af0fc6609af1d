"""The TUI where the user sits: esi-tui in a real terminal (tmux), each figure against a bare Textual app.

    python bench/bench_tmux.py [--presses N] [--nexts N] [--starts N] [--helps N] [--resizes N]

Each app runs in its own tmux session of a private tmux server (100x30, escape-time 0). A key is sent
with `send-keys`; the time is taken from just before it until `capture-pane -p` first shows a
different screen (polled as fast as tmux answers: both sides pay the same polling). Between keys
the screen is left to settle (no change for 60 ms).

- answer key: esi-tui's review of an inspection of 500 cases x 29 questions (no answers yet), each
  press answering the highlighted question (which moves to the next open one), against a bare app
  whose y changes one label. Target: median <= 2x the bare app's median.
- ']' (next case, once a case is fully answered): its time to the screen against the answer key's.
  Target: ']' median <= 2x the answer key's median. At least --nexts of them (each after a whole case
  answered by keys, as a reviewer works), so that the median is not one of two presses.
- help (?) after the first time: time until the help is on screen, against the bare label. Target:
  < 150 ms (and shown as a ratio).
- resize: 100x30 -> 80x24 -> 100x30; the time from the last resize until the screen stops
  changing (no change for 300 ms after it), for esi-tui's review and the bare app. Target: <= 300 ms.
- opening a 500-case inspection (`esi-tui --inspection ID`): from starting the session until the
  cases table shows, against a bare app showing a 500-row DataTable. Target: <= 1.5x.

Both apps run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE is dropped from the children's
environment, and the first start of each is a warm-up): an installed esi-tui has its .pyc files, as
Textual's own have here, while an editable install under PYTHONDONTWRITEBYTECODE=1 (this machine's
default) would compile every module of esi-tui from source at every start.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import benchlib as bl

HERE = Path(__file__).resolve().parent
SIZE = (100, 30)
SETTLE = 0.06


class Term:
    """One private tmux server with one session."""

    def __init__(self, env: dict[str, str]):
        self.tmux = shutil.which("tmux") or "tmux"
        self.socket = f"esi-bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.env = env

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run([self.tmux, "-f", "/dev/null", "-L", self.socket, *args], env=self.env,
                              capture_output=True, text=True, timeout=60, check=check).stdout

    def start(self, command: list[str]) -> float:
        keep = [arg for key in ("ESI_TUI_REVIEWER", "ESI_TUI_CONFIG", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                "PYTHONPATH", "TERM", "COLORTERM") for arg in ("-e", f"{key}={self.env[key]}")]
        started = time.monotonic()
        self.run("new-session", "-d", "-s", "b", "-x", str(SIZE[0]), "-y", str(SIZE[1]), *keep,
                 " ".join(command))
        self.run("set-option", "-s", "escape-time", "0")
        return started

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "b")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "b", *keys)

    def wait_for(self, text: str, timeout: float = 60.0) -> tuple[float, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return time.monotonic(), screen
        raise SystemExit(f"never saw {text!r}; the screen:\n{self.screen()}")

    def changed_after(self, before: str, send) -> tuple[float, str]:
        """Run `send`; the seconds until the screen differs from `before`, and that screen."""
        t0 = time.monotonic()
        send()
        while True:
            screen = self.screen()
            if screen != before:
                return time.monotonic() - t0, screen
            if time.monotonic() - t0 > 10:
                raise SystemExit(f"the screen did not change in 10 s:\n{screen}")

    def settle(self, quiet: float = SETTLE) -> tuple[float, str]:
        """Wait until the screen stays the same for `quiet` seconds; when it last changed, and the screen."""
        screen, last = self.screen(), time.monotonic()
        while time.monotonic() - last < quiet:
            now = self.screen()
            if now != screen:
                screen, last = now, time.monotonic()
        return last, screen

    def kill(self) -> None:
        self.run("kill-server", check=False)


def key_presses(term: Term, keys: list[str]) -> list[float]:
    times = []
    _, screen = term.settle()
    for key in keys:
        took, _ = term.changed_after(screen, lambda k=key: term.keys(k))
        times.append(took)
        _, screen = term.settle()
    return times


def resize_settles(term: Term, count: int) -> list[float]:
    found = []
    for _ in range(count):
        term.run("resize-window", "-t", "b", "-x", "80", "-y", "24")
        term.settle(0.3)
        t0 = time.monotonic()
        term.run("resize-window", "-t", "b", "-x", str(SIZE[0]), "-y", str(SIZE[1]))
        last, _ = term.settle(0.3)
        found.append(max(0.0, last - t0))
    return found


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--presses", type=int, default=60, help="answer presses, at least (default 60)")
    p.add_argument("--nexts", type=int, default=6, help="']' presses, at least (default 6)")
    p.add_argument("--starts", type=int, default=3, help="starts of each app (default 3)")
    p.add_argument("--helps", type=int, default=5, help="help opens after the first (default 5)")
    p.add_argument("--resizes", type=int, default=3, help="resizes of each app (default 3)")
    args = p.parse_args()
    if not shutil.which("tmux"):
        raise SystemExit("bench_tmux needs tmux (apt-get install tmux)")
    with bl.workdir(args) as tmp:
        info = bl.header("bench_tmux: esi-tui in a real terminal (tmux) against bare Textual apps", args, tmp)
        report = bl.Report("bench_tmux", info)
        env = {k: v for k, v in bl.isolated_env(tmp).items()
               if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
        env.update(TERM="xterm-256color", COLORTERM="truecolor")
        q = bl.questionnaire()
        case_list = bl.cases(q)
        db = tmp / "bench.json"
        bl.build_db(db, [])
        relevant = bl.relevant_pairs(q, case_list)
        plan: list[str] = []
        for reference, _ in case_list:
            if plan:
                plan.append("]")
            for question in q.questions:
                if (reference, question.id) in relevant:
                    plan.append(next(o for o in q.scale_of(question.id).options if o.counts_as == "positive").hotkey)
            if sum(key != "]" for key in plan) >= args.presses and plan.count("]") >= max(1, args.nexts):
                break
        esi = [sys.executable, "-m", "esi_tui.cli", "--db", str(db), "--inspection", bl.INSPECTION]
        bare_label = [sys.executable, str(HERE / "bare_apps.py"), "label"]
        bare_table = [sys.executable, str(HERE / "bare_apps.py"), "table"]

        # -- opening a 500-case inspection, alternating with the bare 500-row table
        opens: dict[str, list[float]] = {"esi": [], "bare": []}
        for n in range(args.starts + 1):
            for kind, command, marker in (("bare", bare_table, "T000"), ("esi", esi, "H001")):
                term = Term(env)
                try:
                    started = term.start(command)
                    seen, _ = term.wait_for(marker)
                    if n:  # the first of each is a warm-up (.pyc files, page cache)
                        opens[kind].append(seen - started)
                finally:
                    term.kill()

        # -- the bare label: keys and resizes
        term = Term(env)
        try:
            term.start(bare_label)
            term.wait_for("presses: 0")
            bare_keys = key_presses(term, ["y"] * args.presses)
            bare_resize = resize_settles(term, args.resizes)
        finally:
            term.kill()

        # -- esi-tui: the review of the first case, answer keys, ']', help, resizes
        term = Term(env)
        try:
            term.start(esi)
            term.wait_for("H001")
            term.settle(0.3)
            term.keys("Enter")
            term.wait_for("case H001")
            presses = key_presses(term, [key if key != "]" else "]" for key in plan])
            answers = [t for t, key in zip(presses, plan) if key != "]"]
            nexts = [t for t, key in zip(presses, plan) if key == "]"]
            helps = []
            for _ in range(args.helps + 1):
                term.settle()
                t0 = time.monotonic()
                term.keys("?")
                seen, _ = term.wait_for("esi-tui keys")
                helps.append(seen - t0)
                term.settle()
                term.keys("q")
                term.wait_for("case H")
            term.settle(0.3)
            esi_resize = resize_settles(term, args.resizes)
        finally:
            term.kill()
        from esi_tui.store.repository import Repository

        with Repository.open(db, readonly=True) as repo:
            stored = len(repo.answers(bl.INSPECTION))
        if stored != len(answers):
            report.note(f"{stored} answers stored for {len(answers)} answer presses: the plan missed the screen")

        def pct(samples: list[float], p: float) -> float:
            ordered = sorted(samples)
            return ordered[min(len(ordered) - 1, int(round(p * len(ordered))) - 1)]

        def fig(samples: list[float]) -> str:
            if not samples:
                return "none"
            return f"median {statistics.median(samples) * 1000:.1f} ms, p90 {pct(samples, 0.9) * 1000:.1f} ms"

        med = statistics.median
        print(f"terminal {SIZE[0]}x{SIZE[1]}, tmux capture-pane polling; {len(answers)} answer presses, "
              f"{len(nexts)} ']' presses, {args.helps} help opens after the first, {args.resizes} resizes\n")
        print(f"  bare app, y changes a label:      {fig(bare_keys)}")
        print(f"  esi-tui answer key to the screen: {fig(answers)}")
        print(f"  esi-tui ']' to the screen:        {fig(nexts)}")
        print(f"  esi-tui help (?) first time:      {helps[0] * 1000:.0f} ms; after: {fig(helps[1:])}")
        print(f"  resize back to 100x30, settled:   esi-tui {fig(esi_resize)}; bare {fig(bare_resize)}")
        print(f"  open: bare 500-row DataTable      {fig(opens['bare'])}")
        print(f"  open: esi-tui --inspection (500)  {fig(opens['esi'])}\n")
        report.figure("answer key to screen, esi-tui", fig(answers), "answer", med(answers), show=False)
        report.figure("y to screen, bare label app (floor)", fig(bare_keys), "bare", med(bare_keys), show=False)
        report.figure("help, first open", f"{helps[0] * 1000:.0f} ms", "help_first", helps[0], show=False)
        print("targets:")
        ratio = med(answers) / med(bare_keys)
        report.check("answer key to screen / bare label change (medians)", ratio, 2.0,
                     f"{ratio:.2f}x ({med(answers) * 1000:.1f} / {med(bare_keys) * 1000:.1f} ms; p90 "
                     f"{pct(answers, 0.9) * 1000:.1f} / {pct(bare_keys, 0.9) * 1000:.1f} ms)", "<= 2x")
        if nexts:
            ratio = med(nexts) / med(answers)
            report.check("']' next case / answer key (medians, to the screen)", ratio, 2.0,
                         f"{ratio:.2f}x ({med(nexts) * 1000:.1f} / {med(answers) * 1000:.1f} ms)", "<= 2x")
        report.check("help after the first time (median)", med(helps[1:]), 0.150,
                     f"{med(helps[1:]) * 1000:.0f} ms ({med(helps[1:]) / med(bare_keys):.1f}x the bare label; "
                     f"first {helps[0] * 1000:.0f} ms)", "< 150 ms")
        report.check("resize to 100x30 settled (median)", med(esi_resize), 0.300,
                     f"{med(esi_resize) * 1000:.0f} ms ({med(esi_resize) / max(med(bare_resize), 1e-3):.1f}x "
                     f"the bare app's {med(bare_resize) * 1000:.0f} ms)", "<= 300 ms")
        ratio = med(opens["esi"]) / med(opens["bare"])
        report.check("open a 500-case inspection / bare 500-row DataTable (medians)", ratio, 1.5,
                     f"{ratio:.2f}x ({med(opens['esi']) * 1000:.0f} / {med(opens['bare']) * 1000:.0f} ms)",
                     "<= 1.5x")
        report.emit()


if __name__ == "__main__":
    main()
