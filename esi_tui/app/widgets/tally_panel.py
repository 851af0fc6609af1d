"""The live tally panel: per criterion score, X of Y, baseline, change, bar and band."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from esi_tui.app.marks import bar, change_text, score_text
from esi_tui.core.summary import plural, x_of_y
from esi_tui.core.tally import TallyEngine


class TallyPanel(Static):
    """Criterion tallies for the whole inspection, redrawn after every answer."""

    def show(self, engine: TallyEngine, disputes: int | None = None) -> None:
        """Draw the current tallies of `engine` (skipped when no count changed) and the number of
        disagreements still open (by default the engine's count)."""
        criteria = engine.criteria()
        if disputes is None:
            disputes = engine.open_disagreements()
        key = (tuple((c.code, tuple(c.counts.as_dict().values()), c.baseline) for c in criteria), disputes)
        if key == getattr(self, "_drawn", None):
            return
        self._drawn = key
        table = Table(box=None, expand=True, padding=(0, 1), pad_edge=False, show_edge=False,
                      header_style="bold")
        table.add_column("", no_wrap=True, min_width=3)
        table.add_column("Now", justify="right", no_wrap=True, min_width=4)
        table.add_column("X of Y", justify="right", no_wrap=True, min_width=9)
        table.add_column("Base", justify="right", no_wrap=True, min_width=4)
        table.add_column("Chg", justify="right", no_wrap=True, min_width=4)
        table.add_column("", no_wrap=True, min_width=6)
        table.add_column("Rating", no_wrap=True, overflow="ellipsis")
        for tally in criteria:
            table.add_row(
                Text(tally.code, style="bold"), score_text(tally.score), x_of_y(tally.counts),
                score_text(tally.baseline), change_text(tally.change), bar(tally.score, 6), tally.band or "",
            )
        rows = len(criteria) + (2 if disputes else 1)
        layout, self._rows = rows != getattr(self, "_rows", None), rows
        if disputes:
            note = Text(f"{plural(disputes, 'disagreement')} between reviewers not moderated yet",
                        style="yellow")
            self.update(Group(table, note), layout=layout)
        else:
            self.update(table, layout=layout)

    def show_blind(self, reference: str) -> None:
        """Hide the tallies while a blind double review of this case is under way."""
        self._drawn = None
        self._rows = None
        self.update(Text(f"Tallies are hidden while {reference} is under blind double review: they would show "
                         "the other reviewer's answers. They return when both reviewers have finished.",
                         style="italic"))
