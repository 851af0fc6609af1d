"""`esi-tui merge OTHER... --into PATH`: bring reviewers' databases (or exported scripts) together."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from esi_tui.commands.common import reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.commands.replay import apply_step, plan_script, read_script
from esi_tui.store.merge import merge_into
from esi_tui.store.repository import Repository


def _script_repository(path: Path, folder: Path, default_reviewer: str, index: int = 0) -> Repository:
    """A temporary database holding what a replay script describes (one of its own per script:
    two scripts of the same name from different folders must not share one)."""
    repo = Repository.open(folder / f"{index}-{path.stem}.json")
    plan = plan_script(repo, read_script(path), str(path), None, None)
    if plan.problems:
        repo.close()
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        raise UsageError(f"{path}: {len(plan.problems)} bad lines; nothing was merged")
    for step in plan.steps:
        apply_step(repo, plan, step, default_reviewer)
    return repo


def merge(args: argparse.Namespace) -> int:
    """Merge every source into the target; report what came in and what was not overwritten."""
    into = args.into
    for source in args.sources:
        if source.resolve() == Path(into).resolve():
            raise UsageError(f"{source}: is the database being merged into")
        if not source.exists():
            raise UsageError(f"{source}: no such file")
    conflicts = 0
    with tempfile.TemporaryDirectory(prefix="esi-merge-") as scratch, Repository.open(into) as target:
        for index, source in enumerate(args.sources):
            if source.suffix in (".jsonl", ".ndjson"):
                other = _script_repository(source, Path(scratch), reviewer(args), index)
            else:
                other = Repository.open(source, readonly=True)
            try:
                report = merge_into(target, other, str(source))
            finally:
                other.close()
            print(f"{source}: {report.inspections} inspections, {report.cases} cases, "
                  f"{report.answers_added} answers added, {report.answers_updated} updated (the earlier kept in "
                  f"history), {report.kept_in_history} earlier versions kept"
                  + "".join(f", {count} {what}" for count, what in (
                      (report.moderations, "moderated answers"), (report.notes, "case notes"),
                      (report.settings, "settings (double review, policy)")) if count)
                  + ("" if report.changed else " — nothing new"))
            for line in report.conflicts:
                print(line, file=sys.stderr)
            conflicts += len(report.conflicts)
    if conflicts:
        print(f"{conflicts} differences were reported and not overwritten; resolve them in the app or re-run "
              "after correcting the source", file=sys.stderr)
    return 0
