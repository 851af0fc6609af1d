"""Where esi-tui keeps things by default: the database, the user config, the reviewer name."""

from __future__ import annotations

import getpass
import os
from pathlib import Path


def data_dir() -> Path:
    """The platform data folder for esi-tui (XDG on Linux, ~/Library on macOS)."""
    if os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"]) / "esi-tui"
    if os.uname().sysname == "Darwin":
        return Path.home() / "Library" / "Application Support" / "esi-tui"
    return Path.home() / ".local" / "share" / "esi-tui"


def config_file() -> Path:
    """The user's config file (keymap and theme)."""
    if os.environ.get("ESI_TUI_CONFIG"):
        return Path(os.environ["ESI_TUI_CONFIG"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "esi-tui" / "config.toml"


def default_db() -> Path | str:
    """The database used when no --db is given ($ESI_TUI_DB, a file or a PostgreSQL URL, or the data folder)."""
    if os.environ.get("ESI_TUI_DB"):
        from esi_tui.store.location import database_argument

        return database_argument(os.environ["ESI_TUI_DB"])
    return data_dir() / "esi.json"


def default_reviewer() -> str:
    """The reviewer name used when no --reviewer is given ($ESI_TUI_REVIEWER or the login name)."""
    if os.environ.get("ESI_TUI_REVIEWER"):
        return os.environ["ESI_TUI_REVIEWER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"
