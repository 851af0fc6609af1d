"""`esi-tui tally`: the criterion tallies of one inspection, or of several summed, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from esi_tui.commands.common import open_repository
from esi_tui.commands.regional import inspection_ids, open_areas, rolled_up
from esi_tui.core.parsing import parse_where
from esi_tui.core.stats import wilson_interval
from esi_tui.core.tally_json import tally_document


def add_intervals(document: dict) -> None:
    """Add each score's 95% Wilson interval as "interval": [low, high] (or null)."""
    for item in [*document["criteria"], *(q for c in document["criteria"] for q in c["questions"])]:
        interval = wilson_interval(item["positive"], item["positive"] + item["negative"])
        item["interval"] = None if interval is None else [round(interval[0], 1), round(interval[1], 1)]


def tally(args: argparse.Namespace) -> int:
    """Print the tallies of one inspection, or of several of one questionnaire summed (a roll-up)."""
    with open_repository(args, readonly=True) as repo:
        ids = inspection_ids(repo, args)
        questionnaire = repo.questionnaire(ids[0])
        case_filter = parse_where(args.where, questionnaire) if args.where else None
        questionnaire, areas = open_areas(repo, ids, reviewer=args.only_reviewer, case_filter=case_filter)
    engine = rolled_up(questionnaire, areas)
    fmt = "json" if args.json else args.format
    if fmt == "json":
        document = tally_document(engine, ids[0] if len(ids) == 1 else None, ids)
        if args.ci:
            add_intervals(document)
        print(json.dumps(document, ensure_ascii=False))
        return 0
    from esi_tui.commands.grid import emit
    from esi_tui.commands.tables import overall_line, tally_grid

    if len(areas) == 1:
        inspection = areas[0].inspection
        title = f"{inspection.title} — {inspection.area} ({inspection.id})"
    else:
        title = f"{questionnaire.title}: {len(areas)} inspections summed — " + ", ".join(a.name for a in areas)
    emit(tally_grid(engine, title, by_question=args.by_question, ci=args.ci), fmt)
    line = overall_line(engine)
    if line and fmt == "table":
        print(line)
    return 0
