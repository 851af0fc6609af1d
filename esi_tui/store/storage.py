"""A TinyDB storage that never writes in place: temp file, fsync, rename, fsync the folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from esi_tui.store.errors import StoreError
from esi_tui.store.fileops import replace_file


class AtomicJSONStorage(Storage):
    """JSON on disk like TinyDB's JSONStorage, but a crash mid-write leaves the old file whole."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly

    def read(self):
        """The whole database, or None for a file that does not exist yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror}") from None
        if not raw.strip():
            raise StoreError(f"{self.path}: the file is empty, not an esi-tui database; it was left as it is")
        try:
            data = json.loads(raw)
        except RecursionError:
            raise StoreError(f"{self.path}: not a readable esi-tui database; it was left as it is") from None
        except ValueError as exc:
            where = (f" (line {exc.lineno}, column {exc.colno})"
                     if isinstance(exc, json.JSONDecodeError) else "")
            raise StoreError(f"{self.path}: not a readable esi-tui database{where}; it was left as it is") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreError(f"{self.path}: not an esi-tui database; it was left as it is")
        return data

    def write(self, data) -> None:
        """Replace the file atomically with `data`."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        replace_file(self.path, payload)

    def close(self) -> None:
        """Nothing to release: every write is complete when it returns."""


class SnapshotCache(CachingMiddleware):
    """TinyDB's cache, written only when the repository folds (never half-way through a fold)."""

    WRITE_CACHE_SIZE = sys.maxsize
