"""The change log of a database file: an fsync'd journal folded atomically into a TinyDB file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tinydb import TinyDB

from esi_tui.store.damage import keep_aside, lines
from esi_tui.store.errors import ReadOnly, StoreError, StoreLocked
from esi_tui.store.files import WriterLock, ensure_private_dir, remove_stale_temps
from esi_tui.store.folding import BackgroundFold, write_tables
from esi_tui.store.journal import CHECKS, Journal, Scan, checks_required, read_bytes_nofollow, scan_journal
from esi_tui.store.location import resolved_file
from esi_tui.store.state import TABLES, Change, State
from esi_tui.store.storage import AtomicJSONStorage, SnapshotCache

FORMAT = 1
READ_ATTEMPTS = 50  # a read-only open retries while the writer replaces the file under it


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells whether a file was replaced or changed between two looks."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class JournalStop(StoreError):
    """A journal record that cannot follow the ones before it; `index`: its place among the good records."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


class FileLog:
    """Opens, locks, loads and folds one database file; `commit` is the only way a change is made.

    Every change is appended to an fsync'd journal before it is applied, so a change the caller
    was told about survives `kill -9`; the journal is folded into the TinyDB file atomically on
    open and on close on the caller's path, and every FOLD_EVERY changes in a background thread (folding.py).
    """

    FOLD_EVERY = 5000
    #: records written with one fsync when many are committed at once (a replay, a merge)
    BATCH = 500

    #: the error of the last fold that failed (the changes stayed safe in the journal), or None
    fold_error: StoreError | None = None

    def __init__(self, path: Path, readonly: bool):
        self.path = path
        self.readonly = readonly
        self.journal_path = path.with_name(path.name + ".journal")
        self._lock = WriterLock(path.with_name(path.name + ".lock"))
        self._journal: Journal | None = None
        self._db: TinyDB | None = None
        self._seq = 0
        self.state = State()
        self._fold_failures = 0
        self._scan: Scan | None = None
        self._background = BackgroundFold(self._write_tables)
        self._since_fold = 0  # changes since the last fold started
        #: the journal as repair wants it read (its good records only), instead of the file's
        self._given_scan: Scan | None = None
        #: what opening found and did that the user should hear of (a damaged tail set aside...)
        self.notices: list[str] = []
        #: set when the lock was lost under this writer: every later write is refused with it
        self._stopped: StoreError | None = None

    @property
    def name(self) -> str:
        """What messages call this database: its path."""
        return str(self.path)

    @property
    def seq(self) -> int:
        """The number of the last change made."""
        return self._seq

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, wait: float = 0.0):
        """Open (creating when absent) a database; `wait` seconds for another writer to finish."""
        # resolved, so that two ways to name one file (a symlink) still share one lock
        path = resolved_file(Path(path))
        repo = cls(path, readonly)
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file")
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: is a device or a pipe, not a database file")
        if readonly:
            if not path.exists() and not repo.journal_path.exists():
                raise StoreError(f"{path}: no such database")
            repo._load()
            return repo
        ensure_private_dir(path.parent)
        deadline = time.monotonic() + wait
        while True:
            try:
                repo._lock.acquire(path)
                break
            except StoreLocked:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
        try:
            # the journal is locked before anything is read or changed: see Journal
            repo._journal = Journal(repo.journal_path)
            remove_stale_temps(path)
            repo._load()
            repo._set_tail_aside()
            try:
                repo._journal.cut_torn()
            except OSError as exc:
                raise StoreError(f"{repo.journal_path}: cannot open: {exc.strerror}") from None
            if repo._journal_has_records() or not path.exists():
                repo.fold()
        except BaseException:
            if repo._journal is not None:
                repo._journal.close()
                repo._journal = None
            repo._lock.release()
            raise
        return repo

    def close(self) -> None:
        """Fold the journal into the database file and let other writers in."""
        if self._journal is not None:
            try:
                if self._stopped is None:
                    self.fold()
            finally:
                self._background.collect(wait=True)  # no fold outlives the lock
                self._journal.close()
                self._journal = None
                self._lock.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _journal_has_records(self) -> bool:
        return self.journal_path.exists() and self.journal_path.stat().st_size > 0

    def _set_tail_aside(self) -> None:
        """Copy a damaged tail of the journal beside the database, then cut it off; say so in one line."""
        scan = self._scan
        if scan is None or self._journal is None:
            return
        if scan.unfinished and not scan.damaged:
            try:  # a batch whose last line a crash cut off was never acknowledged: like a torn append
                self._journal.cut(scan.good_size)
            except OSError as exc:
                raise StoreError(f"{self.journal_path}: cannot open: {exc.strerror}") from None
        if not scan.damaged:
            return
        data = read_bytes_nofollow(self.journal_path) or b""
        aside = keep_aside(self.journal_path, data[scan.good_size:], "damaged")
        try:
            self._journal.cut(scan.good_size)
        except OSError as exc:
            raise StoreError(f"{self.journal_path}: could not cut off its damaged tail (copied to {aside}): "
                             f"{exc.strerror}; nothing was changed") from None
        self.notices.append(
            f"{self.journal_path}:{scan.first_damaged}: the last {lines(scan.tail_lines)} of the journal "
            f"(up to {scan.tail_lines} changes) were damaged and set aside in {aside}; the database holds every "
            "change before them")
        self._scan = None

    def _check_lock(self) -> None:
        """Stop saving, for good, when the lock file was deleted or replaced under this writer."""
        if self._stopped is None:
            problem = self._lock.problem()
            if problem:
                self._stopped = StoreError(
                    f"{self._lock.path}: the lock file {problem} while this program was writing, so another "
                    "writer could get in; saving stopped (every change saved so far is kept): close and open "
                    "the database again")
        if self._stopped is not None:
            raise self._stopped

    def _load(self) -> None:
        """Read the database file, then replay the journal's newer changes on top.

        A writer holds the lock, so nothing moves under it. A read-only open may race the
        writer's fold (file replaced, journal emptied); it notices and reads again.
        """
        attempts = READ_ATTEMPTS if self.readonly else 1
        for attempt in range(1, attempts + 1):
            before = _stamp(self.path)
            try:
                self._load_once()
            except StoreError:
                if attempt < attempts and _stamp(self.path) != before:
                    time.sleep(0.01)
                    continue
                raise
            if not self.readonly or _stamp(self.path) == before:
                return
            time.sleep(0.01)
        raise StoreError(f"{self.path}: the database kept changing while it was read; try again")

    def _load_once(self) -> None:
        self._seq = 0
        self.state = State()
        self._db = TinyDB(self.path, storage=SnapshotCache(AtomicJSONStorage), readonly=self.readonly)
        damaged = f"{self.path}: not an esi-tui database; it was left as it is"
        try:
            # the raw tables, not Table.all(): that wraps each of ~15,000 records in a Document first
            raw = self._db.storage.read() or {}
            tables = {}
            for name in ("meta", *TABLES):
                table = raw.get(name) or {}
                if not all(key.isdigit() for key in table):
                    raise ValueError(f"record ids of {name}")  # TinyDB's ids are whole numbers
                tables[name] = list(table.values())
        except StoreError:
            raise
        except (AttributeError, TypeError, ValueError, KeyError):
            raise StoreError(damaged) from None
        meta = tables.pop("meta")
        # a database written before checksums may have a journal of unchecked lines; any other must not
        checked = checks_required(meta[0] if meta else None)
        if meta:
            if meta[0].get("format") != FORMAT:
                raise StoreError(f"{self.path}: database format {meta[0].get('format')!r} is not supported "
                                 "(written by a newer esi-tui?); it was left as it is")
            seq = meta[0].get("last_seq", 0)
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
                raise StoreError(f"{self.path}: damaged header (last_seq {seq!r}); it was left as it is")
            self._seq = seq
        elif self.path.exists():
            # every file this store writes has a header: this one belongs to something else
            raise StoreError(damaged)
        try:
            self.state.load(tables)
        except KeyError as exc:
            raise StoreError(f"{self.path}: damaged record (missing {exc}); it was left as it is") from None
        except (TypeError, ValueError, AttributeError):
            raise StoreError(f"{self.path}: damaged record; it was left as it is") from None
        scan = self._given_scan or scan_journal(self.journal_path, checked)
        if scan.good_after is not None:
            raise scan.refusal(self.path)
        if scan.damaged and self.readonly:
            self.notices.append(
                f"{self.journal_path}:{scan.first_damaged}: the last {lines(scan.tail_lines)} of the journal are "
                "damaged and were left out; the next writer sets them aside")
        self._scan = scan
        for index, record in enumerate(scan.records):
            record.pop("crc", None)
            seq = record["seq"]
            if seq <= self._seq:
                continue  # folded already (a crash came between the fold and emptying the journal)
            where = f"{self.journal_path}:{scan.ends[index][0]}"
            repair = f"nothing was changed (`esi-tui repair --db {self.path}` keeps every change before it)"
            if seq != self._seq + 1:
                raise JournalStop(index, f"{where}: changes {self._seq + 1} to {seq - 1} are missing; the journal "
                                         f"does not follow {self.path.name} (restored from a copy?); {repair}")
            try:
                known = self.state.apply(record)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise JournalStop(index, f"{where}: damaged change {seq}; {repair}") from None
            if known is None:
                raise JournalStop(index, f"{where}: unknown change {record['op']!r} (written by a newer "
                                         "esi-tui?); nothing was changed")
            self._seq = seq

    def _tables(self) -> dict[str, list[dict]]:
        """A snapshot of the whole state as the file holds it (cheap: lists of documents never edited)."""
        return {"meta": [{"format": FORMAT, "last_seq": self._seq, "checks": CHECKS}], **self.state.tables()}

    def _write_tables(self, tables: dict[str, list[dict]]) -> None:
        """Replace the database file with a snapshot (on the caller's path or in the background)."""
        self._check_lock()
        write_tables(self.path, tables)

    def settle(self) -> None:
        """Wait for a background fold to end, and take note of how it ended."""
        self._note_fold(self._background.collect(wait=True))

    def _note_fold(self, outcome: list[StoreError | None]) -> None:
        if outcome and outcome[0] is None:
            self._fold_failures = 0
            self.fold_error = None
        elif outcome:
            self._fold_failures += 1
            self.fold_error = outcome[0]

    def fold(self) -> None:
        """Write the whole state into the TinyDB file atomically, then empty the journal."""
        if self.readonly or self._journal is None or self._db is None:
            return
        self.settle()  # never two folds at once
        if self._journal.count == 0 and self.path.exists() and not self._journal_has_records():
            return
        self._check_lock()
        self._write_tables(self._tables())
        try:
            self._journal.reset()
        except OSError as exc:
            # harmless: the file now holds every change, and replaying them again is skipped by seq
            raise StoreError(f"{self.journal_path}: could not empty: {exc.strerror}") from None
        self._fold_failures = 0
        self.fold_error = None

    # -- the write path --------------------------------------------------------------------

    def commit(self, record: dict) -> Change:
        """Make one change durable, then apply it and say what it changed; on failure nothing changes."""
        return self.commit_many([record])[0]

    def commit_many(self, records: list[dict], done=None) -> list[Change]:
        """Make changes durable (one fsync per BATCH) and apply them in order; `done(n)` hears progress.

        On a failure the changes made durable before it stay made (each is valid on those before it)
        and StoreError says so; the caller learns how many from `done`.
        """
        if self.readonly:
            raise ReadOnly(f"{self.path}: opened read-only; the change was not saved")
        if self._journal is None:
            raise StoreError(f"{self.path}: the database is closed; the change was not saved")
        changes: list[Change] = []
        for start in range(0, len(records), self.BATCH):
            batch = records[start:start + self.BATCH]
            try:
                self._check_lock()
            except StoreError as exc:
                saved = f"; the {start} changes before it are saved" if start else ""
                raise StoreError(f"{exc}; the change was not saved{saved}") from None
            for offset, record in enumerate(batch, start=1):
                record["seq"] = self._seq + offset
            try:
                self._journal.append_many(batch)
            except OSError as exc:
                saved = f"; the {start} changes before it are saved" if start else ""
                raise StoreError(f"{self.journal_path}: could not save: {exc.strerror}{saved}") from None
            for record in batch:
                self._seq = record["seq"]
                change = self.state.apply(record)
                assert change is not None, record["op"]
                changes.append(change)
            if done is not None:
                done(start + len(batch))
        self._since_fold += len(records)
        self._maybe_fold()
        return changes

    def _maybe_fold(self) -> None:
        """Start a background fold every FOLD_EVERY changes; a failed fold leaves every change safe in the journal."""
        # The change is saved (in the journal) whatever happens next: a failed fold must not make
        # it look failed. It is retried after another FOLD_EVERY changes, and on close.
        self._note_fold(self._background.collect(wait=False))
        if not self._background.running and self._since_fold >= self.FOLD_EVERY * (1 + self._fold_failures):
            self._since_fold = 0
            self._background.start(self._tables())
