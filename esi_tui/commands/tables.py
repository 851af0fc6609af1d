"""Rich renderings of tallies for the command line."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from esi_tui.core.compare import CRITERION, PROMPT, Comparison
from esi_tui.core.formatting import format_change, format_score, interval_cell, x_of_y
from esi_tui.core.ratings import (
    by_key_question,
    criterion_score_text,
    question_band,
    question_score_text,
)
from esi_tui.core.rollup import RollUp
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import overall_of


def change_text(change: float | None, comparable: bool = True) -> Text:
    """A signed change coloured green when up and red when down ('no direct comparison' when not comparable)."""
    style = "" if change is None or round(change) == 0 else ("green" if change > 0 else "red")
    return Text(format_change(change, comparable), style=style if comparable else "italic")


def rating_cell(tally, lowest: bool) -> str:
    """The band, and where key questions rate the criterion the one that did: 'Good (lowest C3, 71%)'."""
    rating = tally.rating
    if not lowest or rating is None or rating.question is None:
        return tally.band or "–"
    return f"{tally.band or '–'} (lowest {rating.question}, {rating.basis_text()})"


def tally_table(engine: TallyEngine | RollUp, title: str, by_question: bool = False, ci: bool = False) -> Table:
    """Per criterion (and optionally per question): score, X of Y, N/A, open (unanswered), baseline, change, rating.

    Prompts are indented under their key question. Where key questions rate their criterion
    (lowest_question) the rating names the one that did, and key questions show their own band.
    """
    questionnaire = engine.questionnaire
    lowest = by_key_question(questionnaire)
    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    table.add_column("Criterion", no_wrap=True, overflow="ellipsis", min_width=8, max_width=30)
    for header, width in (("Score", 5), ("X of Y", 10), ("N/A", 3), ("Open", 4), ("Base", 4), ("Change", 6)):
        table.add_column(header, justify="right", no_wrap=True, min_width=width)
    if ci:
        table.add_column("95% CI", justify="right", no_wrap=True)
    table.add_column("Rating", no_wrap=True, overflow="fold")
    for tally in engine.criteria():
        counts = tally.counts
        table.add_row(
            Text(f"{tally.code} {tally.title}", style="bold"), criterion_score_text(questionnaire, counts),
            x_of_y(counts), str(counts.not_applicable), str(counts.unanswered), format_score(tally.baseline),
            change_text(tally.change, tally.comparable), *([interval_cell(counts)] if ci else []),
            rating_cell(tally, lowest),
        )
        if by_question:
            for qid, qcounts, baseline in tally.questions:
                question = questionnaire.question(qid)
                change = None if qcounts.score is None or baseline is None else qcounts.score - baseline
                band = question_band(questionnaire, qid, qcounts) or ""
                table.add_row(
                    f"    {qid}" if question.prompt_of else f"  {qid}",
                    question_score_text(questionnaire, qid, qcounts), x_of_y(qcounts),
                    str(qcounts.not_applicable), str(qcounts.unanswered), format_score(baseline),
                    change_text(change), *([interval_cell(qcounts)] if ci else []),
                    band if question.scored else "prompt",
                )
    return table


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
