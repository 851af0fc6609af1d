"""The PostgreSQL schema of a shared store: one versioned schema, an append-only table of changes."""

from __future__ import annotations

from esi_tui.store.errors import StoreError

#: the schema version this esi-tui reads and writes; any other is refused with one line
SCHEMA_VERSION = 1
SCHEMA = "esi_tui"
#: the LISTEN/NOTIFY channel told of every commit (the payload is the last seq committed)
CHANNEL = "esi_tui_changes"
#: the advisory lock every writer holds while it catches up and commits: one order for everyone
WRITE_LOCK = 0x65736974756900  # "esitui" in ASCII

CREATE = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
COMMENT ON SCHEMA {SCHEMA} IS 'esi-tui: inspection answers, as an append-only log of changes';
CREATE TABLE {SCHEMA}.meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE {SCHEMA}.changes (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection text NOT NULL,
    op text NOT NULL,
    record json NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    saved_by text NOT NULL DEFAULT session_user,
    client_addr inet DEFAULT inet_client_addr()
);
COMMENT ON TABLE {SCHEMA}.changes IS
    'every change, in the order the server took them; esi-tui only ever inserts (the same records as a file journal)';
CREATE INDEX changes_inspection_seq ON {SCHEMA}.changes (inspection, seq);
CREATE FUNCTION {SCHEMA}.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'esi_tui.changes is append-only: % is refused', TG_OP;
END $$;
CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON {SCHEMA}.changes
    FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.append_only();
CREATE TRIGGER changes_no_truncate BEFORE TRUNCATE ON {SCHEMA}.changes
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.append_only();
"""


def inspection_of(record: dict) -> str:
    """The inspection a change belongs to (every change belongs to exactly one)."""
    if record["op"] == "inspection":
        return str(record["record"]["id"])
    if record["op"] == "history":
        return str(record["record"].get("inspection", ""))
    return str(record["inspection"])


def schema_version(conn) -> int | None:
    """The esi-tui schema version of the connected database, or None when it has none."""
    found = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.meta",)).fetchone()
    if found is None or found[0] is None:
        return None
    row = conn.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        return 0


def check_version(version: int | None, name: str) -> None:
    """Refuse, in one line, a database whose schema this esi-tui does not read."""
    if version is None:
        raise StoreError(f"{name}: no esi-tui schema in this database (create it with `esi-tui init-db URL` "
                         "or `esi-tui new --db URL`)")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{name}: esi-tui schema version {version} is newer than this esi-tui reads "
                         f"({SCHEMA_VERSION}); upgrade esi-tui; nothing was changed")
    if version < SCHEMA_VERSION:
        raise StoreError(f"{name}: esi-tui schema version {version} is older than this esi-tui reads "
                         f"({SCHEMA_VERSION}); nothing was changed")


def create_schema(conn, name: str, by: str) -> bool:
    """Create the schema unless it is there (True when created); refuse one of another version."""
    with conn.transaction():
        # one creator at a time: two laptops running `new` at once must not both create it
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        version = schema_version(conn)
        if version is not None:
            check_version(version, name)
            return False
        conn.execute(CREATE)
        conn.execute(f"INSERT INTO {SCHEMA}.meta (key, value) VALUES ('schema_version', %s), "
                     "('created_by', %s), ('created_at', now()::text)", (str(SCHEMA_VERSION), by))
    return True
