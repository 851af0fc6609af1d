"""Agreement coefficients against published values: Krippendorff's 4 coders x 12 units with gaps,
Fleiss (1971), Feinstein and Cicchetti's paradox tables, an all-yes table and [[28, 1], [1, 0]]."""

from __future__ import annotations

import pytest

from esi_tui.core.reliability import (
    category_shares,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pabak,
    percent_agreement,
    raters_per_unit,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example C: four observers,
# twelve units, gaps where an observer did not rate a unit (None).
KRIPPENDORFF = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
KRIPPENDORFF_UNITS = [[row[u] for row in KRIPPENDORFF if row[u] is not None] for u in range(12)]

# Fleiss (1971), Table 1: 30 patients, six psychiatrists each, the number who chose each diagnosis
# (depression, personality disorder, schizophrenia, neurosis, other).
FLEISS_1971 = [
    (0, 0, 0, 6, 0), (0, 3, 0, 0, 3), (0, 1, 4, 0, 1), (0, 0, 0, 0, 6), (0, 3, 0, 3, 0),
    (2, 0, 4, 0, 0), (0, 0, 4, 0, 2), (2, 0, 3, 1, 0), (2, 0, 0, 4, 0), (0, 0, 0, 0, 6),
    (1, 0, 0, 5, 0), (1, 1, 0, 4, 0), (0, 3, 3, 0, 0), (1, 0, 0, 5, 0), (0, 2, 0, 3, 1),
    (0, 0, 5, 0, 1), (3, 0, 0, 1, 2), (5, 1, 0, 0, 0), (0, 2, 0, 4, 0), (1, 0, 2, 0, 3),
    (0, 0, 0, 0, 6), (0, 1, 0, 5, 0), (0, 2, 0, 1, 3), (2, 0, 0, 4, 0), (1, 0, 0, 4, 1),
    (0, 5, 0, 1, 0), (4, 0, 0, 0, 2), (0, 2, 0, 4, 0), (1, 0, 5, 0, 0), (0, 0, 0, 0, 6),
]
YES_NO = ("yes", "no")


def two_by_two(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> list[tuple[str, str]]:
    """(rater A, rater B) pairs of a 2x2 table [[yes_yes, yes_no], [no_yes, no_no]] (A in rows)."""
    return ([("yes", "yes")] * yes_yes + [("yes", "no")] * yes_no + [("no", "yes")] * no_yes
            + [("no", "no")] * no_no)


def test_krippendorffs_canonical_example_with_missing_ratings():
    units = KRIPPENDORFF_UNITS
    assert raters_per_unit(units) == (2, 4)      # unit 12 has one rating only: it pairs with nothing
    assert krippendorff_alpha(units) == pytest.approx(0.7434, abs=5e-5)     # Krippendorff: 0.743
    # Gwet's definitions for missing ratings (Handbook, 4th ed.): agreement over the 11 units rated
    # twice or more; chance from category shares over the 12 units rated at least once
    assert percent_agreement(units) == pytest.approx(0.8182, abs=5e-5)      # 9/11 + partial units
    assert gwet_ac1(units) == pytest.approx(0.7754, abs=5e-5)
    assert fleiss_kappa(units) == pytest.approx(0.7612, abs=5e-5)
    # the chance shares include unit 12: leaving it out gives other numbers
    pairable = [u for u in units if len(u) >= 2]
    assert fleiss_kappa(pairable) == pytest.approx(0.7625, abs=5e-5)
    assert sum(category_shares(units).values()) == pytest.approx(1.0)


def test_fleiss_1971_diagnoses():
    units = [[category for category, count in enumerate(row) for _ in range(count)] for row in FLEISS_1971]
    assert all(len(unit) == 6 for unit in units)
    assert fleiss_kappa(units) == pytest.approx(0.4302, abs=5e-5)
    # Fleiss reports the overall agreement P = 0.556 and chance agreement Pe = 0.220
    assert percent_agreement(units) == pytest.approx(0.5556, abs=5e-4)


@pytest.mark.parametrize("table, kappa, ac1", [
    ((40, 9, 6, 45), 0.6995, 0.7007),      # balanced: yes on about half the cases
    ((80, 10, 5, 5), 0.3182, 0.8080),      # yes on most cases: kappa collapses
])
def test_feinstein_and_cicchettis_paradox_tables(table, kappa, ac1):
    pairs = two_by_two(*table)
    assert sum(a == b for a, b in pairs) / len(pairs) == pytest.approx(0.85)   # both agree on 85%
    assert cohen_kappa(pairs) == pytest.approx(kappa, abs=5e-5)
    assert gwet_ac1(pairs, YES_NO) == pytest.approx(ac1, abs=5e-5)
    assert pabak(pairs, YES_NO) == pytest.approx(0.70, abs=1e-12)             # 2 * 0.85 - 1


def test_an_all_yes_table():
    pairs = two_by_two(30, 0, 0, 0)
    assert cohen_kappa(pairs) is None             # 0/0: undefined, not 0 and not 1
    assert krippendorff_alpha(pairs) is None
    assert fleiss_kappa(pairs) is None
    assert gwet_ac1(pairs, YES_NO) == 1.0
    assert pabak(pairs, YES_NO) == 1.0
    assert percent_agreement(pairs) == 1.0
    # with only the one answer seen and no scale given there is no second category to be chance
    assert gwet_ac1(pairs) is None and pabak(pairs) is None


def test_one_disagreement_each_way_in_thirty():
    pairs = two_by_two(28, 1, 1, 0)
    assert cohen_kappa(pairs) == pytest.approx(-0.0345, abs=5e-5)
    assert gwet_ac1(pairs, YES_NO) == pytest.approx(0.9287, abs=5e-5)
    assert pabak(pairs, YES_NO) == pytest.approx(2 * 28 / 30 - 1)


def test_two_rater_forms_agree_with_the_textbook_formulas():
    # 2x2 with a=20, b=5, c=10, d=15 (n = 50): po = 0.7
    pairs = two_by_two(20, 5, 10, 15)
    assert percent_agreement(pairs) == pytest.approx(0.7)
    # Scott's pi (= Fleiss for two raters): pooled yes share (25 + 30) / 100 = 0.55, pe = 0.55² + 0.45²
    pe = 0.55 ** 2 + 0.45 ** 2
    assert fleiss_kappa(pairs) == pytest.approx((0.7 - pe) / (1 - pe))
    # alpha is Scott's pi with a small-sample correction: 1 - (n-1)/n * (1 - po) / (1 - pe), n = 100 values
    assert krippendorff_alpha(pairs) == pytest.approx(1 - 99 / 100 * (1 - 0.7) / (1 - pe))
    # AC1: pe = 2 * 0.55 * 0.45 / (2 - 1)
    assert gwet_ac1(pairs, YES_NO) == pytest.approx((0.7 - 0.495) / (1 - 0.495))


def test_unused_categories_of_the_scale_count_for_ac1_and_pabak_only():
    pairs = two_by_two(40, 9, 6, 45)
    with_na = ("yes", "no", "na")
    assert pabak(pairs, with_na) == pytest.approx((3 * 0.85 - 1) / 2)
    assert gwet_ac1(pairs, with_na) != pytest.approx(gwet_ac1(pairs, YES_NO))
    assert krippendorff_alpha(pairs) == pytest.approx(krippendorff_alpha(pairs))


def test_items_of_two_scales_keep_each_scales_chance_term():
    yes_no = [("yes", "yes")] * 8 + [("yes", "no")] * 2
    victim = [("good", "good")] * 3 + [("poor", "good")]
    units = yes_no + victim
    scales = [("yes", "no")] * len(yes_no) + [("good", "fair", "poor")] * len(victim)
    # PABAK: chance 1/2 on 10 units, 1/3 on 4 units
    chance = (10 / 2 + 4 / 3) / 14
    observed = 11 / 14      # 8 of 10 and 3 of 4 agree
    assert pabak(units, unit_categories=scales) == pytest.approx((observed - chance) / (1 - chance))
    # AC1: each scale's own Gwet chance term, weighted by its units
    ac1_chance = (10 * (2 * 0.9 * 0.1) / 1 + 4 * (0.875 * 0.125 + 0.125 * 0.875) / 2) / 14
    assert gwet_ac1(units, unit_categories=scales) == pytest.approx((observed - ac1_chance) / (1 - ac1_chance))
    # one scale for every unit is plain AC1
    assert gwet_ac1(yes_no, unit_categories=[YES_NO] * 10) == pytest.approx(gwet_ac1(yes_no, YES_NO))


def test_nothing_to_compare_is_undefined_everywhere():
    for units in ([], [["yes"]], [["yes"], ["no"]]):
        assert percent_agreement(units) is None
        assert fleiss_kappa(units) is None
        assert gwet_ac1(units, YES_NO) is None
        assert pabak(units, YES_NO) is None
        assert krippendorff_alpha(units) is None
        assert raters_per_unit(units) is None
    assert cohen_kappa([]) is None
