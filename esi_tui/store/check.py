"""`check` and `repair` of a database file: what is wrong with it, and keeping every change before the damage."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from esi_tui.store.damage import keep_aside, lines
from esi_tui.store.errors import StoreError
from esi_tui.store.file_log import FileLog, JournalStop
from esi_tui.store.files import WriterLock
from esi_tui.store.journal import Journal, checks_required, read_bytes_nofollow, scan_journal
from esi_tui.store.location import resolved_file


def records(count: int) -> str:
    """'1 journal record' or 'N journal records'."""
    return f"{count} journal record" if count == 1 else f"{count} journal records"


def _checked(path: Path) -> bool:
    """Whether the database's header asks for a checksum on every journal line (True when it cannot say)."""
    try:
        meta = json.loads(path.read_bytes()).get("meta") or {}
        header = next(iter(meta.values()), None)
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):
        return True
    return checks_required(header)


def check_database(path: Path) -> list[str]:
    """Every problem found in a database file and its journal, one line each (none: healthy)."""
    try:
        path = resolved_file(path)
    except StoreError as exc:
        return [str(exc)]
    journal = path.with_name(path.name + ".journal")
    findings = []
    for link in (journal, path.with_name(path.name + ".lock")):
        if link.is_symlink():
            findings.append(f"{link}: is a symbolic link; esi-tui refuses to follow it (remove it)")
    if findings:
        return findings
    if not path.exists() and not journal.exists():
        return [f"{path}: no such database"]
    try:
        scan = scan_journal(journal, _checked(path))
    except StoreError as exc:
        return [str(exc)]
    for number, problem in scan.damaged:
        findings.append(f"{journal}:{number}: damaged journal record: {problem}")
    if scan.damaged:
        kind = "in the middle (good records follow)" if scan.good_after else "at the end"
        findings.append(f"{journal}: damaged {kind}: `esi-tui repair --db {path}` keeps the "
                        f"{records(len(scan.records))} before line {scan.first_damaged}")
    try:
        log = FileLog.open(path, readonly=True)
    except StoreError as exc:
        if str(exc) not in " ".join(findings) and not scan.good_after:
            findings.append(str(exc))
    else:
        log.close()
    return findings


def repair_database(path: Path) -> list[str]:
    """Keep every change up to the first damaged one, set the rest aside beside the database; what was done."""
    path = resolved_file(path)
    journal_path = path.with_name(path.name + ".journal")
    if not path.exists() and not journal_path.exists():
        raise StoreError(f"{path}: no such database")
    lock = WriterLock(path.with_name(path.name + ".lock"))
    lock.acquire(path)
    done: list[str] = []
    try:
        journal = Journal(journal_path)
        try:
            cut, kept = _good_part(path)
            data = read_bytes_nofollow(journal_path) or b""
            dropped = data[cut:]
            if dropped:
                aside = keep_aside(journal_path, dropped, "dropped")
                try:
                    journal.cut(cut)
                except OSError as exc:
                    raise StoreError(f"{journal_path}: could not cut off the damage (copied to {aside}): "
                                     f"{exc.strerror}; nothing else was changed") from None
                count = dropped.count(b"\n") + (not dropped.endswith(b"\n"))
                done.append(f"{journal_path}: kept {records(kept)} before the damage; set the "
                            f"{lines(count)} from there on aside in {aside}")
        finally:
            journal.close()
    finally:
        lock.release()
    log = FileLog.open(path)  # folds what was kept into the database file
    log.close()
    done.append(f"{path}: opens, with {log.seq} changes" if done else f"{path}: nothing to repair; it opens")
    return done


def _good_part(path: Path) -> tuple[int, int]:
    """Where the journal's good, applicable records end (bytes) and how many there are."""
    scan = scan_journal(path.with_name(path.name + ".journal"), _checked(path))
    trimmed = replace(scan, damaged=[], good_after=None)
    while True:
        probe = FileLog(path, readonly=True)
        probe._given_scan = trimmed
        try:
            probe._load_once()
        except JournalStop as stop:
            trimmed = replace(trimmed, records=trimmed.records[:stop.index], ends=trimmed.ends[:stop.index])
            continue
        except StoreError as exc:
            raise StoreError(f"{exc} (repair keeps the changes of a journal; it cannot mend the database file "
                             "itself: restore it from a copy)") from None
        end = trimmed.ends[-1][1] if trimmed.ends else 0
        return end, len(trimmed.records)
