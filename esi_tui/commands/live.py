"""`esi-tui replay --live`: play a script's answers in the app so the tallies can be watched."""

from __future__ import annotations

import argparse
import sys

from esi_tui.commands.common import db_path, reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.commands.replay import apply_step, plan_script
from esi_tui.core.replay import Plan
from esi_tui.store.repository import Repository


def live_replay(args: argparse.Namespace, text: str) -> int:
    """Check the script, create its inspections, then open the app and play the rest."""
    from esi_tui.app.factory import create_app
    from esi_tui.app.live import LiveReplay

    repo = Repository.open(db_path(args))
    try:
        plan = plan_script(repo, text, str(args.script), getattr(args, "inspection", None), args.questionnaires)
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        if plan.problems and not args.keep_going:
            print(f"{args.script}: {len(plan.problems)} bad lines; nothing was applied", file=sys.stderr)
            repo.close()
            return 1
        for step in plan.steps:
            if step.type in ("inspection", "settings"):
                apply_step(repo, plan, step, reviewer(args))
        left_out = sum(step.type in ("moderation", "case_note") or (step.type == "case" and any(
            key in step.data for key in ("completed_by", "reopened_at", "double_review"))) for step in plan.steps)
        if left_out:
            print(f"{args.script}: --live plays cases and answers; {left_out} records of moderations, case notes, "
                  "double-review marks or who finished a case are not played (replay without --live applies them)",
                  file=sys.stderr)
        played = Plan([s for s in plan.steps if s.type in ("case", "answer")], plan.problems, plan.questionnaires)
        inspections = sorted({s.data["inspection"] for s in plan.steps if s.type != "inspection"})
        if len(inspections) > 1:
            raise UsageError(f"{args.script}: --live plays one inspection at a time; choose one with --inspection")
        target = inspections[0] if inspections else getattr(args, "inspection", None)
        if target is None:
            raise UsageError(f"{args.script}: nothing to play")
    except BaseException:
        repo.close()
        raise
    app = create_app(db_path(args), reviewer(args), target, repo=repo,
                     live=lambda app: LiveReplay(app, played, args.speed, reviewer(args)))
    app.run()
    return app.return_code or 0
