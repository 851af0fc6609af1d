"""One tab of `esi-tui serve`, in Pilot: it asks who is reviewing (a bad name is refused on the form),
opens a database file another session writes read-only and says so, and shows a startup error in the
page instead of exiting (which the browser would show as a blank page)."""

from __future__ import annotations

import argparse
import asyncio

import pytest
from uikit import FRESH, notices, record_notifications, screen_text

from esi_tui.app.error_page import ErrorPage
from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.who import WhoScreen
from esi_tui.app.tab import build
from esi_tui.store.repository import Repository

SIZE = (100, 30)


def tab(monkeypatch, tmp_path, db, reviewer=None, inspection=None):
    monkeypatch.setenv("ESI_TUI_DB", str(db))
    monkeypatch.setenv("ESI_TUI_CONFIG", str(tmp_path / "none.toml"))
    app = build(argparse.Namespace(reviewer=reviewer, inspection=inspection))
    record_notifications(app)
    return app


async def test_the_tab_asks_who_is_reviewing_before_the_inspection_opens(monkeypatch, tmp_path, fresh_db):
    app = tab(monkeypatch, tmp_path, fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WhoScreen) and app.session is None
        await pilot.press("enter")
        assert "give your name first" in screen_text(app)
        await pilot.press(*"ann", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert app.reviewer == "ann" and app.session.reviewer == "ann" and "reviewer: ann" in app.title


async def test_a_second_tab_on_a_file_is_read_only_and_says_why(monkeypatch, tmp_path, fresh_db):
    with Repository.open(fresh_db):       # the first tab, writing
        app = tab(monkeypatch, tmp_path, fresh_db, reviewer="bob", inspection=FRESH)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.repo.readonly and "(read-only)" in app.title
            assert "Another session is writing to this database file" in notices(app, "warning")
            assert isinstance(app.screen, CasesScreen)


@pytest.mark.parametrize("make", ["damaged", "unknown inspection"])
def test_a_startup_error_is_a_page_not_a_blank(monkeypatch, tmp_path, fresh_db, make, capsys):
    from esi_tui.app import tab as tab_module

    if make == "damaged":
        db = tmp_path / "damaged.json"
        db.write_text("not json", encoding="utf-8")
        argv, expected = [], "not a readable esi-tui database"
    else:
        db, argv, expected = fresh_db, ["--inspection", "nope"], "no inspection 'nope'"
    monkeypatch.setenv("ESI_TUI_DB", str(db))
    shown = []

    async def run_page(self):
        async with self.run_test(size=SIZE) as pilot:
            await pilot.pause()
            shown.append(screen_text(self))
            await pilot.press("enter")
        return self.return_code

    monkeypatch.setattr(ErrorPage, "run", lambda self: asyncio.run(run_page(self)))
    assert tab_module.main(argv) == 1
    text = " ".join(shown[0].replace("█", " ").split())
    assert "esi-tui could not start" in text and expected in text, text
