"""What a database administrator's commands ask of a PostgreSQL store: create the schema, describe it."""

from __future__ import annotations

from esi_tui.store.errors import StoreError
from esi_tui.store.location import psycopg_module, shown_url
from esi_tui.store.pg_log import connect, first_line
from esi_tui.store.pg_schema import SCHEMA, SCHEMA_VERSION, check_version, create_schema, schema_version


def init_schema(url: str, by: str) -> tuple[bool, str]:
    """Create the schema unless it is there; (created, 'schema version 1, N changes of M inspections')."""
    conn = connect(url)
    psycopg = psycopg_module(url)
    try:
        created = create_schema(conn, shown_url(url), by)
        check_version(schema_version(conn), shown_url(url))
        changes, inspections = conn.execute(
            f"SELECT count(*), count(DISTINCT inspection) FROM {SCHEMA}.changes").fetchone()
    except psycopg.Error as exc:
        raise StoreError(f"{shown_url(url)}: {first_line(exc)}") from None
    finally:
        conn.close()
    return created, f"schema {SCHEMA} version {SCHEMA_VERSION}, {changes} changes of {inspections} inspections"
