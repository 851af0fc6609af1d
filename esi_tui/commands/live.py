"""`esi-tui replay --live`: play a script's records in the app so the tallies can be watched."""

from __future__ import annotations

import argparse
import sys

from esi_tui.commands.common import db_path, reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.core.script_format import Script
from esi_tui.store.applier import apply_step, rehearse
from esi_tui.store.repository import Repository


def live_replay(args: argparse.Namespace, script: Script) -> int:
    """Rehearse the script, create its inspections, then open the app and play the rest."""
    from esi_tui.app.factory import create_app
    from esi_tui.app.live import LiveReplay
    from esi_tui.commands.replay import context_for

    context = context_for(args)
    repo = Repository.open(db_path(args))
    try:
        rehearsal = rehearse(repo, script, context, args.keep_going)
        for message in rehearsal.messages():
            print(message, file=sys.stderr)
        if rehearsal.bad_lines and not args.keep_going:
            print(f"{args.script}: {rehearsal.bad_lines} bad lines; nothing was applied", file=sys.stderr)
            repo.close()
            return 1
        steps = rehearsal.applied
        for step in steps:
            if step.type == "inspection":
                apply_step(repo, step, context)
        inspections = sorted({str(step.data["inspection"]) for step in steps
                              if step.type != "inspection" and step.data.get("inspection")})
        if len(inspections) > 1:
            raise UsageError(f"{args.script}: --live plays one inspection at a time; choose one with --inspection")
        target = inspections[0] if inspections else getattr(args, "inspection", None)
        if target is None and len(repo.inspections()) == 1:
            target = repo.inspections()[0].id
        if target is None:
            raise UsageError(f"{args.script}: nothing to play")
    except BaseException:
        repo.close()
        raise
    app = create_app(db_path(args), reviewer(args), target, repo=repo,
                     live=lambda app: LiveReplay(app, steps, args.speed, context))
    app.run()
    return app.return_code or 0
