"""`esi-tui new`: create an inspection from a questionnaire, with its baseline."""

from __future__ import annotations

import argparse
import re
from datetime import date

from esi_tui.commands.common import db_path
from esi_tui.core.parsing import (
    InputError,
    parse_baseline_file,
    parse_baseline_text,
)
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository


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
          f"{args.area}) in {repo.name}")
    return 0
