"""`esi-tui list`: the inspections in a database, with the counts the app's inspections screen shows."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import open_repository
from esi_tui.commands.errors import UsageError
from esi_tui.commands.grid import Column, Grid, emit
from esi_tui.core.completion import cases_complete


def list_inspections(args: argparse.Namespace) -> int:
    """A table of the database's inspections: cases, cases the team finished, answers (as the app counts them)."""
    with open_repository(args, readonly=True) as repo:
        grid = Grid(repo.name, [Column("Inspection"), Column("Area"), Column("Cases", numeric=True),
                                Column("Complete", numeric=True), Column("Answers", numeric=True),
                                Column("Questionnaire")])
        inspections = repo.inspections()
        for inspection in inspections:
            cases = repo.cases(inspection.id)
            complete = cases_complete(cases, repo.settings(inspection.id)["double_review"])
            grid.add(inspection.id, inspection.area, str(len(cases)), f"{complete} of {len(cases)}",
                     f"{repo.answer_count(inspection.id):,}",
                     f"{inspection.questionnaire_id} v{inspection.questionnaire_version}")
    if not inspections:
        raise UsageError(f"{repo.name}: holds no inspection yet (create one with `esi-tui new`)")
    emit(grid, args.format)
    return 0
