"""Our coefficients against independent implementations on random rating tables: the `krippendorff`
package (alpha) and Gwet's `irrCAC` (percent agreement, Fleiss, AC1, Brennan-Prediger, alpha,
and Conger's kappa, which is Cohen's for two raters). Both are in the test extra only."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pandas as pd
import pytest
from irrCAC.raw import CAC

from esi_tui.core.reliability import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pabak,
    percent_agreement,
)

# irrCAC writes into a slice of its frame, and krippendorff divides 0 by 0 where nothing varies
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.SettingWithCopyWarning",
                                        "ignore:invalid value encountered:RuntimeWarning")
CATEGORIES = ["yes", "no", "na"]
CODES = {c: float(i) for i, c in enumerate(CATEGORIES)}


def random_table(rng: random.Random) -> list[list[str | None]]:
    """Units x raters, answers skewed towards 'yes' at a random prevalence, with random gaps."""
    raters = rng.randint(2, 5)
    units = rng.randint(3, 40)
    prevalence = rng.uniform(0.3, 0.97)
    gap = rng.choice([0.0, 0.0, 0.2, 0.4])
    table = []
    for _ in range(units):
        truth = "yes" if rng.random() < prevalence else rng.choice(["no", "na"])
        row = []
        for _ in range(raters):
            if rng.random() < gap:
                row.append(None)
            else:
                row.append(truth if rng.random() < 0.8 else rng.choice(CATEGORIES))
        table.append(row)
    return table


def seeded_tables(count: int = 150):
    rng = random.Random(20261127)
    found = []
    while len(found) < count:
        table = random_table(rng)
        units = [[v for v in row if v is not None] for row in table]
        if sum(len(u) >= 2 for u in units) >= 2 and len({v for u in units for v in u}) >= 2:
            found.append(table)
    return found


@pytest.mark.parametrize("table", seeded_tables())
def test_the_same_numbers_as_irrcac_and_krippendorff(table):
    units = [[v for v in row if v is not None] for row in table]
    frame = pd.DataFrame([[np.nan if v is None else CODES[v] for v in row] for row in table])
    cac = CAC(frame, categories=[CODES[c] for c in CATEGORIES], digits=12)

    def irr(method: str) -> float:
        return cac.__getattribute__(method)()["est"]["coefficient_value"]

    assert percent_agreement(units) == pytest.approx(cac.gwet()["est"]["pa"], abs=1e-9)
    assert gwet_ac1(units, CATEGORIES) == pytest.approx(irr("gwet"), abs=1e-9)
    assert pabak(units, CATEGORIES) == pytest.approx(irr("bp"), abs=1e-9)
    assert fleiss_kappa(units) == pytest.approx(irr("fleiss"), abs=1e-9)
    alpha = krippendorff_alpha(units)
    reference = krippendorff.alpha(reliability_data=frame.to_numpy().T, level_of_measurement="nominal")
    if np.isnan(reference):       # every pairable value the same: no variation
        assert alpha is None
    else:
        assert alpha == pytest.approx(reference, abs=1e-9)
        assert alpha == pytest.approx(irr("krippendorff"), abs=1e-9)
    if frame.shape[1] == 2 and not frame.isna().any().any():
        pairs = [(row[0], row[1]) for row in table]
        assert cohen_kappa(pairs) == pytest.approx(irr("conger"), abs=1e-9)


def test_two_complete_raters_give_cohens_kappa_as_conger_does():
    rng = random.Random(7)
    checked = 0
    for _ in range(60):
        pairs = [(rng.choice(CATEGORIES[:2]), rng.choice(CATEGORIES)) for _ in range(rng.randint(5, 50))]
        kappa = cohen_kappa(pairs)
        if kappa is None:
            continue
        frame = pd.DataFrame([[CODES[a], CODES[b]] for a, b in pairs])
        conger = CAC(frame, digits=12).conger()["est"]["coefficient_value"]
        assert kappa == pytest.approx(conger, abs=1e-9)
        checked += 1
    assert checked > 50
