"""`esi-tui demo`: a ready demo inspection, opened in the app."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from esi_tui.commands.common import reviewer
from esi_tui.core.demo_sets import demo_set
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

DEMO_QUESTIONNAIRE = "esi-2005-followup"


def build_demo(path: Path, reviewer: str = "demo", questionnaire_ref: str | None = None) -> str:
    """Create the demo inspection of a questionnaire (the 2005 follow-up by default) in `path` unless it
    is already there; answers are `reviewer`'s. Returns the inspection's id."""
    questionnaire = find_questionnaire(questionnaire_ref or DEMO_QUESTIONNAIRE)
    made = demo_set(questionnaire)
    with Repository.open(path) as repo:
        if repo.has_inspection(made.inspection):
            return made.inspection
        repo.create_inspection(
            made.inspection, questionnaire, title=made.title, area=made.area,
            baseline=dict(made.baseline), question_baseline=dict(made.question_baseline))
        cases = made.cases(questionnaire)
        for reference, attributes in cases:
            repo.save_case(made.inspection, reference, attributes)
        answers = made.answers(questionnaire, cases)
        for case, question, value in answers:
            repo.set_answer(made.inspection, case, question, value, reviewer=reviewer)
        engine = repo.tally(made.inspection)
        for reference, _ in cases:
            states = engine.case_states(reference).values()
            if any(s != "not_relevant" for s in states) and "unanswered" not in states:
                repo.set_complete(made.inspection, reference)
    return made.inspection


def demo(args: argparse.Namespace) -> int:
    """Build the demo database (a fresh temporary one unless --db is given) and open it."""
    path = getattr(args, "db", None)
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="esi-tui-demo-")) / "demo.json"
    inspection = build_demo(path, reviewer(args), getattr(args, "questionnaire", None))
    if args.no_open:
        print(path)
        return 0
    from esi_tui.commands.tui import tui

    args.db = path
    args.inspection = inspection
    status = tui(args)
    print(f"demo database kept in {path}")
    return status
