"""The state engine kept current one change at a time says what one built afresh from the store says:
every question's state in the counted and the viewer's own view, progress, and the tallies, whatever
the order of answers, attribute edits, moderations, completions and double-review marks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esi_tui.core.inspection_state import COUNTED, OWN
from esi_tui.core.loader import load_file
from esi_tui.core.tally_json import tally_document
from esi_tui.store.errors import InvalidChange
from esi_tui.store.repository import Repository

MINI = load_file(Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml")
CASES = ("C1", "C2", "C3")
REVIEWERS = ("ann", "bob", "cy")
VIEWER = "ann"
QUESTIONS = MINI.question_ids

answer = st.tuples(st.just("answer"), st.sampled_from(CASES), st.sampled_from(QUESTIONS),
                   st.sampled_from(REVIEWERS), st.sampled_from(("yes", "no", "na", None)))
attributes = st.tuples(st.just("case"), st.sampled_from(CASES),
                       st.fixed_dictionaries({"risk": st.sampled_from(("low", "high")), "child": st.booleans(),
                                              "level": st.integers(0, 3)}))
moderation = st.tuples(st.just("moderate"), st.sampled_from(CASES), st.sampled_from(QUESTIONS),
                       st.sampled_from(("yes", "no", None)))
finish = st.tuples(st.just("complete"), st.sampled_from(CASES), st.sampled_from(REVIEWERS), st.booleans())
sample = st.tuples(st.just("sample"), st.sampled_from(CASES), st.booleans())
policy = st.tuples(st.just("policy"), st.sampled_from(("first", "dispute")))
operations = st.lists(st.one_of(answer, answer, answer, attributes, moderation, finish, finish, sample, policy),
                      max_size=60)


def apply(repo: Repository, op: tuple) -> None:
    kind = op[0]
    try:
        if kind == "answer":
            repo.set_answer("m", op[1], op[2], op[4], op[3])
        elif kind == "case":
            repo.save_case("m", op[1], op[2])
        elif kind == "moderate":
            repo.moderate("m", op[1], op[2], op[3], "lead", "agreed")
        elif kind == "complete":
            repo.set_complete("m", op[1], op[3], reviewer=op[2])
        elif kind == "sample":
            if op[2]:
                repo.mark_double_review("m", [op[1]])
            else:
                repo.unmark_double_review("m", op[1])
        else:
            repo.set_disagreement_policy("m", op[1])
    except InvalidChange:
        pass    # a completion refused while questions are open: the store's own rule, changing nothing


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_the_state_kept_current_equals_the_state_built_afresh(ops):
    from esi_tui.app.session import InspectionSession

    repo = Repository.in_memory()
    repo.create_inspection("m", MINI, area="Mini")
    for reference in CASES:
        repo.save_case("m", reference, {})
    session = InspectionSession(repo, "m", VIEWER)       # follows the change feed, as in the app
    for op in ops:
        apply(repo, op)
    fresh = repo.inspection_state("m", VIEWER)
    for reference in CASES:
        for view in (COUNTED, OWN):
            assert session.view.states(reference, view) == fresh.states(reference, view), (reference, view)
        assert session.view.progress(reference) == fresh.progress(reference)
        assert session.view.blind(reference) == fresh.blind(reference)
        assert session.view.is_complete(reference) == fresh.is_complete(reference)
    # the tallies the app shows are the tallies the command line prints for this viewer
    assert tally_document(session.engine, "m") == tally_document(repo.tally("m", viewer=VIEWER), "m")
    # and what the store holds as complete is complete by the one rule
    for reference in CASES:
        case = repo.case("m", reference)
        for reviewer in case.completed_by:
            assert repo.completion_problem("m", reference, reviewer) is None


def test_a_blind_case_finished_by_both_counts_the_other_reviewers_answers_at_once():
    """The case the property above is most about, spelt out: ann's view of a double review bob also did."""
    from esi_tui.app.session import InspectionSession

    repo = Repository.in_memory()
    repo.create_inspection("m", MINI, area="Mini")
    repo.save_case("m", "C1", {})
    repo.mark_double_review("m", ["C1"])
    session = InspectionSession(repo, "m", VIEWER)
    repo.set_answer("m", "C1", "A1.1", "no", "bob")
    repo.set_answer("m", "C1", "A1.1", "yes", "ann")
    assert session.engine.question_counts("A1.1").positive == 1      # blind: only ann's own answer counts
    repo.set_complete("m", "C1", True, reviewer="ann")
    repo.set_complete("m", "C1", True, reviewer="bob")              # blindness ends
    assert not session.view.blind("C1")
    assert session.engine.open_disagreements() == 1                  # bob's answer is counted now
    assert tally_document(session.engine, "m") == tally_document(repo.tally("m", viewer=VIEWER), "m")
