"""An append-only, fsync'd log of changes: each line is durable before the caller hears 'saved'."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path

from esi_tui.store.errors import StoreError
from esi_tui.store.files import fsync_dir, open_private


def read_journal(path: Path) -> Iterator[dict]:
    """Every complete record in a journal, in order.

    A record is complete once its closing newline is written (record and newline go in one
    write, and the caller hears 'saved' only after the fsync), so bytes after the last newline
    are a torn append from a crash and are skipped. A damaged complete line is an error.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
    lines = data.split(b"\n")[:-1]  # the last piece has no newline: empty, or a torn append
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            raise StoreError(f"{path}:{number}: damaged journal line; the database was not changed") from None
        if (not isinstance(record, dict) or not isinstance(record.get("seq"), int)
                or isinstance(record.get("seq"), bool) or not isinstance(record.get("op"), str)):
            raise StoreError(f"{path}:{number}: not a journal record; the database was not changed")
        yield record


def encode(record: dict) -> bytes:
    """One journal line: compact JSON in UTF-8 and a newline (the newline marks it complete)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _complete_size(fd: int, size: int) -> int:
    """The length of the file up to and including its last newline."""
    end = size
    while end > 0:
        start = max(0, end - 65536)
        chunk = os.pread(fd, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            return start + cut + 1
        end = start
    return 0


class Journal:
    """Appends records to the journal file, one fsync per record."""

    def __init__(self, path: Path):
        self.path = path
        existed = path.exists()
        self.fd = open_private(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
        self.count = 0
        self._good_size: int | None = None
        try:
            if not existed:
                fsync_dir(path.parent)  # the journal itself must survive a power cut
            size = os.fstat(self.fd).st_size
            complete = _complete_size(self.fd, size)
            if complete != size:
                # a torn append from a crash (never acknowledged): cut it off so that it cannot
                # glue itself to the next record and become a damaged line in the middle
                os.ftruncate(self.fd, complete)
                os.fsync(self.fd)
        except OSError:
            os.close(self.fd)
            raise

    def append(self, record: dict) -> None:
        """Write one record and make it durable; raises OSError (disk full...) on failure.

        On failure the journal is left as it was, so the record is not saved at all.
        """
        self.append_many([record])

    def append_many(self, records: list[dict]) -> None:
        """Write records and make them durable with one fsync: all of them, or (on OSError) none."""
        data = b"".join(encode(record) for record in records)
        if self._good_size is not None:  # an earlier failed append could not be undone: undo it now
            os.ftruncate(self.fd, self._good_size)
            self._good_size = None
        size = os.fstat(self.fd).st_size
        try:
            view = memoryview(data)
            while view:
                written = os.write(self.fd, view)
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[written:]
            os.fsync(self.fd)
        except OSError:
            try:
                os.ftruncate(self.fd, size)
            except OSError:
                self._good_size = size
            raise
        self.count += len(records)

    def reset(self) -> None:
        """Empty the journal once its records are folded into the main file."""
        os.ftruncate(self.fd, 0)
        os.fsync(self.fd)
        self.count = 0

    def close(self) -> None:
        """Close the file."""
        os.close(self.fd)
