"""The store's team records: settings, blind double review, moderation, case notes, history
brought from elsewhere, per-reviewer completion; and that each survives reopening, whether the
journal was folded into the file or is replayed after a crash."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from casework import finish

from esi_tui.core.loader import load_file
from esi_tui.store.errors import InvalidChange, ReadOnly
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
REFERENCES = [f"C{n:02d}" for n in range(1, 21)]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "team.json"


@pytest.fixture
def repo(db):
    repo = Repository.open(db)
    repo.create_inspection("i1", load_file(MINI), title="Team", area="North")
    for n, reference in enumerate(REFERENCES):
        repo.save_case("i1", reference, {"risk": "high" if n % 2 else "low"})
    yield repo
    repo.close()


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def journal_size(db: Path) -> int:
    return journal(db).stat().st_size


def crash(repo: Repository) -> None:
    """Leave the repository as a killed process would: nothing folded, the journal holds every change."""
    repo.log._journal.close()
    repo.log._journal = None
    repo.log._lock.release()


def reopen(repo: Repository, db: Path, how: str) -> Repository:
    if how == "folded":
        repo.close()
        assert journal_size(db) == 0
    else:
        crash(repo)
        assert journal_size(db) > 0
    return Repository.open(db)


# -- settings --------------------------------------------------------------------------------------


def test_settings_default_to_no_double_review_and_the_first_reviewers_answer(repo):
    assert repo.settings("i1") == {"double_review": [], "disagreement_policy": "first"}
    assert not repo.is_double_review("i1", "C01")
    assert not repo.blind_for("i1", "C01", "ann")
    with pytest.raises(InvalidChange, match="no inspection 'nope'"):
        repo.settings("nope")


def test_an_invalid_disagreement_policy_is_rejected_and_nothing_is_saved(repo, db):
    size = journal_size(db)
    for policy in ("majority", "", "First", None):
        with pytest.raises(InvalidChange, match="disagreement policy must be one of first, dispute"):
            repo.set_disagreement_policy("i1", policy)
    assert journal_size(db) == size
    assert repo.settings("i1")["disagreement_policy"] == "first"


def test_setting_the_policy_it_already_has_saves_nothing(repo, db):
    size = journal_size(db)
    repo.set_disagreement_policy("i1", "first")
    assert journal_size(db) == size
    repo.set_disagreement_policy("i1", "dispute")
    grown = journal_size(db)
    assert grown > size
    repo.set_disagreement_policy("i1", "dispute")
    assert journal_size(db) == grown
    assert repo.settings("i1")["disagreement_policy"] == "dispute"


def test_the_settings_returned_are_a_copy(repo):
    marked = repo.mark_double_review("i1", ["C01"])
    marked.append("C02")
    repo.settings("i1")["double_review"].append("C03")
    assert repo.settings("i1")["double_review"] == ["C01"]
    assert not repo.is_double_review("i1", "C02") and not repo.is_double_review("i1", "C03")


# -- marking cases for double review ----------------------------------------------------------------


def test_named_cases_are_marked_in_sample_order_and_marks_add_up(repo):
    assert repo.mark_double_review("i1", ["C05", "C02"]) == ["C02", "C05"]
    assert repo.mark_double_review("i1", ["C01", "C05"]) == ["C01", "C02", "C05"]
    assert repo.settings("i1")["double_review"] == ["C01", "C02", "C05"]
    assert [repo.is_double_review("i1", r) for r in ("C01", "C02", "C03", "C05")] == [True, True, False, True]
    assert "double_review_seed" not in repo.settings("i1")    # nothing was drawn at random


def test_marking_the_same_cases_again_saves_nothing(repo, db):
    repo.mark_double_review("i1", ["C01", "C02"])
    size = journal_size(db)
    repo.mark_double_review("i1", ["C02"])
    repo.mark_double_review("i1", [])
    assert journal_size(db) == size


def test_an_unknown_case_is_rejected_and_nothing_is_marked(repo, db):
    size = journal_size(db)
    with pytest.raises(InvalidChange, match="has no case 'C99'"):
        repo.mark_double_review("i1", ["C01", "C99"])
    assert journal_size(db) == size
    assert repo.settings("i1")["double_review"] == []
    with pytest.raises(InvalidChange, match="no inspection"):
        repo.mark_double_review("nope", ["C01"])


@pytest.mark.parametrize("share", [0, -0.1, 1.01, 2, math.nan])
def test_a_share_out_of_range_is_rejected_and_nothing_is_marked(repo, db, share):
    size = journal_size(db)
    with pytest.raises(InvalidChange, match="the share must be above 0 and at most 1"):
        repo.mark_double_review("i1", share=share, seed=7)
    assert journal_size(db) == size
    assert repo.settings("i1") == {"double_review": [], "disagreement_policy": "first"}


def test_a_random_share_records_its_seed_and_share(repo):
    chosen = repo.mark_double_review("i1", share=0.25, seed=1234)
    assert len(chosen) == 5                                   # a quarter of 20
    assert set(chosen) <= set(REFERENCES)
    assert chosen == [r for r in REFERENCES if r in chosen]   # in sample order
    settings = repo.settings("i1")
    assert settings["double_review"] == chosen
    assert settings["double_review_seed"] == 1234 and settings["double_review_share"] == 0.25


def test_the_same_seed_picks_the_same_cases(repo, tmp_path):
    chosen = repo.mark_double_review("i1", share=0.3, seed=99)
    with Repository.open(tmp_path / "other.json") as other:
        other.create_inspection("elsewhere", load_file(MINI))
        for reference in REFERENCES:
            other.save_case("elsewhere", reference, {})
        assert other.mark_double_review("elsewhere", share=0.3, seed=99) == chosen
        # a different seed draws a different sample (these two differ)
        other_sample = other.mark_double_review("elsewhere", share=0.3, seed=100)
        assert other_sample != chosen


def test_without_a_seed_one_is_drawn_and_recorded_so_the_sample_can_be_drawn_again(repo, tmp_path):
    chosen = repo.mark_double_review("i1", share=0.2)
    seed = repo.settings("i1")["double_review_seed"]
    assert isinstance(seed, int) and len(chosen) == 4
    with Repository.open(tmp_path / "again.json") as other:
        other.create_inspection("i1", load_file(MINI))
        for reference in REFERENCES:
            other.save_case("i1", reference, {})
        assert other.mark_double_review("i1", share=0.2, seed=seed) == chosen


def test_a_small_share_marks_at_least_one_case_and_a_whole_share_marks_all(repo):
    assert len(repo.mark_double_review("i1", share=0.001, seed=5)) == 1
    assert repo.mark_double_review("i1", share=1, seed=5) == REFERENCES


def test_the_adopted_settings_are_checked(repo, db):
    size = journal_size(db)
    with pytest.raises(InvalidChange, match="unknown setting 'colour'"):
        repo.adopt_settings("i1", {"colour": "red"})
    with pytest.raises(InvalidChange, match="has no case 'C99'"):
        repo.adopt_settings("i1", {"double_review": ["C99"]})
    with pytest.raises(InvalidChange, match="disagreement policy"):
        repo.adopt_settings("i1", {"disagreement_policy": "vote"})
    assert journal_size(db) == size
    assert repo.adopt_settings("i1", {"double_review_seed": 3, "disagreement_policy": "first"}) == \
        {"double_review_seed": 3}
    assert repo.adopt_settings("i1", {"double_review_seed": 3}) == {}


# -- blind double review ----------------------------------------------------------------------------


def test_a_double_review_case_is_blind_until_two_reviewers_have_finished_it(repo):
    repo.mark_double_review("i1", ["C01"])
    repo.set_answer("i1", "C01", "A1.1", "yes", "ann", note="plan is thin")
    assert repo.blind_for("i1", "C01", "bob") and repo.blind_for("i1", "C01", "ann")
    finish(repo, "i1", "C01", "ann")
    # the first reviewer finished: the second still must not see her answers, nor she his
    assert repo.blind_for("i1", "C01", "bob") and repo.blind_for("i1", "C01", "ann")
    repo.set_answer("i1", "C01", "A1.1", "no", "bob")
    finish(repo, "i1", "C01", "bob")
    assert not repo.blind_for("i1", "C01", "bob") and not repo.blind_for("i1", "C01", "ann")
    # a moderator who reviewed nothing may see both once both have finished
    assert not repo.blind_for("i1", "C01", "lead")
    # reopened by one of them: blind again until that reviewer finishes again
    repo.set_complete("i1", "C01", False, reviewer="bob")
    assert repo.blind_for("i1", "C01", "ann") and repo.blind_for("i1", "C01", "bob")


def test_one_reviewer_finishing_twice_is_not_two_reviewers(repo, db):
    repo.mark_double_review("i1", ["C01"])
    finish(repo, "i1", "C01", "ann")
    size = journal_size(db)
    finish(repo, "i1", "C01", "ann")
    assert journal_size(db) == size
    assert repo.case("i1", "C01").completed_by == ("ann",)
    assert repo.blind_for("i1", "C01", "bob")


def test_a_case_outside_the_sample_is_never_blind(repo):
    repo.mark_double_review("i1", ["C01"])
    repo.set_answer("i1", "C02", "A1.1", "yes", "ann")
    assert not repo.blind_for("i1", "C02", "bob")


@pytest.mark.parametrize("how", ["folded", "journal"])
def test_double_review_marks_and_blindness_survive_reopening(repo, db, how):
    chosen = repo.mark_double_review("i1", ["C01"], share=0.1, seed=42)
    finish(repo, "i1", "C01", "ann")
    repo = reopen(repo, db, how)
    try:
        assert repo.settings("i1") == {"double_review": chosen, "disagreement_policy": "first",
                                       "double_review_seed": 42, "double_review_share": 0.1}
        assert repo.blind_for("i1", "C01", "bob")
        finish(repo, "i1", "C01", "bob")
        assert not repo.blind_for("i1", "C01", "bob")
    finally:
        repo.close()


# -- completion per reviewer ------------------------------------------------------------------------


def test_set_complete_records_who_finished_the_case(repo):
    case = finish(repo, "i1", "C03", "ann")
    assert case.complete and case.completed_by == ("ann",)
    case = finish(repo, "i1", "C03", "bob")
    assert case.completed_by == ("ann", "bob")
    case = repo.set_complete("i1", "C03", False, reviewer="ann")
    assert case.complete and case.completed_by == ("bob",)
    case = repo.set_complete("i1", "C03", False, reviewer="bob")
    assert not case.complete and case.completed_by == ()
    # reopening a case a reviewer never finished changes nothing
    assert repo.set_complete("i1", "C03", False, reviewer="cy").completed_by == ()


def test_changing_a_cases_attributes_keeps_who_finished_it(repo):
    finish(repo, "i1", "C03", "ann")
    repo.save_case("i1", "C03", {"level": 2})   # only the optional A2.1 comes to apply
    case = repo.case("i1", "C03")
    assert case.completed_by == ("ann",) and case.complete and case.attributes["level"] == 2


def test_an_attribute_change_that_opens_a_required_question_reopens_the_case_and_says_why(repo, db):
    finish(repo, "i1", "C03", "ann")                  # low risk: A1.1 only
    repo.save_case("i1", "C03", {"risk": "high"})     # A1.2 now applies, unanswered
    case = repo.case("i1", "C03")
    assert case.completed_by == () and not case.complete
    assert repo.reopen_reason("i1", "C03", "ann") == "1 question now applies after risk changed to high"
    repo.close()
    with Repository.open(db, readonly=True) as again:    # the reopening is in the journal, reason and all
        assert again.case("i1", "C03").completed_by == ()
        assert again.reopen_reason("i1", "C03", "ann") == "1 question now applies after risk changed to high"


def test_completing_then_undoing_an_answer_reopens_the_case(repo):
    finish(repo, "i1", "C03", "ann")
    repo.set_answer("i1", "C03", "A1.1", None, "ann")
    assert repo.case("i1", "C03").completed_by == ()
    assert repo.reopen_reason("i1", "C03", "ann") == "the answer to A1.1 was cleared"


def test_marking_a_case_complete_with_a_required_question_open_is_refused(repo):
    with pytest.raises(InvalidChange, match=r"case C03 cannot be marked complete by ann: 1 required question "
                                            r"unanswered \(A1.1\)"):
        repo.set_complete("i1", "C03", True, reviewer="ann")
    assert repo.case("i1", "C03").completed_by == ()


def test_completion_without_a_reviewer_still_works(repo):
    case = finish(repo, "i1", "C04", None)
    assert case.complete and case.completed_by == ()
    assert not repo.set_complete("i1", "C04", False).complete


# -- when each completion last changed (what a merge weighs) ----------------------------------------

T1, T2, T3 = "2005-03-01T09:00:00Z", "2005-03-02T09:00:00Z", "2005-03-03T09:00:00Z"


@pytest.mark.parametrize("how", ["folded", "journal"])
def test_each_completion_keeps_when_it_last_changed(repo, db, how):
    finish(repo, "i1", "C05", "ann", at=T1)
    finish(repo, "i1", "C05", "bob", at=T2)
    repo.set_complete("i1", "C05", False, reviewer="bob", at=T3)
    finish(repo, "i1", "C06", None, at=T1)         # case-wide, under ""
    repo.set_complete("i1", "C06", False, at=T2)
    repo.save_case("i1", "C05", {"level": 1})          # an attribute change that opens nothing keeps them
    expected = {"C05": {"ann": (True, T1), "bob": (False, T3)}, "C06": {"": (False, T2)}}
    repo = reopen(repo, db, how)
    try:
        assert {ref: repo.completion("i1", ref) for ref in ("C05", "C06")} == expected
        assert repo.case("i1", "C05").completed_by == ("ann",) and not repo.case("i1", "C06").complete
        assert repo.completion("i1", "C07") == {}
        assert repo.state.cases[("i1", "C05")]["completion"] == {
            "ann": {"complete": True, "at": T1}, "bob": {"complete": False, "at": T3}}
    finally:
        repo.close()
    with Repository.open(db, readonly=True) as again:   # and once folded into the file
        assert {ref: again.completion("i1", ref) for ref in ("C05", "C06")} == expected


def test_set_complete_records_a_later_time_for_the_same_state_and_nothing_else(repo, db):
    finish(repo, "i1", "C05", "ann", at=T2)
    size = journal_size(db)
    for at in (None, "", T1, T2):       # now (as the app), not known, earlier, the same: nothing is saved
        finish(repo, "i1", "C05", "ann", at=at)
    repo.set_complete("i1", "C05", False, reviewer="bob", at=T3)        # bob never finished it
    assert journal_size(db) > size
    size = journal_size(db)
    finish(repo, "i1", "C05", "ann", at=T3)
    assert journal_size(db) > size
    assert repo.completion("i1", "C05") == {"ann": (True, T3), "bob": (False, T3)}
    # a change of state is saved whatever its time, as a replayed script says
    repo.set_complete("i1", "C05", False, reviewer="ann", at=T1)
    assert repo.completion("i1", "C05")["ann"] == (False, T1) and repo.case("i1", "C05").completed_by == ()
    # the app's reopening takes the time now
    finish(repo, "i1", "C06", "ann")
    assert repo.completion("i1", "C06")["ann"][1] > "2020"


def _without_completion_times(db: Path) -> None:
    """Rewrite a folded database as one written before completion times were kept."""
    data = json.loads(db.read_text(encoding="utf-8"))
    for doc in data["cases"].values():
        doc.pop("completion", None)
    db.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("how", ["folded", "journal"])
def test_an_old_database_without_completion_times_opens_and_works_as_before(repo, db, how):
    repo.mark_double_review("i1", ["C01", "C02"])
    for reviewer in ("ann", "bob"):
        finish(repo, "i1", "C01", reviewer)
    finish(repo, "i1", "C02", "ann")
    finish(repo, "i1", "C03", None)
    finish(repo, "i1", "C04", "ann")
    repo.set_complete("i1", "C04", False)             # reopened for everyone
    repo.close()
    _without_completion_times(db)
    assert b'"completion"' not in db.read_bytes()
    repo = Repository.open(db)
    try:
        assert [(c.reference, c.complete, c.completed_by) for c in repo.cases("i1")][:4] == [
            ("C01", True, ("ann", "bob")), ("C02", True, ("ann",)), ("C03", True, ()), ("C04", False, ("ann",))]
        assert repo.blind_cases("i1") == {"C02"}
        # every state is there, at a time not known
        assert repo.completion("i1", "C01") == {"ann": (True, ""), "bob": (True, "")}
        assert repo.completion("i1", "C03") == {"": (True, "")}
        assert repo.completion("i1", "C04") == {"ann": (True, ""), "": (False, "")}
        repo.set_complete("i1", "C01", False, reviewer="bob", at=T1)
        finish(repo, "i1", "C02", "bob", at=T2)
        repo = reopen(repo, db, how)        # "journal": killed before a fold, the journal replayed
        assert repo.blind_cases("i1") == {"C01"}
        assert repo.case("i1", "C01").completed_by == ("ann",) and repo.case("i1", "C02").completed_by == (
            "ann", "bob")
        assert repo.completion("i1", "C01") == {"ann": (True, ""), "bob": (False, T1)}
        assert repo.completion("i1", "C02") == {"ann": (True, ""), "bob": (True, T2)}
        assert repo.case("i1", "C03").complete and not repo.case("i1", "C04").complete
    finally:
        repo.close()


# -- moderation -------------------------------------------------------------------------------------


def test_a_moderation_is_validated_and_nothing_is_saved_when_it_is_bad(repo, db):
    size = journal_size(db)
    with pytest.raises(InvalidChange, match="unknown question 'Z9'"):
        repo.moderate("i1", "C01", "Z9", "yes", "lead")
    with pytest.raises(InvalidChange, match=r"value 'maybe' is not in A1\.1's scale"):
        repo.moderate("i1", "C01", "A1.1", "maybe", "lead")
    with pytest.raises(InvalidChange, match="has no case 'C99'"):
        repo.moderate("i1", "C99", "A1.1", "yes", "lead")
    with pytest.raises(InvalidChange, match="no inspection"):
        repo.moderate("nope", "C01", "A1.1", "yes", "lead")
    assert journal_size(db) == size
    assert repo.moderations("i1") == []


def test_a_changed_moderation_keeps_the_earlier_one_in_history(repo, db):
    assert repo.moderation("i1", "C01", "A1.1") is None
    first = repo.moderate("i1", "C01", "A1.1", "yes", "lead", "plan on file", at="2005-02-01T10:00:00Z")
    assert (first.value, first.reason, first.moderator, first.at) == ("yes", "plan on file", "lead",
                                                                     "2005-02-01T10:00:00Z")
    size = journal_size(db)
    assert repo.moderate("i1", "C01", "A1.1", "yes", "other", "plan on file") == first   # the same: nothing saved
    assert journal_size(db) == size
    second = repo.moderate("i1", "C01", "A1.1", "na", "lead", "not applicable after all",
                           at="2005-02-02T10:00:00Z")
    assert second.value == "na" and repo.moderations("i1") == [second]
    kept = repo.history("i1", "C01", "A1.1")
    assert kept == [{"inspection": "i1", "case": "C01", "question": "A1.1", "value": "yes",
                     "reason": "plan on file", "moderator": "lead", "at": "2005-02-01T10:00:00Z",
                     "kind": "moderation", "replaced_at": "2005-02-02T10:00:00Z"}]
    # withdrawn: none any more, and the withdrawn one is kept too
    assert repo.moderate("i1", "C01", "A1.1", None, "lead", at="2005-02-03T10:00:00Z") is None
    assert repo.moderation("i1", "C01", "A1.1") is None and repo.moderations("i1") == []
    assert [h["value"] for h in repo.history("i1", "C01", "A1.1")] == ["yes", "na"]
    # withdrawing what is not there saves nothing
    size = journal_size(db)
    assert repo.moderate("i1", "C01", "A1.1", None, "lead") is None
    assert journal_size(db) == size


def test_moderations_are_listed_per_inspection(repo):
    repo.create_inspection("i2", load_file(MINI))
    repo.save_case("i2", "C01", {})
    repo.moderate("i1", "C01", "A1.1", "yes", "lead")
    repo.moderate("i1", "C02", "A2.1", "no", "lead", "no check on the file")
    repo.moderate("i2", "C01", "A1.1", "no", "lead")
    assert [(m.case, m.question, m.value) for m in repo.moderations("i1")] == [("C01", "A1.1", "yes"),
                                                                                 ("C02", "A2.1", "no")]
    assert [(m.case, m.value) for m in repo.moderations("i2")] == [("C01", "no")]


# -- case notes -------------------------------------------------------------------------------------


def test_case_notes_round_trip_per_reviewer(repo, db):
    assert repo.case_note("i1", "C01", "ann") == ""
    repo.set_case_note("i1", "C01", "ann", "Talk to Bob about the plan ✓", at="2005-02-01T10:00:00Z")
    repo.set_case_note("i1", "C01", "bob", "Fine")
    assert repo.case_note("i1", "C01", "ann") == "Talk to Bob about the plan ✓"
    assert repo.case_note("i1", "C01", "bob") == "Fine" and repo.case_note("i1", "C02", "ann") == ""
    notes = {(n["case"], n["reviewer"]): n for n in repo.case_notes("i1")}
    assert notes[("C01", "ann")] == {"inspection": "i1", "case": "C01", "reviewer": "ann",
                                     "note": "Talk to Bob about the plan ✓", "at": "2005-02-01T10:00:00Z"}
    size = journal_size(db)
    repo.set_case_note("i1", "C01", "ann", "Talk to Bob about the plan ✓")
    assert journal_size(db) == size
    repo.set_case_note("i1", "C01", "bob", "")
    assert repo.case_note("i1", "C01", "bob") == ""
    assert [(n["case"], n["reviewer"]) for n in repo.case_notes("i1")] == [("C01", "ann")]
    # a case note is no answer and no moderation
    assert repo.answers("i1") == [] and repo.moderations("i1") == []


def test_a_note_on_an_unknown_case_is_rejected(repo, db):
    size = journal_size(db)
    with pytest.raises(InvalidChange, match="has no case 'C99'"):
        repo.set_case_note("i1", "C99", "ann", "note")
    assert journal_size(db) == size


# -- history brought from elsewhere -----------------------------------------------------------------

EARLIER = {"inspection": "i1", "case": "C01", "question": "A1.1", "reviewer": "ann", "value": "no",
           "note": "", "at": "2005-01-01T09:00:00Z", "replaced_at": "2005-01-02T09:00:00Z"}


def test_add_history_keeps_a_record_once(repo, db):
    repo.add_history(EARLIER)
    size = journal_size(db)
    repo.add_history(dict(EARLIER))
    assert journal_size(db) == size
    assert repo.history("i1") == [EARLIER]
    # it is only history: no answer appears
    assert repo.answers("i1") == []
    repo.add_history({**EARLIER, "value": "yes"})
    assert [h["value"] for h in repo.history("i1", "C01", "A1.1")] == ["no", "yes"]


def test_added_history_does_not_share_the_callers_dict(repo):
    record = dict(EARLIER)
    repo.add_history(record)
    record["value"] = "changed"
    assert repo.history("i1")[0]["value"] == "no"


# -- everything survives reopening ------------------------------------------------------------------


def team_state(repo: Repository) -> dict:
    return {
        "settings": repo.settings("i1"),
        "moderations": repo.moderations("i1"),
        "notes": sorted((n["case"], n["reviewer"], n["note"], n["at"]) for n in repo.case_notes("i1")),
        "history": repo.history("i1"),
        "completed": {c.reference: (c.complete, c.completed_by) for c in repo.cases("i1")},
        "answers": [(a.case, a.question, a.reviewer, a.value, a.note) for a in repo.answers("i1")],
        "tally": repo.tally("i1").open_disagreements(),
    }


def make_team_changes(repo: Repository) -> None:
    repo.mark_double_review("i1", ["C01"], share=0.2, seed=8)
    repo.set_disagreement_policy("i1", "dispute")
    repo.set_answer("i1", "C01", "A1.1", "yes", "ann")
    repo.set_answer("i1", "C01", "A1.1", "no", "bob")
    repo.set_answer("i1", "C02", "A1.1", "yes", "ann")
    repo.set_answer("i1", "C02", "A1.1", "no", "bob")
    repo.moderate("i1", "C01", "A1.1", "yes", "lead", "first pass")
    repo.moderate("i1", "C01", "A1.1", "no", "lead", "second look")
    repo.set_case_note("i1", "C01", "bob", "see the MAPPA minutes")
    finish(repo, "i1", "C01", "ann")
    finish(repo, "i1", "C01", "bob")
    finish(repo, "i1", "C02", "ann")
    repo.add_history(EARLIER)


@pytest.mark.parametrize("how", ["folded", "journal"])
def test_every_team_record_survives_reopening(repo, db, how):
    make_team_changes(repo)
    before = team_state(repo)
    assert before["tally"] == 1                                  # C02 A1.1; C01's is moderated
    assert before["settings"]["disagreement_policy"] == "dispute"
    repo = reopen(repo, db, how)
    try:
        assert team_state(repo) == before
        tally = repo.tally("i1")
        assert tally.policy == "dispute" and tally.answer("C01", "A1.1") == "no"
    finally:
        repo.close()
    with Repository.open(db, readonly=True) as viewer:
        assert team_state(viewer) == before


def test_a_read_only_repository_refuses_team_changes(repo, db):
    make_team_changes(repo)
    repo.close()
    with Repository.open(db, readonly=True) as viewer:
        unmarked = next(r for r in REFERENCES if not viewer.is_double_review("i1", r))
        for change in (lambda: viewer.set_disagreement_policy("i1", "first"),
                       lambda: viewer.mark_double_review("i1", [unmarked]),
                       lambda: viewer.moderate("i1", "C02", "A1.1", "yes", "lead"),
                       lambda: viewer.set_case_note("i1", "C02", "ann", "x"),
                       lambda: viewer.add_history({**EARLIER, "value": "na"}),
                       lambda: finish(viewer, "i1", "C03", "ann")):
            with pytest.raises(ReadOnly):
                change()


# -- which reviewer's answer is "first" --------------------------------------------------------------


@pytest.mark.parametrize("how", ["live", "folded", "journal"])
def test_a_note_written_before_answering_does_not_make_a_reviewer_first(repo, db, how):
    """Ann writes a note on a question before answering it; Bob answers; then Ann answers. The
    live engine (the app's) counts Bob's answer as the first; the tallies rebuilt from the
    database must count the same one."""
    engine = repo.tally("i1")

    def answer(reviewer: str, value: str | None, note: str | None = None) -> None:
        saved = repo.set_answer("i1", "C01", "A1.1", value, reviewer, note=note)
        engine.set_answer("C01", "A1.1", reviewer, saved.value if saved else None)

    answer("ann", None, note="check the plan first")
    answer("bob", "no")
    answer("ann", "yes")
    assert engine.answer("C01", "A1.1") == "no"
    if how != "live":
        repo = reopen(repo, db, how)
    try:
        assert repo.tally("i1").answer("C01", "A1.1") == "no"
        assert repo.answer("i1", "C01", "A1.1", "ann").note == "check the plan first"
    finally:
        repo.close()
