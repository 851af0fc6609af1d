"""What each `esi-tui` subcommand does; cli.py only parses arguments."""

from __future__ import annotations

import argparse
from importlib import import_module

# subcommand -> (module in esi_tui.commands, function); imported only when used, so that
# `esi-tui tally --json` does not pay for Textual
COMMANDS = {
    "validate": ("validate", "validate"),
    "new": ("new", "new"),
    "import-cases": ("import_cases", "import_cases"),
    "list": ("list_inspections", "list_inspections"),
    "tally": ("tally", "tally"),
    "compare": ("compare", "compare"),
    "replay": ("replay", "replay"),
    "export": ("export", "export"),
    "report": ("report", "report"),
    "merge": ("merge", "merge"),
    "sync": ("sync", "sync"),
    "init-db": ("init_db", "init_db"),
    "serve": ("serve", "serve"),
    "double-review": ("double_review", "double_review"),
    "agreement": ("agreement", "agreement"),
    "sample": ("sample", "sample"),
    "peer": ("peer", "peer"),
    "demo": ("demo", "demo"),
    "delete-inspection": ("delete_inspection", "delete_inspection"),
    "check": ("check", "check"),
    "repair": ("repair", "repair"),
    "tui": ("tui", "tui"),
}


def run(args: argparse.Namespace) -> int:
    """Dispatch to the subcommand named in `args` (the TUI when there is none)."""
    module, function = COMMANDS[args.command or "tui"]
    if getattr(args, "reviewer", None) is not None:
        from esi_tui.commands.common import reviewer

        reviewer(args)   # a --reviewer that could not be saved is refused by every command, not only writers
    return getattr(import_module(f"esi_tui.commands.{module}"), function)(args)
