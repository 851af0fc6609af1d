"""Build the app for the command line and the tests alike."""

from __future__ import annotations

from pathlib import Path

from esi_tui.app.config import Config, load_config
from esi_tui.store.repository import Repository


def create_app(db: Path | str, reviewer: str, inspection: str | None = None, readonly: bool = False,
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
