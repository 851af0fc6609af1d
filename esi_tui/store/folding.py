"""Folding a database's state into its file off the caller's path: a snapshot, written by a background thread.

A snapshot is cheap to take (lists of the state's documents, which changes replace and never edit in
place), so the caller only pays for that; the encoding, the write, the fsyncs and the rename run in a
thread. The journal is not emptied by a background fold (appends go on meanwhile): records it holds
that the file holds too are skipped on open by their sequence numbers, and the journal is emptied by
the next fold on the caller's path (on open, on close, or `Repository.fold`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

from esi_tui.store.errors import StoreError
from esi_tui.store.fileops import replace_file


def encode_tables(tables: dict[str, list[dict]]) -> bytes:
    """The TinyDB file's JSON (`{"table": {"1": doc, ...}}`), one document at a time (so that a thread
    encoding it lets the others run in between)."""
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts = []
    for name, docs in tables.items():
        body = ",".join(f'"{number}":{dump(doc)}' for number, doc in enumerate(docs, start=1))
        parts.append(f"{dump(name)}:{{{body}}}")
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def write_tables(path: Path, tables: dict[str, list[dict]]) -> None:
    """Replace the database file with these tables atomically; one StoreError line on failure."""
    try:
        replace_file(path, encode_tables(tables))
    except OSError as exc:
        raise StoreError(f"{path}: could not write: {exc.strerror}") from None


class BackgroundFold:
    """At most one fold at a time, in a thread; its error is kept for whoever collects it."""

    def __init__(self, write: Callable[[dict[str, list[dict]]], None]):
        self._write = write
        self._thread: threading.Thread | None = None
        self._outcome: list[StoreError | None] = []

    @property
    def running(self) -> bool:
        """Whether a fold is under way."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, tables: dict[str, list[dict]]) -> None:
        """Write `tables` in a thread (the caller checked that none is running)."""
        self._outcome = []
        self._thread = threading.Thread(target=self._run, args=(tables,), name="esi-tui fold", daemon=True)
        self._thread.start()

    def _run(self, tables: dict[str, list[dict]]) -> None:
        try:
            self._write(tables)
        except StoreError as exc:
            self._outcome.append(exc)
        else:
            self._outcome.append(None)

    def collect(self, wait: bool) -> list[StoreError | None]:
        """How the last fold ended ([] when none ended since the last call): [None] or [error]."""
        if self._thread is None or (self.running and not wait):
            return []
        self._thread.join()
        self._thread = None
        return self._outcome
