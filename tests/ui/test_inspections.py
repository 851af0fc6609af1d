"""The inspections screen: open one, or create one with the form (and see why a bad one is refused)."""

from __future__ import annotations

from uikit import FRESH, screen_text, widget_text

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.forms import InspectionForm
from esi_tui.app.screens.inspections import InspectionsScreen
from esi_tui.core.demo import DEMO_INSPECTION

SIZE = (100, 30)


async def fill_form(pilot, area: str, inspection_id: str, baseline: str) -> InspectionForm:
    """Press n and type into the form's fields (the questionnaire keeps its first choice)."""
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, InspectionForm)
    assert pilot.app.focused.id == "area"
    await pilot.press(*area, "tab", *inspection_id, "tab", "tab", *baseline)
    assert form.query_one("#baseline").value == baseline
    return form


async def test_new_inspection_from_the_form(make_app, tmp_path):
    app = make_app(tmp_path / "new.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        assert "No inspection yet: press n" in widget_text(app, app.screen.query_one("#inspections-hint"))
        await fill_form(pilot, "Kent", "kent-2026", "B1=54")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.repo.has_inspection("kent-2026")
        inspection = app.repo.inspection("kent-2026")
        assert inspection.area == "Kent"
        assert inspection.baseline == {"B1": 54}
        assert inspection.questionnaire_id == "esi-2005-followup"
        assert isinstance(app.screen, CasesScreen)  # opened at once, on an empty sample
        assert app.session.id == "kent-2026"
        assert app.screen.order == []

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        table = app.screen.query_one("#inspections")
        assert str(table.get_cell("kent-2026", "area")) == "Kent"


async def test_bad_baseline_shows_error_and_creates_nothing(make_app, tmp_path):
    app = make_app(tmp_path / "new.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await fill_form(pilot, "Kent", "kent-2026", "B9=54")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = widget_text(app, form.query_one("#form-error"))
        assert "B9" in error and "no such criterion" in error
        assert not app.repo.has_inspection("kent-2026")

        for _ in "B9=54":
            await pilot.press("backspace")
        await pilot.press(*"B1=154", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "not a percentage" in widget_text(app, form.query_one("#form-error"))
        assert app.repo.inspections() == []

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        assert app.repo.inspections() == []


async def test_existing_id_is_refused(make_app, fresh_db):
    app = make_app(fresh_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await fill_form(pilot, "Elsewhere", FRESH, "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "already exists" in widget_text(app, form.query_one("#form-error"))
        assert app.repo.inspection(FRESH).area == "Testshire"


async def test_enter_opens_an_inspection(make_app, fresh_db):
    app = make_app(fresh_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#inspections")
        assert str(table.get_cell(FRESH, "cases")) == "3"
        assert str(table.get_cell(FRESH, "complete")) == "0 of 3"
        assert str(table.get_cell(FRESH, "answers")) == "0"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert app.screen.order == ["A001", "A002", "A003"]


async def test_progress_columns_count_finished_cases_and_answers(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row = " ".join(line for line in widget_text(app, app.screen.query_one("#inspections")).splitlines()
                       if DEMO_INSPECTION in line)
        complete = sum(1 for case in app.repo.cases(DEMO_INSPECTION) if case.complete or case.completed_by)
        assert complete == 18 and f" {complete} of 30 " in row
        assert f" {app.repo.answer_count(DEMO_INSPECTION):,} " in row  # in view at 80 columns


async def test_opening_an_inspection_whose_questionnaire_file_changed_says_so_once(make_app, tmp_path):
    """The check reads the questionnaire's file in a worker once the cases show; the warning names it."""
    import dataclasses

    from esi_tui.store.catalog import find_questionnaire
    from esi_tui.store.repository import Repository

    path = tmp_path / "stale.json"
    recorded = dataclasses.replace(find_questionnaire("esi-2005-followup"), content_hash="an earlier edition")
    with Repository.open(path) as repo:
        repo.create_inspection("stale-2026", recorded, area="Testshire")
        repo.save_case("stale-2026", "S001", {})
    app = make_app(path, inspection="stale-2026")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "S001" in screen_text(app)
        warned = [n for n in app.notices if n[1] == "Questionnaire changed"]
        assert warned == [("warning", "Questionnaire changed", "esi-2005-followup has changed since this "
                           "inspection began; scoring keeps to the recorded definition.")]
    fresh = tmp_path / "same.json"
    with Repository.open(fresh) as repo:
        repo.create_inspection("same-2026", find_questionnaire("esi-2005-followup"), area="Testshire")
    app = make_app(fresh, inspection="same-2026")
    checked = []
    check = app._check_questionnaire_file
    app._check_questionnaire_file = lambda inspection: (check(inspection), checked.append(inspection.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert checked == ["same-2026"]  # it ran, and found the file as recorded
        assert not [n for n in app.notices if n[1] == "Questionnaire changed"]
        # a check that ends after its inspection was left says nothing about the one open now
        app.post_message(app.QuestionnaireChanged("stale-2026", "esi-2005-followup"))
        await pilot.pause()
        assert not [n for n in app.notices if n[1] == "Questionnaire changed"]
