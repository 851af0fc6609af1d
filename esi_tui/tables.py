"""Rich renderings of tallies for the command line."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from esi_tui.core.stats import wilson_interval
from esi_tui.core.summary import format_change, format_score, round_half_up, x_of_y
from esi_tui.core.tally import TallyEngine


def change_text(change: float | None) -> Text:
    """A signed change coloured green when up and red when down."""
    style = "" if change is None or round(change) == 0 else ("green" if change > 0 else "red")
    return Text(format_change(change), style=style)


def interval_cell(counts) -> str:
    """The 95% Wilson interval of a score, '64–96%', or an en dash."""
    interval = wilson_interval(counts.positive, counts.counted)
    return "–" if interval is None else f"{round_half_up(interval[0])}–{round_half_up(interval[1])}%"


def tally_table(engine: TallyEngine, title: str, by_question: bool = False, ci: bool = False) -> Table:
    """Per criterion (and optionally per question): score, X of Y, N/A, open (unanswered), baseline, change, rating."""
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
            Text(f"{tally.code} {tally.title}", style="bold"), format_score(tally.score), x_of_y(counts),
            str(counts.not_applicable), str(counts.unanswered), format_score(tally.baseline),
            change_text(tally.change), *([interval_cell(counts)] if ci else []), tally.band or "–",
        )
        if by_question:
            for qid, qcounts, baseline in tally.questions:
                change = None if qcounts.score is None or baseline is None else qcounts.score - baseline
                table.add_row(
                    f"  {qid}", format_score(qcounts.score), x_of_y(qcounts), str(qcounts.not_applicable),
                    str(qcounts.unanswered), format_score(baseline), change_text(change),
                    *([interval_cell(qcounts)] if ci else []), "",
                )
    return table
