"""Tallies for the command line: the tally grid (every column whole) and the areas-side-by-side table."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from esi_tui.commands.grid import Column, Grid
from esi_tui.core.compare import CRITERION, PROMPT, Comparison
from esi_tui.core.formatting import format_change, format_score, interval_cell, x_of_y
from esi_tui.core.ratings import (
    by_key_question,
    criterion_score_text,
    question_band,
    question_score_text,
)
from esi_tui.core.rollup import RollUp
from esi_tui.core.stats import rating_text
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import overall_of


def rating_cell(tally, lowest: bool) -> str:
    """The band, and where key questions rate the criterion the one that did: 'Good (lowest C3, 71%)'."""
    rating = tally.rating
    if not lowest or rating is None or rating.question is None:
        return tally.band or "–"
    return f"{tally.band or '–'} (lowest {rating.question}, {rating.basis_text()})"


def tally_grid(engine: TallyEngine | RollUp, title: str, by_question: bool = False, ci: bool = False) -> Grid:
    """Per criterion (and optionally per question, with its text): score, X of Y, N/A, open (unanswered),
    baseline, change, the 95% CI when asked, and the rating (marked borderline beside a CI, as on the
    tallies screen).

    Prompts are indented under their key question. Where key questions rate their criterion
    (lowest_question) the rating names the one that did, and key questions show their own band.
    """
    questionnaire = engine.questionnaire
    lowest = by_key_question(questionnaire)
    bands = questionnaire.bands
    headers = ["Score", "X of Y", "N/A", "Open", "Base", "Change", *(["95% CI"] if ci else [])]
    grid = Grid(title, [Column("Criterion"), *(Column(h, numeric=True) for h in headers), Column("Rating")])
    tallies = engine.criteria()
    for tally in tallies:
        counts = tally.counts
        rating = rating_cell(tally, lowest)
        if ci and tally.band is not None:
            rating = rating.replace(tally.band, rating_text(tally.band, counts.positive, counts.counted, bands)
                                    or tally.band, 1)
        grid.add(f"{tally.code} {tally.title}", criterion_score_text(questionnaire, counts), x_of_y(counts),
                 str(counts.not_applicable), str(counts.unanswered), format_score(tally.baseline),
                 format_change(tally.change, tally.comparable), *([interval_cell(counts)] if ci else []),
                 rating)
        if by_question:
            for qid, qcounts, baseline in tally.questions:
                question = questionnaire.question(qid)
                change = None if qcounts.score is None or baseline is None else qcounts.score - baseline
                band = question_band(questionnaire, qid, qcounts) or ""
                if ci and band:
                    band = rating_text(band, qcounts.positive, qcounts.counted, bands) or band
                margin = "    " if question.prompt_of else "  "
                grid.add(f"{margin}{qid} {question.text}", question_score_text(questionnaire, qid, qcounts),
                         x_of_y(qcounts), str(qcounts.not_applicable), str(qcounts.unanswered),
                         format_score(baseline), format_change(change), *([interval_cell(qcounts)] if ci else []),
                         band if question.scored else "prompt")
    return grid


def overall_line(engine: TallyEngine | RollUp) -> str:
    """'Overall rating: Good (8 points)', why there is none yet, or '' without overall bands."""
    return overall_of(engine).describe()


def compare_table(comparison: Comparison, ci: bool = True) -> Table:
    """Areas side by side: a column per area (and the region), a row per criterion and question."""
    table = Table(title=f"{comparison.questionnaire.title}: areas side by side", title_justify="left",
                  header_style="bold", box=box.SIMPLE_HEAD, show_lines=False)
    table.add_column("Item", no_wrap=True, overflow="ellipsis", min_width=12, max_width=40)
    for heading in comparison.headings:
        table.add_column(heading, no_wrap=True, style="bold" if heading == "Region" and comparison.region else "")
    for row in comparison.rows:
        label = row.label if row.kind == CRITERION else ("    " if row.kind == PROMPT else "  ") + row.label
        cells = ["\n".join(cell.lines(interval=ci)) for cell in row.cells]
        table.add_row(Text(label, style="bold" if row.kind == CRITERION else ""), *cells,
                      end_section=row.kind == CRITERION or row is comparison.rows[-1])
    if any(o.rated for o in comparison.overall):
        table.add_row(Text("Overall", style="bold"),
                      *[o.describe().removeprefix("Overall rating: ") for o in comparison.overall])
    return table
