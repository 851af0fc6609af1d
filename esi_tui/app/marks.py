"""How each answer state looks on screen: one mark and one style per state."""

from __future__ import annotations

from rich.text import Text

from esi_tui.core.formatting import format_score, round_half_up

MARKS = {
    "positive": ("✔", "green"),
    "negative": ("✘", "red"),
    "not_applicable": ("–", "cyan"),
    "unanswered": ("·", "yellow"),
    "not_relevant": (" ", "dim"),
}
LABELS = {
    "positive": "positive",
    "negative": "negative",
    "not_applicable": "not applicable",
    "unanswered": "unanswered",
    "not_relevant": "not relevant",
}


def mark(state: str) -> Text:
    """The status mark of a question for a case."""
    symbol, style = MARKS[state]
    return Text(symbol, style=f"bold {style}" if style != "dim" else style)


def bar(score: float | None, width: int = 10) -> Text:
    """A horizontal bar for a percentage, coloured by how good it is."""
    if score is None:
        return Text("░" * width, style="dim")
    filled = round(score / 100 * width)
    style = "green" if score >= 80 else "yellow" if score >= 65 else "dark_orange" if score >= 50 else "red"
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def change_text(change: float | None) -> Text:
    """A signed change in points, green when up and red when down."""
    if change is None:
        return Text("–", style="dim")
    rounded = round_half_up(change)
    if rounded > 0:
        return Text(f"▲+{rounded}", style="green")
    if rounded < 0:
        return Text(f"▼−{-rounded}", style="red")
    return Text("±0")


def score_text(score: float | None) -> Text:
    """A score as a whole percentage, or a dim dash."""
    return Text(format_score(score), style="bold" if score is not None else "dim")
