"""Snapshots of the review, cases and tallies screens on the demo inspection at 100x30 and 80x24.

The demo data is seeded, the header has no clock and no path or time is drawn, so the pictures
only change when the screens do. Update with `pytest tests/ui/test_snapshots.py --snapshot-update`
and look at the SVGs (tests/ui/__snapshots__/) before committing them.
"""

from __future__ import annotations

import pytest
from uikit import REVIEWER

from esi_tui.app.factory import create_app
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION


@pytest.fixture
def snapshot_app(tmp_path):
    """The demo app on its cases screen, with no user config."""
    db = tmp_path / "demo.json"
    build_demo(db, REVIEWER)
    return create_app(db, REVIEWER, inspection=DEMO_INSPECTION, config_path=tmp_path / "none.toml")


async def open_review_and_answer(pilot) -> None:
    """Open the first unfinished case (H019) and answer its first two questions: y then n."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("y", "n")
    await pilot.pause()


async def open_tallies(pilot) -> None:
    await pilot.press("t")
    await pilot.pause()


async def settle(pilot) -> None:
    await pilot.pause()


def test_review_100x30(snap_compare, snapshot_app):
    """Review of H019 side by side: the header says 'esi-tui · reviewer: tester — case H019'; the facts
    line reads 'Case H019 19 of 30 2 of 20 answered ✓ B1.6 saved' with its attributes; the question list
    on the left shows B1.2 with a green ✔, B1.6 with a red ✘, B2.1 highlighted with a yellow dot and
    greyed not-relevant questions (B1.1, B1.3-B1.5) without a mark, each saying why ('(Risk of harm:
    low)'); the right shows B2.1's text, 'applies to: every case', the y/n/x options, 'status: ·
    unanswered', the note line and '▼ Guidance ctrl+g hides it' with the guidance text; below it the
    tally panel has a row for each of B1, B2, B3, C2, C3, C5 with Now, X of Y, Base, Chg, a six-cell bar
    and the rating in full ('Outstanding'); the footer lists y Yes, n No, x N/A, u Undo, e Note, ] Next
    case, c Done, w Case note, then ? Help and esc Back kept at its right end (no t Tallies)."""
    assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=open_review_and_answer)


def test_review_80x24(snap_compare, snapshot_app):
    """Review of H019 stacked for a narrow terminal: facts on top ('2 of 20 answered'), then the
    question list scrolled to the cursor (✘ B1.6, the B2 heading, B2.1 highlighted), then B2.1's text,
    'applies to: every case' and right under it the y Yes / n No / x Not applicable keys, then the
    tally panel with all six criterion rows (B1 '38 of 46' ... C5); the footer, tightened below 100
    columns (no padding, no ^p palette), shows every key in full: y Yes, n No, x N/A, u Undo, e Note,
    ] Next case, c Done, w Case note, ? Help, esc Back."""
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=open_review_and_answer)


def test_cases_100x30(snap_compare, snapshot_app):
    """The demo sample: header 'esi-tui · reviewer: tester — Hampshire (fictional demo) · hampshire-demo';
    'Progress: ● mine ○ team (every reviewer) v switches' above the table; columns Case, Progress, Status,
    Double review ('–' for all), Reviewers ('tester'), Risk of harm, Sentence (the rest cut at the right
    edge); H001-H018 'complete' with 'N of N' progress, H019 onwards 'not started' with '0 of N'; the row
    cursor on H019 (the first unfinished case); the footer lists / Filter, s Sort, a Add, e Edit,
    t Tallies, m Moderation, v Mine/team, ? Help, esc Back."""
    assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=settle)


def test_cases_80x24(snap_compare, snapshot_app):
    """The demo sample in 80 columns: Case, Progress and Status come first so they are always in
    view, then Double review, Reviewers, Risk of harm and Sentence; the cursor row H019 ('0 of 20', 'not
    started') is in view; the tightened footer shows / Filter, s Sort, a Add, e Edit, t Tallies,
    m Moderation, v Mine/team, ? Help and esc Back."""
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=settle)


def test_tallies_100x30(snap_compare, snapshot_app):
    """Full tallies: 'Counting: every reviewer (moderated, else first answer) · Cases: every case'; the
    table header Item, X of Y, Score, Base, Change, N/A, Open, Not rel., Rating all on screen; a bold
    row per criterion (B1 '37 of 44', 84%, base 54%, '▲+30', Outstanding) followed by its questions
    with their texts given every column the numbers leave (cut with an ellipsis only there: 'B1 Assessment
    of risk of ha…', 'B1.1 Was a satisfactory a…') and their own counts; footer r Reviewer, f Filter cases,
    m Moderation, a Agreement, c 95% CI, ? Help, esc Back."""
    assert snap_compare(snapshot_app, terminal_size=(100, 30), run_before=open_tallies)


def test_tallies_80x24(snap_compare, snapshot_app):
    """Full tallies in 80 columns: the item texts are cut short so that X of Y, Score, Base, Change,
    N/A, Open and Not rel. are all visible for every row (B1 '37 of 44', 84%, 54%, ▲+30); only the
    Rating column is cut at the right edge; the 'Counting: ... · Cases: every case' line fits on one
    line."""
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=open_tallies)
