"""The lead's whole day in a real terminal: set up an inspection with a blind double review, two reviewers
answer their copies by keys, `esi-tui merge` brings them together, and the lead's app shows the team's
progress, then both answers side by side (≠ where they differ), and the agreed answer once moderated."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_tmux import ESI_TUI, Tmux

from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

INSPECTION = "lead-day"
# A001 (low risk of harm, victim issues): 16 questions apply, in the order the cursor takes them; C2.5 is
# on the victim work scale (o / s / i / x)
ORDER = ["B1.2", "B2.1", "B3.1", "B3.2", "B3.3", "B3.4", "C2.1", "C2.2", "C2.3", "C2.5", "C2.6", "C2.7",
         "C3.1", "C5.1", "C5.2", "C5.8"]
ANN = {qid: "o" if qid == "C2.5" else "y" for qid in ORDER}
BOB = {**ANN, "B1.2": "n"}


def esi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(ESI_TUI), *args], env=env, capture_output=True, text=True, timeout=60)


def quit_app(term: Tmux) -> None:
    term.keys("C-q")
    deadline = time.monotonic() + 20
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not term.alive(), "esi-tui did not quit on ctrl+q:\n" + term.screen()


def review_a001(term: Tmux, db: Path, reviewer: str, keys: dict[str, str]) -> None:
    """One reviewer opens their copy, answers A001 by keys and marks it complete."""
    term.start([str(ESI_TUI), "--db", str(db), "--reviewer", reviewer, "--inspection", INSPECTION], 100, 30)
    term.wait_for("A001", "mine")
    term.keys("Enter")
    term.wait_for("case A001", "0 of 16 answered", "double review: blind · 0 of 2 finished")
    for done, qid in enumerate(ORDER, start=1):
        term.keys(keys[qid])
        if done < len(ORDER):
            term.wait_for(f"{done} of 16 answered")
    term.wait_for("all 16 answered")
    term.keys("c")
    term.wait_for("complete ✔")
    quit_app(term)


def test_the_leads_day_merge_team_progress_and_both_answers(tmp_path: Path):
    tmux = shutil.which("tmux")
    assert tmux, "tmux is not installed: this test needs it (CI installs it with apt-get install tmux)"
    assert ESI_TUI.exists(), f"no esi-tui executable next to {sys.executable}: pip install -e . first"
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "ESI_TUI_DB")}
    env = {**inherited, "ESI_TUI_REVIEWER": "lead", "ESI_TUI_CONFIG": str(tmp_path / "none.toml"),
           "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    lead, ann, bob = (tmp_path / f"{name}.json" for name in ("lead", "ann", "bob"))
    cases = tmp_path / "sample.csv"
    cases.write_text("reference,risk_of_harm,victim_issues\nA001,low,yes\nA002,high,no\nA003,medium,no\n")

    # the lead sets the inspection up and gives each reviewer a copy
    for args in (("new", "-q", "esi-2005-followup", "--area", "Testshire", "--id", INSPECTION),
                 ("import-cases", str(cases)), ("double-review", "--cases", "A001")):
        done = esi(*args, "--db", str(lead), env=env)
        assert done.returncode == 0, done.stderr
    shutil.copy(lead, ann)
    shutil.copy(lead, bob)

    term = Tmux(tmux, env)
    try:
        review_a001(term, ann, "ann", ANN)
        term.kill()
        term = Tmux(tmux, env)
        review_a001(term, bob, "bob", BOB)
        term.kill()

        merged = esi("merge", str(ann), str(bob), "--into", str(lead), env=env)
        assert merged.returncode == 0, merged.stderr   # two reviewers' answers are a double review, not a conflict

        term = Tmux(tmux, env)
        term.start([str(ESI_TUI), "--db", str(lead), "--inspection", INSPECTION], 100, 30)
        # the lead has answered nothing: the team's progress, with who finished
        screen = term.wait_for("● team (every reviewer)", "A001", "ann ✔, bob ✔")
        a001 = next(line for line in screen.splitlines() if line.lstrip().startswith("A001"))
        assert "32 of 32" in a001 and "complete" in a001 and "both finished · not blind" in a001, screen
        a002 = next(line for line in screen.splitlines() if line.lstrip().startswith("A002"))
        assert "0 of " in a002 and "not started" in a002, screen
        term.keys("v")
        screen = term.wait_for("● mine")
        a001 = next(line for line in screen.splitlines() if line.lstrip().startswith("A001"))
        assert "0 of 16" in a001 and "not started" in a001, screen
        term.keys("v")
        term.wait_for("● team (every reviewer)")

        # the review: blindness is over, r shows both answers beside each question
        term.keys("Up", "Enter")     # the cursor starts on A002, the first case the team has not finished
        term.wait_for("case A001", "double review: both finished · not blind",
                      "r shows the 2 other reviewers' answers")
        term.keys("r")
        screen = term.wait_for("≠ ann ✔ · bob ✘", "Other reviewers")
        b12 = next(line for line in screen.splitlines() if "B1.2" in line and "≠" in line)
        assert "≠ ann ✔ · bob ✘" in b12, screen
        b21 = next(line for line in screen.splitlines() if " B2.1 " in line)
        assert "ann ✔ · bob ✔" in b21 and "≠" not in b21, screen

        # moderation: take bob's answer, with a reason; the review then shows the agreed answer
        term.keys("Escape")
        term.wait_for("● team")
        term.keys("m")
        term.wait_for("1 disagreement, 1 open", "A001  B1.2")
        term.keys("2")
        term.wait_for("Reason for A001 B1.2")
        term.keys("no review within 16 weeks", "Enter")
        term.wait_for("1 disagreement, 0 open")
        term.keys("Escape")
        term.wait_for("● team")
        term.keys("Enter")
        term.wait_for("case A001")
        term.keys("r")
        screen = term.wait_for("agreed ✘")
        b12 = next(line for line in screen.splitlines() if "B1.2" in line and "agreed" in line)
        assert "ann ✔ · bob ✘ · agreed ✘" in b12 and "≠" not in b12, screen
        quit_app(term)
    finally:
        term.kill()

    with Repository.open(lead, readonly=True) as repo:
        assert repo.case(INSPECTION, "A001").completed_by == ("ann", "bob")
        assert repo.moderation(INSPECTION, "A001", "B1.2").value == "no"
        assert {a.reviewer for a in repo.answers(INSPECTION)} == {"ann", "bob"}
