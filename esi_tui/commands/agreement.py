"""`esi-tui agreement`: percent agreement and Cohen's kappa per question, criterion and pair."""

from __future__ import annotations

import argparse
import json

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.core.agreement import questionnaire_agreement


def agreement(args: argparse.Namespace) -> int:
    """Print the agreement table (or JSON)."""
    with open_repository(args, readonly=True) as repo:
        inspection_id = choose_inspection(repo, args)
        questionnaire = repo.questionnaire(inspection_id)
        ratings = repo.ratings(inspection_id)
        # the same count as the tallies show: unmoderated, on questions that apply to the case
        open_count = repo.tally(inspection_id).open_disagreements()
    rows = questionnaire_agreement(questionnaire, ratings)
    if args.json:
        print(json.dumps({"inspection": inspection_id, "open_disagreements": open_count,
                          "agreement": [row.as_dict() for row in rows]}, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not rows:
        console.print(f"{inspection_id}: no case has been answered by two reviewers yet.")
        return 0
    table = Table(title=f"Agreement between reviewers — {inspection_id}", title_justify="left")
    for column in ("Reviewers", "Scope", "Items", "Agreed", "Kappa", "Meaning"):
        table.add_column(column, justify="right" if column in ("Items", "Agreed", "Kappa") else "left")
    for row in rows:
        if row.scope == "question" and not getattr(args, "by_question", True):
            continue
        kappa = "–" if row.kappa is None else f"{row.kappa:.2f}"
        table.add_row(f"{row.reviewer_a} · {row.reviewer_b}", row.key if row.scope != "pair" else "all",
                      str(row.items), f"{row.percent:.0f}%", kappa, row.band)
    console.print(table)
    console.print(f"{open_count} disagreements are not moderated yet.")
    return 0
