"""`esi-tui delete-inspection ID`: delete an inspection and everything recorded of it, once confirmed."""

from __future__ import annotations

import argparse
import sys

from esi_tui.commands.common import open_repository
from esi_tui.commands.errors import UsageError
from esi_tui.core.contents import describe_contents


def delete_inspection(args: argparse.Namespace) -> int:
    """Say what the inspection holds, ask for its id to be typed (or take --yes), then delete it."""
    wanted = args.id or getattr(args, "inspection", None)
    if not wanted:
        raise UsageError("name the inspection to delete: esi-tui delete-inspection ID (esi-tui list shows them)")
    with open_repository(args) as repo:
        inspection = repo.inspection(wanted)
        held = describe_contents(repo.inspection_contents(inspection.id))
        what = f"inspection {inspection.id} ({inspection.area or inspection.title}; {held})"
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError(f"{repo.path}: delete {what}? nothing deleted: give --yes to delete without asking")
            print(f"This deletes {what} from {repo.path}; it cannot be undone.", file=sys.stderr)
            try:
                typed = input(f"Type {inspection.id} to delete it: ").strip()
            except EOFError:
                typed = ""
            if typed != inspection.id:
                raise UsageError(f"{repo.path}: nothing deleted ({typed!r} is not {inspection.id!r})")
        repo.delete_inspection(inspection.id)
    print(f"deleted {what} from {repo.path}")
    return 0
