"""`esi-tui replay`: rehearse a whole script on a copy of the database, then apply what it rehearsed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esi_tui.commands.common import db_path, reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.core.script_format import Script, parse_script
from esi_tui.store.applier import Context, Rehearsal, perform, rehearse
from esi_tui.store.catalog import questionnaire_or_none
from esi_tui.store.errors import StoreError
from esi_tui.store.location import database_exists, shown
from esi_tui.store.repository import Repository


def read_script(path: Path) -> str:
    """The script's text; one clear line when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a script") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def context_for(args: argparse.Namespace) -> Context:
    """Who answers when a record does not say, and where questionnaires are looked up by id."""
    folders = getattr(args, "questionnaires", None)
    return Context(reviewer(args), lambda questionnaire_id: questionnaire_or_none(questionnaire_id, folders))


def load_script(args: argparse.Namespace) -> Script:
    """The script named on the command line, parsed."""
    return parse_script(read_script(args.script), str(args.script), getattr(args, "inspection", None))


def replay(args: argparse.Namespace) -> int:
    """Rehearse the script, report every bad line, and apply it unless a line is bad (or --keep-going)."""
    script = load_script(args)
    if args.live:
        from esi_tui.commands.live import live_replay

        return live_replay(args, script)
    context = context_for(args)
    path = db_path(args)
    if not database_exists(path):
        # rehearse on an empty database first, so that a bad script does not create one
        rehearsal = rehearse(Repository.in_memory(shown(path)), script, context, args.keep_going)
        if rehearsal.bad_lines and not args.keep_going:
            return _refuse(args, rehearsal)
    with Repository.open(path) as repo:
        rehearsal = rehearse(repo, script, context, args.keep_going)
        if rehearsal.bad_lines and not args.keep_going:
            return _refuse(args, rehearsal)
        for message in rehearsal.messages():
            print(message, file=sys.stderr)
        _apply(repo, rehearsal, args)
        inspections = sorted({str(s.data.get("inspection") or s.data.get("id")) for s in rehearsal.applied})
        if not args.quiet:
            _print_tallies(repo, inspections)
    if rehearsal.bad_lines:
        print(f"{args.script}: {_lines(rehearsal.bad_lines)} skipped, the rest applied", file=sys.stderr)
    return 1 if rehearsal.bad_lines else 0


def _lines(count: int) -> str:
    return f"{count} bad line" + ("" if count == 1 else "s")


def _refuse(args: argparse.Namespace, rehearsal: Rehearsal) -> int:
    for message in rehearsal.messages():
        print(message, file=sys.stderr)
    print(f"{args.script}: {_lines(rehearsal.bad_lines)}; nothing was applied "
          "(--keep-going applies the good ones)", file=sys.stderr)
    return 1


def _apply(repo: Repository, rehearsal: Rehearsal, args: argparse.Namespace) -> None:
    """Commit the rehearsed changes; an I/O error half way says how far it got and how to finish."""
    lines = len({step.line for step in rehearsal.applied})
    done = [0]

    def progress(count: int) -> None:
        done[0] = count

    try:
        if args.quiet or len(rehearsal.records) < 200 or not sys.stderr.isatty():
            perform(repo, rehearsal, progress)
            return
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("replaying", total=lines)

            def shown(count: int) -> None:
                progress(count)
                bar.update(task, completed=count)

            perform(repo, rehearsal, shown)
    except StoreError as exc:
        raise StoreError(f"{exc}; {done[0]} of {lines} lines of {args.script} were applied and are saved: "
                         "run the same replay again to apply the rest (lines already applied change nothing)") \
            from None


def _print_tallies(repo: Repository, inspections: list[str]) -> None:
    from esi_tui.commands.grid import emit
    from esi_tui.commands.tables import tally_grid

    for inspection_id in inspections:
        if inspection_id and repo.has_inspection(inspection_id):
            inspection = repo.inspection(inspection_id)
            emit(tally_grid(repo.tally(inspection_id), f"{inspection.title} — {inspection.area}"))
