"""Moderation and disagreements in the tallies: the moderated answer counts where there is one;
otherwise the policy counts the first reviewer's answer or leaves the question out as in dispute;
open disagreements are counted; and the repository's tallies follow the stored policy and
moderations, live or rebuilt, before and after reopening."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from esi_tui import cli
from esi_tui.core.loader import load_file
from esi_tui.core.tally import (
    IN_DISPUTE,
    NEGATIVE,
    NOT_APPLICABLE,
    NOT_RELEVANT,
    POSITIVE,
    UNANSWERED,
    TallyEngine,
)
from esi_tui.core.tally_json import tally_document
from esi_tui.store.repository import Repository

MINI_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
MINI = load_file(MINI_PATH)
HIGH = {"risk": "high", "child": False, "level": 0}
LOW = {"risk": "low", "child": False, "level": 0}


def engine(policy: str = "first", **options) -> TallyEngine:
    e = TallyEngine(MINI, policy=policy, **options)
    e.set_case("C1", HIGH)
    e.set_case("C2", HIGH)
    return e


# -- policy "first" ---------------------------------------------------------------------------------


def test_without_moderation_the_first_reviewers_answer_counts():
    e = engine("first")
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_answer("C1", "A1.1", "bob", "no")
    assert e.answer("C1", "A1.1") == "yes" and e.state("C1", "A1.1") == POSITIVE
    assert e.disputed("C1", "A1.1") and e.open_disagreements() == 1
    counts = e.question_counts("A1.1")
    assert (counts.positive, counts.negative, counts.in_dispute, counts.unanswered) == (1, 0, 0, 1)


def test_reviewers_who_agree_are_no_disagreement():
    e = engine("dispute")
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_answer("C1", "A1.1", "bob", "yes")
    assert not e.disputed("C1", "A1.1") and e.open_disagreements() == 0
    assert e.state("C1", "A1.1") == POSITIVE


# -- moderation -------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["first", "dispute"])
def test_the_moderated_answer_counts_whatever_the_policy(policy):
    e = engine(policy)
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_answer("C1", "A1.1", "bob", "no")
    e.set_moderation("C1", "A1.1", "no")
    assert e.answer("C1", "A1.1") == "no" and e.state("C1", "A1.1") == NEGATIVE
    assert not e.disputed("C1", "A1.1") and e.open_disagreements() == 0
    counts = e.criterion_counts("A1")
    assert (counts.positive, counts.negative, counts.in_dispute) == (0, 1, 0)
    # a third answer, neither reviewer's
    e.set_moderation("C1", "A1.1", "na")
    assert e.state("C1", "A1.1") == NOT_APPLICABLE
    assert e.question_counts("A1.1").not_applicable == 1 and e.question_counts("A1.1").counted == 0
    # withdrawn: the disagreement is open again
    e.set_moderation("C1", "A1.1", None)
    assert e.disputed("C1", "A1.1") and e.open_disagreements() == 1
    assert e.state("C1", "A1.1") == (POSITIVE if policy == "first" else IN_DISPUTE)


def test_a_moderation_where_no_reviewer_disagreed_still_counts():
    e = engine()
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_moderation("C1", "A1.1", "no")
    assert e.state("C1", "A1.1") == NEGATIVE and e.open_disagreements() == 0
    e.set_moderation("C2", "A1.1", "yes")              # no answer at all
    assert e.state("C2", "A1.1") == POSITIVE


def test_a_moderation_of_an_unknown_question_is_refused():
    e = engine()
    with pytest.raises(KeyError, match="unknown question 'Z9'"):
        e.set_moderation("C1", "Z9", "yes")
    with pytest.raises(ValueError, match="unknown disagreement policy 'vote'"):
        TallyEngine(MINI, policy="vote")


# -- policy "dispute" -------------------------------------------------------------------------------


def test_in_dispute_is_out_of_the_score_but_still_relevant():
    e = engine("dispute")
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_answer("C1", "A1.1", "bob", "no")
    e.set_answer("C2", "A1.1", "ann", "yes")
    assert e.answer("C1", "A1.1") is None
    assert e.state("C1", "A1.1") == IN_DISPUTE and e.state("C2", "A1.1") == POSITIVE
    counts = e.question_counts("A1.1")
    assert counts.as_dict() == {POSITIVE: 1, NEGATIVE: 0, NOT_APPLICABLE: 0, UNANSWERED: 0,
                                NOT_RELEVANT: 0, IN_DISPUTE: 1}
    assert counts.counted == 1 and counts.relevant == 2 and counts.score == 100.0
    assert e.criterion_counts("A1").in_dispute == 1
    assert e.open_disagreements() == 1
    # one reviewer changing to agree settles it
    e.set_answer("C1", "A1.1", "bob", "yes")
    assert e.state("C1", "A1.1") == POSITIVE and e.question_counts("A1.1").in_dispute == 0
    assert e.open_disagreements() == 0


def test_a_question_in_dispute_hides_its_answer_from_the_questions_that_depend_on_it():
    # A1.3 applies only when A1.2 was "no"
    e = engine("dispute")
    e.set_answer("C1", "A1.2", "ann", "no")
    e.set_answer("C1", "A1.3", "ann", "yes")
    assert e.state("C1", "A1.3") == POSITIVE
    e.set_answer("C1", "A1.2", "bob", "yes")
    assert e.state("C1", "A1.2") == IN_DISPUTE and e.state("C1", "A1.3") == NOT_RELEVANT
    e.set_moderation("C1", "A1.2", "no")
    assert e.state("C1", "A1.2") == NEGATIVE and e.state("C1", "A1.3") == POSITIVE
    e.set_moderation("C1", "A1.2", "yes")
    assert e.state("C1", "A1.3") == NOT_RELEVANT


def test_a_disagreement_on_a_question_that_does_not_apply_is_not_open():
    e = engine("dispute")
    e.set_case("C3", LOW)                      # A1.2 is for high risk cases only
    e.set_answer("C3", "A1.2", "ann", "yes")
    e.set_answer("C3", "A1.2", "bob", "no")
    assert e.state("C3", "A1.2") == NOT_RELEVANT and e.open_disagreements() == 0
    e.set_case("C3", HIGH)
    assert e.state("C3", "A1.2") == IN_DISPUTE and e.open_disagreements() == 1


def test_one_reviewers_tally_ignores_moderation_and_disputes():
    e = engine("dispute", reviewer="bob")
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_answer("C1", "A1.1", "bob", "no")
    e.set_moderation("C1", "A1.1", "yes")
    assert e.state("C1", "A1.1") == NEGATIVE
    e.set_moderation("C1", "A1.1", None)
    assert e.state("C1", "A1.1") == NEGATIVE and e.question_counts("A1.1").in_dispute == 0


def test_the_tally_document_shows_disputes_and_open_disagreements():
    e = engine("dispute")
    e.set_answer("C1", "A1.1", "ann", "yes")
    e.set_answer("C1", "A1.1", "bob", "no")
    doc = tally_document(e, "i1")
    assert doc["open_disagreements"] == 1
    a1 = doc["criteria"][0]
    assert a1["code"] == "A1" and a1["in_dispute"] == 1 and a1["positive"] == 0 and a1["score"] is None
    assert a1["questions"][0]["in_dispute"] == 1


# -- incremental equals rebuilt, with moderations and both policies ---------------------------------

REVIEWERS = ("ann", "bob", "cy")
VALUES = ("yes", "no", "na")
QUESTIONS = [q.id for q in MINI.questions]
CASES = ("C1", "C2", "C3")
ATTRIBUTES = [HIGH, LOW, {"risk": "high", "child": True, "level": 2}, {"risk": "low", "child": False, "level": 1}]

operation = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(CASES), st.sampled_from(QUESTIONS), st.sampled_from(REVIEWERS),
              st.sampled_from((*VALUES, None))),
    st.tuples(st.just("moderate"), st.sampled_from(CASES), st.sampled_from(QUESTIONS),
              st.sampled_from((*VALUES, None))),
    st.tuples(st.just("case"), st.sampled_from(CASES), st.sampled_from(range(len(ATTRIBUTES)))),
)


def snapshot(e: TallyEngine) -> dict:
    return {
        "states": {ref: e.case_states(ref) for ref in e.cases},
        "questions": {qid: e.question_counts(qid).as_dict() for qid in QUESTIONS},
        "criteria": {c.code: e.criterion_counts(c.code).as_dict() for c in MINI.criteria},
        "open": e.open_disagreements(),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(operation, max_size=30), policy=st.sampled_from(["first", "dispute"]))
def test_incremental_tallies_with_moderation_equal_a_rebuild(ops, policy):
    live = TallyEngine(MINI, policy=policy)
    cases: dict[str, dict] = {}
    answers: dict[tuple[str, str, str], str] = {}       # insertion order = order first answered
    moderated: dict[tuple[str, str], str] = {}
    for op in ops:
        if op[0] == "case":
            _, ref, index = op
            cases[ref] = ATTRIBUTES[index]
            live.set_case(ref, ATTRIBUTES[index])
        elif op[0] == "answer":
            _, ref, qid, reviewer, value = op
            if value is None:
                answers.pop((ref, qid, reviewer), None)
            else:
                answers[(ref, qid, reviewer)] = value
            live.set_answer(ref, qid, reviewer, value)
        else:
            _, ref, qid, value = op
            if value is None:
                moderated.pop((ref, qid), None)
            else:
                moderated[(ref, qid)] = value
            live.set_moderation(ref, qid, value)
    rebuilt = TallyEngine.build(MINI, cases.items(), [(c, q, r, v) for (c, q, r), v in answers.items()],
                                [(c, q, v) for (c, q), v in moderated.items()], policy=policy)
    assert snapshot(live) == snapshot(rebuilt)
    for (ref, qid), values in _slots(answers).items():
        if ref in cases and live.state(ref, qid) != NOT_RELEVANT:
            if (ref, qid) in moderated:
                assert live.answer(ref, qid) == moderated[(ref, qid)]
            elif len(set(values)) > 1:
                assert live.answer(ref, qid) == (values[0] if policy == "first" else None)


def _slots(answers: dict) -> dict[tuple[str, str], list[str]]:
    slots: dict[tuple[str, str], list[str]] = {}
    for (ref, qid, _), value in answers.items():
        slots.setdefault((ref, qid), []).append(value)
    return slots


# -- the repository's tallies -----------------------------------------------------------------------


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "team.json"
    with Repository.open(path) as repo:
        repo.create_inspection("i1", MINI, title="Team", area="North")
        repo.save_case("i1", "C1", {"risk": "high"})
        repo.save_case("i1", "C2", {"risk": "high"})
        repo.set_answer("i1", "C1", "A1.1", "yes", "ann")
        repo.set_answer("i1", "C1", "A1.1", "no", "bob")
        repo.set_answer("i1", "C2", "A1.1", "yes", "ann")
        repo.set_answer("i1", "C2", "A1.1", "no", "bob")
    return path


def test_the_repositorys_tally_follows_the_stored_policy_and_moderations_after_reopening(db):
    with Repository.open(db) as repo:
        tally = repo.tally("i1")
        assert tally.policy == "first" and tally.question_counts("A1.1").positive == 2
        assert tally.open_disagreements() == 2
        repo.set_disagreement_policy("i1", "dispute")
        repo.moderate("i1", "C1", "A1.1", "no", "lead", "no plan on file")
    with Repository.open(db, readonly=True) as repo:
        tally = repo.tally("i1")
        assert tally.policy == "dispute"
        assert tally.state("C1", "A1.1") == NEGATIVE and tally.state("C2", "A1.1") == IN_DISPUTE
        counts = tally.question_counts("A1.1")
        assert (counts.positive, counts.negative, counts.in_dispute, counts.score) == (0, 1, 1, 0.0)
        assert tally.open_disagreements() == 1
        # an explicit policy wins over the stored one
        assert repo.tally("i1", policy="first").state("C2", "A1.1") == POSITIVE
        # one reviewer's tally ignores moderation
        assert repo.tally("i1", reviewer="ann").state("C1", "A1.1") == POSITIVE


def test_a_changed_moderation_is_counted_and_the_earlier_kept(db):
    with Repository.open(db) as repo:
        repo.moderate("i1", "C1", "A1.1", "no", "lead", "no plan")
        repo.moderate("i1", "C1", "A1.1", "yes", "lead", "plan found in the file")
    with Repository.open(db, readonly=True) as repo:
        assert repo.tally("i1").state("C1", "A1.1") == POSITIVE
        assert [(h["value"], h.get("kind")) for h in repo.history("i1", "C1", "A1.1")] == [("no", "moderation")]
        assert repo.moderation("i1", "C1", "A1.1").reason == "plan found in the file"


def test_tally_json_on_the_command_line_shows_disputes(db, capsys):
    with Repository.open(db) as repo:
        repo.set_disagreement_policy("i1", "dispute")
        repo.moderate("i1", "C2", "A1.1", "yes", "lead")
    assert cli.main(["tally", "--db", str(db), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["open_disagreements"] == 1
    a1 = doc["criteria"][0]
    assert (a1["positive"], a1["negative"], a1["in_dispute"], a1["score"]) == (1, 0, 1, 100.0)


repo_operation = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(("C1", "C2")), st.sampled_from(("A1.1", "A1.2", "A1.3")),
              st.sampled_from(REVIEWERS), st.sampled_from((*VALUES, None)),
              st.sampled_from((None, "", "see file"))),
    st.tuples(st.just("moderate"), st.sampled_from(("C1", "C2")), st.sampled_from(("A1.1", "A1.2")),
              st.sampled_from(("yes", "no", None))),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(repo_operation, min_size=1, max_size=14), policy=st.sampled_from(["first", "dispute"]))
@example(ops=[("answer", "C1", "A1.1", "ann", None, "see file"), ("answer", "C1", "A1.1", "bob", "no", None),
              ("answer", "C1", "A1.1", "ann", "yes", None)], policy="first")
@example(ops=[("answer", "C1", "A1.2", "ann", "no", "see file"), ("answer", "C1", "A1.2", "bob", "yes", None),
              ("answer", "C1", "A1.2", "ann", None, None), ("answer", "C1", "A1.2", "cy", "na", None),
              ("answer", "C1", "A1.2", "ann", "no", None), ("moderate", "C1", "A1.2", "no")], policy="first")
def test_the_live_tally_the_app_keeps_equals_the_one_rebuilt_from_the_database(ops, policy):
    """As the app does: save through the repository, then tell the live engine what was saved.
    Reopened, the database must give the same tallies (notes written before an answer included)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "live.json"
        with Repository.open(path) as repo:
            repo.create_inspection("i1", MINI)
            repo.save_case("i1", "C1", {"risk": "high"})
            repo.save_case("i1", "C2", {"risk": "high", "child": True})
            repo.set_disagreement_policy("i1", policy)
            live = repo.tally("i1")
            for op in ops:
                if op[0] == "answer":
                    _, ref, qid, reviewer, value, note = op
                    saved = repo.set_answer("i1", ref, qid, value, reviewer, note=note)
                    live.set_answer(ref, qid, reviewer, saved.value if saved else None)
                else:
                    _, ref, qid, value = op
                    saved = repo.moderate("i1", ref, qid, value, "lead", "agreed")
                    live.set_moderation(ref, qid, saved.value if saved else None)
            assert snapshot(repo.tally("i1")) == snapshot(live)
        with Repository.open(path, readonly=True) as repo:
            assert snapshot(repo.tally("i1")) == snapshot(live)
