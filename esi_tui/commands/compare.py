"""`esi-tui compare`: areas side by side (inspections of one questionnaire), with the region summed."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from esi_tui.commands.common import open_repository
from esi_tui.commands.regional import inspection_ids, open_areas, rolled_up
from esi_tui.core.compare import compare as compare_areas
from esi_tui.core.tally_json import tally_document


def compare(args: argparse.Namespace) -> int:
    """Print each area's score, X of Y, rating, change from its own baseline and interval, per item."""
    with open_repository(args, readonly=True) as repo:
        ids = inspection_ids(repo, args, every=True)
        questionnaire, areas = open_areas(repo, ids)
    if args.json:
        document = {
            "inspections": ids,
            "areas": [{"area": area.inspection.area, **tally_document(area.engine, area.inspection.id)}
                      for area in areas],
            "region": tally_document(rolled_up(questionnaire, areas), None, ids) if len(areas) > 1 else None,
        }
        print(json.dumps(document, ensure_ascii=False))
        return 0
    from esi_tui.commands.tables import compare_table

    comparison = compare_areas(questionnaire, [(area.name, area.engine) for area in areas])
    Console().print(compare_table(comparison, ci=not args.no_ci))
    return 0
