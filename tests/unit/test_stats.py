"""The Wilson score interval, checked against hand-worked values and an independent formula."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esi_tui.core.stats import Z_95, wilson_interval


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
