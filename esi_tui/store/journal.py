"""An append-only, fsync'd, checksummed log of changes: each line is durable before the caller hears 'saved'.

A line is a record's compact JSON with its CRC-32 added as a last member, `,"crc":"89abcdef"}`: the
checksum covers the line's bytes with that member left out, so any bit flip in a line is found (CRC-32
finds every error of up to 32 bits in a row). A journal written before checksums (its database's
header has no `checks`) may hold lines without one; they are read as before, unchecked.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from esi_tui.store import fileops
from esi_tui.store.errors import StoreError

#: what a database header records once its journal lines carry checksums
CHECKS = "crc32"


def checks_required(header: object) -> bool:
    """Whether every journal line must carry a good checksum, given the database file's header (None: no
    file yet, so a journal this version writes); only a header written before checksums says no."""
    return header is None or (isinstance(header, dict) and header.get("checks") == CHECKS)


_CHECK = re.compile(rb',"crc":"([0-9a-f]{8})"\}$')
_CHECK_LENGTH = len(b',"crc":"00000000"}')


def encode(record: dict, more: bool = False) -> bytes:
    """One journal line: compact JSON in UTF-8 with its checksum, and a newline (the newline marks it complete).

    `more`: more records of the same batch follow (`"more":1`); a batch counts only once its last line is
    there, so a power cut that keeps part of a batch's bytes never shows part of the batch.
    """
    fields = {k: v for k, v in record.items() if k not in ("crc", "more")}
    if more:
        fields["more"] = 1
    body = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body[:-1] + b',"crc":"%08x"}\n' % zlib.crc32(body)


def decode(line: bytes, checked: bool) -> tuple[dict | None, str]:
    """The record a line holds, or None and what is wrong with it; `checked`: a checksum is required."""
    found = _CHECK.search(line)
    if found:
        body = line[:-_CHECK_LENGTH] + b"}"
        if zlib.crc32(body) != int(found.group(1), 16):
            return None, "its checksum does not match (the line was damaged)"
    elif checked:
        return None, "it has no checksum (the line was damaged)"
    else:
        body = line
    try:
        record = json.loads(body)
    except (ValueError, RecursionError):
        return None, "it is not readable JSON"
    if (not isinstance(record, dict) or not isinstance(record.get("seq"), int)
            or isinstance(record.get("seq"), bool) or not isinstance(record.get("op"), str)):
        return None, "it is not a journal record"
    return record, ""


@dataclass
class Scan:
    """What a journal holds: the good records up to the first damaged line, and what follows it."""

    path: Path
    records: list[dict] = field(default_factory=list)
    #: (line number, bytes offset after it) of each good record, in order
    ends: list[tuple[int, int]] = field(default_factory=list)
    #: every damaged line: (line number, what is wrong)
    damaged: list[tuple[int, str]] = field(default_factory=list)
    #: the line number of the first good record after the first damaged one (damage in the middle)
    good_after: int | None = None
    #: where the good records end, in bytes
    good_size: int = 0
    #: the number of lines from the first damaged one on (the tail to set aside)
    tail_lines: int = 0
    #: bytes after the last newline: an append a crash cut short (never acknowledged)
    torn: bytes = b""
    #: the records of a last batch a crash cut short (never acknowledged): cut off like a torn append
    unfinished: int = 0

    @property
    def first_damaged(self) -> int | None:
        """The line number of the first damaged line, if any."""
        return self.damaged[0][0] if self.damaged else None

    def refusal(self, db: Path) -> StoreError:
        """The one line that refuses a journal damaged in the middle."""
        number, problem = self.damaged[0]
        return StoreError(
            f"{self.path}:{number}: damaged journal record ({problem}) followed by good ones (line "
            f"{self.good_after}); nothing was changed: run `esi-tui check --db {db}`, then `esi-tui repair "
            f"--db {db}` to keep every change before it")


def read_bytes_nofollow(path: Path) -> bytes | None:
    """A file's bytes, None when absent; a symbolic link is refused (one line naming it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | fileops.NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{path}: is a symbolic link; esi-tui does not follow links here (remove it)") from None
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None


def scan_journal(path: Path, checked: bool) -> Scan:
    """Read and check every line of a journal; `checked`: every line must carry a good checksum."""
    scan = Scan(path)
    data = read_bytes_nofollow(path)
    if not data:
        return scan
    pieces = data.split(b"\n")
    scan.torn = pieces.pop()  # no newline after it: empty, or a torn append
    if scan.torn and _CHECK.search(scan.torn[:-1]) and decode(scan.torn[:-1], True)[0] is not None:
        # a whole record whose newline was damaged: not a torn append, so never dropped unseen
        pieces.append(scan.torn)
        scan.torn = b""
    offset = 0
    batch: list[tuple[dict, int, int]] = []  # the records of a batch whose last line has not come yet
    for number, line in enumerate(pieces, start=1):
        offset += len(line) + 1
        if not line.strip():
            if not scan.damaged and not batch:
                scan.good_size = offset
            continue
        record, problem = decode(line, checked)
        if record is None:
            scan.damaged.append((number, problem))
        elif scan.damaged:
            if scan.good_after is None:
                scan.good_after = number
        elif record.pop("more", None):
            batch.append((record, number, offset))
        else:
            batch.append((record, number, offset))
            scan.records.extend(r for r, _, _ in batch)
            scan.ends.extend((n, o) for _, n, o in batch)
            scan.good_size = offset
            batch = []
    if scan.damaged:
        start = batch[0][1] if batch else scan.damaged[0][0]
        scan.tail_lines = len(pieces) - start + 1
    elif batch:
        # the last batch lost its last line to a crash: never acknowledged, dropped like a torn append
        scan.unfinished = len(batch)
    return scan


class Journal:
    """Appends records to the journal file, one fsync per record; holds an exclusive lock on it while open."""

    def __init__(self, path: Path):
        self.path = path
        existed = path.exists()
        try:
            self.fd = fileops.OPS.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | fileops.NOFOLLOW)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(f"{path}: is a symbolic link; esi-tui does not follow links here "
                                 "(remove it)") from None
            raise StoreError(f"{path}: cannot open: {exc.strerror}") from None
        self.count = 0
        self._good_size: int | None = None
        try:
            # the second line of defence of the single writer: a writer whose lock file was deleted
            # under it still holds its journal, so no second writer gets in
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self.fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise StoreError(f"{path}: in use by another writer (whose lock file was deleted or replaced); "
                                 "close it there first") from None
            raise StoreError(f"{path}: cannot lock: {exc.strerror}") from None
        try:
            if not existed:
                fileops.OPS.fsync_dir(path.parent)  # the journal itself must survive a power cut
        except OSError as exc:
            os.close(self.fd)
            raise StoreError(f"{path}: cannot create: {exc.strerror}") from None

    def cut_torn(self) -> None:
        """Cut off a torn append from a crash (never acknowledged), so that it cannot glue itself to the
        next record and become a damaged line in the middle."""
        size = os.fstat(self.fd).st_size
        complete = _complete_size(self.fd, size)
        if complete != size:
            fileops.OPS.ftruncate(self.fd, complete)
            fileops.OPS.fsync(self.fd)

    def cut(self, size: int) -> None:
        """Cut the journal to `size` bytes, durably (after its damaged tail was set aside)."""
        fileops.OPS.ftruncate(self.fd, size)
        fileops.OPS.fsync(self.fd)

    def append(self, record: dict) -> None:
        """Write one record and make it durable; raises OSError (disk full...) on failure.

        On failure the journal is left as it was, so the record is not saved at all.
        """
        self.append_many([record])

    def append_many(self, records: list[dict]) -> None:
        """Write records and make them durable with one fsync: all of them, or (on OSError) none."""
        last = len(records) - 1
        data = b"".join(encode(record, more=i < last) for i, record in enumerate(records))
        if self._good_size is not None:  # an earlier failed append could not be undone: undo it now
            fileops.OPS.ftruncate(self.fd, self._good_size)
            self._good_size = None
        size = os.fstat(self.fd).st_size
        try:
            fileops.write_all(self.fd, data)
            fileops.OPS.fsync(self.fd)
        except OSError:
            try:
                fileops.OPS.ftruncate(self.fd, size)
            except OSError:
                self._good_size = size
            raise
        self.count += len(records)

    def reset(self) -> None:
        """Empty the journal once its records are folded into the main file."""
        fileops.OPS.ftruncate(self.fd, 0)
        fileops.OPS.fsync(self.fd)
        self.count = 0

    def close(self) -> None:
        """Close the file."""
        fileops.OPS.close(self.fd)


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
