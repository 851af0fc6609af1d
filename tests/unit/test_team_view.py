"""The state engine's team view (each reviewer's own progress on a case, who finished, whether the team is
done, the double review in words), conditions read in the questionnaire's labels and why a question does
not apply, and `esi-tui demo` leaving alone any database it did not create."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework import finish

from esi_tui import cli
from esi_tui.commands.demo import DEMO_REVIEWER, build_demo
from esi_tui.core import completion
from esi_tui.core.conditions import AllOf, AnyOf, AttributeTest, Not, Ref, describe, why_not
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

INSPECTION = "i1"


@pytest.fixture
def esi():
    return find_questionnaire("esi-2005-followup")


@pytest.fixture
def repo(tmp_path, esi):
    with Repository.open(tmp_path / "db.json") as repo:
        repo.create_inspection(INSPECTION, esi, area="Testshire")
        repo.save_case(INSPECTION, "A001", {"risk_of_harm": "low", "victim_issues": True})   # 16 apply
        repo.save_case(INSPECTION, "A002", {"risk_of_harm": "high"})
        repo.save_case(INSPECTION, "A003", {"risk_of_harm": "medium"})
        repo.mark_double_review(INSPECTION, ["A001"])
        yield repo


def test_team_progress_adds_up_every_reviewer_and_a_double_review_needs_two(repo):
    finish(repo, INSPECTION, "A001", "ann")
    repo.set_answer(INSPECTION, "A001", "B1.2", "no", "bob")
    repo.set_answer(INSPECTION, "A002", "B1.2", "yes", "cy")
    state = repo.inspection_state(INSPECTION, "lead")
    a001 = state.team_progress("A001")
    # blind (one of two finished): nobody is named, only their progress
    assert [(r.reviewer, r.answered, r.relevant, r.finished) for r in a001.reviewers] == [
        ("another reviewer", 16, 16, True), ("another reviewer", 1, 16, False)]
    assert (a001.answered, a001.relevant, a001.finished, a001.complete, a001.status) == (17, 32, 1, False,
                                                                                          "in progress")
    assert a001.double_review == "blind · 1 of 2 finished"
    a002 = state.team_progress("A002")
    assert [(r.reviewer, r.answered) for r in a002.reviewers] == [("cy", 1)] and a002.double_review == ""
    assert (a002.needed, a002.complete, a002.status) == (1, False, "in progress")
    a003 = state.team_progress("A003")
    assert (a003.answered, a003.relevant, a003.status) == (0, state.progress("A003", "counted")[1], "not started")

    finish(repo, INSPECTION, "A001", "bob")
    state = repo.inspection_state(INSPECTION, "lead")
    a001 = state.team_progress("A001")
    assert [(r.reviewer, r.finished) for r in a001.reviewers] == [("ann", True), ("bob", True)]
    assert (a001.answered, a001.relevant, a001.complete, a001.double_review) == (32, 32, True,
                                                                                 "both finished · not blind")


def test_the_team_view_follows_changes_one_at_a_time(repo):
    state = repo.inspection_state(INSPECTION, "lead")
    assert state.team_progress("A002").reviewers == ()
    state.set_answer("A002", "B1.2", "cy", "yes")               # a teammate's answer, as a merge brings it
    assert state.team_progress("A002").answered == 1
    state.team_progress("A002")                                  # the reviewer's view is built now ...
    state.set_answer("A002", "B1.1", "cy", "no")                 # ... and kept current from here on
    assert [(r.reviewer, r.answered) for r in state.team_progress("A002").reviewers] == [("cy", 2)]
    before = state.team_progress("A002").reviewers[0].relevant
    record = repo.case_record(INSPECTION, "A002")
    state.set_case(type(record)(record.reference, {**record.attributes, "risk_of_harm": "low"}))
    assert state.team_progress("A002").reviewers[0].relevant < before   # relevance follows the attributes


@pytest.mark.parametrize(("in_sample", "finished", "complete", "done"), [
    (False, (), False, False), (False, ("ann",), False, True), (False, (), True, True),
    (True, ("ann",), False, False), (True, ("ann", "bob"), False, True), (True, ("ann", "ann"), False, False),
])
def test_team_complete(in_sample, finished, complete, done):
    assert completion.team_complete(in_sample, finished, complete) is done


def test_describe_in_labels_spells_out_named_conditions(esi):
    assert describe(Ref("high_risk_of_harm"), esi.conditions, esi) == "Risk of harm: high or very high"
    assert describe(esi.question("B1.6").applies_when, esi.conditions, esi) == \
        "Risk of harm: high or very high, or Child protection issues: yes"
    assert describe(AttributeTest("mappa_level", "gte", 1), esi.conditions, esi) == "MAPPA level: 1 or more"
    assert describe(AttributeTest("risk_of_harm", "not_in", ("high", "very_high")), None, esi) == \
        "Risk of harm: neither high nor very high"
    assert describe(Not(AllOf((AttributeTest("victim_issues", "equals", True),
                               AnyOf((Ref("high_risk_of_harm"),)))), ), None, esi) == \
        "not (Victim issues: yes, and (Risk of harm: high or very high))"
    for question in esi.questions:       # never a raw name
        text = describe(question.applies_when, esi.conditions, esi)
        assert "_" not in text and "=" not in text, text


def test_why_not_names_the_cases_own_facts(esi):
    attributes = esi.case_attributes({"risk_of_harm": "medium"})
    none = lambda _qid: None  # noqa: E731
    assert why_not(esi.question("B1.1").applies_when, attributes, none, esi) == "Risk of harm: medium"
    assert why_not(esi.question("C2.5").applies_when, attributes, none, esi) == "Victim issues: no"
    assert why_not(esi.question("B3.5").applies_when, attributes, none, esi) == \
        "MAPPA level: 0, Child protection issues: no"
    assert why_not(esi.question("B1.2").applies_when, attributes, none, esi) == ""    # it applies


def test_demo_refuses_a_database_it_did_not_create(tmp_path, capsys):
    real = tmp_path / "REAL.json"
    with Repository.open(real) as repo:
        repo.create_inspection("hants-2026", find_questionnaire("esi-2005-followup"), area="Hampshire")
    before = real.read_bytes()
    status = cli.main(["demo", "--db", str(real), "--no-open"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1 and len(err) == 1
    assert err[0].startswith(f"esi-tui: {real}: already exists; esi-tui demo writes only a database it creates")
    assert real.read_bytes() == before
    with Repository.open(real, readonly=True) as repo:
        assert [i.id for i in repo.inspections()] == ["hants-2026"]
    journal_only = tmp_path / "journal.json"
    journal_only.with_name("journal.json.journal").write_text("")
    assert cli.main(["demo", "--db", str(journal_only), "--no-open"]) == 1
    assert not journal_only.exists()


def test_demo_answers_carry_a_fictional_name_not_the_login_name(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ESI_TUI_REVIEWER", "jsmith")
    path = tmp_path / "new.json"
    assert cli.main(["demo", "--db", str(path), "--no-open"]) == 0
    with Repository.open(path, readonly=True) as repo:
        reviewers = {a.reviewer for a in repo.answers(DEMO_INSPECTION)}
        finished = {name for c in repo.cases(DEMO_INSPECTION) for name in c.completed_by}
    assert reviewers == {DEMO_REVIEWER} and "jsmith" not in reviewers
    assert "jsmith" not in finished
    assert DEMO_REVIEWER.endswith("(demo)")
    other = tmp_path / "other.json"
    build_demo(other)
    with Repository.open(other, readonly=True) as repo:
        assert {a.reviewer for a in repo.answers(DEMO_INSPECTION)} == {DEMO_REVIEWER}


def test_demo_without_db_never_touches_the_default_database(tmp_path, capsys, monkeypatch):
    default = tmp_path / "default.json"
    monkeypatch.setenv("ESI_TUI_DB", str(default))
    assert cli.main(["demo", "--no-open"]) == 0
    made = Path(capsys.readouterr().out.strip())
    assert made.exists() and made != default and not default.exists()
