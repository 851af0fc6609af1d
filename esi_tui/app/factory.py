"""Build the app for the command line and the tests alike."""

from __future__ import annotations

from pathlib import Path

from esi_tui.app.config import Config, load_config
from esi_tui.store.repository import Repository


def all_binding_ids(questionnaire_ids: set[str] | None = None) -> set[str]:
    """Every binding id a keymap may name (answer ids follow the questionnaire's option keys)."""
    from esi_tui.app.app import EsiApp
    from esi_tui.app.screens.agreement import AgreementScreen
    from esi_tui.app.screens.cases import CasesScreen
    from esi_tui.app.screens.confirm import ConfirmScreen
    from esi_tui.app.screens.moderation import ModerationScreen
    from esi_tui.app.screens.help import HelpScreen, screen_bindings
    from esi_tui.app.screens.inspections import InspectionsScreen
    from esi_tui.app.screens.note import NoteScreen
    from esi_tui.app.screens.review import ReviewScreen
    from esi_tui.app.screens.tallies import TalliesScreen

    screens = (EsiApp, AgreementScreen, CasesScreen, ConfirmScreen, HelpScreen, InspectionsScreen, ModerationScreen,
               NoteScreen, ReviewScreen, TalliesScreen)
    ids = {b.id for cls in screens for b in screen_bindings(cls) if b.id}
    return ids | set(questionnaire_ids or ())


def create_app(db: Path, reviewer: str, inspection: str | None = None, readonly: bool = False,
               config_path: Path | None = None, repo: Repository | None = None, live=None,
               start_case: str | None = None):
    """Open the database (raising StoreError with one clear line) and build the app on it."""
    from esi_tui.app.app import EsiApp
    from esi_tui.paths import config_file

    repo = repo or Repository.open(db, readonly=readonly)
    if inspection is not None:
        repo.inspection(inspection)
    from textual.theme import BUILTIN_THEMES

    path = config_path or config_file()
    # binding ids are checked once the first screen shows: it needs every screen class imported
    config = load_config(path, None, set(BUILTIN_THEMES))
    app = EsiApp(repo, reviewer, inspection, config, start_case=start_case)
    app.config_path = path
    if live is not None:
        app.live = live(app)
    return app


__all__ = ["Config", "create_app"]
