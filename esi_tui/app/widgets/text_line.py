"""One line of Rich text drawn as a Textual strip, for the widgets that draw their own lines."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

T = TypeVar("T")


def text_line(text: Text, width: int, style: Style, console: Console) -> Strip:
    """`text` cut to `width` with an ellipsis, padded to it, on `style` (the text's own styles win)."""
    line = text.copy()
    line.truncate(width, overflow="ellipsis")
    segments = line.render(console)
    if line.style:  # Text.render leaves out the text's own style when it has no spans ("italic" facts)
        segments = Segment.apply_style(segments, console.get_style(line.style))
    return Strip(segments, line.cell_len).extend_cell_length(width, style).apply_style(style)


class LineStrips:
    """The strips of a widget's lines, each made again only when its text, width or style changed.

    A repaint (a scroll, the cursor moving) draws lines that did not change: they come from here."""

    def __init__(self) -> None:
        self._strips: dict[Hashable, tuple[Text, int, Style, Strip]] = {}

    def strip(self, key: Hashable, text: Text, width: int, style: Style, console: Console) -> Strip:
        """The strip of the line `key` showing `text` (the same object as before, or it is drawn again)."""
        cached = self._strips.get(key)
        if cached is not None and cached[0] is text and cached[1] == width and cached[2] == style:
            return cached[3]
        strip = text_line(text, width, style, console)
        self._strips[key] = (text, width, style, strip)
        return strip

    def clear(self) -> None:
        """Forget every strip (the lines were built again)."""
        self._strips.clear()


class FrameStyle(Generic[T]):
    """A widget's style for the lines of one frame, worked out at its first use: each lookup walks the DOM,
    and most frames draw none of the widget's lines (the compositor asks every widget for its lines)."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._value: T | None = None

    def reset(self) -> None:
        """A new frame: work the style out again when a line is drawn."""
        self._value = None

    def __call__(self) -> T:
        if self._value is None:
            self._value = self._compute()
        return self._value
