"""Build the app for the command line and the tests alike."""

from __future__ import annotations

from pathlib import Path

from esi_tui.app.config import Config, load_config
from esi_tui.store.repository import Repository


def all_binding_ids(questionnaire_ids: set[str] | None = None) -> set[str]:
    """Every binding id a keymap may name (answer ids follow the questionnaire's option keys)."""
    from esi_tui.app.app import EsiApp
    from esi_tui.app.screens.cases import CasesScreen
    from esi_tui.app.screens.help import HelpScreen, screen_bindings
    from esi_tui.app.screens.inspections import InspectionsScreen
    from esi_tui.app.screens.note import NoteScreen
    from esi_tui.app.screens.review import ReviewScreen
    from esi_tui.app.screens.tallies import TalliesScreen

    ids = {b.id for cls in (EsiApp, CasesScreen, HelpScreen, InspectionsScreen, NoteScreen, ReviewScreen,
                            TalliesScreen) for b in screen_bindings(cls) if b.id}
    return ids | set(questionnaire_ids or ())


def create_app(db: Path, reviewer: str, inspection: str | None = None, readonly: bool = False,
               config_path: Path | None = None, repo: Repository | None = None, live=None):
    """Open the database (raising StoreError with one clear line) and build the app on it."""
    from esi_tui.app.app import EsiApp
    from esi_tui.paths import config_file

    repo = repo or Repository.open(db, readonly=readonly)
    answer_ids = set()
    for item in repo.inspections():
        for scale in repo.questionnaire(item.id).scales.values():
            answer_ids |= {f"answer.{option.key}" for option in scale.options}
    if inspection is not None:
        repo.inspection(inspection)
    from textual.theme import BUILTIN_THEMES

    config = load_config(config_path or config_file(), all_binding_ids(answer_ids), set(BUILTIN_THEMES))
    app = EsiApp(repo, reviewer, inspection, config)
    if live is not None:
        app.live = live(app)
    return app


__all__ = ["Config", "create_app"]
