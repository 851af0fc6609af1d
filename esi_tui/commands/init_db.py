"""`esi-tui init-db URL`: create the esi-tui schema in a PostgreSQL database, or check the one there."""

from __future__ import annotations

import argparse
import os
import socket

from esi_tui.commands.errors import UsageError
from esi_tui.store.location import is_server, shown


def init_db(args: argparse.Namespace) -> int:
    """Create the schema (idempotent); a schema of another version is refused with one line."""
    if not is_server(args.url):
        raise UsageError(f"{shown(args.url)}: init-db prepares a PostgreSQL database (postgresql://...); a database "
                         "file needs no preparing")
    from esi_tui.store.pg_admin import init_schema

    created, summary = init_schema(str(args.url), f"esi-tui init-db on {socket.gethostname()} (pid {os.getpid()})")
    print(f"{shown(args.url)}: {'created the esi-tui schema' if created else 'already holds the esi-tui schema'}"
          f" ({summary})")
    return 0
