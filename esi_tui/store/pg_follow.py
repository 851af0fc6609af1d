"""Following a PostgreSQL store from another thread: LISTEN for commits, fetch what is new, hand it on;
say at once when the server is out of reach, and connect again by itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from esi_tui.store.errors import StoreError
from esi_tui.store.location import psycopg_module
from esi_tui.store.pg_log import PgLog, Row, connect, fetch_after, first_line
from esi_tui.store.pg_schema import CHANNEL


class Follower:
    """Runs in a thread of its own (never the UI's); `deliver` and `status` are called from that thread."""

    def __init__(self, log: PgLog, poll: float = 1.0, retry: float = 0.5):
        self.log = log
        self.poll = poll
        self.retry = retry

    def run(self, deliver: Callable[[list[Row]], None], status: Callable[[str | None], None],
            stop: threading.Event) -> None:
        """Until `stop` is set: deliver new rows as they are committed; status(reason) when the server is lost,
        status(None) once it is back (after delivering what was missed)."""
        psycopg = psycopg_module(self.log.url)
        conn = None
        lost: str | None = None
        while not stop.is_set():
            try:
                if conn is None:
                    conn = connect(self.log.url, "esi-tui live updates")
                    conn.execute(f"LISTEN {CHANNEL}")
                    rows = fetch_after(conn, self.log.seq, self.log.scope)
                    if rows:
                        deliver(rows)
                    if lost is not None:
                        lost = None
                        status(None)
                # a commit's NOTIFY wakes this at once; the poll also notices a connection gone quiet
                for _ in conn.notifies(timeout=self.poll, stop_after=1):
                    pass
                if stop.is_set():
                    break
                rows = fetch_after(conn, self.log.seq, self.log.scope)
                if rows:
                    deliver(rows)
            except (psycopg.Error, StoreError) as exc:
                if conn is not None:
                    try:
                        conn.close()
                    except psycopg.Error:
                        pass
                    conn = None
                if lost is None:
                    lost = f"lost at {time.strftime('%H:%M:%S')}: {first_line(exc)}"
                    status(lost)
                stop.wait(self.retry)
        if conn is not None:
            conn.close()
