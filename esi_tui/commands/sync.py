"""`esi-tui sync --db mine.json --with postgresql://...`: an offline laptop's work pushed to the team's
server and everyone else's pulled back, with merge's rules each way."""

from __future__ import annotations

import argparse
import sys

from esi_tui.commands.common import db_path
from esi_tui.commands.errors import UsageError
from esi_tui.commands.merge import DIFFERENCES, _summary
from esi_tui.store.errors import StoreError
from esi_tui.store.location import database_exists, is_server, shown
from esi_tui.store.merge import MergeReport, merge_into
from esi_tui.store.repository import Repository


def _push(mine: Repository, team: Repository, name: str) -> MergeReport:
    """The laptop's changes into the server, in one transaction that follows everything committed before it."""
    with team.ledger.operation():
        trial = team.scratch()
        report = merge_into(trial, mine, name)
        team.commit_records(trial.records)
    return report


def _pull(team: Repository, mine: Repository, name: str) -> MergeReport:
    """The server's changes into the laptop's file (tried on a copy first, so a refusal brings in nothing)."""
    trial = mine.scratch()
    report = merge_into(trial, team, name)
    mine.commit_records(trial.records)
    return report


def sync(args: argparse.Namespace) -> int:
    """Push, then pull; 0, or DIFFERENCES when some need a look (listed on stderr)."""
    local, server = db_path(args), args.server
    if not is_server(server):
        raise UsageError(f"--with {shown(server)}: give the team's PostgreSQL database (postgresql://...); "
                         "to bring database files together use `esi-tui merge`")
    if is_server(local):
        raise UsageError(f"--db {shown(local)}: sync brings a database file (a laptop's) and a server together; "
                         "give the file with --db")
    if not database_exists(local):
        # a laptop's first sync: the file is made, and the team's inspections come down into it
        print(f"{shown(local)}: no such database yet; creating it", file=sys.stderr)
    wanted = getattr(args, "inspection", None)
    with Repository.open(local) as mine, Repository.open(server, scope=[wanted] if wanted else None) as team:
        pushed = _push(mine, team, shown(local))
        try:
            pulled = _pull(team, mine, shown(server))
        except StoreError as exc:
            print(_summary(local, pushed).replace(f"{shown(local)}:", f"pushed to {shown(server)}:", 1))
            raise StoreError(f"{exc}; the push above is saved on the server, the pull brought in nothing") from None
    conflicts = 0
    for direction, report in ((f"pushed to {shown(server)}", pushed), (f"pulled into {shown(local)}", pulled)):
        source = local if report is pushed else server
        print(_summary(source, report).replace(f"{shown(source)}:", f"{direction}:", 1))
        for line in report.conflicts:
            print(line, file=sys.stderr)
        conflicts += len(report.conflicts)
    if conflicts:
        print(f"sync complete, but {conflicts} {'difference needs' if conflicts == 1 else 'differences need'} "
              f"a look (listed above), so the exit status is {DIFFERENCES}", file=sys.stderr)
        return DIFFERENCES
    return 0
