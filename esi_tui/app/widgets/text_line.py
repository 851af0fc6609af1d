"""One line of Rich text drawn as a Textual strip, for the widgets that draw their own lines."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_line(text: Text, width: int, style: Style, console: Console) -> Strip:
    """`text` cut to `width` with an ellipsis, padded to it, on `style` (the text's own styles win)."""
    line = text.copy()
    line.truncate(width, overflow="ellipsis")
    return Strip(line.render(console), line.cell_len).extend_cell_length(width, style).apply_style(style)
