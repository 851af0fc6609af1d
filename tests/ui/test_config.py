"""The user's config file: theme and keymap apply; a bad file warns and the defaults stay."""

from __future__ import annotations

from uikit import FRESH, REVIEWER, notices

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.review import ReviewScreen

SIZE = (100, 30)


async def answer_then_undo(pilot, undo_key: str) -> str | None:
    """Open A001, answer its first question with y, press `undo_key`; the stored answer after that."""
    app = pilot.app
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    await pilot.press("y")
    assert app.repo.answer(FRESH, "A001", "B1.2", REVIEWER).value == "yes"
    await pilot.press(undo_key)
    await pilot.pause()
    answer = app.repo.answer(FRESH, "A001", "B1.2", REVIEWER)
    return answer.value if answer else None


async def test_theme_and_keymap_apply(make_app, fresh_db, config_path):
    config_path.write_text('theme = "nord"\n\n[keymap]\n"review.undo" = "U"\n', encoding="utf-8")
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert notices(app, "warning") == ""
        assert await answer_then_undo(pilot, "U") is None  # U undoes
        await pilot.press("y", "u")  # the cursor is back on B1.2; u no longer undoes
        await pilot.pause()
        assert app.repo.answer(FRESH, "A001", "B1.2", REVIEWER).value == "yes"


async def test_toml_syntax_error_warns_and_starts_with_defaults(make_app, fresh_db, config_path):
    config_path.write_text('theme = "nord\n[keymap\n', encoding="utf-8")
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warning = notices(app, "warning")
        assert "Config file" in warning and str(config_path) in warning and "using the defaults" in warning
        assert app.theme == "textual-dark"
        assert isinstance(app.screen, CasesScreen)
        assert await answer_then_undo(pilot, "u") is None  # the default undo key works


async def test_unknown_binding_id_and_theme_warn_and_the_rest_applies(make_app, fresh_db, config_path):
    config_path.write_text('theme = "no-such-theme"\n\n[keymap]\n"review.undo" = "U"\n"review.frobnicate" = "z"\n',
                           encoding="utf-8")
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warning = notices(app, "warning")
        assert "unknown binding id 'review.frobnicate'" in warning
        assert "theme 'no-such-theme' is not one of" in warning
        assert app.theme == "textual-dark"
        assert isinstance(app.screen, CasesScreen)
        assert await answer_then_undo(pilot, "U") is None


async def test_a_config_nested_5000_deep_or_with_a_5000_digit_number_warns_once_and_the_app_starts(
        make_app, fresh_db, config_path):
    for text, why in (("theme = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
                      ("[keymap]\n" + '"review.undo" = ' + "9" * 5000, "too many digits")):
        config_path.write_text(text, encoding="utf-8")
        app = make_app(fresh_db, inspection=FRESH)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            warning = notices(app, "warning")
            assert warning.count(str(config_path)) == 1 and why in warning and "using the defaults" in warning
            assert isinstance(app.screen, CasesScreen)
            assert await answer_then_undo(pilot, "u") is None
