"""`esi-tui list`: the inspections in a database, with their progress."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from esi_tui.commands.common import open_repository
from esi_tui.commands.errors import UsageError


def list_inspections(args: argparse.Namespace) -> int:
    """A table of the database's inspections with their progress."""
    with open_repository(args, readonly=True) as repo:
        table = Table(title=repo.name, title_justify="left")
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
        raise UsageError(f"{repo.name}: holds no inspection yet (create one with `esi-tui new`)")
    Console().print(table)
    return 0
