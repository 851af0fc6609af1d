"""Agreement coefficients for nominal ratings: percent agreement, Cohen, Fleiss, Gwet's AC1, PABAK, alpha.

Every function but `cohen_kappa` takes *units*: one sequence of ratings per rated item (a case's
question), missing ratings simply left out, so any number of raters and partial overlap work.
Each returns None when the coefficient is undefined (nothing to compare, or no variation: 0/0);
never 0 or a made-up number in its place.

The multi-rater definitions with missing ratings are Gwet's (Handbook of Inter-Rater Reliability,
4th ed., 2014, chapters 2 and 3), as implemented by his irrCAC package:

- r_i = ratings of unit i, r_ik = of those in category k; n' = units with r_i >= 2,
  n = units with r_i >= 1;
- percent agreement  p_a = 1/n' * sum over units with r_i >= 2 of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1));
- category shares    pi_k = 1/n * sum over units with r_i >= 1 of r_ik / r_i;
- Fleiss' kappa      p_e = sum_k pi_k^2                 (Fleiss 1971 when every r_i is the same);
- Gwet's AC1         p_e = sum_k pi_k (1 - pi_k) / (q - 1), q the number of possible categories;
- Brennan-Prediger   p_e = 1 / q, which for two raters is PABAK (Byrt, Bishop and Carlin 1993);

and each coefficient is (p_a - p_e) / (1 - p_e). Krippendorff's alpha (nominal) is computed from
the coincidence matrix of pairable values (Krippendorff 2011, "Computing Krippendorff's
Alpha-Reliability"): alpha = 1 - (n.. - 1) * D_o / sum_{c != k} n_c n_k, with D_o the
off-diagonal coincidences and n.. the number of pairable values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache

Units = Sequence[Sequence[Hashable]]
_ONE = 1.0 - 1e-12  # a chance agreement this close to 1 is 1: the ratings do not vary


def _pairable(units: Units) -> list[Sequence[Hashable]]:
    return [unit for unit in units if len(unit) >= 2]


@lru_cache(maxsize=4096)
def _profile(unit: tuple) -> tuple[int, int, tuple[tuple[Hashable, int], ...]]:
    """(ratings, agreeing ordered pairs, (category, count) ...) of one unit; units repeat, so it is cached."""
    counts: dict[Hashable, int] = {}
    for value in unit:
        counts[value] = counts.get(value, 0) + 1
    return len(unit), sum(c * (c - 1) for c in counts.values()), tuple(counts.items())


def _counts(unit: Sequence[Hashable]) -> tuple[int, int, tuple[tuple[Hashable, int], ...]]:
    return _profile(unit if isinstance(unit, tuple) else tuple(unit))


def categories_of(units: Units, categories: Iterable[Hashable] | None = None) -> list[Hashable]:
    """The possible categories: those given (the answer scale's options) plus any observed."""
    found = list(dict.fromkeys(categories or ()))
    for unit in units:
        for value in unit:
            if value not in found:
                found.append(value)
    return found


def percent_agreement(units: Units) -> float | None:
    """Gwet's p_a: the share of agreeing pairs of ratings within each unit rated twice or more, averaged.

    For two raters it is the share of shared items on which they gave the same answer."""
    pairable = _pairable(units)
    if not pairable:
        return None
    total = math.fsum(same / (m * (m - 1)) for m, same, _ in map(_counts, pairable))
    return total / len(pairable)


def category_shares(units: Units) -> dict[Hashable, float]:
    """Gwet's pi_k: each unit rated at least once shares one vote among its ratings' categories."""
    rated = [unit for unit in units if unit]
    shares: dict[Hashable, float] = {}
    for unit in rated:
        m, _, counts = _counts(unit)
        for value, count in counts:
            shares[value] = shares.get(value, 0.0) + count / m
    return {value: share / len(rated) for value, share in shares.items()}


def _corrected(observed: float | None, chance: float) -> float | None:
    if observed is None or chance >= _ONE:
        return None
    return (observed - chance) / (1 - chance)


def fleiss_kappa(units: Units) -> float | None:
    """Fleiss' kappa, in Gwet's form for missing ratings (Fleiss 1971 when every unit has as many raters)."""
    if not _pairable(units):
        return None
    chance = math.fsum(share * share for share in category_shares(units).values())
    return _corrected(percent_agreement(units), chance)


def _scale_groups(units: Units, categories: Iterable[Hashable] | None,
                  unit_categories: Sequence[Iterable[Hashable]] | None) -> list[tuple[list, int, int]]:
    """(units, how many are pairable, number of possible categories) per answer scale."""
    if unit_categories is None:
        return [(list(units), len(_pairable(units)), len(categories_of(units, categories)))]
    groups: dict[tuple, list] = {}
    for unit, possible in zip(units, unit_categories, strict=True):
        groups.setdefault(tuple(possible), []).append(unit)
    return [(members, len(_pairable(members)), len(categories_of(members, possible)))
            for possible, members in groups.items()]


def gwet_ac1(units: Units, categories: Iterable[Hashable] | None = None,
             unit_categories: Sequence[Iterable[Hashable]] | None = None) -> float | None:
    """Gwet's AC1 with q = the number of `categories` (default: those observed); None when q < 2.

    With `unit_categories` (each unit's possible answers, e.g. its question's scale) units of
    different scales pool their agreement, while the chance term is each scale's own, weighted
    by its units rated twice or more; with one scale this is Gwet's AC1 exactly."""
    pairable = _pairable(units)
    if not pairable:
        return None
    chance = 0.0
    for members, weight, q in _scale_groups(units, categories, unit_categories):
        if not weight:
            continue
        if q < 2:
            return None
        shares = category_shares(members)  # Gwet: over every unit rated at least once
        chance += weight / len(pairable) * math.fsum(s * (1 - s) for s in shares.values()) / (q - 1)
    return _corrected(percent_agreement(units), chance)


def pabak(units: Units, categories: Iterable[Hashable] | None = None,
          unit_categories: Sequence[Iterable[Hashable]] | None = None) -> float | None:
    """Prevalence- and bias-adjusted kappa: (p_a - 1/q) / (1 - 1/q), q the number of categories.

    Brennan and Prediger's coefficient; for two raters and two answers it is 2 p_a - 1 (Byrt et
    al.). With `unit_categories`, the chance term 1/q is each unit's own scale's, averaged."""
    pairable = _pairable(units)
    if not pairable:
        return None
    chance = 0.0
    for _, weight, q in _scale_groups(units, categories, unit_categories):
        if not weight:
            continue
        if q < 2:
            return None
        chance += weight / len(pairable) / q
    return _corrected(percent_agreement(units), chance)


def krippendorff_alpha(units: Units) -> float | None:
    """Krippendorff's alpha for nominal data; None with fewer than two pairable values or no variation."""
    values: Counter = Counter()
    observed_disagreement = 0.0
    for unit in _pairable(units):
        m, same, counts = _counts(unit)
        for value, count in counts:
            values[value] += count
        # the coincidences within a unit off the diagonal: m^2 - sum of c^2 = m^2 - (same + m), over m - 1
        observed_disagreement += (m * m - same - m) / (m - 1)
    n = sum(values.values())
    expected = n * n - sum(c * c for c in values.values())
    if n < 2 or expected <= 0:
        return None
    return 1 - (n - 1) * observed_disagreement / expected


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa for (rater A, rater B) labels; None when chance agreement is total (no variation)."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    return _corrected(observed, expected)


def raters_per_unit(units: Units) -> tuple[int, int] | None:
    """The fewest and most ratings of a unit rated twice or more (None when there is none)."""
    sizes = [len(unit) for unit in _pairable(units)]
    return (min(sizes), max(sizes)) if sizes else None
