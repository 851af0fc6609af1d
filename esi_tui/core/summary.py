"""Tallies as plain data: the `tally --json` document and the parts screens and reports share."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from esi_tui.core.ratings import OverallRating, overall_rating
from esi_tui.core.tally import Counts, CriterionTally, TallyEngine

if TYPE_CHECKING:
    from esi_tui.core.rollup import RollUp

NO_COMPARISON = "no direct comparison"


def percent(value: float | None, places: int = 1) -> float | None:
    """A percentage rounded for output, or None."""
    return None if value is None else round(value, places)


def question_document(qid: str, counts: Counts, baseline: float | None = None, scored: bool = True) -> dict:
    """One question's counts and score as JSON-ready data; `scored` false for a prompt."""
    doc: dict = {"id": qid, **counts.as_dict(), "score": percent(counts.score), "scored": scored}
    if baseline is not None:
        doc["baseline"] = percent(baseline)
    return doc


def overall_of(engine: TallyEngine | RollUp, tallies: list[CriterionTally] | None = None) -> OverallRating:
    """The overall rating of an engine's (or a roll-up's) criteria."""
    tallies = engine.criteria() if tallies is None else tallies
    return overall_rating(engine.questionnaire, [(t.code, t.rating) for t in tallies])


def tally_document(engine: TallyEngine | RollUp, inspection_id: str | None,
                   inspections: list[str] | None = None) -> dict:
    """The `esi-tui tally --json` object: per criterion counts, score, baseline, change, rating.

    `engine` may be a RollUp of several inspections (`inspections`); its `inspection` is then null.
    """
    questionnaire = engine.questionnaire
    criteria = []
    tallies = engine.criteria()
    for tally in tallies:
        counts = tally.counts
        rating = tally.rating
        criteria.append({
            "code": tally.code,
            "title": tally.title,
            "positive": counts.positive,
            "negative": counts.negative,
            "not_applicable": counts.not_applicable,
            "unanswered": counts.unanswered,
            "in_dispute": counts.in_dispute,
            "score": percent(tally.score),
            "baseline": percent(tally.baseline),
            "change": percent(tally.change),
            "rating": tally.band,
            "rating_basis": rating.basis_value() if rating else None,
            "rated_by": rating.question if rating else None,
            "points": rating.points if rating else None,
            "comparable": tally.comparable,
            "questions": [question_document(qid, c, b, questionnaire.question(qid).scored)
                          for qid, c, b in tally.questions],
        })
    overall = overall_of(engine, tallies)
    return {"inspection": inspection_id,
            "inspections": list(inspections) if inspections is not None else [inspection_id],
            "open_disagreements": engine.open_disagreements(), "criteria": criteria,
            "overall": {"points": overall.points, "rating": overall.label}}


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
