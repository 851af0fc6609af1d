"""`esi-tui demo`: a ready demo inspection, opened in the app."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from esi_tui.commands.common import reviewer
from esi_tui.core.demo import (
    DEMO_AREA, DEMO_BASELINE, DEMO_INSPECTION, DEMO_QUESTION_BASELINE, demo_answers, demo_cases)
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

DEMO_QUESTIONNAIRE = "esi-2005-followup"


def build_demo(path: Path) -> None:
    """Create the demo inspection in `path` unless it is already there."""
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
        for case, question, value in demo_answers(questionnaire, cases):
            repo.set_answer(DEMO_INSPECTION, case, question, value, reviewer="demo")


def demo(args: argparse.Namespace) -> int:
    """Build the demo database (a fresh temporary one unless --db is given) and open it."""
    path = getattr(args, "db", None)
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="esi-tui-demo-")) / "demo.json"
    build_demo(path)
    if args.no_open:
        print(path)
        return 0
    from esi_tui.commands.tui import tui

    args.db = path
    args.inspection = DEMO_INSPECTION
    status = tui(args)
    print(f"demo database kept in {path}")
    return status
