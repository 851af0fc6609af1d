"""Small statistics for tallies: how sure a score from a sample of cases is, and whether its rating is borderline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

from esi_tui.core.questionnaire import Band

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


def wilson_interval(positive: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for `positive` of `total`, as percentages; None when total is 0.

    With p = positive / total and n = total (Wilson, 1927):

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²)

    and the interval is centre ± half, clipped to 0..100. The default z gives 95 % confidence.
    Unlike the normal approximation it stays inside 0..100 and is not empty at 0 or n of n.
    """
    if isinstance(positive, bool) or isinstance(total, bool):
        raise TypeError("positive and total must be whole numbers")
    if total < 0 or positive < 0 or positive > total:
        raise ValueError(f"need 0 <= positive <= total, not {positive} of {total}")
    if not z > 0:
        raise ValueError(f"z must be positive, not {z!r}")
    if total == 0:
        return None
    n = total
    p = positive / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = max(0.0, centre - half)
    high = min(1.0, centre + half)
    if positive == 0:
        low = 0.0
    if positive == total:
        high = 1.0
    return 100.0 * low, 100.0 * high


def bands_spanned(interval: tuple[float, float] | None, bands: Sequence[Band]) -> tuple[str, ...]:
    """The rating bands a score interval (percentages) reaches into, from its low end's to its high end's.

    A band runs from its `min` up to the next band's `min` (the top band to 100); an interval whose
    end lies exactly on a boundary reaches the band above it (a score of 80 is 'Outstanding' at
    min 80). No interval or no bands gives ().
    """
    if interval is None or not bands:
        return ()
    low, high = round(interval[0], 9), round(interval[1], 9)
    ordered = sorted(bands, key=lambda band: band.min)
    reached = []
    for i, band in enumerate(ordered):
        top = ordered[i + 1].min if i + 1 < len(ordered) else math.inf
        if high >= band.min and low < top:
            reached.append(band.label)
    return tuple(reached)


def borderline(positive: int, total: int, bands: Sequence[Band], z: float = Z_95) -> bool:
    """Whether the rating of `positive` of `total` is borderline: its Wilson interval spans two or more bands."""
    return len(bands_spanned(wilson_interval(positive, total, z), bands)) > 1


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence given in percent (95 -> 1.96)."""
    if not 0 < confidence < 100:
        raise ValueError(f"confidence must be a percentage between 0 and 100, not {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 200)


def sample_size(margin: float, confidence: float, population: int | None = None, p: float = 0.5) -> int:
    """Cases needed for a percentage to be within ±`margin` points at `confidence` percent.

    The normal approximation for a proportion (Cochran, Sampling Techniques, 1977, 4.2):
    n0 = z² p (1 - p) / e² with e = margin / 100 and p = 0.5 (the most cautious), then for a
    population of N cases the finite population correction n = n0 / (1 + (n0 - 1) / N); rounded up.
    """
    if not 0 < margin <= 50:
        raise ValueError(f"the margin must be more than 0 and at most 50 points, not {margin!r}")
    z = z_value(confidence)
    e = margin / 100
    n = z * z * p * (1 - p) / (e * e)
    if population is not None:
        if population < 1:
            raise ValueError(f"the population must be at least 1 case, not {population!r}")
        n = n / (1 + (n - 1) / population)
    needed = math.ceil(round(n, 9))
    return min(needed, population) if population is not None else needed


def margin_of_error(size: int, confidence: float, population: int | None = None, p: float = 0.5) -> float:
    """The ± margin in points of a percentage from `size` cases (the inverse of `sample_size`).

    e = z sqrt(p (1 - p) / n), times sqrt((N - n) / (N - 1)) for a population of N."""
    if size < 1:
        raise ValueError(f"the size must be at least 1 case, not {size!r}")
    e = z_value(confidence) * math.sqrt(p * (1 - p) / size)
    if population is not None and population > 1:
        e *= math.sqrt(max(0, population - size) / (population - 1))
    return 100 * e


def rating_text(band: str | None, positive: int, total: int, bands: Sequence[Band]) -> str | None:
    """A rating as tallies, reports and the CLI show it beside a CI: 'Good (borderline)' where `borderline`."""
    if band is None:
        return None
    return f"{band} (borderline)" if borderline(positive, total, bands) else band
