"""`esi-tui demo`: a ready demo inspection, opened in the app."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from esi_tui.commands.common import reviewer
from esi_tui.commands.errors import UsageError
from esi_tui.core.demo_sets import demo_set
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

DEMO_QUESTIONNAIRE = "esi-2005-followup"
#: who gave the demo's answers: a fictional colleague, never the person trying the demo
DEMO_REVIEWER = "Jo Bloggs (demo)"


def build_demo(path: Path, reviewer: str = DEMO_REVIEWER, questionnaire_ref: str | None = None) -> str:
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
                # finished by the colleague who answered it: another reviewer's own view shows it not started
                repo.set_complete(made.inspection, reference, reviewer=reviewer)
    return made.inspection


def demo(args: argparse.Namespace) -> int:
    """Build the demo database (a fresh temporary one unless --db names a new file) and open it as you: the
    demo's answers are a fictional colleague's."""
    path = getattr(args, "db", None)
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="esi-tui-demo-")) / "demo.json"
    else:
        journal = path.with_name(path.name + ".journal")
        if path.exists() or journal.exists():
            raise UsageError(f"{path}: already exists; esi-tui demo writes only a database it creates "
                             "(leave out --db for a temporary one, or name a new file)")
    me = reviewer(args)   # checked before anything is written
    inspection = build_demo(path, DEMO_REVIEWER, getattr(args, "questionnaire", None))
    if args.no_open:
        print(path)
        return 0
    from esi_tui.commands.tui import tui

    args.db = path
    args.inspection = inspection
    args.reviewer = me
    status = tui(args)
    print(f"demo database kept in {path}")
    return status
