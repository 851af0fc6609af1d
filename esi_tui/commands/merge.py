"""`esi-tui merge OTHER... --into PATH`: bring reviewers' databases (or exported scripts) together."""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from esi_tui.commands.common import reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.commands.replay import apply_step, plan_script, read_script
from esi_tui.store.merge import MergeReport, merge_into
from esi_tui.store.repository import Repository

#: the exit status of a merge that completed but reported differences someone has to look at (the others:
#: 0 merged with none, 1 an error and nothing merged, 2 bad arguments; `esi-tui merge --help` lists them)
DIFFERENCES = 3


def _script_repository(path: Path, folder: Path, default_reviewer: str, index: int = 0) -> Repository:
    """A temporary database holding what a replay script describes (one of its own per script:
    two scripts of the same name from different folders must not share one)."""
    repo = Repository.open(folder / f"{index}-{path.stem}.json")
    try:
        plan = plan_script(repo, read_script(path), str(path), None, None)
        if plan.problems:
            for problem in plan.problems:
                print(problem, file=sys.stderr)
            raise UsageError(f"{path}: {len(plan.problems)} bad lines; nothing was merged")
        for step in plan.steps:
            apply_step(repo, plan, step, default_reviewer)
    except BaseException:
        repo.close()
        raise
    return repo


def _summary(source: Path, report: MergeReport) -> str:
    """The line saying what one source brought in."""
    return (f"{source}: {report.inspections} inspections, {report.cases} cases, "
            f"{report.answers_added} answers added, {report.answers_updated} updated (the earlier kept in "
            f"history), {report.kept_in_history} earlier versions kept"
            + "".join(f", {count} {what}" for count, what in (
                (report.completions, "cases finished or reopened"),
                (report.completion_times, "later times of finishing or reopening"),
                (report.moderations, "moderated answers"),
                (report.withdrawn, "moderations withdrawn"), (report.notes, "case notes"),
                (report.settings, "settings (double review, policy)")) if count)
            + ("" if report.changed else " — nothing new"))


def merge(args: argparse.Namespace) -> int:
    """Merge every source into the target; 0, or DIFFERENCES when some need a look (listed on stderr)."""
    into = args.into
    for source in args.sources:
        if source.resolve() == Path(into).resolve():
            raise UsageError(f"{source}: is the database being merged into")
        if not source.exists():
            raise UsageError(f"{source}: no such file")
    conflicts = 0
    with tempfile.TemporaryDirectory(prefix="esi-merge-") as scratch, ExitStack() as opened:
        # every source is read (and every script checked) before the target changes: bad input merges nothing
        others = []
        for index, source in enumerate(args.sources):
            if source.suffix in (".jsonl", ".ndjson"):
                other = _script_repository(source, Path(scratch), reviewer(args), index)
            else:
                other = Repository.open(source, readonly=True)
            opened.callback(other.close)
            others.append((source, other))
        with Repository.open(into) as target:
            for source, other in others:
                report = merge_into(target, other, str(source))
                print(_summary(source, report))
                for line in report.conflicts:
                    print(line, file=sys.stderr)
                conflicts += len(report.conflicts)
    if conflicts:
        print(f"merge complete, but {conflicts} {'difference needs' if conflicts == 1 else 'differences need'} "
              f"a look (listed above), so the exit status is {DIFFERENCES}", file=sys.stderr)
        return DIFFERENCES
    return 0
