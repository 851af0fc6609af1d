"""An append-only, fsync'd log of changes: each line is durable before the caller hears 'saved'."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from esi_tui.store.errors import StoreError
from esi_tui.store.files import open_private


def read_journal(path: Path) -> Iterator[dict]:
    """Every complete record in a journal; a torn last line (a crash mid-append) is skipped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
    lines = data.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if number == len(lines):
                return
            raise StoreError(f"{path}:{number}: damaged journal line; the database was not changed") from None
        if not isinstance(record, dict) or "seq" not in record:
            raise StoreError(f"{path}:{number}: not a journal record; the database was not changed")
        yield record


class Journal:
    """Appends records to the journal file, one fsync per record."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        self.count = 0
        size = os.fstat(self.fd).st_size
        if size:
            # a torn tail from a crash must not glue itself to the next record
            with open(path, "rb") as handle:
                handle.seek(size - 1)
                if handle.read(1) != b"\n":
                    os.write(self.fd, b"\n")

    def append(self, record: dict) -> None:
        """Write one record and make it durable; raises OSError (disk full...) on failure."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        size = os.fstat(self.fd).st_size
        try:
            written = os.write(self.fd, line)
            if written != len(line):
                raise OSError(28, "No space left on device")
            os.fsync(self.fd)
        except OSError:
            os.ftruncate(self.fd, size)
            raise
        self.count += 1

    def reset(self) -> None:
        """Empty the journal once its records are folded into the main file."""
        os.ftruncate(self.fd, 0)
        os.fsync(self.fd)
        self.count = 0

    def close(self) -> None:
        """Close the file."""
        os.close(self.fd)
