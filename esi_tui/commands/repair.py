"""`esi-tui repair --db PATH`: keep every change up to the damage, set the rest aside, say what was done."""

from __future__ import annotations

import argparse

from esi_tui.commands.check import file_database


def repair(args: argparse.Namespace) -> int:
    """Repair a database file's journal; 0 once the database opens."""
    from esi_tui.store.check import repair_database

    for line in repair_database(file_database(args, "repair")):
        print(line)
    return 0
