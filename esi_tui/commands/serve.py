"""`esi-tui serve`: the app in a web browser through textual-serve, each tab its own session."""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from esi_tui.commands.common import db_path, reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.store.location import database_exists, is_server, shown


def loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    """Serve until ctrl+c; a host other machines can reach needs --allow-remote."""
    if not loopback(args.host) and not args.allow_remote:
        raise UsageError(f"--host {args.host}: other machines could open the app, and anyone who can reach it can "
                         "read and change answers as any reviewer (esi-tui has no sign-in); add --allow-remote if "
                         "that is what you mean (see the README's Team server section)")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("serving the app in a browser needs textual-serve, which is not installed: "
                         "pip install 'esi-tui[serve]'") from None
    db = db_path(args)
    if not is_server(db) and not database_exists(db):
        raise UsageError(f"{shown(db)}: no such database (create one with `esi-tui new` or try `esi-tui demo`)")
    command = [sys.executable, "-m", "esi_tui.app.tab"]
    if getattr(args, "reviewer", None):
        command += ["--reviewer", reviewer(args)]
    if getattr(args, "inspection", None):
        command += ["--inspection", args.inspection]
    # each tab's process reads the database from the environment: a URL's password stays off command lines
    os.environ["ESI_TUI_DB"] = str(db)
    where = "this machine only" if loopback(args.host) else "ANY MACHINE THAT CAN REACH IT (no sign-in)"
    who = f"every tab is {reviewer(args)}" if getattr(args, "reviewer", None) else "each tab asks who is reviewing"
    print(f"esi-tui: serving {shown(db)} at http://{args.host}:{args.port} to {where}; {who}", file=sys.stderr)
    Server(shlex.join(command), host=args.host, port=args.port, title="esi-tui",
           public_url=args.public_url).serve()
    return 0
