"""The `esi-tui tally --json` document: per criterion and question counts, scores, ratings and the overall rating."""

from __future__ import annotations

from typing import TYPE_CHECKING

from esi_tui.core.ratings import OverallRating, overall_rating
from esi_tui.core.tally import Counts, CriterionTally, TallyEngine

if TYPE_CHECKING:
    from esi_tui.core.rollup import RollUp


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
