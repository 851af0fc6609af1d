"""Today's method in the app: a case scored with prompts indented under their key question, the key
question a standard is rated by, the overall rating with its points, areas side by side, and a
baseline that cannot be compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tallies import open_tallies
from uikit import REVIEWER, screen_lines, widget_text

from esi_tui.app.screens.compare import CompareScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.screens.tallies import TalliesScreen
from esi_tui.app.widgets.question_list import QuestionList
from esi_tui.app.widgets.tally_panel import TallyPanel
from esi_tui.core.tally_json import tally_document
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

SIZE = (120, 40)
HMIP = "hmip-public-protection-2025"
PDU = "wessex"


@pytest.fixture
def hmip_db(tmp_path: Path) -> Path:
    """Inspection PDU on the HMIP questionnaire: P1 (core case, high risk) and P2 (post-sentence supervision
    only, answered A1 to A4 by another reviewer); and a second area, 'north', with a not comparable baseline."""
    path = tmp_path / "hmip.json"
    questionnaire = find_questionnaire(HMIP)
    with Repository.open(path) as repo:
        repo.create_inspection(PDU, questionnaire, area="Wessex PDU")
        repo.save_case(PDU, "P1", {"risk_of_serious_harm": "high"})
        repo.save_case(PDU, "P2", {"post_sentence_supervision_only": True})
        for qid in ("A1", "A2", "A3", "A4"):
            repo.set_answer(PDU, "P2", qid, "yes", reviewer="bob")
        repo.create_inspection("north", questionnaire, area="North PDU", baseline={"2.1": 50, "2.2": 60},
                               not_comparable=["2.2"])
        repo.save_case("north", "N1", {"risk_of_serious_harm": "medium"})
        repo.set_answer("north", "N1", "C1", "no", reviewer="bob")
    return path


def tally_line(app, code: str) -> str:
    text = widget_text(app, app.screen.query_one(TallyPanel))
    return next(line.strip() for line in text.splitlines() if line.strip().startswith(code + " "))


async def test_a_case_scored_with_prompts(make_app, hmip_db):
    app = make_app(hmip_db, inspection=PDU)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # P1, the first case
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.reference == "P1"
        questions = screen.query_one(QuestionList)
        assert questions.current == "C1"
        # prompts are indented under their key question, each with its own id and mark
        lines = [line for line in screen_lines(app) if "C1" in line]
        key = next(line for line in lines if " C1 Does assessment" in line)
        prompt = next(line for line in lines if "C1.a a) Does assessment" in line)
        assert prompt.index("C1.a") - key.index("C1 ") == 3
        assert questions.line_text("C1.a").startswith("    ") and questions.line_text("C1").startswith(" ·")
        # the key question yes, its three prompts no: the standard counts the key question only
        for key_press in "ynnn":
            await pilot.press(key_press)
            await pilot.pause()
        engine = app.session.engine
        assert [app.repo.answer(PDU, "P1", q, REVIEWER).value for q in ("C1", "C1.a", "C1.b", "C1.c")] == [
            "yes", "no", "no", "no"]
        assert (engine.criterion_counts("2.1").positive, engine.criterion_counts("2.1").negative) == (2, 0)
        assert engine.question_counts("C1.b").negative == 1
        row = tally_line(app, "2.1")
        assert "2 of 2" in row and "100%" in row and "Outstanding · C1 100%" in row  # a tie: the first
        assert "Overall rating: Outstanding (12 points)" in widget_text(app, screen.query_one(TallyPanel))
        # the rest of the case: 2.2 no (its key question now 0 of 1 is the lowest), the others yes
        assert questions.current == "C2"
        for key_press in "nyyy" + "yyyy" + "yyyy":
            await pilot.press(key_press)
            await pilot.pause()
        panel = widget_text(app, screen.query_one(TallyPanel))
        assert "Inadequate · C2 0%" in tally_line(app, "2.2")
        assert "Overall rating: Outstanding (9 points)" in panel  # 3 + 0 + 3 + 3
        assert tally_document(engine, PDU) == tally_document(app.repo.tally(PDU), PDU)
        assert tally_document(engine, PDU)["overall"] == {"points": 9, "rating": "Outstanding"}


async def test_tallies_show_the_rule_the_overall_rating_and_compare(make_app, hmip_db):
    app = make_app(hmip_db, inspection=PDU)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tallies(pilot)
        table = screen.query_one("#tally-table")
        assert str(table.get_cell("2.1", "Rated by")) == "lowest: A1, 100%"
        assert str(table.get_cell("C1.a", "Rating")) == "prompt"
        assert str(table.get_cell("A1", "Rating")) == "Outstanding"
        assert str(table.get_cell("C1.a", "Item")).startswith("      C1.a")
        assert "Overall rating: Outstanding (12 points)" in " ".join(
            widget_text(app, screen.query_one("#tally-filters")).split())
        await pilot.press("v")
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        shown = widget_text(app, compare.query_one("#compare-table"))
        assert "Wessex PDU (wessex)" in shown and "North PDU (north)" in shown and "Region" in shown
        table = compare.query_one("#compare-table")
        north = str(table.get_cell("2.1", "area-1"))
        assert north.splitlines()[:3] == ["0%  0 of 1", "Inadequate", "−50 on 50%"]
        assert str(table.get_cell("2.2", "area-1")).splitlines() == ["–  0 of 0", "no direct comparison"]
        assert "no direct comparison" not in str(table.get_cell("2.2", "area-0"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TalliesScreen)


async def test_a_baseline_that_cannot_be_compared_in_the_app(make_app, hmip_db):
    app = make_app(hmip_db, inspection="north")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        panel = widget_text(app, app.screen.query_one(TallyPanel))
        assert "n/c: no direct comparison with the baseline (2.2)" in panel
        assert "n/c" in tally_line(app, "2.2") and "−50" in tally_line(app, "2.1")
        assert "No overall rating yet: 2.2, 2.3, 2.4 not rated" in panel
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one("#tally-table")
        assert str(table.get_cell("2.2", "Change")) == "no direct comparison"
        assert str(table.get_cell("2.1", "Change")) != "no direct comparison"
