"""The Wilson score interval, checked against hand-worked values and an independent formula."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esi_tui.core.questionnaire import Band
from esi_tui.core.stats import (
    Z_95,
    bands_spanned,
    borderline,
    margin_of_error,
    rating_text,
    sample_size,
    wilson_interval,
    z_value,
)


def quadratic_wilson(positive: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson interval as the two roots in p of (p̂ - p)² = z² p (1 - p) / n.

    Expanding: (1 + z²/n) p² - (2p̂ + z²/n) p + p̂² = 0, solved with the quadratic formula.
    This is the definition Wilson (1927) started from, written independently of the
    centre ± half-width form the module uses.
    """
    n, phat, z2 = total, positive / total, z * z
    a = 1 + z2 / n
    b = -(2 * phat + z2 / n)
    c = phat * phat
    root = math.sqrt(max(0.0, b * b - 4 * a * c))
    return 100 * (-b - root) / (2 * a), 100 * (-b + root) / (2 * a)


# Worked by hand with z = 1.96 (z² = 3.8415):
# 14 of 16: p = .875, z²/n = .24009, centre = (.875 + .12005)/1.24009 = .80240,
#           half = 1.96/1.24009 * sqrt(.875*.125/16 + 3.8415/1024) = 1.58049 * .10290 = .16263
#           -> 63.98 .. 96.50
# 0 of 10:  upper = (z²/n)/(1 + z²/n) = .38415/1.38415 = .27753 -> 0 .. 27.75
# 10 of 10: lower = 1/(1 + z²/n) = 1/1.38415 = .72247 -> 72.25 .. 100
# 1 of 1:   lower = 1/(1 + z²) = 1/4.84146 = .20655 -> 20.65 .. 100
HAND_WORKED = [
    (14, 16, 63.98, 96.50),
    (0, 10, 0.0, 27.75),
    (10, 10, 72.25, 100.0),
    (1, 1, 20.65, 100.0),
]


@pytest.mark.parametrize(("positive", "total", "low", "high"), HAND_WORKED)
def test_hand_worked_values(positive, total, low, high):
    got = wilson_interval(positive, total)
    assert got is not None
    assert got[0] == pytest.approx(low, abs=0.01)
    assert got[1] == pytest.approx(high, abs=0.01)


def test_fourteen_of_sixteen_rounds_as_reported():
    low, high = wilson_interval(14, 16)
    assert (round(low, 1), round(high, 1)) == (64.0, 96.5)


def test_ends_are_exact_at_zero_and_all():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 100.0
    assert wilson_interval(1, 1)[1] == 100.0


def test_no_cases_gives_none():
    assert wilson_interval(0, 0) is None


def test_half_is_symmetric_about_fifty():
    low, high = wilson_interval(5, 10)
    assert low + high == pytest.approx(100.0)
    assert low == pytest.approx(23.66, abs=0.01)  # centre .5, half 1.96/1.38415*sqrt(.025+.0096)


def test_other_confidence_levels():
    narrow = wilson_interval(14, 16, z=1.0)
    wide = wilson_interval(14, 16)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]
    assert narrow == pytest.approx(quadratic_wilson(14, 16, 1.0))


@pytest.mark.parametrize(("positive", "total"), [(-1, 3), (4, 3), (0, -1)])
def test_impossible_counts_are_refused(positive, total):
    with pytest.raises(ValueError):
        wilson_interval(positive, total)


def test_bad_z_is_refused():
    with pytest.raises(ValueError):
        wilson_interval(1, 2, z=0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=2000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_matches_the_quadratic_roots(case):
    positive, total = case
    low, high = wilson_interval(positive, total)
    ref_low, ref_high = quadratic_wilson(positive, total)
    assert low == pytest.approx(ref_low, abs=1e-7)
    assert high == pytest.approx(ref_high, abs=1e-7)
    assert 0.0 <= low <= 100.0 * positive / total <= high <= 100.0


# -- borderline ratings: the interval reaches another band --------------------------------------------

BANDS = (Band(80, "Outstanding"), Band(65, "Good"), Band(50, "Requires improvement"), Band(0, "Inadequate"))


@pytest.mark.parametrize("interval, spanned", [
    ((70.6, 92.1), ("Good", "Outstanding")),
    ((66.0, 79.9), ("Good",)),
    ((65.0, 80.0), ("Good", "Outstanding")),            # an end on a boundary reaches the band above
    ((64.999999999999, 70.0), ("Good",)),               # float noise is not a band
    ((30.0, 85.0), ("Inadequate", "Requires improvement", "Good", "Outstanding")),
    ((0.0, 20.0), ("Inadequate",)),
    ((90.0, 100.0), ("Outstanding",)),
])
def test_bands_spanned(interval, spanned):
    assert bands_spanned(interval, BANDS) == spanned
    assert bands_spanned(interval, list(reversed(BANDS))) == spanned   # any order of bands


def test_borderline_uses_the_wilson_interval():
    # 37 of 44 (84%): 95% CI 71-92%, Good to Outstanding
    assert wilson_interval(37, 44)[0] < 80 < wilson_interval(37, 44)[1]
    assert borderline(37, 44, BANDS)
    assert rating_text("Outstanding", 37, 44, BANDS) == "Outstanding (borderline)"
    # 390 of 400 (97.5%): 95.5-98.6%, Outstanding only
    assert not borderline(390, 400, BANDS)
    assert rating_text("Outstanding", 390, 400, BANDS) == "Outstanding"
    assert not borderline(0, 0, BANDS) and rating_text(None, 0, 0, BANDS) is None
    assert bands_spanned(None, BANDS) == () and bands_spanned((10, 90), ()) == ()


# -- sample size for a margin of error -----------------------------------------------------------------


@pytest.mark.parametrize("margin, confidence, population, size", [
    (5, 95, None, 385),          # the textbook 384.16 rounded up
    (10, 95, None, 97),          # 96.04
    (10, 80, None, 42),          # z = 1.2816: 41.06
    (5, 95, 1000, 278),          # 384.16 / (1 + 383.16/1000) = 277.7
    (10, 80, 412, 38),           # 41.06 / (1 + 40.06/412) = 37.4
    (10, 95, 30, 24),            # a small caseload: 96.04 / (1 + 95.04/30) = 23.04
])
def test_sample_size_for_a_margin(margin, confidence, population, size):
    n0 = z_value(confidence) ** 2 * 0.25 / (margin / 100) ** 2
    n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    assert sample_size(margin, confidence, population) == math.ceil(n) == size
    # the margin of that many cases is at most the one asked for, and one case fewer misses it
    got = sample_size(margin, confidence, population)
    assert margin_of_error(got, confidence, population) <= margin + 1e-9
    if got > 1:
        assert margin_of_error(got - 1, confidence, population) > margin


def test_z_values_and_bad_targets():
    assert z_value(95) == pytest.approx(Z_95)
    assert z_value(80) == pytest.approx(1.2815516)
    for bad in (0, 100, -5, 150):
        with pytest.raises(ValueError):
            z_value(bad)
    with pytest.raises(ValueError):
        sample_size(0, 95)
    with pytest.raises(ValueError):
        sample_size(60, 95)
    assert sample_size(50, 95, 1) == 1
    assert margin_of_error(30, 95, 30) == 0.0            # the whole caseload: no sampling error
