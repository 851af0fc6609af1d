"""`esi-tui merge OTHER... --into PATH`: bring reviewers' databases (or exported scripts) together."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from esi_tui.commands.errors import UsageError
from esi_tui.core.script_format import parse_script
from esi_tui.store.applier import rehearse
from esi_tui.store.errors import StoreError
from esi_tui.store.location import Database, database_exists, is_server, resolved_file, shown
from esi_tui.store.merge import MergeReport, merge_into
from esi_tui.store.repository import Repository

#: the exit status of a merge that completed but reported differences someone has to look at (the others:
#: 0 merged with none, 1 an error and nothing merged, 2 bad arguments; `esi-tui merge --help` lists them)
DIFFERENCES = 3


def _script_repository(path: Path, args: argparse.Namespace) -> Repository:
    """A database in memory holding what an exported script describes (nothing is written to disk)."""
    from esi_tui.commands.replay import context_for, read_script

    repo = Repository.in_memory(str(path))
    rehearsal = rehearse(repo, parse_script(read_script(path), str(path)), context_for(args))
    if rehearsal.bad_lines:
        for message in rehearsal.messages():
            print(message, file=sys.stderr)
        raise UsageError(f"{path}: {rehearsal.bad_lines} bad lines; nothing was merged")
    repo.commit_records(rehearsal.records)
    return repo


def _same(one: Database, other: Database) -> bool:
    """Whether two database arguments name the same database."""
    if is_server(one) or is_server(other):
        return str(one).strip() == str(other).strip()
    return resolved_file(Path(one)) == resolved_file(Path(other))


def _summary(source: Database, report: MergeReport) -> str:
    """The line saying what one source brought in."""
    return (f"{shown(source)}: {report.inspections} inspections, {report.cases} cases, "
            f"{report.answers_added} answers added, {report.answers_updated} updated (the earlier kept in "
            f"history), {report.kept_in_history} earlier versions kept"
            + "".join(f", {count} {what}" for count, what in (
                (report.completions, "cases finished or reopened"),
                (report.completion_times, "later times of finishing or reopening"),
                (report.moderations, "moderated answers"),
                (report.withdrawn, "moderations withdrawn"), (report.notes, "case notes"),
                (report.settings, "settings (double review, policy)")) if count)
            + ("" if report.changed else " — nothing new"))


def _commit(target: Repository, records: list[dict]) -> None:
    """Commit the merge tried on a copy; an I/O error half way says how much is saved and how to finish."""
    done = [0]

    def saved(count: int) -> None:
        done[0] = count

    try:
        target.commit_records(records, saved)
    except StoreError as exc:
        raise StoreError(f"{exc}; {done[0]} of {len(records)} changes of the merge are saved: run the same "
                         "merge again to bring in the rest (what is already in changes nothing)") from None


def merge(args: argparse.Namespace) -> int:
    """Merge every source into the target; 0, or DIFFERENCES when some need a look (listed on stderr)."""
    into = args.into
    for source in args.sources:
        if _same(source, into):
            raise UsageError(f"{shown(source)}: is the database being merged into")
        if not database_exists(source):
            raise UsageError(f"{shown(source)}: no such {'esi-tui database' if is_server(source) else 'file'}")
    conflicts = 0
    with ExitStack() as opened:
        # every source is read (and every script checked) before the target changes: bad input merges nothing
        others = []
        for source in args.sources:
            if not is_server(source) and Path(source).suffix in (".jsonl", ".ndjson"):
                other = _script_repository(source, args)
            else:
                other = Repository.open(source, readonly=True)
            opened.callback(other.close)
            others.append((source, other))
        # one operation: on a shared store the merge sees, and goes in after, every change committed before it
        with Repository.open(into) as target, target.ledger.operation():
            # merged on a copy first: a source the store refuses half way (a damaged record) merges nothing
            trial = target.scratch()
            reports = [(source, merge_into(trial, other, shown(source))) for source, other in others]
            _commit(target, trial.records)
    for source, report in reports:
        print(_summary(source, report))
        for line in report.conflicts:
            print(line, file=sys.stderr)
        conflicts += len(report.conflicts)
    if conflicts:
        print(f"merge complete, but {conflicts} {'difference needs' if conflicts == 1 else 'differences need'} "
              f"a look (listed above), so the exit status is {DIFFERENCES}", file=sys.stderr)
        return DIFFERENCES
    return 0
