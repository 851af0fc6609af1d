"""`esi-tui tally`: the criterion tallies as a table or as JSON."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.core.parsing import parse_where
from esi_tui.core.stats import wilson_interval
from esi_tui.core.summary import tally_document


def add_intervals(document: dict) -> None:
    """Add each score's 95% Wilson interval as "interval": [low, high] (or null)."""
    for item in [*document["criteria"], *(q for c in document["criteria"] for q in c["questions"])]:
        interval = wilson_interval(item["positive"], item["positive"] + item["negative"])
        item["interval"] = None if interval is None else [round(interval[0], 1), round(interval[1], 1)]


def tally(args: argparse.Namespace) -> int:
    """Print the tallies of one inspection."""
    with open_repository(args, readonly=True) as repo:
        inspection_id = choose_inspection(repo, args)
        questionnaire = repo.questionnaire(inspection_id)
        case_filter = parse_where(args.where, questionnaire) if args.where else None
        engine = repo.tally(inspection_id, reviewer=args.only_reviewer, case_filter=case_filter)
        inspection = repo.inspection(inspection_id)
    if args.json:
        document = tally_document(engine, inspection_id)
        if args.ci:
            add_intervals(document)
        print(json.dumps(document, ensure_ascii=False))
        return 0
    from esi_tui.tables import tally_table

    title = f"{inspection.title} — {inspection.area} ({inspection_id})"
    Console().print(tally_table(engine, title, by_question=args.by_question, ci=args.ci))
    return 0
