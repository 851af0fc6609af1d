"""Taking changes back out of the in-memory state (a commit the server refused) leaves it exactly as it
was: every table, in its order, and each case's index of answers."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from esi_tui.store.state import State
from esi_tui.store.state_undo import remember

CASES = ("H1", "H2")
QUESTIONS = ("Q1", "Q2", "Q3")
REVIEWERS = ("ann", "bob")
AT = "2026-01-01T10:00:00Z"


def answer(case, question, reviewer, value, note):
    return {"op": "answer", "inspection": "i", "case": case, "question": question, "reviewer": reviewer,
            "value": value, "note": note, "at": AT}


records = st.one_of(
    st.builds(answer, st.sampled_from(CASES), st.sampled_from(QUESTIONS), st.sampled_from(REVIEWERS),
              st.sampled_from(("yes", "no", None)), st.sampled_from(("", "a note"))),
    st.builds(lambda case, q, value: {"op": "moderation", "inspection": "i", "case": case, "question": q,
                                      "value": value, "reason": "r", "moderator": "lead", "at": AT},
              st.sampled_from(CASES), st.sampled_from(QUESTIONS), st.sampled_from(("yes", None))),
    st.builds(lambda case, reviewer, note: {"op": "note", "inspection": "i", "case": case, "reviewer": reviewer,
                                            "note": note, "at": AT},
              st.sampled_from(CASES), st.sampled_from(REVIEWERS), st.sampled_from(("", "see the file"))),
    st.builds(lambda case, risk, complete: {"op": "case", "inspection": "i", "reference": case,
                                            "attributes": {"risk": risk}, "at": AT,
                                            **({"complete": True, "reviewer": "ann"} if complete else {})},
              st.sampled_from(CASES), st.sampled_from(("low", "high")), st.booleans()),
    st.builds(lambda policy: {"op": "settings", "inspection": "i", "settings": {"disagreement_policy": policy},
                              "at": AT}, st.sampled_from(("first", "dispute"))),
)


def snapshot(state: State) -> str:
    """Every table in its order, and the per-case index, as text."""
    return json.dumps([state.tables(), sorted((list(k), list(v)) for k, v in state._by_case.items())], default=str)


@given(st.lists(records, max_size=25), st.lists(records, min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_undoing_the_changes_of_a_refused_commit_restores_the_state_exactly(committed, refused):
    state = State()
    state.apply({"op": "inspection", "record": {"id": "i", "questionnaire_id": "q", "questionnaire_source": ""}})
    for record in committed:
        state.apply(dict(record))
    before = snapshot(state)
    undos = []
    for record in refused:
        undos.append(remember(state, record))
        state.apply(dict(record))
    for undo in reversed(undos):
        undo()
    assert snapshot(state) == before
