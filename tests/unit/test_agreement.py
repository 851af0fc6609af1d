"""Agreement between reviewers: Cohen's kappa against hand-worked examples and an independent
formula, its Landis and Koch bands, the agreement table (pairs and all reviewers, readings and
warnings), and `esi-tui agreement --json`."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esi_tui import cli
from esi_tui.core.agreement import (
    MIN_SHARED_CASES,
    UNDEFINED,
    agreement_table,
    cohen_kappa,
    disagreements,
    kappa_band,
    measure,
)
from esi_tui.core.loader import load_file
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"


def table_pairs(cells: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """(rater A, rater B) pairs from a confusion table {(a_label, b_label): count}."""
    return [pair for pair, count in cells.items() for _ in range(count)]


def kappa_from_matrix(pairs: list[tuple[str, str]]) -> Fraction | None:
    """Cohen's kappa by a second, independent route: exact fractions from the confusion matrix,

        kappa = (N * sum(diagonal) - sum(row_i * col_i)) / (N^2 - sum(row_i * col_i))

    (po - pe) / (1 - pe) with po = diag/N and pe = sum(row_i*col_i)/N^2, multiplied through by N^2.
    """
    labels = sorted({label for pair in pairs for label in pair})
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for a, b in pairs:
        matrix[index[a]][index[b]] += 1
    n = len(pairs)
    diagonal = sum(matrix[i][i] for i in range(len(labels)))
    rows = [sum(row) for row in matrix]
    cols = [sum(matrix[i][j] for i in range(len(labels))) for j in range(len(labels))]
    chance = sum(r * c for r, c in zip(rows, cols))
    if n * n == chance:
        return None
    return Fraction(n * diagonal - chance, n * n - chance)


# -- hand-worked examples --------------------------------------------------------------------------


def test_the_classic_fifty_item_example():
    # 50 items; A said yes 25 times, B 30 times.
    #            B yes  B no
    #   A yes     20      5     25
    #   A no      10     15     25
    #             30     20     50
    # po = (20 + 15) / 50 = 0.7
    # pe = (25*30 + 25*20) / 50^2 = (750 + 500) / 2500 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = table_pairs({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    assert len(pairs) == 50
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert kappa_from_matrix(pairs) == Fraction(2, 5)
    assert kappa_band(cohen_kappa(pairs)) == "fair"          # 0.21-0.40
    row = pair_row(pairs)
    assert row.percent == pytest.approx(70.0)
    doc = row.as_dict()
    assert {k: doc[k] for k in ("group", "reviewers", "scope", "items", "agreed", "percent_agreement",
                                "cohen_kappa")} == {
        "group": "pair", "reviewers": ["a", "b"], "scope": "question", "items": 50, "agreed": 35,
        "percent_agreement": 70.0, "cohen_kappa": 0.4}
    assert doc["readings"]["cohen_kappa"] == "Landis and Koch: fair"
    assert doc["readings"]["percent_agreement"] == "same answer on 35 of 50 items"


def test_a_three_category_example_worked_by_hand():
    # 20 items rated yes / no / na.
    #            B yes  B no  B na
    #   A yes      8     1     1     10
    #   A no       1     4     1      6
    #   A na       0     1     3      4
    #              9     6     5     20
    # po = (8 + 4 + 3) / 20 = 15/20 = 0.75
    # pe = (10*9 + 6*6 + 4*5) / 20^2 = (90 + 36 + 20) / 400 = 146/400 = 0.365
    # kappa = (0.75 - 0.365) / (1 - 0.365) = 0.385 / 0.635 = 77/127 = 0.6063
    # matrix form: (20*15 - 146) / (400 - 146) = 154/254 = 77/127, the same.
    pairs = table_pairs({
        ("yes", "yes"): 8, ("yes", "no"): 1, ("yes", "na"): 1,
        ("no", "yes"): 1, ("no", "no"): 4, ("no", "na"): 1,
        ("na", "yes"): 0, ("na", "no"): 1, ("na", "na"): 3,
    })
    assert cohen_kappa(pairs) == pytest.approx(77 / 127)
    assert kappa_from_matrix(pairs) == Fraction(77, 127)
    # 0.606 shows as 0.61 (two places) and reads as L&K's 0.61-0.80 "substantial", not "moderate"
    assert kappa_band(cohen_kappa(pairs)) == "substantial"
    assert pair_row(pairs).as_dict()["cohen_kappa"] == 0.6063


def test_perfect_agreement_is_one_and_systematic_disagreement_is_negative():
    assert cohen_kappa([("yes", "yes"), ("no", "no"), ("na", "na"), ("yes", "yes")]) == 1.0
    assert kappa_band(1.0) == "almost perfect"
    # always opposite: po = 0, pe = 0.5, kappa = -1
    assert cohen_kappa([("yes", "no"), ("no", "yes")]) == -1.0
    assert kappa_band(-1.0) == "poor (worse than chance)"


def test_agreement_no_better_than_chance_is_zero():
    # A always says yes, B half and half: po = 0.5, pe = (2*1 + 0*1)/4 = 0.5
    assert cohen_kappa([("yes", "yes"), ("yes", "no")]) == 0.0
    assert kappa_band(0.0) == "slight"


def test_kappa_is_undefined_when_both_reviewers_used_one_answer_only():
    # pe = 1: every item agrees, but there is nothing to agree about beyond chance
    assert cohen_kappa([("yes", "yes")] * 7) is None
    assert kappa_from_matrix([("yes", "yes")] * 7) is None
    assert cohen_kappa([]) is None
    assert kappa_band(None) == UNDEFINED == "undefined: no variation"
    row = pair_row([("yes", "yes")] * 7)
    assert row.as_dict()["cohen_kappa"] is None and row.as_dict()["percent_agreement"] == 100.0
    assert row.cell("cohen_kappa") == "–"          # never 0.00 or a number
    assert row.readings()["cohen_kappa"].startswith("undefined: no variation")
    assert row.as_dict()["gwet_ac1"] == 1.0 and row.as_dict()["pabak"] == 1.0


def pair_row(pairs, options=("yes", "no")):
    """The agreement row of reviewers a and b over one question's (a, b) answers, one case each."""
    items = [(f"C{i}", [("a", x), ("b", y)], options) for i, (x, y) in enumerate(pairs)]
    return measure("pair", ("a", "b"), "question", "Q1", items)


# -- the independent formula -----------------------------------------------------------------------


labels = st.sampled_from(["yes", "no", "na", "sufficient"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(labels, labels), min_size=1, max_size=60))
def test_kappa_equals_the_confusion_matrix_formula(pairs):
    expected = kappa_from_matrix(pairs)
    got = cohen_kappa(pairs)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(float(expected), abs=1e-12)
        assert -1.0 - 1e-12 <= got <= 1.0 + 1e-12


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(labels, labels), min_size=1, max_size=40))
def test_kappa_does_not_depend_on_which_reviewer_is_first_or_on_the_order_of_items(pairs):
    swapped = [(b, a) for a, b in pairs]
    base = cohen_kappa(pairs)
    for other in (cohen_kappa(swapped), cohen_kappa(list(reversed(pairs)))):
        assert (base is None and other is None) or other == pytest.approx(base, abs=1e-12)


# -- bands (Landis and Koch 1977) ------------------------------------------------------------------


@pytest.mark.parametrize("kappa, band", [
    (-0.01, "poor (worse than chance)"),
    (-1e-17, "slight"),                 # float noise around 0 is 0, not "worse than chance"
    (0.0, "slight"),
    (0.2, "slight"),
    (0.205, "fair"),
    (0.21, "fair"),
    (0.4, "fair"),
    (0.41, "moderate"),
    (0.6, "moderate"),
    (0.605, "substantial"),
    (0.61, "substantial"),
    (0.8, "substantial"),
    (0.805, "almost perfect"),
    (0.81, "almost perfect"),
    (1.0, "almost perfect"),
])
def test_bands_at_their_boundaries(kappa, band):
    assert kappa_band(kappa) == band


@pytest.mark.parametrize("cells, exact, band", [
    # (yes/yes, yes/no, no/yes, no/no): tables whose kappa is exactly a band's top, but whose
    # float computation lands just above it
    ((1, 2, 2, 13), Fraction(1, 5), "slight"),
    ((1, 1, 1, 9), Fraction(2, 5), "fair"),
    ((3, 0, 2, 5), Fraction(3, 5), "moderate"),
    # ... or just below one
    ((3, 0, 1, 8), Fraction(4, 5), "substantial"),
    ((1, 0, 4, 5), Fraction(1, 5), "slight"),
])
def test_float_noise_does_not_move_a_kappa_across_a_band_boundary(cells, exact, band):
    yy, yn, ny, nn = cells
    pairs = table_pairs({("yes", "yes"): yy, ("yes", "no"): yn, ("no", "yes"): ny, ("no", "no"): nn})
    assert kappa_from_matrix(pairs) == exact
    assert kappa_band(cohen_kappa(pairs)) == band


# -- the agreement table ---------------------------------------------------------------------------

CRITERION_OF = {"A1.1": "A1", "A1.2": "A1", "A1.3": "A1", "A2.1": "A2"}
ORDER = ["A1.1", "A1.2", "A1.3", "A2.1"]


def test_agreement_table_has_rows_per_pair_criterion_and_question():
    ratings = {
        ("C1", "A1.1"): {"ann": "yes", "bob": "yes", "cy": "no"},
        ("C2", "A1.1"): {"ann": "no", "bob": "yes"},
        ("C1", "A2.1"): {"ann": "yes", "bob": "yes"},
        ("C2", "A2.1"): {"ann": "no", "bob": "no", "cy": "no"},
        ("C3", "A1.2"): {"bob": "na"},                       # one reviewer only: in no pair
    }
    rows = agreement_table(ratings, CRITERION_OF, ORDER, {q: ("yes", "no", "na") for q in ORDER})
    keys = [(r.label, r.scope, r.key) for r in rows]
    scopes = [("overall", "all questions"), ("criterion", "A1"), ("criterion", "A2"), ("question", "A1.1"),
              ("question", "A2.1")]
    assert keys == [(label, *scope) for label in ("all (3)", "ann · bob", "ann · cy", "bob · cy") for scope in scopes]
    by_key = {(r.label, r.scope, r.key): r for r in rows}
    overall = by_key[("ann · bob", "overall", "all questions")]
    # shared items: C1 A1.1 (yes/yes), C2 A1.1 (no/yes), C1 A2.1 (yes/yes), C2 A2.1 (no/no)
    assert (overall.items, overall.cases, overall.agreed) == (4, 2, 3)
    # po = 3/4; ann yes 2 no 2, bob yes 3 no 1: pe = (2*3 + 2*1)/16 = 1/2; kappa = (3/4 - 1/2)/(1/2) = 1/2
    assert overall.kappa == pytest.approx(0.5) and overall.percent == 75.0
    # PABAK over the scale's three answers: (3 * 3/4 - 1) / 2
    assert overall.pabak == pytest.approx(0.625) and overall.answers == 3
    a1 = by_key[("ann · bob", "criterion", "A1")]
    assert (a1.items, a1.agreed) == (2, 1)
    # ann yes/no, bob yes/yes: po = 1/2, pe = (1*2 + 1*0)/4 = 1/2, kappa = 0
    assert a1.kappa == pytest.approx(0.0)
    a2 = by_key[("ann · bob", "question", "A2.1")]
    assert (a2.items, a2.agreed, a2.kappa) == (2, 2, 1.0)
    cy = by_key[("ann · cy", "overall", "all questions")]
    assert (cy.items, cy.agreed) == (2, 1)                 # only the items both answered
    both_no = by_key[("bob · cy", "question", "A2.1")]
    assert both_no.kappa is None and both_no.alpha is None   # both said "no" only: 0/0
    assert both_no.cell("cohen_kappa") == "–" and both_no.cell("krippendorff_alpha") == "–"
    assert both_no.readings()["cohen_kappa"] == "undefined: no variation (only 'no' given)"
    # all three together: the four items rated by two or more, with two or three raters
    everyone = by_key[("all (3)", "overall", "all questions")]
    assert (everyone.items, everyone.ratings, everyone.raters) == (4, 10, (2, 3))
    # C1 A1.1 y y n: 1/3 of pairs agree; C2 A1.1 n y: 0; C1 A2.1 y y: 1; C2 A2.1 n n n: 1
    assert everyone.percent == pytest.approx(100 * (1 / 3 + 0 + 1 + 1) / 4)
    assert everyone.agreed == 2 and everyone.kappa is None
    assert everyone.fleiss is None                          # not every item has as many raters
    assert everyone.readings()["fleiss_kappa"] == "not given: 2 to 3 raters an item; see alpha"
    assert everyone.readings()["percent_agreement"] == "of answer pairs match; unanimous on 2 of 4"
    assert everyone.alpha is not None
    # for a pair every item has two raters, so Fleiss' kappa (Scott's pi) is given
    assert overall.fleiss is not None and overall.as_dict()["fleiss_kappa"] == round(overall.fleiss, 4)


def test_rows_warn_where_a_figure_misleads():
    # 19 cases of a question, yes nearly always: too few cases, and the kappa paradox
    pairs = [("yes", "yes")] * 16 + [("yes", "no"), ("no", "yes"), ("no", "no")]
    row = pair_row(pairs)
    assert row.cases == 19 < MIN_SHARED_CASES
    warnings = row.warnings()
    assert warnings[0] == "only 19 shared cases (under 20): every figure is rough"
    assert warnings[1] == "89% 'yes': kappa, alpha, Fleiss run low (the kappa paradox); read AC1, PABAK"
    assert row.tags() == ["few cases", "89% 'yes'"]
    # the same agreement on 20 balanced cases: no warning
    balanced = [("yes", "yes")] * 9 + [("no", "no")] * 9 + [("yes", "no"), ("no", "yes")]
    assert pair_row(balanced).warnings() == [] and pair_row(balanced).tags() == []
    # a reviewer who says yes far more readily than the other: bias
    biased = [("yes", "yes")] * 10 + [("yes", "no")] * 6 + [("no", "no")] * 8
    row = pair_row(biased)
    assert row.tags() == ["bias"]
    assert row.warnings() == ["bias: a 'yes' on 67%, b on 42%; it raises kappa"]


def test_a_criterion_of_two_scales_counts_each_items_own_answers():
    items = ([(f"C{i}", [("a", "yes"), ("b", "yes")], ("yes", "no", "na")) for i in range(5)]
             + [(f"C{i}", [("a", "good"), ("b", "poor")], ("good", "fair", "poor", "na")) for i in range(5)])
    row = measure("pair", ("a", "b"), "criterion", "C2", items)
    assert row.answers == 6 and row.scales == 2      # na is in both
    # chance 1/3 on five items, 1/4 on five: (1/2 - 7/24) / (1 - 7/24)
    assert row.pabak == pytest.approx((0.5 - 7 / 24) / (1 - 7 / 24))


def test_agreement_table_is_empty_without_shared_items_and_lists_disagreements():
    ratings = {("C1", "A1.1"): {"ann": "yes"}, ("C2", "A1.1"): {"bob": "no"}}
    assert agreement_table(ratings, CRITERION_OF, ORDER) == []
    assert agreement_table({}, CRITERION_OF, ORDER) == []
    ratings = {("C1", "A1.1"): {"ann": "yes", "bob": "no"}, ("C1", "A1.2"): {"ann": "no", "bob": "no"},
               ("C2", "A1.1"): {"ann": "yes"}, ("C2", "A2.1"): {"ann": "na", "bob": "na", "cy": "yes"}}
    assert disagreements(ratings) == [("C1", "A1.1"), ("C2", "A2.1")]


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture
def run(capsys):
    def runner(*argv) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return runner


@pytest.fixture
def team_db(tmp_path) -> Path:
    """Two reviewers over four cases of the mini questionnaire, one disagreement moderated."""
    path = tmp_path / "team.json"
    with Repository.open(path) as repo:
        repo.create_inspection("i1", load_file(MINI), title="Team", area="North")
        for ref, risk in (("C1", "high"), ("C2", "high"), ("C3", "low"), ("C4", "low")):
            repo.save_case("i1", ref, {"risk": risk})
        answers = {  # (case, question): (ann, bob)
            ("C1", "A1.1"): ("yes", "yes"), ("C2", "A1.1"): ("yes", "no"),
            ("C3", "A1.1"): ("no", "no"), ("C4", "A1.1"): ("no", "yes"),
            ("C1", "A1.2"): ("yes", "yes"), ("C2", "A1.2"): ("no", "no"),
        }
        for (case, qid), (ann, bob) in answers.items():
            repo.set_answer("i1", case, qid, ann, "ann")
            repo.set_answer("i1", case, qid, bob, "bob")
        repo.set_answer("i1", "C3", "A1.2", "yes", "ann")           # bob did not: not shared
        repo.moderate("i1", "C2", "A1.1", "yes", "lead", "plan on file")
    return path


def test_agreement_json_gives_every_row_and_the_open_disagreements(run, team_db):
    status, out, err = run("agreement", "--db", team_db, "--json")
    assert status == 0 and err == ""
    doc = json.loads(out)
    assert doc["inspection"] == "i1"
    assert doc["open_disagreements"] == 1        # C4 A1.1; C2 A1.1 is moderated
    rows = {(r["scope"], r["key"]): r for r in doc["agreement"]}
    assert list(rows) == [("overall", "all questions"), ("criterion", "A1"), ("question", "A1.1"),
                          ("question", "A1.2")]
    assert all(r["group"] == "pair" and r["reviewers"] == ["ann", "bob"] for r in doc["agreement"])
    # A1.1: ann y y n n, bob y n n y: po = 2/4, pe = (2*2 + 2*2)/16 = 1/2, kappa = 0
    a11 = rows[("question", "A1.1")]
    assert {k: a11[k] for k in ("items", "cases", "agreed", "percent_agreement", "cohen_kappa")} == {
        "items": 4, "cases": 4, "agreed": 2, "percent_agreement": 50.0, "cohen_kappa": 0.0}
    assert a11["readings"]["cohen_kappa"] == "Landis and Koch: slight"
    assert a11["warnings"][0] == "only 4 shared cases (under 20): every figure is rough"
    assert rows[("question", "A1.2")]["cohen_kappa"] == 1.0 and rows[("question", "A1.2")]["items"] == 2
    # all six shared items: agreed 4; ann yes 3 no 3, bob yes 3 no 3: pe = 1/2, kappa = (4/6 - 1/2)/(1/2) = 1/3
    overall = rows[("overall", "all questions")]
    assert (overall["items"], overall["agreed"], overall["percent_agreement"], overall["cohen_kappa"]) == (
        6, 4, 66.7, 0.3333)
    assert overall["readings"]["cohen_kappa"] == "Landis and Koch: fair"
    assert set(overall["readings"]) == {"percent_agreement", "cohen_kappa", "gwet_ac1", "pabak",
                                        "krippendorff_alpha", "fleiss_kappa"}
    assert doc["thresholds"] == {"min_shared_cases": 20, "high_prevalence": 0.8, "bias_gap": 0.2}
    # the same count the tallies show
    status, out, _ = run("tally", "--db", team_db, "--json")
    assert json.loads(out)["open_disagreements"] == doc["open_disagreements"]


def test_open_disagreements_leave_out_questions_that_do_not_apply(run, team_db):
    with Repository.open(team_db) as repo:
        # A1.2 applies to high-risk cases only; C3 is low risk, so this disagreement does not count
        repo.set_answer("i1", "C3", "A1.2", "no", "bob")
    _, out, _ = run("agreement", "--db", team_db, "--json")
    doc = json.loads(out)
    assert doc["open_disagreements"] == 1
    assert {(r["scope"], r["key"]): r["items"] for r in doc["agreement"]}[("question", "A1.2")] == 3


def test_agreement_table_on_the_terminal(run, team_db):
    status, out, _ = run("agreement", "--db", team_db)
    assert status == 0
    assert "ann · bob" in out and "0.33" in out and "Cohen's kappa 0.33: Landis and Koch: fair" in out
    for heading in ("Cases", "Agree", "Kappa", "AC1", "PABAK", "Alpha", "Fleiss"):
        assert heading in out
    assert "! only 4 shared cases (under 20)" in out
    assert "1 disagreements are not moderated yet." in out


def test_agreement_with_a_single_reviewer_says_so(run, tmp_path):
    path = tmp_path / "one.json"
    with Repository.open(path) as repo:
        repo.create_inspection("solo", load_file(MINI))
        repo.save_case("solo", "C1", {"risk": "high"})
        repo.set_answer("solo", "C1", "A1.1", "yes", "ann")
    status, out, _ = run("agreement", "--db", path)
    assert status == 0 and "no case has been answered by two reviewers yet" in out
    status, out, _ = run("agreement", "--db", path, "--json")
    doc = json.loads(out)
    assert (doc["inspection"], doc["open_disagreements"], doc["agreement"]) == ("solo", 0, [])


def test_agreement_of_a_missing_database_is_an_error(run, tmp_path):
    status, out, err = run("agreement", "--db", tmp_path / "none.json", "--json")
    assert status == 1 and out == "" and "no such database" in err


@pytest.mark.parametrize("args, message", [
    (("--inspection", "nope"), "nope"),
    (("--json", "--inspection", "nope"), "nope"),
])
def test_agreement_bad_input_is_one_line(run, team_db, args, message):
    status, out, err = run("agreement", "--db", team_db, *args)
    assert status == 1 and out == ""
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
    assert "internal error" not in err


def test_all_reviewers_together_appear_with_three_or_more(run, team_db):
    with Repository.open(team_db) as repo:
        for case in ("C1", "C2", "C3"):
            repo.set_answer("i1", case, "A1.1", "yes", "cy")
    _, out, _ = run("agreement", "--db", team_db, "--json")
    rows = json.loads(out)["agreement"]
    groups = list(dict.fromkeys((r["group"], tuple(r["reviewers"])) for r in rows))
    assert groups == [("all", ("ann", "bob", "cy")), ("pair", ("ann", "bob")), ("pair", ("ann", "cy")),
                      ("pair", ("bob", "cy"))]
    everyone = next(r for r in rows if r["group"] == "all" and r["scope"] == "question" and r["key"] == "A1.1")
    # C1..C3 have three raters, C4 two: Fleiss' kappa is not given, and says why
    assert everyone["raters_per_item"] == [2, 3] and everyone["fleiss_kappa"] is None
    assert everyone["readings"]["fleiss_kappa"].startswith("not given: 2 to 3 raters an item")
    assert everyone["cohen_kappa"] is None and everyone["krippendorff_alpha"] is not None
