"""The live tally panel: per criterion score, X of Y, baseline, change, bar and band."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from esi_tui.app.marks import STYLE_CLASSES, NamedStyles, bar, change_text, score_text
from esi_tui.app.widgets.text_line import FrameStyle, LineStrips
from esi_tui.core.formatting import NO_COMPARISON, plural, x_of_y
from esi_tui.core.ratings import by_key_question, criterion_score_text
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import overall_of

NOT_COMPARED = "n/c"  # the change column's short form of "no direct comparison"

HEADINGS = ("", "Now", "X of Y", "Base", "Chg", "", "Rating")
MIN_WIDTHS = (3, 4, 9, 4, 4, 6)
RIGHT = (False, True, True, True, True, False)


class TallyPanel(Widget):
    """Criterion tallies for the whole inspection, redrawn after every answer.

    Where key questions rate their criterion (lowest_question) the rating names the one that did
    ('Good · C3 71%'); an overall rating, where the questionnaire has one, is the line under the rows.

    It draws its own lines, so an answer repaints the row of the criterion it moved (and the
    disagreements line if that changed), not the whole table.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[Text] = []
        self._keys: list[tuple] = []  # what each line shows, to compare with the next drawing
        self._row_of: dict[tuple, Text] = {}
        self._wrap = False  # the lines are a message to wrap, not table rows
        self._drawn: tuple | None = None
        self._cells_of: dict[str, tuple[tuple, list[Text]]] = {}
        self._wrapped_at: tuple[int, list[Text]] | None = None
        self._strips = LineStrips()
        self._frame_style = FrameStyle(lambda: self.rich_style)
        #: the named styles from esi.tcss, resolved once (a criterion's cells are made again after most answers)
        self.named = NamedStyles(self)

    def show(self, engine: TallyEngine, disputes: int | None = None) -> None:
        """Draw the current tallies of `engine` (skipped when no count changed) and the number of
        disagreements still open (by default the engine's count)."""
        criteria = engine.criteria()
        if disputes is None:
            disputes = engine.open_disagreements()
        keys = tuple((c.code, tuple(c.counts.as_dict().values()), c.baseline, c.comparable,
                      c.rating.question if c.rating else None, c.rating.basis if c.rating else None)
                     for c in criteria)
        if (keys, disputes) == self._drawn:
            return
        self._drawn = (keys, disputes)
        lowest = by_key_question(engine.questionnaire)
        cells = [self._cells(engine.questionnaire, tally, key, lowest) for tally, key in zip(criteria, keys)]
        widths = tuple(max([minimum, len(HEADINGS[n])] + [row[n].cell_len for row in cells])
                       for n, minimum in enumerate(MIN_WIDTHS))
        lines = [self._row(("heading", widths), [Text(h, style="bold") for h in HEADINGS], widths)]
        lines += [self._row((key, widths), row, widths) for key, row in zip(keys, cells)]
        overall = overall_of(engine, criteria).describe() if engine.questionnaire.overall_bands else ""
        if overall:
            lines.append((("overall", overall), Text(overall, style="bold")))
        apart = [c.code for c in criteria if not c.comparable]
        if apart:
            lines.append((("apart", tuple(apart)), Text(f"{NOT_COMPARED}: {NO_COMPARISON} with the baseline "
                                                        f"({', '.join(apart)})", style="dim italic")))
        if disputes:
            lines.append((("disputes", disputes),
                          Text(f"{plural(disputes, 'disagreement')} between reviewers not moderated yet",
                               style=self.named("warning"))))
        self._set_lines(lines, wrap=False)

    def _cells(self, questionnaire, tally, key: tuple, lowest: bool) -> list[Text]:
        """A criterion's cells, made again only when its counts changed (an answer moves one)."""
        cached = self._cells_of.get(tally.code)
        if cached is None or cached[0] != key:
            score = Text(criterion_score_text(questionnaire, tally.counts),
                         style="bold" if tally.score is not None else "dim")
            styles = self.named
            change = change_text(tally.change, styles) if tally.comparable else Text(NOT_COMPARED, style="dim italic")
            rating = Text(tally.band or "")
            if lowest and tally.rating is not None and tally.rating.question is not None:
                rating.append(f" · {tally.rating.question} {tally.rating.basis_text()}", style="dim")
            cells = [Text(tally.code, style="bold"), score, Text(x_of_y(tally.counts)),
                     score_text(tally.baseline), change, bar(tally.score, 6, styles), rating]
            cached = self._cells_of[tally.code] = (key, cells)
        return cached[1]

    def _row(self, key: tuple, cells: list[Text], widths: tuple[int, ...]) -> tuple[tuple, Text]:
        """One table row: fixed-width columns a space apart; the last one takes what is left."""
        old = self._row_of.get(key)
        if old is not None:
            return key, old
        line = Text(no_wrap=True, overflow="ellipsis")
        for cell, width, right in zip(cells, widths, RIGHT):
            gap = " " * (width - cell.cell_len)
            line.append_text(Text(gap) + cell if right else cell + Text(gap))
            line.append(" ")
        line.append_text(cells[-1])
        return key, line

    def notify_style_update(self) -> None:
        self.named.forget()  # a theme or CSS change: resolve the named styles, and make the cells, again
        self._cells_of.clear()
        super().notify_style_update()

    def forget(self) -> None:
        """Draw everything afresh at the next show (a new theme: the kept rows hold the old colours)."""
        self.named.forget()
        self._drawn = None
        self._cells_of.clear()
        self._row_of = {}
        self._keys = []
        self._strips.clear()

    def show_blind(self, reference: str) -> None:
        """Hide the tallies while a blind double review of this case is under way."""
        self._drawn = None
        message = Text(f"Tallies are hidden while {reference} is under blind double review: they would show the "
                       "other reviewer's answers. They return when both reviewers have finished.", style="italic")
        self._set_lines([(("blind", reference), message)], wrap=True)

    def _set_lines(self, lines: list[tuple[tuple, Text]], wrap: bool) -> None:
        """Take new (key, line) pairs, repainting only the lines whose key changed when the shape stays
        the same."""
        old = self._keys
        self._keys = [key for key, _ in lines]
        self._lines = [line for _, line in lines]
        self._row_of = dict(lines)
        self._wrapped_at = None
        if wrap or self._wrap or len(old) != len(lines):
            self._wrap = wrap
            self.refresh(layout=True)
            return
        width = self.content_size.width
        changed = [Region(0, y, width, 1)
                   for y, (before, after) in enumerate(zip(old, self._keys)) if before != after]
        if changed:
            self.refresh(*changed)

    def _wrapped(self, width: int) -> list[Text]:
        if not self._wrap:
            return self._lines
        if self._wrapped_at is None or self._wrapped_at[0] != width:
            wrapped = [line for text in self._lines for line in text.wrap(self.app.console, max(width, 1))]
            self._wrapped_at = (width, wrapped)
        return self._wrapped_at[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style.reset()  # worked out once for the lines of this frame, if it draws any
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self._wrapped(width)
        style = self._frame_style()
        if y >= len(lines):
            return Strip.blank(width, style)
        return self._strips.strip(y, lines[y], width, style, self.app.console)
