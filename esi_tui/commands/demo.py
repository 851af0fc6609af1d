"""`esi-tui demo`: a ready demo inspection, opened in the app."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from esi_tui.commands.common import reviewer
from esi_tui.core.demo import (
    DEMO_AREA,
    DEMO_BASELINE,
    DEMO_INSPECTION,
    DEMO_QUESTION_BASELINE,
    demo_answers,
    demo_cases,
)
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

DEMO_QUESTIONNAIRE = "esi-2005-followup"


def build_demo(path: Path, reviewer: str = "demo") -> None:
    """Create the demo inspection in `path` unless it is already there; answers are `reviewer`'s."""
    with Repository.open(path) as repo:
        if repo.has_inspection(DEMO_INSPECTION):
            return
        questionnaire = find_questionnaire(DEMO_QUESTIONNAIRE)
        repo.create_inspection(
            DEMO_INSPECTION, questionnaire, title="Effective Supervision Inspection follow-up (demo)",
            area=DEMO_AREA, baseline=DEMO_BASELINE, question_baseline=DEMO_QUESTION_BASELINE)
        cases = demo_cases(questionnaire)
        for reference, attributes in cases:
            repo.save_case(DEMO_INSPECTION, reference, attributes)
        answers = demo_answers(questionnaire, cases)
        for case, question, value in answers:
            repo.set_answer(DEMO_INSPECTION, case, question, value, reviewer=reviewer)
        engine = repo.tally(DEMO_INSPECTION)
        for reference, _ in cases:
            states = engine.case_states(reference).values()
            if any(s != "not_relevant" for s in states) and "unanswered" not in states:
                repo.set_complete(DEMO_INSPECTION, reference)


def demo(args: argparse.Namespace) -> int:
    """Build the demo database (a fresh temporary one unless --db is given) and open it."""
    path = getattr(args, "db", None)
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="esi-tui-demo-")) / "demo.json"
    build_demo(path, reviewer(args))
    if args.no_open:
        print(path)
        return 0
    from esi_tui.commands.tui import tui

    args.db = path
    args.inspection = DEMO_INSPECTION
    status = tui(args)
    print(f"demo database kept in {path}")
    return status
