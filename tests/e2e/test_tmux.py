"""End to end in a real terminal: `esi-tui demo` under tmux, answered with keys, read back from the
screen and from the database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

REVIEWER = "e2e-reviewer"
ESI_TUI = Path(sys.executable).with_name("esi-tui")


class Tmux:
    """One tmux server of our own (its own socket, no user config) with one session."""

    def __init__(self, tmux: str, env: dict[str, str]):
        self.tmux = tmux
        self.socket = f"esi-tui-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([self.tmux, "-f", "/dev/null", "-L", self.socket, *args], env=self.env,
                              capture_output=True, text=True, timeout=30, check=check)

    def start(self, command: list[str], width: int, height: int) -> None:
        env_args = [arg for key in ("ESI_TUI_REVIEWER", "ESI_TUI_CONFIG", "HOME", "XDG_DATA_HOME",
                                    "XDG_CONFIG_HOME", "TERM", "COLORTERM")
                    for arg in ("-e", f"{key}={self.env[key]}")]
        self.run("new-session", "-d", "-s", "esi", "-x", str(width), "-y", str(height), *env_args,
                 " ".join(command))

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "esi").stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "esi", *keys)

    def alive(self) -> bool:
        return self.run("has-session", "-t", "esi", check=False).returncode == 0

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """Wait until every text is on screen; the screen as it was last."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"never saw {texts!r} on screen; it showed:\n{screen}")

    def kill(self) -> None:
        """Stop our server and remove its socket file (tmux leaves it when the last session ended)."""
        self.run("kill-server", check=False)
        folder = Path(self.env.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def test_demo_review_by_keys_in_tmux(tmp_path: Path):
    tmux = shutil.which("tmux")
    assert tmux, "tmux is not installed: this test needs it (CI installs it with apt-get install tmux)"
    assert ESI_TUI.exists(), f"no esi-tui executable next to {sys.executable}: pip install -e . first"
    db = tmp_path / "demo.json"
    # COLUMNS and LINES (set by a parallel test runner) would make Textual ignore the tmux window's size
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**inherited, "ESI_TUI_REVIEWER": REVIEWER, "ESI_TUI_CONFIG": str(tmp_path / "none.toml"),
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    term = Tmux(tmux, env)
    try:
        term.start([str(ESI_TUI), "demo", "--db", str(db)], 100, 30)
        # the cases screen, with the cursor on the first unfinished case
        term.wait_for("hampshire-demo", "H019", "not started")
        term.keys("Enter")
        screen = term.wait_for("case H019", "0 of 20 answered")
        assert "B1.2" in screen

        term.keys("y")
        term.wait_for("1 of 20 answered")
        term.keys("n")
        term.wait_for("2 of 20 answered")
        term.keys("y")
        screen = term.wait_for("3 of 20 answered")
        lines = screen.splitlines()
        assert any("✔ B1.2" in line for line in lines), screen
        assert any("✘ B1.6" in line for line in lines), screen
        assert any("✔ B2.1" in line for line in lines), screen

        # the answers are in the database while the app still runs (a read-only look)
        with Repository.open(db, readonly=True) as repo:
            saved = {a.question: a.value for a in repo.answers(DEMO_INSPECTION, "H019")
                     if a.reviewer == REVIEWER}
        assert saved == {"B1.2": "yes", "B1.6": "no", "B2.1": "yes"}

        term.keys("C-q")
        deadline = time.monotonic() + 20
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not term.alive(), "esi-tui did not quit on ctrl+q:\n" + term.screen()
    finally:
        term.kill()

    with Repository.open(db) as repo:  # closed cleanly: the write lock is free again
        saved = {a.question: a.value for a in repo.answers(DEMO_INSPECTION, "H019") if a.reviewer == REVIEWER}
    assert saved == {"B1.2": "yes", "B1.6": "no", "B2.1": "yes"}
