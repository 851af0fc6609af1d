"""Shared pieces of the subcommands: opening the database, choosing the inspection."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esi_tui.commands.errors import UsageError
from esi_tui.core.text import name_problem, shown_text
from esi_tui.paths import default_db, default_reviewer
from esi_tui.store.location import Database, database_exists, is_server, shown
from esi_tui.store.outputs import write_file
from esi_tui.store.repository import Repository


def db_path(args: argparse.Namespace) -> Database:
    """The database named by --db (a file, or a PostgreSQL URL), or the default one."""
    return getattr(args, "db", None) or default_db()


def reviewer(args: argparse.Namespace) -> str:
    """The reviewer named by --reviewer, or the default one; one clear line when it cannot be saved."""
    name = getattr(args, "reviewer", None) or default_reviewer()
    problem = name_problem(name, "the reviewer's name")
    if problem:
        given = "--reviewer" if getattr(args, "reviewer", None) else "$ESI_TUI_REVIEWER or the login name"
        raise UsageError(f"{given}: {problem} ({shown_text(name)!r}); give a name with --reviewer NAME")
    return name


def open_repository(args: argparse.Namespace, readonly: bool = False, must_exist: bool = True) -> Repository:
    """Open the database for this command; a missing one is an error for read-only commands."""
    path = db_path(args)
    if must_exist and not is_server(path) and not database_exists(path):
        raise UsageError(f"{shown(path)}: no such database (create one with `esi-tui new` or try `esi-tui demo`)")
    wanted = getattr(args, "inspection", None)
    # on a server, a command about named inspections loads only theirs (a national programme holds dozens)
    scope = ([wanted] if isinstance(wanted, str) else wanted) if is_server(path) and wanted else None
    repo = Repository.open(path, readonly=readonly or getattr(args, "read_only", False), scope=scope)
    for notice in repo.notices:
        print(f"esi-tui: {notice}", file=sys.stderr)
    return repo


def choose_inspection(repo: Repository, args: argparse.Namespace) -> str:
    """The inspection named by --inspection, or the only one in the database."""
    wanted = getattr(args, "inspection", None)
    if wanted:
        repo.inspection(wanted)
        return wanted
    inspections = repo.inspections()
    if len(inspections) == 1:
        return inspections[0].id
    if not inspections:
        raise UsageError(f"{repo.name}: holds no inspection yet (create one with `esi-tui new`)")
    names = ", ".join(i.id for i in inspections)
    raise UsageError(f"{repo.name}: holds several inspections ({names}); choose one with --inspection ID")


def write_output(output: Path | None, text: str) -> None:
    """Write to -o FILE (replaced atomically, readable by its owner only) or to stdout."""
    if output:
        write_file(output, text.encode("utf-8"))
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
