"""`esi-tui validate FILE...`: check questionnaire files and print every problem, one a line."""

from __future__ import annotations

import argparse

from esi_tui.core.loader import validate_file


def validate(args: argparse.Namespace) -> int:
    """Print every problem of every file; exit 1 if there is any."""
    failed = False
    for path in args.files:
        problems = validate_file(path)
        for line in problems:
            print(line)
        if problems:
            failed = True
        else:
            print(f"{path}: ok")
    return 1 if failed else 0
