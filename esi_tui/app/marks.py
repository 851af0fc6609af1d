"""How each answer state, score and change looks on screen: one mark and one named style for each.

The colours are not here: every widget that draws these declares STYLE_CLASSES as component classes,
and esi.tcss gives each its colour from the theme (so a theme change recolours them all).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text

from esi_tui.core.formatting import format_score, round_half_up

MARKS = {
    "positive": ("✔", "positive"),
    "negative": ("✘", "negative"),
    "not_applicable": ("–", "not-applicable"),
    "unanswered": ("·", "unanswered"),
    "not_relevant": (" ", "muted"),
}
LABELS = {
    "positive": "positive",
    "negative": "negative",
    "not_applicable": "not applicable",
    "unanswered": "unanswered",
    "not_relevant": "not relevant",
}
#: every named style, as the component class esi.tcss styles ("esi--positive")
STYLE_NAMES = ("positive", "negative", "not-applicable", "unanswered", "muted", "good", "fair", "poor", "bad",
               "up", "down", "warning", "done", "blind", "alarm", "flag")
STYLE_CLASSES = {f"esi--{name}" for name in STYLE_NAMES}

Styles = Callable[[str], Style]


class NamedStyles:
    """A widget's named styles (it declares STYLE_CLASSES) as esi.tcss gives them, each resolved once until
    `forget()`, which the widget calls from notify_style_update (a theme or CSS change)."""

    def __init__(self, widget) -> None:
        self._widget = widget
        self._cache: dict[str, Style] = {}

    def __call__(self, name: str) -> Style:
        if name not in self._cache:
            self._cache[name] = self._widget.get_component_rich_style(f"esi--{name}", partial=True)
        return self._cache[name]

    def forget(self) -> None:
        """Resolve every style again on its next use."""
        self._cache.clear()


def styles_of(widget) -> Styles:
    """The named styles as `widget` (which declares STYLE_CLASSES) resolves them from esi.tcss, for one drawing."""
    return NamedStyles(widget)


def plain(_name: str) -> Style:
    """No styles at all (text for a test or a log)."""
    return Style()


def mark(state: str, styles: Styles = plain) -> Text:
    """The status mark of a question for a case."""
    symbol, name = MARKS[state]
    return Text(symbol, style=styles(name))


def bar(score: float | None, width: int = 10, styles: Styles = plain) -> Text:
    """A horizontal bar for a percentage, coloured by how good it is."""
    if score is None:
        return Text("░" * width, style=styles("muted"))
    filled = round(score / 100 * width)
    name = "good" if score >= 80 else "fair" if score >= 65 else "poor" if score >= 50 else "bad"
    return Text("█" * filled, style=styles(name)) + Text("░" * (width - filled), style=styles("muted"))


def change_text(change: float | None, styles: Styles = plain) -> Text:
    """A signed change in points, coloured up or down."""
    if change is None:
        return Text("–", style=styles("muted"))
    rounded = round_half_up(change)
    if rounded > 0:
        return Text(f"▲+{rounded}", style=styles("up"))
    if rounded < 0:
        return Text(f"▼−{-rounded}", style=styles("down"))
    return Text("±0")


def score_text(score: float | None) -> Text:
    """A score as a whole percentage, or a dim dash."""
    return Text(format_score(score), style="bold" if score is not None else "dim")
