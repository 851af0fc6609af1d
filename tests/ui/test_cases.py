"""The cases screen: edit a case's attributes (relevance and tallies follow at once), add a case,
filter and sort the sample."""

from __future__ import annotations

from uikit import FRESH, notices, widget_text

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.forms import CaseForm
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.core.tally_json import tally_document

SIZE = (100, 30)


async def test_edit_case_attributes_changes_relevance_and_tallies_at_once(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CasesScreen) and screen.current == "A001"
        engine = app.session.engine
        assert engine.state("A001", "B1.1") == "not_relevant"
        open_b11 = engine.question_counts("B1.1").unanswered  # A002 only
        open_b13 = engine.question_counts("B1.3").unanswered
        assert str(screen.query_one("#cases").get_cell("A001", "progress")) == "0 of 16"

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CaseForm)
        assert app.focused.id == "attr-risk_of_harm"  # the reference cannot change: first attribute
        await pilot.press("enter", "down", "down", "enter")  # low -> medium -> high
        assert form.query_one("#attr-risk_of_harm").value == "high"
        for _ in range(6):  # sentence, child protection, MAPPA, victim, requirements, incident
            await pilot.press("tab")
        assert app.focused.id == "attr-significant_incident"
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.screen is screen
        case = app.repo.case(FRESH, "A001")
        assert case.attributes["risk_of_harm"] == "high"
        assert case.attributes["significant_incident"] is True
        assert case.attributes["victim_issues"] is True  # untouched
        # relevance and tallies moved at once, in the live engine
        assert engine.state("A001", "B1.1") == "unanswered"
        assert engine.question_counts("B1.1").unanswered == open_b11 + 1
        assert engine.question_counts("B1.3").unanswered == open_b13 + 1
        assert tally_document(engine, FRESH) == tally_document(app.repo.tally(FRESH), FRESH)
        # 16 + B1.1, B1.3, B1.4, B1.5, B1.6, C5.3, C5.4, C5.6
        assert str(screen.query_one("#cases").get_cell("A001", "progress")) == "0 of 24"
        assert "Case A001 saved." in notices(app)

        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.questions.current == "B1.1"  # now the first question that applies
        assert review.questions.is_enabled("B1.3")


async def test_edit_case_cancel_changes_nothing(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e", "enter", "down", "enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert app.repo.case(FRESH, "A001").attributes["risk_of_harm"] == "low"


async def test_add_case_from_the_form(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CaseForm)
        assert app.focused.id == "reference"
        await pilot.press(*"A001", "ctrl+s")  # taken: the form says so and stays open
        await pilot.pause()
        assert app.screen is form
        assert "Case A001 already exists." in widget_text(app, form.query_one("#form-error"))
        await pilot.press("backspace", *"4", "ctrl+s")
        await pilot.pause()

        assert isinstance(app.screen, CasesScreen)
        assert app.repo.has_case(FRESH, "A004")
        case = app.repo.case(FRESH, "A004")
        assert case.attributes["risk_of_harm"] == "low"  # the questionnaire's defaults
        assert [c.reference for c in app.repo.cases(FRESH)] == ["A001", "A002", "A003", "A004"]
        assert app.screen.current == "A004"  # the cursor is on the new case
        assert app.screen.order == ["A001", "A002", "A003", "A004"]
        assert app.session.engine.state("A004", "B1.2") == "unanswered"


async def test_filter_narrows_rows_and_escape_clears_it(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert len(screen.order) == 30
        await pilot.press("slash")
        assert app.focused.id == "case-filter"
        await pilot.press(*"very high")
        await pilot.pause()
        very_high = [c.reference for c in app.repo.cases("hampshire-demo")
                     if c.attributes["risk_of_harm"] == "very_high"]
        assert 0 < len(very_high) < 30
        assert screen.order == very_high
        await pilot.press("enter")  # keeps the filter, back in the table
        assert app.focused.id == "cases"
        assert screen.order == very_high
        assert "very high" in widget_text(app, screen.query_one("#case-filter"))

        await pilot.press("enter")  # the review's next/previous case follow the filtered list
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.order == very_high
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert app.screen is screen
        assert len(screen.order) == 30
        assert screen.query_one("#case-filter").has_class("hidden")


async def test_sort_cycles_reference_progress_status(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        by_reference = [f"H{n:03d}" for n in range(1, 31)]
        assert screen.order == by_reference

        def progress(reference: str) -> float:
            answered, relevant = app.session.progress(reference)
            return answered / relevant

        await pilot.press("s")
        assert "Sorted by progress." in notices(app)
        assert screen.order != by_reference
        ratios = [progress(r) for r in screen.order]
        assert ratios == sorted(ratios)
        assert ratios[0] == 0 and ratios[-1] == 1

        await pilot.press("s")
        assert "Sorted by status." in notices(app)
        table = screen.query_one("#cases")
        statuses = [str(table.get_cell(r, "status")) for r in screen.order]
        rank = {"in progress": 0, "not started": 1, "complete": 2}
        assert statuses == sorted(statuses, key=rank.get)
        assert statuses[-1] == "complete" and statuses[0] != "complete"
        assert screen.order != by_reference

        await pilot.press("s")
        assert screen.order == by_reference


async def test_a_new_reviewer_sees_the_demo_cases_finished_by_the_team_not_by_them(make_app, demo_db):
    """The demo's cases are finished by the colleague who answered them: a newcomer's own view says
    "not started" (it said "0 of 16 · complete"), the team's view "complete", and the review says
    how many the newcomer has answered, not "complete ✔"."""
    from uikit import REVIEWER

    from esi_tui.core.demo import DEMO_INSPECTION

    app = make_app(demo_db, inspection=DEMO_INSPECTION, reviewer="newcomer")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        table = screen.query_one("#cases")
        assert app.session.cases_view == "team"   # nothing of theirs yet: the team's progress first
        assert str(table.get_cell("H001", "status")) == "complete"
        assert str(table.get_cell("H001", "reviewers")) == f"{REVIEWER} ✔"
        await pilot.press("v")
        await pilot.pause()
        assert (str(table.get_cell("H001", "progress")), str(table.get_cell("H001", "status"))) == (
            "0 of 16", "not started")
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.reference == "H001"
        facts = widget_text(app, review.query_one("#case-facts"))
        assert "0 of 16 answered" in facts and "complete" not in facts
