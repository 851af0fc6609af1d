"""Help generated from the bindings, and the command palette jumping to cases and questions."""

from __future__ import annotations

from uikit import notices, screen_text

from esi_tui.app.app import EsiApp
from esi_tui.app.registry import own_bindings as screen_bindings
from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.confirm import ConfirmScreen
from esi_tui.app.screens.help import HelpScreen
from esi_tui.app.screens.inspections import InspectionsScreen
from esi_tui.app.screens.note import NoteScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.screens.tallies import TalliesScreen
from esi_tui.app.widgets.question_list import QuestionList

SIZE = (100, 30)


def key_rows(document: str, section: str) -> list[str]:
    """The 'does' column of one section's key table in the help Markdown."""
    part = document.split(f"### {section}", 1)[1].split("###", 1)[0].split("\n## ", 1)[0]
    return [line.split("|")[2].strip() for line in part.splitlines() if line.startswith("| `")]


async def test_help_lists_every_binding_of_every_screen(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # a review
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        document = screen.document()
        review = key_rows(document, "Review")
        # every binding the review screen declares, so a key added in code is documented at once
        for binding in ReviewScreen.BINDINGS + QuestionList.BINDINGS:
            assert binding.description in review, binding.description
        for label in ("Yes", "No", "N/A", "Excellent", "Sufficient", "Insufficient"):  # from the questionnaire
            assert label in review
        assert len(review) == len(set(review))  # each key once
        for section, cls in [("Cases", CasesScreen), ("Inspections", InspectionsScreen),
                             ("Tallies", TalliesScreen), ("Note editor", NoteScreen), ("Confirmations", ConfirmScreen),
                             ("Everywhere", EsiApp)]:
            rows = key_rows(document, section)
            assert [b.description for b in screen_bindings(cls)] == rows[:len(screen_bindings(cls))]
            assert len(rows) == len(set(rows)), section
        assert "Focus Next" not in document  # Textual's own keys are not this app's to explain
        assert "How to review a case" in document
        assert "esi-tui keys" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_help_shows_remapped_keys(make_app, demo_db, config_path):
    config_path.write_text('[keymap]\n"review.undo" = "U"\n"cases.sort" = "o"\n', encoding="utf-8")
    app = make_app(demo_db, inspection="hampshire-demo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        document = app.screen.document()
        assert "| `U` | Undo |" in document
        assert "| `o` | Sort |" in document


async def palette(pilot, query: str) -> None:
    """Open the command palette, type `query`, wait for the hits and take the first."""
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
    assert query in str(hits.get_option_at_index(0).prompt)
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_opens_a_case_and_jumps_to_a_question(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "H005")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.reference == "H005"
        review = app.screen

        await palette(pilot, "B1.4")  # H005 is of medium risk of harm: B1.4 does not apply
        assert ("B1.4 does not apply to H005 (Risk of harm: medium): it is asked where Risk of harm: high or very "
                "high.") in notices(app)  # why, in the questionnaire's labels
        await palette(pilot, "H007")  # high risk of harm: it does
        assert app.screen is review and review.reference == "H007"
        await palette(pilot, "B1.4")
        assert review.questions.current == "B1.4"
        await palette(pilot, "C2.1")
        assert review.questions.current == "C2.1"


async def test_palette_question_from_the_cases_screen_opens_a_case_it_applies_to(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "B1.4")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.reference == "H002"  # the first case of very high risk of harm
        assert app.screen.questions.current == "B1.4"
