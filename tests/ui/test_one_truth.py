"""One truth per fact, as a reviewer meets it: what the review shows and what the keys, the palette
and the store do agree (the state engine), completeness is kept true, and the keymap accepts exactly
what the help lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from uikit import FRESH, REVIEWER, notices, widget_text

from esi_tui.app.registry import binding_ids, screens
from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.core.loader import load_file
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
SIZE = (100, 30)


@pytest.fixture
def mini_db(tmp_path: Path) -> Path:
    """The mini questionnaire: C1 is high risk; bob answered A1.2 'no' (so A1.3 applies to him), ann 'yes'."""
    path = tmp_path / "mini.json"
    with Repository.open(path) as repo:
        repo.create_inspection("m", load_file(MINI), area="Mini")
        repo.save_case("m", "C1", {"risk": "high"})
        repo.set_answer("m", "C1", "A1.2", "no", "bob")
        repo.set_answer("m", "C1", "A1.2", "yes", "ann")
    return path


async def palette(pilot, query: str) -> None:
    """Open the command palette, type `query` and take the first hit."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    hits = pilot.app.screen.query_one(CommandList)
    for _ in range(50):
        await pilot.pause(0.02)
        if hits.option_count and query in str(hits.get_option_at_index(0).prompt):
            break
    await pilot.press("enter")
    await pilot.pause()


async def test_a_question_that_does_not_apply_to_me_cannot_be_reached_or_answered(make_app, mini_db):
    """bob's 'no' makes A1.3 apply in the counted view; in ann's own view (her 'yes') it does not."""
    app = make_app(mini_db, inspection="m", reviewer="ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.reference == "C1"
        assert not review.questions.is_enabled("A1.3")              # greyed for ann
        await palette(pilot, "A1.3")
        assert "A1.3 does not apply to C1 (answer to A1.2: Yes): it is asked where answer to A1.2: No." \
            in notices(app)
        assert review.questions.current != "A1.3"
        assert review.questions.select("A1.3") is False              # the list refuses it outright
        before = review.questions.current
        await pilot.press("y")
        await pilot.pause()
        assert app.repo.answer("m", "C1", "A1.3", "ann") is None      # nothing stored for A1.3
        assert review.questions.current != "A1.3" and before != "A1.3"


async def test_complete_then_undo_reopens_the_case_and_says_why(make_app, fresh_db):
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")                                     # A001
        await pilot.pause()
        review = app.screen
        for _ in range(len(app.session.relevant_questions("A001"))):
            await pilot.press("x")                                     # not applicable fits every scale
        await pilot.press("c")
        await pilot.pause()
        assert app.repo.case(FRESH, "A001").completed_by == (REVIEWER,)
        assert "complete ✔" in widget_text(app, review.query_one("#case-facts"))
        await pilot.press("u")
        await pilot.pause()
        assert app.repo.case(FRESH, "A001").completed_by == ()
        assert not app.session.is_complete("A001")
        assert "complete ✔" not in widget_text(app, review.query_one("#case-facts"))
        assert "A001 reopened: the answer to" in notices(app, "warning")


async def test_complete_then_edit_to_high_risk_reopens_the_case_and_the_counts_agree(make_app, fresh_db):
    with Repository.open(fresh_db) as repo:                            # A003: medium risk of harm
        questionnaire = repo.questionnaire(FRESH)
        for qid in repo.inspection_state(FRESH, REVIEWER).relevant_questions("A003"):
            repo.set_answer(FRESH, "A003", qid, questionnaire.scale_of(qid).options[0].key, REVIEWER)
        repo.set_complete(FRESH, "A003", True, reviewer=REVIEWER)
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cases = app.screen
        assert isinstance(cases, CasesScreen)
        before = set(app.session.relevant_questions("A003"))
        app.session.save_case("A003", {"risk_of_harm": "high"})
        await pilot.pause()
        newly = [qid for qid in app.session.relevant_questions("A003")
                 if qid not in before and app.session.questionnaire.question(qid).required]
        assert len(newly) == 6      # B1.1, B1.4-B1.6, C5.3, C5.4 and C5.6, less the optional one
        assert "A003 reopened: 6 questions now apply after risk of harm changed to high" in notices(app, "warning")
        cases.reload()
        row = [str(c) for c in cases.query_one("#cases").get_row("A003")]
        assert "complete" not in row[2]
        with Repository.open(fresh_db, readonly=True) as viewer:      # what every report counts
            assert viewer.case(FRESH, "A003").completed_by == ()


async def test_every_key_the_help_lists_is_accepted_by_the_keymap(make_app, demo_db, config_path):
    with Repository.open(demo_db, readonly=True) as repo:
        questionnaires = [repo.questionnaire(i.id) for i in repo.inspections()]
    entries = screens(questionnaires)
    # the same keys again, under every id the help lists: nothing unknown, nothing colliding
    keys = {b.id: b.key for entry in entries for b in entry.bindings() if b.id and b.description}
    assert {"questions.down", "form.save", "form.cancel", "pick.cancel", "reason.cancel"} <= set(keys)
    assert set(keys) == binding_ids(entries)
    config_path.write_text("[keymap]\n" + "".join(f'"{bid}" = "{key}"\n' for bid, key in sorted(keys.items())),
                           encoding="utf-8")
    app = make_app(demo_db, inspection="hampshire-demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert notices(app, "warning") == ""
        await pilot.press("question_mark")
        await pilot.pause()
        document = app.screen.document()
        for bid in keys:
            assert f"`{bid}`" in document


async def test_a_remap_onto_another_answer_key_warns_naming_both_and_keeps_the_default(
        make_app, fresh_db, config_path):
    config_path.write_text('[keymap]\n"answer.yes" = "i"\n"review.undo" = "U"\n', encoding="utf-8")
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warning = notices(app, "warning")
        assert warning.count("Config file") == 1                      # one warning for the file
        assert "answer.yes = 'i' is already the key of answer.insufficient" in warning
        assert "answer.yes keeps its default" in warning
        await pilot.press("enter")                                     # A001: B1.2 first, victim work C2.5 later
        await pilot.pause()
        await pilot.press("y")
        assert app.repo.answer(FRESH, "A001", "B1.2", REVIEWER).value == "yes"   # y still answers yes
        app.screen.questions.select("C2.5")
        await pilot.press("i")
        assert app.repo.answer(FRESH, "A001", "C2.5", REVIEWER).value == "insufficient"
        await pilot.press("U")                                         # the other entry applies
        assert app.repo.answer(FRESH, "A001", "C2.5", REVIEWER) is None


def test_a_new_screen_with_keys_must_be_in_the_registry():
    """Every screen or widget class of the app that declares bindings is listed, so its keys are in the help."""
    import importlib
    import pkgutil

    import esi_tui.app

    for module in pkgutil.walk_packages(esi_tui.app.__path__, "esi_tui.app."):
        importlib.import_module(module.name)
    listed = {cls for entry in screens([find_questionnaire("esi-2005-followup")]) for cls in entry.classes}
    listed_names = {cls.__name__ for cls in listed}
    declared = set()
    stack = [object]
    from textual.dom import DOMNode
    stack = [DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("esi_tui.") and cls.__dict__.get("BINDINGS"):
            declared.add(cls.__name__)
    assert declared <= listed_names, f"not in the registry: {sorted(declared - listed_names)}"


async def test_the_colours_of_marks_come_from_the_theme_through_the_stylesheet(make_app, demo_db, config_path):
    """No colour is written in Python: two themes give the marks two different greens, each the theme's own."""
    from textual.color import Color

    seen = {}
    for theme in ("textual-dark", "nord"):
        config_path.write_text(f'theme = "{theme}"\n', encoding="utf-8")
        app = make_app(demo_db, inspection="hampshire-demo")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            questions = app.screen.questions
            style = questions.get_component_rich_style("esi--positive", partial=True)
            expected = Color.parse(app.theme_variables["success"]).rich_color
            assert style.color == expected and style.bold
            seen[theme] = style.color
    assert seen["textual-dark"] != seen["nord"]
