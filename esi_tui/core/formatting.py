"""How numbers read on every screen and in every output: whole percentages rounded half up, changes,
'X of Y', intervals and plurals."""

from __future__ import annotations

import math

from esi_tui.core.stats import wilson_interval
from esi_tui.core.tally import Counts

NO_COMPARISON = "no direct comparison"


def x_of_y(counts: Counts) -> str:
    """'14 of 16' — positive answers of those that count."""
    return f"{counts.positive} of {counts.counted}"


def format_score(value: float | None) -> str:
    """A score as a whole percentage rounded half up (87.5 → '88%', 62.5 → '63%'), or an en dash.

    f"{v:.0f}" rounds half to even (62.5 → '62%'); rounding to 9 places first undoes float noise
    such as 100 * 29 / 200 == 14.499999999999998.
    """
    return "–" if value is None else f"{round_half_up(value)}%"


def round_half_up(value: float) -> int:
    """Round as a person would (62.5 → 63, −2.5 → −3), ignoring float noise."""
    magnitude = math.floor(abs(round(value, 9)) + 0.5)
    return magnitude if value >= 0 else -magnitude


def format_change(value: float | None, comparable: bool = True) -> str:
    """A signed change in percentage points ('+29'), an en dash, or 'no direct comparison'."""
    if not comparable:
        return NO_COMPARISON
    if value is None:
        return "–"
    rounded = round_half_up(value)
    return f"+{rounded}" if rounded > 0 else (f"−{-rounded}" if rounded < 0 else "±0")


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 disagreement', '2 disagreements'."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def interval_cell(counts: Counts) -> str:
    """The 95% Wilson interval of a score, '64–96%', or an en dash."""
    interval = wilson_interval(counts.positive, counts.counted)
    return "–" if interval is None else f"{round_half_up(interval[0])}–{round_half_up(interval[1])}%"
