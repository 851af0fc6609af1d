"""`esi-tui replay`: check a whole script, then apply it (or play it live in the app)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from esi_tui.commands.common import db_path, reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.core.loader import QuestionnaireError
from esi_tui.commands.replay_settled import SETTINGS, settled_steps
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


def plan_script(repo: Repository | None, text: str, name: str, inspection: str | None,
                questionnaire_dirs: list[Path] | None) -> Plan:
    """Check a script against the database (None: an empty one) and the questionnaire catalogue."""
    def inspection_questionnaire(inspection_id: str):
        return repo.questionnaire(inspection_id) if repo and repo.has_inspection(inspection_id) else None

    def case_exists(inspection_id: str, reference: str) -> bool:
        return repo.has_case(inspection_id, reference) if repo else False

    def lookup(questionnaire_id: str):
        try:
            return find_questionnaire(questionnaire_id, questionnaire_dirs)
        except QuestionnaireError:
            return None

    context = ScriptContext(inspection_questionnaire, lookup, case_exists, inspection)
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
        inspection, reference = data["inspection"], data["reference"]
        repo.save_case(inspection, reference, data.get("attributes", {}))
        # a completion the script gives no time for is recorded as at a time not known (""): older
        # than any recorded, so that merging an export from before times were kept reopens nothing
        finished = data.get("completed_at", {})
        for name in data.get("completed_by", ()):
            repo.set_complete(inspection, reference, True, reviewer=name, at=finished.get(name, ""))
        for name, at in data.get("reopened_at", {}).items():
            repo.set_complete(inspection, reference, False, reviewer=name, at=at)
        if "complete" in data:
            repo.set_complete(inspection, reference, data["complete"], at=data.get("complete_at", ""))
        if "double_review" in data:
            _mark_double_review(repo, inspection, reference, data["double_review"])
    elif step.type == "answer":
        repo.set_answer(data["inspection"], data["case"], data["question"], data["value"],
                        data.get("reviewer") or default_reviewer, note=data.get("note"), at=data.get("at"))
    elif step.type == "settings":
        repo.adopt_settings(data["inspection"], {k: v for k, v in data.items() if k in SETTINGS})
    elif step.type == "moderation":
        repo.moderate(data["inspection"], data["case"], data["question"], data["value"],
                      data.get("moderator") or default_reviewer, data.get("reason") or "", at=data.get("at"))
    else:
        repo.set_case_note(data["inspection"], data["case"], data.get("reviewer") or default_reviewer,
                           data["note"], at=data.get("at"))


def _mark_double_review(repo: Repository, inspection: str, reference: str, marked: bool) -> None:
    """Put a case in the blind double-review sample, or (false) take it out."""
    sample = repo.settings(inspection)["double_review"]
    if marked and reference not in sample:
        repo.mark_double_review(inspection, [reference])
    elif not marked and reference in sample:
        repo.adopt_settings(inspection, {"double_review": [r for r in sample if r != reference]})


def replay(args: argparse.Namespace) -> int:
    """Check the script, report every bad line, and apply it unless a line is bad."""
    text = read_script(args.script)
    if args.live:
        from esi_tui.commands.live import live_replay

        return live_replay(args, text)
    name = str(args.script)
    inspection = getattr(args, "inspection", None)
    path = db_path(args)
    if not path.exists() and not path.with_name(path.name + ".journal").exists():
        # check against an empty database first, so that a bad script does not create one
        plan = plan_script(None, text, name, inspection, args.questionnaires)
        if plan.problems and not args.keep_going:
            return _refuse(args, plan)
    with Repository.open(path) as repo:
        plan = plan_script(repo, text, name, inspection, args.questionnaires)
        if plan.problems and not args.keep_going:
            return _refuse(args, plan)
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        default_reviewer = reviewer(args)
        _apply_all(repo, plan, settled_steps(repo, plan, default_reviewer), default_reviewer, quiet=args.quiet)
        inspections = sorted({s.data.get("inspection") or s.data.get("id") for s in plan.steps})
        if not args.quiet:
            _print_tallies(repo, inspections)
    if plan.problems:
        print(f"{args.script}: {_lines(len(plan.problems))} skipped, the rest applied", file=sys.stderr)
    return 1 if plan.problems else 0


def _lines(count: int) -> str:
    return f"{count} bad line" + ("" if count == 1 else "s")


def _refuse(args: argparse.Namespace, plan: Plan) -> int:
    for problem in plan.problems:
        print(problem, file=sys.stderr)
    print(f"{args.script}: {_lines(len(plan.problems))}; nothing was applied "
          "(--keep-going applies the good ones)", file=sys.stderr)
    return 1


def _apply_all(repo: Repository, plan: Plan, steps: list[Step], default_reviewer: str, quiet: bool) -> None:
    if quiet or len(steps) < 200 or not sys.stderr.isatty():
        for step in steps:
            apply_step(repo, plan, step, default_reviewer)
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("replaying", total=len(steps))
        for step in steps:
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
