"""Which store a database argument names: a TinyDB file path, or a PostgreSQL server by URL."""

from __future__ import annotations

import re
from pathlib import Path

#: what a database argument starts with when it names a PostgreSQL server
URL_SCHEMES = ("postgresql://", "postgres://")
INSTALL_HINT = "pip install 'esi-tui[postgres]'"

Database = Path | str


def is_server(db: object) -> bool:
    """Whether `db` names a PostgreSQL database (a URL) rather than a database file."""
    return isinstance(db, str) and db.strip().lower().startswith(URL_SCHEMES)


def database_argument(text: str) -> Database:
    """What --db and $ESI_TUI_DB hold: a URL is kept as text (a Path would fold its '//'), else a Path."""
    return text.strip() if is_server(text) else Path(text)


def shown_url(url: str) -> str:
    """The URL as messages print it: any password is replaced by '***'."""
    url = re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", url)
    return re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", url)


def shown(db: Database) -> str:
    """A database as messages name it: a file's path, or a URL without its password."""
    return shown_url(db) if isinstance(db, str) else str(db)


def psycopg_module(url: str):
    """psycopg, or one StoreError line saying what to install to use a PostgreSQL database."""
    from esi_tui.store.errors import StoreError

    try:
        import psycopg
    except ImportError:
        raise StoreError(f"{shown_url(url)}: a PostgreSQL database needs psycopg 3, which is not installed: "
                         f"{INSTALL_HINT}") from None
    return psycopg


def database_exists(db: Database) -> bool:
    """Whether the database is there: a file (or its journal), or a server's esi-tui schema."""
    if is_server(db):
        from esi_tui.store.pg_log import has_schema

        return has_schema(str(db))
    path = Path(db)
    # a link that leads nowhere (a loop) is there too: opening it says what is wrong with it
    return path.exists() or path.is_symlink() or path.with_name(path.name + ".journal").exists()


def resolved_file(path: Path) -> Path:
    """The database file a path leads to; StoreError (one line) for a symbolic link that loops."""
    from esi_tui.store.errors import StoreError

    try:
        return Path(path).expanduser().resolve()
    except RuntimeError:   # Python < 3.13 says a loop this way
        raise StoreError(f"{path}: a symbolic link that leads back to itself") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be opened: {exc.strerror or exc}") from None
