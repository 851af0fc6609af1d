"""The lead's view of the team: the cases screen shows the team's progress (answers across reviewers, who
has finished, the double review in words) with mine and team as a visible toggle; the review shows the
other reviewers' answers, notes and the agreed answer beside each question once the case is not blind,
with ≠ where they disagree; and an inspection can be deleted from the app once its name and counts are
confirmed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casework import finish
from uikit import FRESH, FRESH_CASES, notices, screen_text, widget_text

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.confirm import ConfirmScreen
from esi_tui.app.screens.inspections import InspectionsScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.widgets.case_facts import CaseFacts
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

SIZE = (100, 30)


@pytest.fixture
def merged_db(tmp_path: Path) -> Path:
    """What a lead holds after merging ann's and bob's copies: A001 in the double-review sample, finished by
    both (they disagree on B1.2, each with a note); A002 half answered by ann; A003 untouched."""
    path = tmp_path / "lead.json"
    with Repository.open(path) as repo:
        repo.create_inspection(FRESH, find_questionnaire("esi-2005-followup"), area="Testshire")
        for reference, attributes in FRESH_CASES:
            repo.save_case(FRESH, reference, attributes)
        repo.mark_double_review(FRESH, ["A001"])
        repo.set_answer(FRESH, "A001", "B1.2", "yes", "ann", note="reviewed at week 15")
        repo.set_answer(FRESH, "A001", "B1.2", "no", "bob", note="no review on file")
        finish(repo, FRESH, "A001", "ann")
        finish(repo, FRESH, "A001", "bob")
        for qid in ("B1.1", "B1.2", "B1.4"):
            repo.set_answer(FRESH, "A002", qid, "yes", "ann")
    return path


def panel_text(review) -> str:
    """What the question panel holds (its lines as drawn, joined; the scrollbar left out)."""
    return " ".join(review.query_one(QuestionPanel).text.plain.split())


def row(table, reference: str) -> dict[str, str]:
    return {key: str(table.get_cell(reference, key)) for key in ("progress", "status", "double", "reviewers")}


async def test_the_leads_cases_screen_shows_the_teams_progress_and_mine_on_v(make_app, merged_db):
    app = make_app(merged_db, inspection=FRESH, reviewer="lead")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        # the lead has answered nothing, the team has: the team's view, and the line says so
        view_line = widget_text(app, screen.query_one("#cases-view"))
        assert "● team (every reviewer)" in view_line and "○ mine" in view_line and "v switches" in view_line
        table = screen.query_one("#cases")
        assert row(table, "A001") == {"progress": "32 of 32", "status": "complete",
                                      "double": "both finished · not blind", "reviewers": "ann ✔, bob ✔"}
        a002 = row(table, "A002")
        assert a002["progress"].startswith("3 of ") and a002["status"] == "in progress"
        assert a002["reviewers"].startswith("ann 3/") and a002["double"] == "–"
        assert row(table, "A003")["status"] == "not started"
        assert screen.current == "A002"      # the first case the team has not finished
        assert "ann ✔, bob ✔" in screen_text(app)   # in view at 100 columns, before the attributes

        await pilot.press("v")
        await pilot.pause()
        assert "● mine" in widget_text(app, screen.query_one("#cases-view"))
        assert row(table, "A001")["progress"] == "0 of 16" and row(table, "A001")["status"] == "not started"
        assert "mine" in notices(app).splitlines()[-1] or "yours alone" in notices(app)
        await pilot.press("v")
        await pilot.pause()
        assert row(table, "A001")["status"] == "complete"
        await pilot.press("escape")
        await pilot.pause()
        # the inspections screen counts complete cases as the team view does (a double review needs two)
        assert isinstance(app.screen, InspectionsScreen)
        assert str(app.screen.query_one("#inspections").get_cell(FRESH, "complete")) == "1 of 3"


async def test_after_both_finished_the_review_shows_both_answers_the_agreed_one_and_disagreement(
        make_app, merged_db):
    app = make_app(merged_db, inspection=FRESH, reviewer="lead")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("up", "enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.reference == "A001"
        facts = widget_text(app, review.query_one(CaseFacts))
        assert "double review: both finished · not blind" in facts and "blind double review" not in facts
        panel = panel_text(review)
        assert "r shows the 2 other reviewers' answers and the agreed answer." in panel
        assert "ann" not in review.questions.line_text("B1.2")
        await pilot.press("r")
        await pilot.pause()
        line = review.questions.line_text("B1.2")
        assert "≠ ann ✔✎ · bob ✘✎" in line
        assert "≠" not in review.questions.line_text("B2.1")     # they agree there
        panel = panel_text(review)
        assert "ann: ✔ Yes — “reviewed at week 15”" in panel and "bob: ✘ No — “no review on file”" in panel
        assert "≠ reviewers disagree" in panel and "not moderated yet" in panel

        # the lead settles it: the agreed answer is shown beside the question, the ≠ goes
        app.session.moderate("A001", "B1.2", "no", "no review within 16 weeks")
        review.show_change(("moderation", FRESH, "A001", "B1.2"))
        await pilot.pause()
        line = review.questions.line_text("B1.2")
        assert "ann ✔✎ · bob ✘✎ · agreed ✘" in line and "≠" not in line
        panel = panel_text(review)
        assert "agreed answer: ✘ No — lead: “no review within 16 weeks”" in panel
        await pilot.press("r")
        await pilot.pause()
        assert "agreed" not in review.questions.line_text("B1.2")


async def test_a_blind_case_keeps_the_others_answers_hidden_from_r(make_app, merged_db):
    with Repository.open(merged_db) as repo:      # bob reopens A001: it is blind again until he finishes
        repo.set_complete(FRESH, "A001", False, reviewer="bob")
    app = make_app(merged_db, inspection=FRESH, reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")      # bob has answers: his own view first; the team's names nobody on A001
        await pilot.pause()
        assert str(app.screen.query_one("#cases").get_cell("A001", "reviewers")).startswith("(blind) ")
        assert "ann" not in str(app.screen.query_one("#cases").get_cell("A001", "reviewers"))
        await pilot.press("v")
        await pilot.pause()
        app.open_case("A001")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert "blind double review (blind · 1 of 2 finished)" in notices(app)
        assert not re.search(r"\bann\b", screen_text(app))
        assert "reviewed at week 15" not in screen_text(app)


async def test_an_inspection_is_deleted_from_the_app_once_y_confirms_its_name_and_counts(make_app, merged_db):
    app = make_app(merged_db, reviewer="lead")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = " ".join(screen_text(app).split())
        assert f"Delete inspection {FRESH}?" in text
        answers = sum(a.value is not None for a in app.repo.answers(FRESH))
        assert f"3 cases, {answers} answers by 2 reviewers, 0 moderations, 0 case notes" in text
        await pilot.press("enter")       # enter does not delete what cannot be had back
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.repo.has_inspection(FRESH)
        await pilot.press("n")
        await pilot.pause()
        assert app.repo.has_inspection(FRESH)
        await pilot.press("enter")       # open it, come back, then delete it: the open one is closed first
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("D", "y")
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        assert not app.repo.has_inspection(FRESH) and app.session is None
        assert f"Inspection {FRESH} deleted" in notices(app)
        assert "No inspection yet: press n to create one." in screen_text(app)
    with Repository.open(merged_db, readonly=True) as repo:
        assert repo.inspections() == [] and FRESH in repo.deleted_inspections()
