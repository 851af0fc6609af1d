"""The change log of a PostgreSQL database: the journal's records in one shared, append-only table,
applied by every process in the order the server took them."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterable

from esi_tui.store.errors import ReadOnly, StoreError, UnknownInspection
from esi_tui.store.location import psycopg_module, shown_url
from esi_tui.store.pg_schema import (
    CHANNEL,
    SCHEMA,
    WRITE_LOCK,
    check_version,
    create_schema,
    inspection_of,
    schema_version,
)
from esi_tui.store.state import Change, State
from esi_tui.store.state_undo import remember

#: records sent to the server in one statement (a replay, a merge)
BATCH = 500
#: how long a writer waits for the change lock before it says the server is busy
LOCK_TIMEOUT = "10s"
Row = tuple[int, dict]


def first_line(exc: BaseException) -> str:
    """A driver's message as one line (libpq's come with hints on further lines)."""
    text = " ".join(str(exc).split("\n")[0].split())
    return text.removeprefix("connection failed: ") or type(exc).__name__


def connect(url: str, purpose: str = "esi-tui"):
    """A connection in autocommit mode (transactions are explicit), with the session settings a writer needs."""
    psycopg = psycopg_module(url)
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=5, application_name=purpose,
                               keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=3)
    except psycopg.Error as exc:
        raise StoreError(f"{shown_url(url)}: cannot connect to the server: {first_line(exc)}") from None
    try:
        conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'; SET idle_in_transaction_session_timeout = '60s'")
        # durable before "saved": a server set to commit asynchronously is asked to wait for its disk here
        if conn.execute("SHOW synchronous_commit").fetchone()[0] in ("off", "local"):
            conn.execute("SET synchronous_commit = on")
    except psycopg.Error as exc:
        conn.close()
        raise StoreError(f"{shown_url(url)}: {first_line(exc)}") from None
    return conn


def fetch_after(conn, seq: int, scope: tuple[str, ...] | None) -> list[Row]:
    """The changes committed after `seq` (of the inspections in `scope`, or all), in the server's order."""
    # as text, parsed in one go: one json.loads of them all is several times faster than one per row
    if scope is None:
        cur = conn.execute(f"SELECT seq, record::text FROM {SCHEMA}.changes WHERE seq > %s ORDER BY seq", (seq,))
    else:
        cur = conn.execute(f"SELECT seq, record::text FROM {SCHEMA}.changes WHERE seq > %s AND inspection = ANY(%s) "
                           "ORDER BY seq", (seq, list(scope)))
    rows = cur.fetchall()
    if not rows:
        return []
    records = json.loads("[" + ",".join(row[1] for row in rows) + "]")
    return [(row[0], record) for row, record in zip(rows, records)]


class PgLog:
    """The changes of one PostgreSQL database; `commit` is the only way a change is made.

    A write (an operation: `begin`, the commits it makes, `end`) holds the server's change lock: it
    first catches up on what others committed, so its checks see the latest state, and its records
    take the next places in the server's order. `end` commits (durable) before the caller hears
    "saved"; a commit that fails takes the operation's records back out of memory (`abort`).
    """

    fold_error: StoreError | None = None
    path = None

    def __init__(self, url: str, readonly: bool, scope: Iterable[str] | None = None):
        self.url = url
        self.readonly = readonly
        self.scope = tuple(scope) if scope is not None else None
        self.state = State()
        #: why the server cannot be reached now (told by the app's follower), or None
        self.offline: str | None = None
        self._seq = 0
        self._conn = None
        self._in_tx = False
        self._pending: list[dict] = []
        self._sent: list[int] = []
        self._undo: list[tuple[Callable[[], None], Change]] = []
        self._records: list[dict] = []
        self._seq_before = 0

    @property
    def name(self) -> str:
        """What messages call this database: its URL, without a password."""
        return shown_url(self.url)

    @property
    def seq(self) -> int:
        """The server's number of the last change applied here."""
        return self._seq

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, readonly: bool = False, scope: Iterable[str] | None = None) -> PgLog:
        """Connect, create the schema when absent (unless read-only), refuse another version, load the changes."""
        log = cls(url, readonly, scope)
        log._conn = connect(url)
        psycopg = psycopg_module(url)
        try:
            version = schema_version(log._conn)
            if version is None and not readonly:
                create_schema(log._conn, log.name, f"esi-tui on {socket.gethostname()} (pid {os.getpid()})")
            else:
                check_version(version, log.name)
            log._load()
        except psycopg.Error as exc:
            log.close()
            raise StoreError(f"{log.name}: {first_line(exc)}") from None
        except BaseException:
            log.close()
            raise
        return log

    def _load(self) -> None:
        assert self._conn is not None
        self.receive(fetch_after(self._conn, 0, self.scope))
        missing = [name for name in self.scope or () if name not in self.state.inspections]
        if missing:
            known = [row[0] for row in self._conn.execute(
                f"SELECT DISTINCT inspection FROM {SCHEMA}.changes WHERE op = 'inspection' ORDER BY 1")]
            raise UnknownInspection(missing[0], f"no inspection {missing[0]!r} in {self.name} "
                                                f"(known: {', '.join(known) or 'none'})")

    def close(self) -> None:
        """Give back the connection (an operation still open is rolled back by the server)."""
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def fold(self) -> None:
        """Nothing to fold: every change is in the server's table once committed."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- others' changes -------------------------------------------------------------------

    def receive(self, rows: Iterable[Row]) -> list[Change]:
        """Apply changes the server committed (rows already applied are skipped); what each changed."""
        changes = []
        for seq, record in rows:
            if seq <= self._seq:
                continue
            record["seq"] = seq
            try:
                change = self.state.apply(record)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise StoreError(f"{self.name}: damaged change {seq}; nothing was changed") from None
            if change is None:
                raise StoreError(f"{self.name}: unknown change {record.get('op')!r} at {seq} (written by a newer "
                                 "esi-tui?); upgrade esi-tui")
            self._seq = seq
            changes.append(change)
        return changes

    # -- the write path --------------------------------------------------------------------

    def _psycopg(self):
        return psycopg_module(self.url)

    def _connection(self):
        """The write connection, connected again when the server dropped it."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._conn = connect(self.url)
        return self._conn

    def _lost(self, exc: BaseException, what: str) -> StoreError:
        """The StoreError for a failed statement; a dropped connection is closed, to be made again."""
        psycopg = self._psycopg()
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return StoreError(f"{self.name}: {first_line(exc)} (this PostgreSQL role may not write); {what}")
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return StoreError(f"{self.name}: another writer held the change lock for over {LOCK_TIMEOUT}; {what}")
        if isinstance(exc, psycopg.OperationalError) or (self._conn is not None and self._conn.broken):
            if self._conn is not None:
                self._conn.close()
            return StoreError(f"{self.name}: the connection to the server was lost ({first_line(exc)}); {what}")
        return StoreError(f"{self.name}: {first_line(exc)}; {what}")

    def begin(self) -> list[Change]:
        """Start a write: take the change lock and catch up (the others' changes applied are returned)."""
        if self.readonly or self._in_tx:
            return []
        if self.offline:
            raise StoreError(f"{self.name}: not connected to the server ({self.offline}); the change was not "
                             "saved; esi-tui reconnects by itself")
        psycopg = self._psycopg()
        from psycopg import sql

        for attempt in (1, 2):
            conn = self._connection()
            # one round trip: begin, wait for the change lock, and fetch what others committed before it
            scope = sql.SQL("") if self.scope is None else sql.SQL(" AND inspection = ANY({})").format(
                sql.Literal(list(self.scope)))
            statement = sql.SQL(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK}); SELECT seq, record::text FROM "
                                f"{SCHEMA}.changes WHERE seq > {{}}{{}} ORDER BY seq").format(
                sql.Literal(self._seq), scope)
            try:
                cur = conn.execute(statement.as_bytes(conn))
                cur.nextset()
                cur.nextset()
                texts = cur.fetchall()
                rows = [(seq, json.loads(text)) for seq, text in texts]
                break
            except psycopg.Error as exc:
                dropped = isinstance(exc, psycopg.OperationalError) or conn.broken
                error = self._lost(exc, "the change was not saved")
                self._rollback()
                # a connection the server dropped since the last write (a restart) is made again once
                if attempt == 2 or not dropped:
                    raise error from None
        self._in_tx = True
        changes = self.receive(rows)
        self._seq_before = self._seq
        self._pending, self._sent, self._undo, self._records = [], [], [], []
        return changes

    def commit(self, record: dict) -> Change:
        """Make one change (durable at once unless an operation is open, then when it ends) and apply it."""
        return self.commit_many([record])[0]

    def commit_many(self, records: list[dict], done=None) -> list[Change]:
        """Make changes in order, in one transaction; `done(n)` hears of them once they are committed."""
        if self.readonly:
            raise ReadOnly(f"{self.name}: opened read-only; the change was not saved")
        own = not self._in_tx
        if own:
            self.begin()
        changes: list[Change] = []
        try:
            for record in records:
                record.pop("seq", None)
                undo = remember(self.state, record)
                change = self.state.apply(record)
                assert change is not None, record["op"]
                self._undo.append((undo, change))
                self._records.append(record)
                self._pending.append(record)
                changes.append(change)
                if len(self._pending) >= BATCH:
                    self._send()
            if own:
                self.end()
        except BaseException:
            if own:
                self.abort()
            raise
        if done is not None and own:
            done(len(records))
        return changes

    def _insert_sql(self, records: list[dict], tail: str = "") -> bytes:
        from psycopg import sql
        from psycopg.types.json import Json

        values = sql.SQL(", ").join(
            sql.SQL("({}, {}, {})").format(sql.Literal(inspection_of(r)), sql.Literal(r["op"]), sql.Literal(Json(r)))
            for r in records)
        statement = sql.SQL(f"INSERT INTO {SCHEMA}.changes (inspection, op, record) VALUES {{}} RETURNING seq{tail}")
        return statement.format(values).as_bytes(self._conn)

    def _send(self) -> None:
        """Send the records waiting so far (inside the transaction: nothing is committed yet)."""
        psycopg = self._psycopg()
        try:
            cur = self._connection().execute(self._insert_sql(self._pending))
            self._sent += [row[0] for row in cur.fetchall()]
        except psycopg.Error as exc:
            raise self._lost(exc, "nothing of it was saved") from None
        self._pending = []

    def end(self) -> None:
        """Commit the write (durable) and tell the other apps; StoreError when the server did not take it."""
        if not self._in_tx:
            return
        psycopg = self._psycopg()
        conn = self._conn
        if conn is None:
            raise StoreError(f"{self.name}: the connection to the server was lost; the change was not saved")
        try:
            if self._pending or self._sent:
                pending = list(self._pending)
                tail = f"; NOTIFY {CHANNEL}; COMMIT"
                cur = conn.execute(self._insert_sql(pending, tail) if pending else f"NOTIFY {CHANNEL}; COMMIT")
                seqs = self._sent + ([row[0] for row in cur.fetchall()] if pending else [])
            else:
                conn.execute("COMMIT")
                seqs = []
        except psycopg.Error as exc:
            raise self._lost(exc, "the change was not saved (if the server took it after all, it shows once "
                                  "esi-tui is back in touch)") from None
        if seqs:
            self._seq = max(seqs)
        for record, seq in zip(self._records, seqs):
            record["seq"] = seq
        self._in_tx = False
        self._pending, self._sent, self._undo, self._records = [], [], [], []

    def abort(self) -> list[Change]:
        """Roll the write back and take its records out of memory; the changes to tell listeners of again."""
        if not self._in_tx:
            return []
        self._rollback()
        changes = []
        for undo, change in reversed(self._undo):
            undo()
            changes.append(change)
        self._seq = self._seq_before
        self._in_tx = False
        self._pending, self._sent, self._undo, self._records = [], [], [], []
        return list(dict.fromkeys(changes))

    def _rollback(self) -> None:
        psycopg = self._psycopg()
        if self._conn is not None and not self._conn.closed:
            try:
                self._conn.execute("ROLLBACK")
            except psycopg.Error:
                self._conn.close()


def has_schema(url: str) -> bool:
    """Whether the database holds an esi-tui schema (of any version: opening it says which)."""
    conn = connect(url)
    try:
        return schema_version(conn) is not None
    finally:
        conn.close()
