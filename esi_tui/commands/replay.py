"""`esi-tui replay`: check a whole script, then apply it (or play it live in the app)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esi_tui.commands.common import db_path, reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.core.loader import QuestionnaireError
from esi_tui.core.replay import Plan, ScriptContext, Step, check_script
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository


def read_script(path: Path) -> str:
    """The script's text; one clear line when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def plan_script(repo: Repository, text: str, name: str, inspection: str | None,
                questionnaire_dirs: list[Path] | None) -> Plan:
    """Check a script against the database and the questionnaire catalogue."""
    def inspection_questionnaire(inspection_id: str):
        return repo.questionnaire(inspection_id) if repo.has_inspection(inspection_id) else None

    def lookup(questionnaire_id: str):
        try:
            return find_questionnaire(questionnaire_id, questionnaire_dirs)
        except QuestionnaireError:
            return None

    context = ScriptContext(inspection_questionnaire, lookup, repo.has_case, inspection)
    return check_script(text, name, context)


def apply_step(repo: Repository, plan: Plan, step: Step, default_reviewer: str) -> None:
    """Apply one checked record; doing it twice changes nothing the second time."""
    data = step.data
    if step.type == "inspection":
        if not repo.has_inspection(data["id"]):
            repo.create_inspection(data["id"], plan.questionnaires[data["id"]], title=data.get("title", ""),
                                   area=data.get("area", ""), baseline=data.get("baseline"),
                                   question_baseline=data.get("question_baseline"))
    elif step.type == "case":
        repo.save_case(data["inspection"], data["reference"], data.get("attributes", {}))
        if "complete" in data:
            repo.set_complete(data["inspection"], data["reference"], data["complete"])
    else:
        repo.set_answer(data["inspection"], data["case"], data["question"], data["value"],
                        data.get("reviewer") or default_reviewer, note=data.get("note"), at=data.get("at"))


def replay(args: argparse.Namespace) -> int:
    """Check the script, report every bad line, and apply it unless a line is bad."""
    text = read_script(args.script)
    if args.live:
        from esi_tui.commands.live import live_replay

        return live_replay(args, text)
    with Repository.open(db_path(args)) as repo:
        plan = plan_script(repo, text, str(args.script), getattr(args, "inspection", None), args.questionnaires)
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        if plan.problems and not args.keep_going:
            print(f"{args.script}: {len(plan.problems)} bad lines; nothing was applied "
                  "(--keep-going applies the good ones)", file=sys.stderr)
            return 1
        _apply_all(repo, plan, reviewer(args), quiet=args.quiet)
        inspections = sorted({s.data.get("inspection") or s.data.get("id") for s in plan.steps})
        if not args.quiet:
            _print_tallies(repo, inspections)
    return 1 if plan.problems else 0


def _apply_all(repo: Repository, plan: Plan, default_reviewer: str, quiet: bool) -> None:
    if quiet or len(plan.steps) < 200 or not sys.stderr.isatty():
        for step in plan.steps:
            apply_step(repo, plan, step, default_reviewer)
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("replaying", total=len(plan.steps))
        for step in plan.steps:
            apply_step(repo, plan, step, default_reviewer)
            progress.advance(task)


def _print_tallies(repo: Repository, inspections: list[str]) -> None:
    from rich.console import Console

    from esi_tui.tables import tally_table

    console = Console()
    for inspection_id in inspections:
        if inspection_id and repo.has_inspection(inspection_id):
            inspection = repo.inspection(inspection_id)
            console.print(tally_table(repo.tally(inspection_id), f"{inspection.title} — {inspection.area}"))
