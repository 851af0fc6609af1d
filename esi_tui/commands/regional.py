"""Several inspections at once (`--inspection A --inspection B`): checked to share one questionnaire."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from esi_tui.commands.common import choose_inspection
from esi_tui.commands.errors import UsageError
from esi_tui.core.entities import Inspection
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.rollup import RollUp, rollup_problem
from esi_tui.core.tally import TallyEngine
from esi_tui.store.repository import Repository


@dataclass
class Area:
    """One inspection of a roll-up with its tallies."""

    inspection: Inspection
    engine: TallyEngine
    cases: int

    @property
    def name(self) -> str:
        """'Hampshire (hants-2026)', or the id when the area is not recorded."""
        area = self.inspection.area
        return f"{area} ({self.inspection.id})" if area else self.inspection.id


def inspection_ids(repo: Repository, args: argparse.Namespace, every: bool = False) -> list[str]:
    """The inspections named by --inspection (repeatable), else the only one (or, with `every`, all)."""
    wanted = getattr(args, "inspection", None)
    if isinstance(wanted, str):
        wanted = [wanted]
    if not wanted:
        if every and len(repo.inspections()) > 1:
            return [inspection.id for inspection in repo.inspections()]
        return [choose_inspection(repo, argparse.Namespace(inspection=None))]
    for inspection_id in wanted:
        repo.inspection(inspection_id)
    return list(wanted)


def open_areas(repo: Repository, ids: list[str], **options) -> tuple[Questionnaire, list[Area]]:
    """The inspections' questionnaire and their tallies (built with `options`); one questionnaire only."""
    inspections = [repo.inspection(i) for i in ids]
    problem = rollup_problem(inspections)
    if problem:
        raise UsageError(f"{repo.name}: {problem}")
    questionnaire = repo.questionnaire(ids[0])
    areas = [Area(inspection, repo.tally(inspection.id, **options), len(repo.cases(inspection.id)))
             for inspection in inspections]
    return questionnaire, areas


def rolled_up(questionnaire: Questionnaire, areas: list[Area]) -> TallyEngine | RollUp:
    """The one area's engine, or the areas summed."""
    if len(areas) == 1:
        return areas[0].engine
    return RollUp(questionnaire, [area.engine for area in areas])
