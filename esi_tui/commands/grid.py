"""CLI tables that never drop or cut a column: wrapped on a terminal, plain when piped, or CSV / JSON."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from typing import TextIO

SPACE = "  "  # between columns
SEPARATOR = len(SPACE)
STACK_BELOW = 24  # a first column narrower than this goes on a line of its own
STACK_INDENT = 4  # the figures under a stacked item
FOLD_WIDTH = 12  # the first column's text may break inside a word longer than this


@dataclass
class Column:
    """A column: its heading, and whether it holds figures (right-aligned, never wrapped)."""

    header: str
    numeric: bool = False


@dataclass
class Grid:
    """A table as plain cells, so one table prints as a terminal table, plain text, CSV or JSON alike."""

    title: str
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: str) -> None:
        """Add a row of cells, one per column."""
        self.rows.append([str(c) for c in cells])

    def widths(self) -> list[int]:
        """The widest line of each column, heading included."""
        return [max(len(line) for cell in [col.header, *(r[i] for r in self.rows)] for line in cell.split("\n"))
                for i, col in enumerate(self.columns)]


def longest_word(text: str) -> int:
    """The width a wrapped cell cannot go below: its longest word."""
    return max((len(word) for word in text.split()), default=0)


def text_min_widths(grid: Grid) -> list[int]:
    """How narrow each text column may wrap: its longest word, but a long first column (the item's name,
    where a word may break) no less than FOLD_WIDTH."""
    widths = []
    for i, column in enumerate(grid.columns):
        word = max(longest_word(cell) for cell in [column.header, *(r[i] for r in grid.rows)])
        widths.append(0 if column.numeric else min(word, FOLD_WIDTH) if i == 0 else word)
    return widths


def fitted_widths(grid: Grid, width: int) -> list[int]:
    """Column widths for `width` characters: figures whole; text columns share what is left in proportion
    to their full width, none below its text_min_widths (so the table may be wider than asked, never cut)."""
    natural = grid.widths()
    least = text_min_widths(grid)
    text = [i for i, c in enumerate(grid.columns) if not c.numeric]
    spare = width - SEPARATOR * (len(grid.columns) - 1) - sum(natural[i] for i, c in enumerate(grid.columns)
                                                             if c.numeric)
    widths = list(natural)
    if sum(natural[i] for i in text) <= spare:
        return widths
    for i in text:
        widths[i] = least[i]
    left = spare - sum(least[i] for i in text)
    wants = {i: natural[i] - least[i] for i in text}
    total = sum(wants.values())
    if left > 0 and total:
        for i in text:
            widths[i] += left * wants[i] // total
    return widths


def cell_lines(cell: str, width: int, numeric: bool, fold: bool) -> list[str]:
    """A cell's lines at `width`: figures as they are, text wrapped at words (folding a long word if `fold`)."""
    if numeric:
        return cell.split("\n")
    lines: list[str] = []
    for part in cell.split("\n"):
        indent = " " * min(len(part) - len(part.lstrip()) + 2, width // 2)
        lines += textwrap.wrap(part, width, break_long_words=fold, break_on_hyphens=False,
                               subsequent_indent=indent) if part.strip() else [part]
    return lines or [""]


def block(cells: list[str], columns: list[Column], widths: list[int], indent: str = "") -> list[str]:
    """One row of cells side by side, each wrapped in its width, as lines."""
    wrapped = [cell_lines(cell, w, col.numeric, fold=i == 0) for i, (cell, w, col) in
               enumerate(zip(cells, widths, columns))]
    out = []
    for n in range(max(len(c) for c in wrapped)):
        row = [(c[n] if n < len(c) else "") for c in wrapped]
        out.append(indent + SPACE.join(cell.rjust(w) if col.numeric else cell.ljust(w)
                                       for cell, w, col in zip(row, widths, columns)).rstrip())
    return out


def wrapped_text(grid: Grid, width: int) -> str:
    """The grid in `width` characters: text wraps at words, figures stay whole, every column asked for is
    there. Where the first column would be narrower than STACK_BELOW, each row's item gets a line of its
    own (the full width) and its figures go on the lines below it."""
    widths = fitted_widths(grid, width)
    lines = textwrap.wrap(grid.title, max(width, 20)) if grid.title else []
    if grid.columns[0].numeric or widths[0] >= min(STACK_BELOW, grid.widths()[0]):
        lines += block([c.header for c in grid.columns], grid.columns, widths)
        lines.append(SPACE.join("-" * w for w in widths))
        for row in grid.rows:
            lines += block(row, grid.columns, widths)
        return "\n".join(lines) + "\n"
    rest = Grid("", grid.columns[1:], [row[1:] for row in grid.rows])
    indent = " " * STACK_INDENT
    widths = fitted_widths(rest, width - STACK_INDENT)
    lines += [grid.columns[0].header] + block([c.header for c in rest.columns], rest.columns, widths, indent)
    lines.append(indent + SPACE.join("-" * w for w in widths))
    for row in grid.rows:
        lines += cell_lines(row[0], max(width, FOLD_WIDTH), False, fold=True)
        lines += block(row[1:], rest.columns, widths, indent)
    return "\n".join(lines) + "\n"


def plain_text(grid: Grid) -> str:
    """Aligned columns without borders or colour, every cell whole on one line (for pipes and files)."""
    cells = [[cell.replace("\n", " ") for cell in row] for row in [[c.header for c in grid.columns], *grid.rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(grid.columns))]

    def line(row: list[str]) -> str:
        return SPACE.join(cell.rjust(w) if col.numeric else cell.ljust(w)
                          for cell, w, col in zip(row, widths, grid.columns)).rstrip()

    lines = [grid.title] if grid.title else []
    lines += [line(cells[0]), SPACE.join("-" * w for w in widths)]
    lines += [line(row) for row in cells[1:]]
    return "\n".join(lines) + "\n"


def csv_text(grid: Grid) -> str:
    """The grid as CSV: a header row, then one row per table row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in grid.columns])
    writer.writerows([[cell.replace("\n", " ") for cell in row] for row in grid.rows])
    return out.getvalue()


def json_rows(grid: Grid) -> list[dict[str, str]]:
    """The grid as a list of objects keyed by column heading."""
    return [{c.header: cell.replace("\n", " ") for c, cell in zip(grid.columns, row)} for row in grid.rows]


def emit(grid: Grid, fmt: str = "table", stream: TextIO | None = None, width: int | None = None) -> None:
    """Print the grid: CSV or JSON when asked; on a terminal (or at `width`) wrapped to fit; plain otherwise."""
    out = stream or sys.stdout
    if fmt == "csv":
        out.write(csv_text(grid))
    elif fmt == "json":
        out.write(json.dumps(json_rows(grid), ensure_ascii=False) + "\n")
    elif width is not None or out.isatty():
        out.write(wrapped_text(grid, width or shutil.get_terminal_size().columns))
    else:
        out.write(plain_text(grid))
