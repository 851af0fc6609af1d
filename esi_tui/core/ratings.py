"""Rating rules: the percentage a criterion is banded by, its rounding, band, points and the overall rating.

The one home of these rules. Tallies, `tally --json`, the tables, the app and the report ask here, so
the percentage a reader sees and the percentage that was banded are always one number. Percentages
are exact fractions (129 of 200 is 64.5, not a float near it), so a band edge never moves with float
noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from esi_tui.core.questionnaire import Band, Questionnaire
    from esi_tui.core.tally import Counts

Number = Fraction | float | int
#: decimals a percentage may need before it stops looking like it sits in another band
MAX_PLACES = 4
HALF = Fraction(1, 2)


def percentage(positive: int, counted: int) -> Fraction | None:
    """Positive as an exact percentage of the answers that count; None when none count."""
    return Fraction(100 * positive, counted) if counted else None


def rounded(value: Fraction, rounding: str) -> Fraction:
    """The percentage that is banded: itself ("none"), or the whole number half up ("half_up": 64.5 → 65)."""
    if rounding == "half_up":
        return Fraction(math.floor(value + HALF))
    return value


@lru_cache(maxsize=64)
def _from_the_top(bands: tuple[Band, ...]) -> tuple[tuple[Fraction, Band], ...]:
    """Bands highest first, each with its exact minimum (asked on every answer, so worked out once)."""
    return tuple((Fraction(band.min), band) for band in sorted(bands, key=lambda b: -b.min))


def band_of(bands: Iterable[Band], value: Number | None) -> Band | None:
    """The band a percentage falls in (the highest `min` at or below it), or None."""
    if value is None:
        return None
    exact = value if isinstance(value, Fraction) else Fraction(value)
    for low, band in _from_the_top(tuple(bands)):
        if exact >= low:
            return band
    return None


def _at_places(value: Fraction, places: int) -> Fraction:
    scale = 10 ** places
    return Fraction(math.floor(value * scale + HALF), scale)


def _text(value: Fraction, places: int) -> str:
    scale = 10 ** places
    digits = str(math.floor(value * scale + HALF))
    if places == 0:
        return digits
    digits = digits.rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"


def whole_text(value: Number | None) -> str:
    """A percentage as a whole number rounded half up ('65%'), or an en dash."""
    return "–" if value is None else f"{_text(Fraction(value), 0)}%"


def shown(value: Number | None, bands: Sequence[Band], rounding: str) -> str:
    """A banded percentage as the reader sees it; never a number that would fall in another band.

    With rounding "half_up" the banded value is already whole: it is shown as it is. With "none" it
    is shown as a whole number unless that number sits in another band than the value itself (129 of
    200 is 64.5: '65%' would read as Good while it is rated Requires improvement), and then with as
    many decimals as keep it in its own band ('64.5%'); past MAX_PLACES it is cut, not rounded, so
    it cannot cross an edge.
    """
    if value is None:
        return "–"
    return _shown(Fraction(value), tuple(bands), rounding)


@lru_cache(maxsize=4096)
def _shown(exact: Fraction, bands: tuple[Band, ...], rounding: str) -> str:
    if rounding == "half_up":
        return whole_text(rounded(exact, rounding))
    target = band_of(bands, exact)
    for places in range(MAX_PLACES + 1):
        if band_of(bands, _at_places(exact, places)) == target:
            return f"{_text(exact, places)}%"
    scale = 10 ** MAX_PLACES
    cut = Fraction(math.floor(exact * scale), scale)
    return f"{_text(cut, MAX_PLACES)}%"


@dataclass(frozen=True)
class CriterionRating:
    """How a criterion was rated: by which rule, on which percentage (after rounding), into which band."""

    rule: str
    basis: Fraction | None
    band: Band | None
    question: str | None = None  # lowest_question: the key question whose score decided it
    rounding: str = "none"
    bands: tuple[Band, ...] = ()

    @property
    def label(self) -> str | None:
        """The band's label, or None without a rating."""
        return self.band.label if self.band else None

    @property
    def points(self) -> int | None:
        """The band's points towards an overall rating, or None."""
        return self.band.points if self.band else None

    def basis_value(self) -> int | float | None:
        """The banded percentage for JSON: a whole number after half-up rounding, else as it stands."""
        if self.basis is None:
            return None
        if self.rounding == "half_up":
            return int(self.basis)
        return float(self.basis)

    def basis_text(self) -> str:
        """The banded percentage as shown ('64%', '64.5%')."""
        return shown(self.basis, self.bands, self.rounding)

    def describe(self) -> str:
        """'rated by its lowest key question: C3, 64%' (or its score), for screens and reports."""
        if self.rule == "lowest_question":
            if self.question is None:
                return "not rated yet: none of its key questions has a score"
            return f"rated by its lowest key question: {self.question}, {self.basis_text()}"
        if self.basis is None:
            return "not rated yet: no key question has a score"
        return f"rated by its score over its key questions: {self.basis_text()}"


def rate_counts(questionnaire: Questionnaire, positive: int, counted: int) -> tuple[Fraction | None, Band | None]:
    """The banded percentage of some counts under the questionnaire's rounding, and its band."""
    return _rated(tuple(questionnaire.bands), questionnaire.rating.rounding, positive, counted)


@lru_cache(maxsize=4096)
def _rated(bands: tuple[Band, ...], rounding: str, positive: int, counted: int) -> tuple[Fraction | None, Band | None]:
    # asked for every criterion on every answer: the same counts come back again and again
    value = percentage(positive, counted)
    if value is None:
        return None, None
    value = rounded(value, rounding)
    return value, band_of(bands, value)


def rate_criterion(questionnaire: Questionnaire, code: str, criterion_counts: Counts,
                   question_counts: Callable[[str], Counts]) -> CriterionRating:
    """A criterion's rating by the questionnaire's rule, from its counts (scored questions only)
    and its questions' counts."""
    rules = questionnaire.rating
    bands = tuple(questionnaire.bands)
    if rules.criterion_rule == "lowest_question":
        lowest: tuple[Fraction, str] | None = None
        for question in questionnaire.criterion(code).questions:
            if not question.scored:
                continue
            counts = question_counts(question.id)
            value, _ = rate_counts(questionnaire, counts.positive, counts.counted)
            if value is not None and (lowest is None or value < lowest[0]):
                lowest = (value, question.id)
        if lowest is None:
            return CriterionRating(rules.criterion_rule, None, None, None, rules.rounding, bands)
        return CriterionRating(rules.criterion_rule, lowest[0], band_of(bands, lowest[0]), lowest[1],
                               rules.rounding, bands)
    value, band = rate_counts(questionnaire, criterion_counts.positive, criterion_counts.counted)
    return CriterionRating(rules.criterion_rule, value, band, None, rules.rounding, bands)


def by_key_question(questionnaire: Questionnaire) -> bool:
    """Whether key questions' own scores are banded (lowest_question), rather than the criterion's score."""
    return questionnaire.rating.criterion_rule == "lowest_question"


def criterion_score_text(questionnaire: Questionnaire, counts: Counts) -> str:
    """A criterion's score as shown: as banded under the pooled rule, else a whole percentage."""
    if not by_key_question(questionnaire):
        value, _ = rate_counts(questionnaire, counts.positive, counts.counted)
        return shown(value, questionnaire.bands, questionnaire.rating.rounding)
    return whole_text(percentage(counts.positive, counts.counted))


def question_score_text(questionnaire: Questionnaire, qid: str, counts: Counts) -> str:
    """A question's score as shown: as banded when its key question's score rates the criterion."""
    if by_key_question(questionnaire) and questionnaire.question(qid).scored:
        value, _ = rate_counts(questionnaire, counts.positive, counts.counted)
        return shown(value, questionnaire.bands, questionnaire.rating.rounding)
    return whole_text(percentage(counts.positive, counts.counted))


def question_band(questionnaire: Questionnaire, qid: str, counts: Counts) -> str | None:
    """A key question's own band where key questions rate their criterion (lowest_question), else None."""
    if not by_key_question(questionnaire) or not questionnaire.question(qid).scored:
        return None
    _, band = rate_counts(questionnaire, counts.positive, counts.counted)
    return band.label if band else None


@dataclass(frozen=True)
class OverallRating:
    """The inspection's overall rating: the sum of its criteria's points, banded by the overall bands."""

    points: int | None
    label: str | None
    unrated: tuple[str, ...] = ()     # criteria without a rating yet
    without_points: tuple[str, ...] = ()  # band labels that carry no points
    rated: bool = False               # the questionnaire has overall bands

    def describe(self) -> str:
        """'Overall rating: Good (8 points)', why there is none yet, or '' without overall bands."""
        if not self.rated:
            return ""
        if self.label is not None:
            return f"Overall rating: {self.label} ({self.points} points)"
        if self.without_points:
            return f"No overall rating: the bands {', '.join(self.without_points)} carry no points"
        if self.unrated:
            return f"No overall rating yet: {', '.join(self.unrated)} not rated"
        return f"No overall rating: {self.points} points is below every overall band"


def overall_rating(questionnaire: Questionnaire,
                   ratings: Sequence[tuple[str, CriterionRating | None]]) -> OverallRating:
    """Sum the criteria's points and band the sum; no points while a criterion or a band lacks them."""
    unrated = tuple(code for code, rating in ratings if rating is None or rating.band is None)
    without = tuple(b.label for b in questionnaire.bands if b.points is None)
    points = None
    if questionnaire.bands and not unrated and not without:
        points = sum(rating.points or 0 for _, rating in ratings if rating is not None)
    label = None
    if points is not None:
        for band in sorted(questionnaire.overall_bands, key=lambda b: -b.min_points):
            if points >= band.min_points:
                label = band.label
                break
    return OverallRating(points, label, unrated, without, bool(questionnaire.overall_bands))
