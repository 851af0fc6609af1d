"""Start the Textual app on a database."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import db_path, reviewer


def tui(args: argparse.Namespace) -> int:
    """Open the app; it shows the inspections, or goes straight to one given with --inspection."""
    from esi_tui.app import gc_pause
    from esi_tui.app.factory import create_app

    gc_pause.hold()  # released by the app once its first screen shows
    try:
        app = create_app(db_path(args), reviewer=reviewer(args), inspection=getattr(args, "inspection", None),
                         readonly=getattr(args, "read_only", False))
        app.run()
    finally:
        gc_pause.release(collect=False)  # when the app never got as far as its first screen
    return app.return_code or 0
