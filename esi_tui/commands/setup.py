"""Set-up commands: validate questionnaires, create inspections, import cases, list."""

from __future__ import annotations

import argparse
import re
from datetime import date

from rich.console import Console
from rich.table import Table

from esi_tui.commands.common import choose_inspection, db_path, open_repository
from esi_tui.commands.errors import UsageError
from esi_tui.core.loader import validate_file
from esi_tui.core.parsing import (
    InputError,
    parse_baseline_file,
    parse_baseline_text,
    parse_cases_csv,
)
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository


def validate(args: argparse.Namespace) -> int:
    """Print every problem of every file; exit 1 if there is any."""
    failed = False
    for path in args.files:
        problems = validate_file(path)
        for line in problems:
            print(line)
        if problems:
            failed = True
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def new(args: argparse.Namespace) -> int:
    """Create an inspection from a questionnaire."""
    questionnaire = find_questionnaire(args.questionnaire, args.questionnaires)
    baseline, question_baseline, not_comparable = {}, {}, []
    if args.baseline:
        if args.baseline.endswith(".toml"):
            try:
                with open(args.baseline, encoding="utf-8") as baseline_file:
                    text = baseline_file.read()
            except OSError as exc:
                raise InputError([f"{args.baseline}: cannot read: {exc.strerror}"]) from None
            parsed = parse_baseline_file(text, args.baseline, questionnaire)
            baseline, question_baseline, not_comparable = parsed.criteria, parsed.questions, parsed.not_comparable
        else:
            baseline, question_baseline = parse_baseline_text(args.baseline, questionnaire)
    inspection_id = args.inspection_id or getattr(args, "inspection", None) or (
        re.sub(r"[^a-z0-9]+", "-", args.area.lower()).strip("-") + f"-{date.today():%Y}")
    with Repository.open(db_path(args)) as repo:
        inspection = repo.create_inspection(
            inspection_id, questionnaire, title=args.title, area=args.area,
            baseline=baseline, question_baseline=question_baseline, not_comparable=not_comparable)
    print(f"created inspection {inspection.id} ({questionnaire.id} v{questionnaire.version}, "
          f"{args.area}) in {repo.path}")
    return 0


def import_cases(args: argparse.Namespace) -> int:
    """Add or update cases from a CSV; nothing is imported if any row is bad."""
    try:
        text = args.csv.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([f"{args.csv}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{args.csv}: not UTF-8 text"]) from None
    with open_repository(args) as repo:
        inspection_id = choose_inspection(repo, args)
        rows = parse_cases_csv(text, str(args.csv), repo.questionnaire(inspection_id))
        added = sum(not repo.has_case(inspection_id, ref) for ref, _ in rows)
        for reference, attributes in rows:
            repo.save_case(inspection_id, reference, attributes)
    print(f"{args.csv}: {added} cases added, {len(rows) - added} updated in {inspection_id}")
    return 0


def list_inspections(args: argparse.Namespace) -> int:
    """A table of the database's inspections with their progress."""
    with open_repository(args, readonly=True) as repo:
        table = Table(title=str(repo.path), title_justify="left")
        for column in ("Inspection", "Area", "Questionnaire", "Cases", "Answered"):
            table.add_column(column)
        for inspection in repo.inspections():
            engine = repo.tally(inspection.id)
            # every question, prompts too: they are answered like any other, though not scored
            counts = [engine.question_counts(q.id) for q in engine.questionnaire.questions]
            relevant = sum(c.relevant for c in counts)
            answered = relevant - sum(c.unanswered for c in counts)
            table.add_row(inspection.id, inspection.area,
                          f"{inspection.questionnaire_id} v{inspection.questionnaire_version}",
                          str(len(repo.cases(inspection.id))), f"{answered} of {relevant}")
    if not repo.inspections():
        raise UsageError(f"{repo.path}: holds no inspection yet (create one with `esi-tui new`)")
    Console().print(table)
    return 0


