"""What each `esi-tui` subcommand does; cli.py only parses arguments."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Dispatch to the subcommand named in `args` (the TUI when there is none)."""
    command = args.command or "tui"
    if command == "validate":
        from esi_tui.commands.setup import validate
        return validate(args)
    if command in ("new", "import-cases", "list"):
        from esi_tui.commands import setup
        return {"new": setup.new, "import-cases": setup.import_cases, "list": setup.list_inspections}[command](args)
    if command == "tally":
        from esi_tui.commands.tally import tally
        return tally(args)
    if command == "replay":
        from esi_tui.commands.replay import replay
        return replay(args)
    if command == "export":
        from esi_tui.commands.export import export
        return export(args)
    if command == "report":
        from esi_tui.commands.report import report
        return report(args)
    if command == "merge":
        from esi_tui.commands.merge import merge
        return merge(args)
    if command == "double-review":
        from esi_tui.commands.double import double_review
        return double_review(args)
    if command == "agreement":
        from esi_tui.commands.agreement import agreement
        return agreement(args)
    if command == "peer":
        from esi_tui.commands.peer import peer
        return peer(args)
    if command == "demo":
        from esi_tui.commands.demo import demo
        return demo(args)
    from esi_tui.commands.tui import tui
    return tui(args)
