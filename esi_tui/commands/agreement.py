"""`esi-tui agreement`: agreement coefficients per question, criterion and overall, per pair and for all."""

from __future__ import annotations

import argparse
import json

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.core.agreement import (
    BIAS_GAP,
    HIGH_PREVALENCE,
    MIN_SHARED_CASES,
    STATISTICS,
    AgreementRow,
    questionnaire_agreement,
)
from esi_tui.core.formatting import plural


def agreement_document(inspection_id: str, open_count: int, rows: list[AgreementRow]) -> dict:
    """The `agreement --json` object."""
    return {"inspection": inspection_id, "open_disagreements": open_count,
            "thresholds": {"min_shared_cases": MIN_SHARED_CASES, "high_prevalence": HIGH_PREVALENCE,
                           "bias_gap": BIAS_GAP},
            "agreement": [row.as_dict() for row in rows]}


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
        print(json.dumps(agreement_document(inspection_id, open_count, rows), ensure_ascii=False))
        return 0
    from rich.console import Console

    from esi_tui.commands.grid import Column, Grid, emit

    console = Console()
    if not rows:
        console.print(f"{inspection_id}: no case has been answered by two reviewers yet.")
        return 0
    grid = Grid(f"Agreement between reviewers — {inspection_id}",
                [Column("Reviewers"), Column("Scope"),
                 *(Column(h, numeric=True) for h in ("Cases", "Items", *(short for _, _, short in STATISTICS))),
                 Column("Look out")])
    for row in rows:
        grid.add(row.label, "all" if row.scope == "overall" else row.key, str(row.cases), str(row.items),
                 *(row.cell(key) for key, _, _ in STATISTICS), ", ".join(row.tags()))
    if args.format != "table":
        emit(grid, args.format)
        return 0
    emit(grid)
    console.print("– is undefined (no variation) or not given; Kappa is Cohen's, for pairs only. "
                  "What each figure means, for all questions:")
    for row in rows:
        if row.scope != "overall":
            continue
        console.print(f"\n[bold]{row.label}[/bold]: {plural(row.cases, 'case')}, {plural(row.items, 'item')} "
                      "rated by two or more", highlight=False)
        readings = row.readings()
        for key, label, _ in STATISTICS:
            console.print(f"  {label} {row.cell(key)}: {readings[key]}", highlight=False)
        for warning in row.warnings():
            console.print(f"  [yellow]! {warning}[/yellow]", highlight=False)
    console.print(f"\n{open_count} disagreements are not moderated yet.")
    return 0
