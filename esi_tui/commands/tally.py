"""`esi-tui tally`: the criterion tallies as a table or as JSON."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.core.parsing import parse_where
from esi_tui.core.summary import tally_document


def tally(args: argparse.Namespace) -> int:
    """Print the tallies of one inspection."""
    with open_repository(args, readonly=True) as repo:
        inspection_id = choose_inspection(repo, args)
        questionnaire = repo.questionnaire(inspection_id)
        case_filter = parse_where(args.where, questionnaire) if args.where else None
        engine = repo.tally(inspection_id, reviewer=args.only_reviewer, case_filter=case_filter)
        inspection = repo.inspection(inspection_id)
    if args.json:
        print(json.dumps(tally_document(engine, inspection_id), ensure_ascii=False))
        return 0
    from esi_tui.tables import tally_table

    title = f"{inspection.title} — {inspection.area} ({inspection_id})"
    Console().print(tally_table(engine, title, by_question=args.by_question))
    return 0
