"""Rating rules at their edges: the lowest key question decides, 64.49 / 64.5 / 64.51 under both
roundings (shown and banded as one number), prompts left out of the score, key questions without a
score, and overall points at every band edge."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esi_tui.core.entities import Inspection
from esi_tui.core.loader import load_file, loads
from esi_tui.core.ratings import (
    CriterionRating,
    band_of,
    criterion_score_text,
    overall_rating,
    question_score_text,
    rate_counts,
    shown,
)
from esi_tui.core.report import build_report, render_markdown
from esi_tui.core.rollup import summed
from esi_tui.core.tally import Counts, TallyEngine
from esi_tui.core.tally_json import tally_document

ROOT = Path(__file__).resolve().parents[2]
RATED = ROOT / "tests" / "fixtures" / "rated.toml"
ESI = ROOT / "questionnaires" / "esi-2005-followup.toml"


def rated(rule: str = "lowest_question", rounding: str = "half_up"):
    text = RATED.read_text(encoding="utf-8").replace('criterion_rule = "lowest_question"', f'criterion_rule = "{rule}"')
    return loads(text.replace('rounding = "half_up"', f'rounding = "{rounding}"'), name=f"rated-{rule}-{rounding}")


def esi(rounding: str | None = None):
    text = ESI.read_text(encoding="utf-8")
    if rounding:
        text = text.replace("[conditions]", f'[rating]\nrounding = "{rounding}"\n\n[conditions]', 1)
    return loads(text, name="esi")


def engine_with(questionnaire, answers: dict[str, list[str | None]], adjusted: int = 0) -> TallyEngine:
    """Cases c0, c1... (the last `adjusted` of them adjusted); answers[qid][i] is case i's answer."""
    count = max(len(values) for values in answers.values())
    cases = [(f"c{i}", {"adjusted": i >= count - adjusted}) for i in range(count)]
    rows = [(f"c{i}", qid, "ana", value) for qid, values in answers.items() for i, value in enumerate(values)
            if value is not None]
    return TallyEngine.build(questionnaire, cases, rows)


# -- 64.49 / 64.5 / 64.51: the percentage shown is the percentage banded -------------------------------

@pytest.mark.parametrize(("positive", "counted", "rounding", "band", "text", "basis"), [
    (6449, 10000, "none", "Requires improvement", "64%", Fraction(6449, 100)),
    (129, 200, "none", "Requires improvement", "64.5%", Fraction(129, 2)),     # not '65%'
    (6451, 10000, "none", "Requires improvement", "64.5%", Fraction(6451, 100)),  # 64.5 is still below 65
    (6496, 10000, "none", "Requires improvement", "64.96%", Fraction(1624, 25)),  # 65.0 would read as Good
    (13, 20, "none", "Good", "65%", Fraction(65)),
    (6449, 10000, "half_up", "Requires improvement", "64%", Fraction(64)),
    (129, 200, "half_up", "Good", "65%", Fraction(65)),
    (6451, 10000, "half_up", "Good", "65%", Fraction(65)),
    (7950, 10000, "half_up", "Outstanding", "80%", Fraction(80)),  # 79.5 rounds up into the top band
    (7949, 10000, "half_up", "Good", "79%", Fraction(79)),
])
def test_band_edges_under_both_roundings(positive, counted, rounding, band, text, basis):
    questionnaire = rated("pooled", rounding)
    value, found = rate_counts(questionnaire, positive, counted)
    assert value == basis and found.label == band
    assert shown(value, questionnaire.bands, rounding) == text
    counts = Counts(positive=positive, negative=counted - positive)
    assert criterion_score_text(questionnaire, counts) == text


@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from(["none", "half_up"]))
def test_a_shown_percentage_never_reads_as_another_band(pair, rounding):
    positive, counted = pair
    questionnaire = rated("pooled", rounding)
    value, band = rate_counts(questionnaire, positive, counted)
    text = shown(value, questionnaire.bands, rounding)
    assert band_of(questionnaire.bands, Fraction(text.removesuffix("%"))) == band


def test_esi_129_of_200_is_shown_as_what_it_is_rated(tmp_path):
    """Today's rule (pooled, no rounding): 64.5% was shown as '65%' beside 'Requires improvement'."""
    for rounding, band, text in ((None, "Requires improvement", "64.5%"), ("half_up", "Good", "65%")):
        questionnaire = esi(rounding)
        cases = [(f"c{i}", {"risk_of_harm": "low"}) for i in range(200)]
        answers = [(f"c{i}", "C3.1", "ana", "yes" if i < 129 else "no") for i in range(200)]
        engine = TallyEngine.build(questionnaire, cases, answers, baseline={"C3": 81})
        tally = engine.criterion("C3")
        assert tally.band == band
        assert criterion_score_text(questionnaire, tally.counts) == text
        inspection = Inspection("i", "T", "Area", questionnaire.id, questionnaire.version, "")
        markdown = render_markdown(build_report(inspection, questionnaire, engine, [], 200))
        assert f"| Score | 81% | {text} | −16 | {band} |" in markdown


def test_esi_away_from_edges_shows_whole_percentages_as_before():
    questionnaire = esi()
    assert criterion_score_text(questionnaire, Counts(positive=14, negative=2)) == "88%"  # 87.5 half up
    assert criterion_score_text(questionnaire, Counts(positive=5, negative=3)) == "63%"  # 62.5 half up
    assert criterion_score_text(questionnaire, Counts()) == "–"


# -- the lowest key question decides ------------------------------------------------------------------

def test_lowest_key_question_decides_the_band():
    questionnaire = rated()
    # K1.1: 9 of 10 (90%) in the core cases; K1.2: 3 of 5 (60%) in the adjusted ones
    engine = engine_with(questionnaire, {"K1.1": ["yes"] * 9 + ["no"] + [None] * 5,
                                         "K1.2": [None] * 10 + ["yes"] * 3 + ["no"] * 2}, adjusted=5)
    tally = engine.criterion("K1")
    assert (tally.counts.positive, tally.counts.counted) == (12, 15)  # pooled 80% would be Outstanding
    assert tally.band == "Requires improvement"
    assert tally.rating.question == "K1.2" and tally.rating.basis == 60
    assert tally.rating.describe() == "rated by its lowest key question: K1.2, 60%"
    pooled = engine_with(rated("pooled"), {"K1.1": ["yes"] * 9 + ["no"] + [None] * 5,
                                          "K1.2": [None] * 10 + ["yes"] * 3 + ["no"] * 2}, adjusted=5)
    assert pooled.criterion("K1").band == "Outstanding" and pooled.criterion("K1").rating.question is None


def test_lowest_key_question_ties_go_to_the_first():
    engine = engine_with(rated(), {"K1.1": ["yes", "no", None, None], "K1.2": [None, None, "no", "yes"]},
                         adjusted=2)
    assert engine.criterion("K1").rating.question == "K1.1"


def test_lowest_question_compares_rounded_scores():
    """Under half_up, 64.5% and 65% are both 65: neither is lower, so the first key question rates it."""
    questionnaire = rated()
    k11 = ["yes"] * 129 + ["no"] * 71 + [None] * 20          # 129 of 200: 64.5, banded as 65
    k12 = [None] * 200 + ["yes"] * 13 + ["no"] * 7           # 13 of 20: 65
    tally = engine_with(questionnaire, {"K1.1": k11, "K1.2": k12}, adjusted=20).criterion("K1")
    assert (tally.band, tally.rating.question, tally.rating.basis_value()) == ("Good", "K1.1", 65)
    unrounded = engine_with(rated(rounding="none"), {"K1.1": k11, "K1.2": k12}, adjusted=20).criterion("K1")
    assert (unrounded.band, unrounded.rating.question) == ("Requires improvement", "K1.1")
    assert unrounded.rating.basis_text() == "64.5%"


def test_key_question_scores_are_shown_as_they_are_banded():
    questionnaire = rated(rounding="none")
    counts = Counts(positive=129, negative=71)
    assert question_score_text(questionnaire, "K1.1", counts) == "64.5%"
    assert question_score_text(questionnaire, "K1.1a", counts) == "65%"  # a prompt is never banded


# -- prompts are tallied but never scored ---------------------------------------------------------------

def test_prompts_are_left_out_of_the_score_and_the_rating():
    questionnaire = rated()
    engine = engine_with(questionnaire, {"K2.1": ["yes", "yes"], "K2.1a": ["no", "no"]})
    tally = engine.criterion("K2")
    assert (tally.counts.positive, tally.counts.negative) == (2, 0)
    assert tally.score == 100 and tally.band == "Outstanding"
    assert (engine.question_counts("K2.1a").positive, engine.question_counts("K2.1a").negative) == (0, 2)
    before = tally.counts.as_dict()
    engine.set_answer("c0", "K2.1a", "ana", "yes")
    engine.set_answer("c1", "K2.1a", "bob", "na")
    assert engine.criterion("K2").counts.as_dict() == before
    document = tally_document(engine, "i")
    scored = {q["id"]: q["scored"] for c in document["criteria"] for q in c["questions"]}
    assert scored == {"K1.1": True, "K1.1a": False, "K1.1b": False, "K1.2": True, "K2.1": True, "K2.1a": False}


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["K1.1", "K1.1a", "K1.1b", "K1.2", "K2.1", "K2.1a"]),
                          st.sampled_from(["yes", "no", "na", None])), max_size=40),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_criterion_counts_are_the_sum_of_their_scored_questions(changes, adjusted):
    questionnaire = rated()
    engine = TallyEngine(questionnaire)
    for index, flag in enumerate(adjusted):
        engine.set_case(f"c{index}", {"adjusted": flag})
    for case, qid, value in changes:
        engine.set_answer(f"c{case}", qid, "ana", value)
    for criterion in questionnaire.criteria:
        expected = summed([engine.question_counts(q.id) for q in criterion.questions if q.scored])
        assert engine.criterion_counts(criterion.code).as_dict() == expected.as_dict()


# -- key questions without a score ----------------------------------------------------------------------

def test_a_key_question_without_a_score_is_skipped():
    questionnaire = rated()
    engine = engine_with(questionnaire, {"K1.1": ["yes", "no", "no"], "K1.1a": ["yes", "yes", "yes"]})
    tally = engine.criterion("K1")  # K1.2 applies to no case: it has no score and no say
    assert engine.question_counts("K1.2").counted == 0
    assert (tally.rating.question, tally.rating.basis_value(), tally.band) == ("K1.1", 33, "Inadequate")


def test_a_criterion_whose_key_questions_have_no_score_has_no_rating():
    questionnaire = rated()
    engine = engine_with(questionnaire, {"K1.1a": ["yes", "no"], "K2.1": ["yes", "yes"]})
    tally = engine.criterion("K1")
    assert tally.band is None and tally.rating.basis is None and tally.rating.question is None
    assert tally.rating.describe() == "not rated yet: none of its key questions has a score"
    document = tally_document(engine, "i")
    k1 = document["criteria"][0]
    assert (k1["rating"], k1["rating_basis"], k1["rated_by"], k1["points"]) == (None, None, None, None)
    assert document["overall"] == {"points": None, "rating": None}
    assert engine.criterion("K2").rating.points == 3


# -- overall points at each band edge --------------------------------------------------------------------

BAND_AT = {3: 90, 2: 70, 1: 55, 0: 10}


@pytest.mark.parametrize(("first", "second", "label"), [
    (0, 0, "Inadequate"), (1, 0, "Inadequate"),               # 0, 1
    (1, 1, "Requires improvement"), (2, 1, "Requires improvement"),  # 2 (edge), 3
    (2, 2, "Good"), (3, 2, "Good"),                           # 4 (edge), 5
    (3, 3, "Outstanding"),                                    # 6 (edge)
])
def test_overall_points_at_each_band_edge(first, second, label):
    questionnaire = rated()
    ratings = [(code, CriterionRating("lowest_question", Fraction(BAND_AT[points]),
                                      band_of(questionnaire.bands, BAND_AT[points])))
               for code, points in (("K1", first), ("K2", second))]
    overall = overall_rating(questionnaire, ratings)
    assert (overall.points, overall.label) == (first + second, label)
    assert overall.describe() == f"Overall rating: {label} ({first + second} points)"


def test_no_overall_rating_while_a_criterion_is_unrated():
    questionnaire = rated()
    ratings = [("K1", CriterionRating("lowest_question", None, None)),
               ("K2", CriterionRating("lowest_question", Fraction(90), band_of(questionnaire.bands, 90)))]
    overall = overall_rating(questionnaire, ratings)
    assert (overall.points, overall.label) == (None, None)
    assert overall.describe() == "No overall rating yet: K1 not rated"


def test_overall_from_answers_in_tally_json():
    questionnaire = rated()
    # K1: K1.1 3 of 4 (75%, Good: 2 points); K2: 1 of 2 (50%, Requires improvement: 1 point): 3 points
    engine = engine_with(questionnaire, {"K1.1": ["yes", "yes", "yes", "no"], "K2.1": ["yes", "no"]})
    document = tally_document(engine, "i")
    assert [c["points"] for c in document["criteria"]] == [2, 1]
    assert [c["rating_basis"] for c in document["criteria"]] == [75, 50]
    assert document["overall"] == {"points": 3, "rating": "Requires improvement"}


def test_the_2005_questionnaire_has_no_overall_rating():
    questionnaire = load_file(ESI)
    engine = TallyEngine.build(questionnaire, [("c", {})], [("c", "B2.1", "ana", "yes")])
    assert tally_document(engine, "i")["overall"] == {"points": None, "rating": None}
    assert questionnaire.rating.criterion_rule == "pooled" and questionnaire.rating.rounding == "none"
