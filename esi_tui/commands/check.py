"""`esi-tui check --db PATH`: what is wrong with a database file and its journal, one line per finding."""

from __future__ import annotations

import argparse
import sys

from esi_tui.commands.common import db_path
from esi_tui.commands.errors import UsageError
from esi_tui.store.location import is_server, shown


def file_database(args: argparse.Namespace, command: str):
    """The database file named by --db; a PostgreSQL URL is refused with one line."""
    path = db_path(args)
    if is_server(path):
        raise UsageError(f"{shown(path)}: `esi-tui {command}` is for a database file; a PostgreSQL server keeps "
                         "its records in a transactional table (use the server's own tools: pg_amcheck, backups)")
    return path


def check(args: argparse.Namespace) -> int:
    """Exit 0 when healthy, 1 with one line per problem on stderr."""
    from esi_tui.store.check import check_database

    path = file_database(args, "check")
    findings = check_database(path)
    for finding in findings:
        print(f"esi-tui: {finding}", file=sys.stderr)
    if findings:
        return 1
    print(f"{path}: healthy")
    return 0
