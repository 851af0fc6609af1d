"""`esi-tui replay`: every kind of bad line with its exact message, all-or-nothing, --keep-going,
idempotence, clearing answers, which inspection a record means, and custom questionnaire folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from casework import answer_lines, fill

from esi_tui import cli
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
INSPECTION = "insp"
REVIEWER = "jb"


def line(**record) -> str:
    return json.dumps(record)


def work(reference: str, attributes: dict, *reviewers: str, inspection: str = INSPECTION) -> list[str]:
    """Answer lines for every question that applies to the case, by each reviewer: what finishing it takes."""
    questionnaire = find_questionnaire("esi-2005-followup")
    return [text for reviewer in reviewers
            for text in answer_lines(questionnaire, inspection, reference, attributes, reviewer)]


def inspection_record(inspection_id: str = INSPECTION, **extra) -> dict:
    return {"type": "inspection", "id": inspection_id, "title": "Test", "area": "Hampshire",
            "questionnaire": "esi-2005-followup", **extra}


@pytest.fixture
def run(capsys):
    """Run the command line in-process: (exit status, stdout, stderr lines)."""
    def runner(*argv: str | Path) -> tuple[int, str, list[str]]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err.splitlines()
    return runner


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with inspection 'insp' (ESI 2005 follow-up), cases H001 (high risk) and H002 (low),
    and one answer: H001 B1.4 yes by jb."""
    from esi_tui.store.catalog import find_questionnaire

    path = tmp_path / "db.json"
    with Repository.open(path) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"), title="Test", area="Hampshire")
        repo.save_case(INSPECTION, "H001", {"risk_of_harm": "high"})
        repo.save_case(INSPECTION, "H002", {"risk_of_harm": "low"})
        repo.set_answer(INSPECTION, "H001", "B1.4", "yes", REVIEWER, at="2005-01-10T09:30:00Z")
    return path


def write(tmp_path: Path, *lines: str, name: str = "script.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")
    return path


def snapshot(path: Path) -> tuple[bytes, bytes]:
    """The database file's and its journal's bytes."""
    journal = path.with_name(path.name + ".journal")
    return path.read_bytes(), journal.read_bytes() if journal.exists() else b""


def state(path: Path) -> dict:
    with Repository.open(path, readonly=True) as repo:
        return {
            "inspections": [i.id for i in repo.inspections()],
            "cases": {i.id: [(c.reference, c.attributes, c.complete) for c in repo.cases(i.id)]
                      for i in repo.inspections()},
            "answers": {i.id: [(a.case, a.question, a.reviewer, a.value, a.note, a.at) for a in repo.answers(i.id)]
                        for i in repo.inspections()},
            "history": {i.id: repo.history(i.id) for i in repo.inspections()},
        }


# -- every kind of bad line, with its exact message -----------------------------------------------

BAD_LINES = {
    "malformed JSON": (
        '{"type": "case", "reference": "H003"',
        "malformed JSON: Expecting ',' delimiter (column 37)"),
    "malformed JSON, indented": (
        '    {"type": "case",, "reference": "H003"}',
        "malformed JSON: Expecting property name enclosed in double quotes (column 21)"),
    "integer too long": (
        '{"type": "case", "reference": "H003", "complete": 1' + "1" * 5000 + "}",
        "malformed JSON: a number has too many digits"),
    "not an object": (
        '["case", "H003"]',
        "a record must be a JSON object"),
    "missing type": (
        line(reference="H003"),
        'a record needs a "type" (inspection, settings, case, answer, moderation or case_note)'),
    "unknown type": (
        line(type="offender", reference="H003"),
        "unknown type 'offender' (inspection, settings, case, answer, moderation or case_note)"),
    "unknown field": (
        line(type="case", inspection=INSPECTION, reference="H003", colour="red"),
        "unknown field 'colour' in a case record"),
    "missing inspection id": (
        line(type="inspection", questionnaire="esi-2005-followup"),
        'an inspection record needs an "id" string'),
    "missing questionnaire": (
        line(type="inspection", id="other"),
        'an inspection record needs a "questionnaire" id'),
    "unknown questionnaire": (
        line(type="inspection", id="other", questionnaire="no-such-questionnaire"),
        "unknown questionnaire 'no-such-questionnaire'"),
    "existing inspection, other questionnaire": (
        line(type="inspection", id=INSPECTION, questionnaire="peer-review-quick"),
        "inspection insp already exists with questionnaire esi-2005-followup, not peer-review-quick"),
    "bad baseline criterion": (
        line(**inspection_record("other", baseline={"B1": 54, "Z9": 50})),
        "baseline: unknown criterion 'Z9'"),
    "baseline out of range": (
        line(**inspection_record("other", baseline={"B1": 154})),
        "baseline: B1 must be a percentage from 0 to 100, not 154"),
    "bad question baseline": (
        line(**inspection_record("other", question_baseline={"B9.9": 42})),
        "question_baseline: unknown question 'B9.9'"),
    "unknown inspection": (
        line(type="case", inspection="nowhere", reference="H003"),
        "unknown inspection 'nowhere'"),
    "case without reference": (
        line(type="case", inspection=INSPECTION, attributes={"risk_of_harm": "low"}),
        'a case record needs a "reference" string'),
    "reference with spaces": (
        line(type="case", inspection=INSPECTION, reference=" H003 "),
        "reference ' H003 ' must not start or end with spaces"),
    "attribute value not allowed": (
        line(type="case", inspection=INSPECTION, reference="H003", attributes={"risk_of_harm": "extreme"}),
        "case H003: risk_of_harm must be one of low, medium, high, very_high, not 'extreme'"),
    "attribute out of range": (
        line(type="case", inspection=INSPECTION, reference="H003", attributes={"mappa_level": 7}),
        "case H003: mappa_level must be at most 3, not 7"),
    "unknown attribute": (
        line(type="case", inspection=INSPECTION, reference="H003", attributes={"postcode": "SO14"}),
        "case H003: unknown attribute 'postcode'"),
    "complete not a boolean": (
        line(type="case", inspection=INSPECTION, reference="H003", complete="yes"),
        "complete must be true or false"),
    "unknown case": (
        line(type="answer", inspection=INSPECTION, case="H999", question="B1.4", value="yes"),
        "unknown case 'H999' (add a case record before its answers)"),
    "unknown question": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.9", value="yes"),
        "unknown question 'B1.9' in esi-2005-followup"),
    "value not in the scale": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="maybe"),
        "value 'maybe' is not in B1.4's scale yes_no (yes, no, na)"),
    "value of another scale": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="sufficient"),
        "value 'sufficient' is not in B1.4's scale yes_no (yes, no, na)"),
    "answer without value": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4"),
        'an answer record needs a "value" (an option key, or null to clear)'),
    "empty reviewer": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="yes", reviewer=" "),
        "reviewer must not be empty"),
    "note not a string": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="yes", note=3),
        "note must be a string"),
    "bad 'at' time": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="yes", at="10/01/2005"),
        "at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '10/01/2005'"),
    "'at' not a real date": (
        line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="yes",
             at="2005-02-30T09:30:00Z"),
        "at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '2005-02-30T09:30:00Z'"),
    # -- team records: who finished a case, double review, moderations, case notes, settings --
    "completed_by not a list": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by="ann"),
        'completed_by must be a list of reviewer names such as ["ann", "bob"]'),
    "completed_by with an empty name": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by=["ann", " "]),
        'completed_by must be a list of reviewer names such as ["ann", "bob"]'),
    "completed_by naming a reviewer twice": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by=["ann", "ann"]),
        "completed_by names a reviewer twice"),
    "completed_at naming a reviewer not in completed_by": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by=["ann"],
             completed_at={"bob": "2005-03-01T09:00:00Z"}),
        "completed_at names bob, who is not in completed_by (it says when each reviewer finished the case)"),
    "completed_at not an object": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by=["ann"],
             completed_at=["2005-03-01T09:00:00Z"]),
        'completed_at must map reviewer names to times, such as {"ann": "2005-01-10T09:30:00Z"}'),
    "completed_at at a bad time": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by=["ann"],
             completed_at={"ann": "yesterday"}),
        "completed_at: ann's time must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not 'yesterday'"),
    "reopened_at naming a reviewer in completed_by": (
        line(type="case", inspection=INSPECTION, reference="H003", completed_by=["ann"],
             reopened_at={"ann": "2005-03-01T09:00:00Z"}),
        "reopened_at names ann, who is in completed_by (it says when each reviewer reopened the case)"),
    "reopened_at with an empty name": (
        line(type="case", inspection=INSPECTION, reference="H003", reopened_at={" ": "2005-03-01T09:00:00Z"}),
        'reopened_at must map reviewer names to times, such as {"ann": "2005-01-10T09:30:00Z"}'),
    "reopened_at at a time without a zone": (
        line(type="case", inspection=INSPECTION, reference="H003", reopened_at={"bob": "2005-03-01T09:00:00"}),
        "reopened_at: bob's time must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '2005-03-01T09:00:00'"),
    "complete_at without complete": (
        line(type="case", inspection=INSPECTION, reference="H003", complete_at="2005-03-01T09:00:00Z"),
        "complete_at needs complete (it says when the case was marked so)"),
    "complete_at at a bad time": (
        line(type="case", inspection=INSPECTION, reference="H003", complete=True, complete_at=20050301),
        "complete_at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not 20050301"),
    "double_review not a boolean": (
        line(type="case", inspection=INSPECTION, reference="H003", double_review="yes"),
        "double_review must be true or false"),
    "unknown field in a moderation": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value="yes", reviewer="jb"),
        "unknown field 'reviewer' in a moderation record"),
    "moderation without case": (
        line(type="moderation", inspection=INSPECTION, question="B1.4", value="yes"),
        'a moderation record needs a "case" reference'),
    "moderation without question": (
        line(type="moderation", inspection=INSPECTION, case="H001", value="yes"),
        'a moderation record needs a "question" id'),
    "moderation of an unknown case": (
        line(type="moderation", inspection=INSPECTION, case="H999", question="B1.4", value="yes"),
        "unknown case 'H999' (add a case record before its moderations)"),
    "moderation of an unknown question": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.9", value="yes"),
        "unknown question 'B1.9' in esi-2005-followup"),
    "moderation without value": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", reason="agreed"),
        'a moderation record needs a "value" (the agreed option key, or null to withdraw it)'),
    "moderation value not in the scale": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value="sufficient"),
        "value 'sufficient' is not in B1.4's scale yes_no (yes, no, na)"),
    "moderation reason not a string": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value="yes", reason=["x"]),
        "reason must be a string"),
    "moderation moderator not a string": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value="yes", moderator=7),
        "moderator must be a string"),
    "moderation with an empty moderator": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value="yes", moderator=""),
        "moderator must not be empty"),
    "moderation at a bad time": (
        line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value=None,
             at="2005-01-10 09:30"),
        "at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '2005-01-10 09:30'"),
    "unknown field in a case note": (
        line(type="case_note", inspection=INSPECTION, case="H001", note="x", question="B1.4"),
        "unknown field 'question' in a case_note record"),
    "case note without case": (
        line(type="case_note", inspection=INSPECTION, note="look at the MAPPA minutes"),
        'a case_note record needs a "case" reference'),
    "case note of an unknown case": (
        line(type="case_note", inspection=INSPECTION, case="H999", note="look at the MAPPA minutes"),
        "unknown case 'H999' (add a case record before its notes)"),
    "case note without note": (
        line(type="case_note", inspection=INSPECTION, case="H001", reviewer="jb"),
        'a case_note record needs a "note" string ("" removes the note)'),
    "case note that is not text": (
        line(type="case_note", inspection=INSPECTION, case="H001", note=None),
        'a case_note record needs a "note" string ("" removes the note)'),
    "case note with an empty reviewer": (
        line(type="case_note", inspection=INSPECTION, case="H001", note="x", reviewer="  "),
        "reviewer must not be empty"),
    "case note at a bad time": (
        line(type="case_note", inspection=INSPECTION, case="H001", note="x", at="2005-02-30T09:30:00Z"),
        "at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '2005-02-30T09:30:00Z'"),
    "settings of an unknown inspection": (
        line(type="settings", inspection="nowhere", disagreement_policy="dispute"),
        "unknown inspection 'nowhere'"),
    "unknown field in settings": (
        line(type="settings", inspection=INSPECTION, double_review=["H001"]),
        "unknown field 'double_review' in a settings record"),
    "unknown disagreement policy": (
        line(type="settings", inspection=INSPECTION, disagreement_policy="majority"),
        "disagreement_policy must be one of first, dispute, not 'majority'"),
    "seed not a whole number": (
        line(type="settings", inspection=INSPECTION, double_review_seed="2005"),
        "double_review_seed must be a whole number, not '2005'"),
    "share out of range": (
        line(type="settings", inspection=INSPECTION, double_review_seed=2005, double_review_share=1.5),
        "double_review_share must be a number above 0 and at most 1, not 1.5"),
}


@pytest.mark.parametrize("kind", list(BAD_LINES))
def test_each_kind_of_bad_line_has_its_exact_message(kind, run, db, tmp_path):
    text, message = BAD_LINES[kind]
    good = line(type="case", inspection=INSPECTION, reference="H010")
    script = write(tmp_path, "# a comment, then a blank line", "", good, text)
    before = snapshot(db)
    status, out, err = run("replay", script, "--db", db, "--quiet")
    assert status == 1
    assert err == [f"{script}:4: {message}",
                   f"{script}: 1 bad line; nothing was applied (--keep-going applies the good ones)"]
    assert out == ""
    assert snapshot(db) == before  # not even the good case record was applied


def test_ambiguous_inspection_is_a_bad_line(run, db, tmp_path):
    script = write(tmp_path,
                   line(**inspection_record("first")),
                   line(**inspection_record("second")),
                   line(type="case", reference="H003"),
                   line(type="answer", case="H001", question="B1.4", value="no"))
    status, _, err = run("replay", script, "--db", db, "--quiet")
    assert status == 1
    which = 'which inspection? add "inspection" (the script names none or several)'
    assert err == [f"{script}:3: {which}", f"{script}:4: {which}",
                   f"{script}: 2 bad lines; nothing was applied (--keep-going applies the good ones)"]
    assert state(db)["inspections"] == [INSPECTION]


def test_every_bad_line_is_reported_in_line_order(run, db, tmp_path):
    script = write(tmp_path,
                   line(type="answer", inspection=INSPECTION, case="H999", question="B1.4", value="yes"),
                   line(type="case", inspection=INSPECTION, reference="H003"),
                   "not json",
                   line(type="answer", inspection=INSPECTION, case="H003", question="B1.4", value="maybe"),
                   line(type="bogus"))
    status, _, err = run("replay", script, "--db", db)
    assert status == 1
    assert err == [
        f"{script}:1: unknown case 'H999' (add a case record before its answers)",
        f"{script}:3: malformed JSON: Expecting value (column 1)",
        f"{script}:4: value 'maybe' is not in B1.4's scale yes_no (yes, no, na)",
        f"{script}:5: unknown type 'bogus' (inspection, settings, case, answer, moderation or case_note)",
        f"{script}: 4 bad lines; nothing was applied (--keep-going applies the good ones)",
    ]


def test_an_answer_before_its_case_record_is_an_unknown_case(run, db, tmp_path):
    script = write(tmp_path,
                   line(type="answer", inspection=INSPECTION, case="H003", question="B2.1", value="yes"),
                   line(type="case", inspection=INSPECTION, reference="H003"))
    status, _, err = run("replay", script, "--db", db)
    assert status == 1
    assert err[0] == f"{script}:1: unknown case 'H003' (add a case record before its answers)"


# -- all or nothing, and --keep-going -----------------------------------------------------------------

def good_and_bad(tmp_path: Path) -> Path:
    return write(tmp_path,
                 line(**inspection_record("new-insp", baseline={"B1": 54})),
                 line(type="case", inspection="new-insp", reference="N001", attributes={"risk_of_harm": "high"}),
                 line(type="answer", inspection="new-insp", case="N001", question="B1.4", value="no"),
                 line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="no"),
                 line(type="answer", inspection=INSPECTION, case="H002", question="B2.1", value="perhaps"))


def test_nothing_is_applied_when_any_line_is_bad(run, db, tmp_path):
    before, files = state(db), snapshot(db)
    status, out, err = run("replay", good_and_bad(tmp_path), "--db", db)
    assert status == 1
    assert len(err) == 2 and err[0].endswith(":5: value 'perhaps' is not in B2.1's scale yes_no (yes, no, na)")
    assert out == ""
    assert state(db) == before
    assert state(db)["inspections"] == [INSPECTION]
    assert snapshot(db) == files


def test_a_bad_script_does_not_create_the_database(run, tmp_path):
    script = write(tmp_path, line(**inspection_record()), "{oops")
    target = tmp_path / "new" / "fresh.json"
    status, _, err = run("replay", script, "--db", target)
    assert status == 1
    assert err[0] == f"{script}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)"
    assert not target.exists()
    assert not target.with_name("fresh.json.journal").exists()


def test_keep_going_applies_the_good_lines_and_exits_1(run, db, tmp_path):
    script = good_and_bad(tmp_path)
    status, out, err = run("replay", script, "--db", db, "--keep-going", "--reviewer", REVIEWER)
    assert status == 1
    assert err == [f"{script}:5: value 'perhaps' is not in B2.1's scale yes_no (yes, no, na)",
                   f"{script}: 1 bad line skipped, the rest applied"]
    after = state(db)
    assert after["inspections"] == [INSPECTION, "new-insp"]
    assert ("N001", "B1.4", REVIEWER, "no") in [a[:4] for a in after["answers"]["new-insp"]]
    assert ("H001", "B1.4", REVIEWER, "no") in [a[:4] for a in after["answers"][INSPECTION]]
    assert not [a for a in after["answers"][INSPECTION] if a[0] == "H002"]
    assert out.count("B1 Assessment") == 2  # a tally table per inspection at the end
    with Repository.open(db, readonly=True) as repo:
        assert repo.inspection("new-insp").baseline == {"B1": 54}


def test_comments_and_blank_lines_are_ignored(run, db, tmp_path):
    script = tmp_path / "s.jsonl"
    script.write_text("\ufeff# a script\n\n   \n  # indented comment\n"
                      + line(type="case", inspection=INSPECTION, reference="H003") + "\r\n"
                      + "\n# trailing comment", encoding="utf-8")
    status, _, err = run("replay", script, "--db", db, "--quiet")
    assert (status, err) == (0, [])
    assert [c[0] for c in state(db)["cases"][INSPECTION]] == ["H001", "H002", "H003"]


def test_an_empty_script_changes_nothing(run, db, tmp_path):
    files = snapshot(db)
    status, out, err = run("replay", write(tmp_path, "# nothing"), "--db", db)
    assert (status, out, err) == (0, "", [])
    assert snapshot(db) == files


def test_a_missing_script_is_one_clear_line(run, db, tmp_path):
    status, _, err = run("replay", tmp_path / "nope.jsonl", "--db", db)
    assert status == 1
    assert err == [f"esi-tui: {tmp_path / 'nope.jsonl'}: no such file"]


# -- applying: idempotence, clearing, defaults ------------------------------------------------------

def test_replaying_twice_changes_nothing_the_second_time(run, db, tmp_path):
    script = write(tmp_path,
                   line(**inspection_record("twice", baseline={"B1": 54}, question_baseline={"B1.2": 42})),
                   line(type="case", inspection="twice", reference="T001", attributes={"risk_of_harm": "high"}),
                   line(type="case", inspection="twice", reference="T002"),
                   line(type="case", inspection="twice", reference="T002", attributes={"mappa_level": 2}),
                   *work("T002", {"mappa_level": 2}, REVIEWER, inspection="twice"),
                   line(type="case", inspection="twice", reference="T002", complete=True),
                   line(type="answer", inspection="twice", case="T001", question="B1.4", value="no"),
                   line(type="answer", inspection="twice", case="T001", question="B1.4", value="yes",
                        note="report: plan done on day four"),
                   line(type="answer", inspection="twice", case="T001", question="B1.5", value="yes"),
                   line(type="answer", inspection="twice", case="T001", question="B1.5", value=None),
                   line(type="answer", inspection="twice", case="T002", question="B2.1", value="na",
                        reviewer="mk", at="2005-01-11T10:00:00Z"),
                   line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value="yes"))
    status, _, err = run("replay", script, "--db", db, "--quiet", "--reviewer", REVIEWER)
    assert (status, err) == (0, [])
    first, files = state(db), snapshot(db)
    export_first = run("export", "--db", db)[1]
    # B1.4 went no → yes; B1.5 (yes, then cleared) ends where it started, so it is left alone
    assert [(h["question"], h["value"]) for h in first["history"]["twice"]] == [("B1.4", "no")]
    status, _, err = run("replay", script, "--db", db, "--quiet", "--reviewer", REVIEWER)
    assert (status, err) == (0, [])
    assert state(db) == first
    assert snapshot(db) == files
    assert run("export", "--db", db)[1] == export_first


def test_null_clears_an_answer_into_history(run, db, tmp_path):
    script = write(tmp_path, line(type="answer", inspection=INSPECTION, case="H001", question="B1.4", value=None,
                                  reviewer=REVIEWER, at="2005-02-01T12:00:00Z"))
    status, _, err = run("replay", script, "--db", db, "--quiet")
    assert (status, err) == (0, [])
    with Repository.open(db, readonly=True) as repo:
        assert repo.answer(INSPECTION, "H001", "B1.4", REVIEWER) is None
        history = repo.history(INSPECTION, "H001", "B1.4")
        assert [(h["value"], h["replaced_at"]) for h in history] == [("yes", "2005-02-01T12:00:00Z")]
        assert repo.tally(INSPECTION).question_counts("B1.4").positive == 0


def test_answer_defaults_reviewer_and_time(run, db, tmp_path):
    script = write(tmp_path, line(type="answer", inspection=INSPECTION, case="H002", question="B2.1", value="yes"))
    status, _, _ = run("replay", script, "--db", db, "--quiet", "--reviewer", "someone")
    assert status == 0
    with Repository.open(db, readonly=True) as repo:
        answer = repo.answer(INSPECTION, "H002", "B2.1", "someone")
    assert answer is not None and answer.value == "yes"
    assert len(answer.at) == len("2005-01-10T09:30:00Z") and answer.at.endswith("Z")


def test_case_attributes_left_out_take_the_defaults(run, db, tmp_path):
    script = write(tmp_path, line(type="case", inspection=INSPECTION, reference="H003",
                                  attributes={"risk_of_harm": "very_high"}))
    assert run("replay", script, "--db", db, "--quiet")[0] == 0
    with Repository.open(db, readonly=True) as repo:
        case = repo.case(INSPECTION, "H003")
    assert case.attributes == {"risk_of_harm": "very_high", "sentence": "community_order",
                               "child_protection": False, "mappa_level": 0, "victim_issues": False,
                               "additional_requirements": False, "significant_incident": False,
                               "public_protection_issue": False}


def test_inspection_may_be_left_out_when_the_script_names_one(run, tmp_path):
    target = tmp_path / "new.json"
    script = write(tmp_path,
                   line(**inspection_record("only")),
                   line(type="case", reference="O001", attributes={"risk_of_harm": "high"}),
                   line(type="answer", case="O001", question="B1.4", value="yes"))
    status, out, err = run("replay", script, "--db", target, "--reviewer", REVIEWER)
    assert (status, err) == (0, [])
    assert "Test — Hampshire" in out and "1 of 1" in out
    with Repository.open(target, readonly=True) as repo:
        assert repo.answer("only", "O001", "B1.4", REVIEWER).value == "yes"


def test_a_database_with_one_inspection_needs_no_inspection_named(run, db, tmp_path):
    script = write(tmp_path,
                   line(type="case", reference="H003"),
                   line(type="answer", case="H003", question="B2.1", value="no"))
    status, _, err = run("replay", script, "--db", db, "--quiet", "--reviewer", "x")
    assert (status, err) == (0, [])
    with Repository.open(db, readonly=True) as repo:
        assert repo.answer(INSPECTION, "H003", "B2.1", "x").value == "no"


def test_inspection_flag_names_the_inspection(run, db, tmp_path):
    with Repository.open(db) as repo:
        repo.create_inspection("second", find_questionnaire("esi-2005-followup"), area="Elsewhere")
    script = write(tmp_path,
                   line(type="case", reference="H003"),
                   line(type="answer", case="H003", question="B2.1", value="no"))
    status, _, err = run("replay", script, "--db", db, "--quiet")
    assert status == 1
    assert err[0] == f'{script}:1: which inspection? add "inspection" (the script names none or several)'
    status, _, err = run("replay", script, "--db", db, "--quiet", "--inspection", INSPECTION, "--reviewer", "x")
    assert (status, err) == (0, [])
    with Repository.open(db, readonly=True) as repo:
        assert repo.answer(INSPECTION, "H003", "B2.1", "x").value == "no"


def test_inspection_flag_wins_over_the_one_the_script_names(run, db, tmp_path):
    script = write(tmp_path,
                   line(**inspection_record("other")),
                   line(type="case", reference="H003"))
    status, _, err = run("replay", script, "--db", db, "--quiet", "--inspection", INSPECTION)
    assert (status, err) == (0, [])
    assert [c[0] for c in state(db)["cases"][INSPECTION]] == ["H001", "H002", "H003"]
    assert state(db)["cases"]["other"] == []


def test_questionnaires_folder_holds_a_custom_questionnaire(run, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.toml")
    target = tmp_path / "mini.json"
    script = write(tmp_path,
                   line(type="inspection", id="m", questionnaire="mini", baseline={"A1": 40}),
                   line(type="case", reference="M1", attributes={"risk": "high", "level": 2}),
                   line(type="answer", case="M1", question="A1.2", value="no"),
                   line(type="answer", case="M1", question="A1.3", value="yes"),
                   line(type="answer", case="M1", question="A2.1", value="yes"))
    status, _, err = run("replay", script, "--db", target, "--quiet")
    assert status == 1
    assert err[0] == f"{script}:1: unknown questionnaire 'mini'"
    # the records that follow name an inspection the script cannot create: said once, then counted
    assert err[1:3] == [f"{script}:2: unknown inspection 'm'",
                        f"{script}:3: and 3 more lines, to line 5: unknown inspection 'm'"]
    assert not target.exists()
    status, out, err = run("replay", script, "--db", target, "--questionnaires", folder, "--reviewer", REVIEWER)
    assert (status, err) == (0, [])
    assert "A1 First" in out
    with Repository.open(target, readonly=True) as repo:
        assert repo.inspection("m").questionnaire_id == "mini"
        engine = repo.tally("m")
        assert (engine.criterion_counts("A1").positive, engine.criterion_counts("A1").counted) == (1, 2)


def test_a_value_not_in_the_custom_scale(run, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.toml")
    script = write(tmp_path,
                   line(type="inspection", id="m", questionnaire="mini"),
                   line(type="case", reference="M1", attributes={"risk": "medium"}),
                   line(type="answer", case="M1", question="A1.1", value="excellent"))
    status, _, err = run("replay", script, "--db", tmp_path / "m.json", "--questionnaires", folder)
    assert status == 1
    assert err[:2] == [f"{script}:2: case M1: risk must be one of low, high, not 'medium'",
                       f"{script}:3: unknown case 'M1' (add a case record before its answers)"]


# -- team records: settings, double review, who finished a case, moderations, case notes ----------------

def team(path: Path, inspection_id: str = INSPECTION) -> dict:
    """An inspection's team records: settings, who finished each case, moderations, notes and their history."""
    with Repository.open(path, readonly=True) as repo:
        return {
            "settings": repo.settings(inspection_id),
            "cases": [(c.reference, c.complete, c.completed_by) for c in repo.cases(inspection_id)],
            "moderations": sorted((m.case, m.question, m.value, m.reason, m.moderator, m.at)
                                  for m in repo.moderations(inspection_id)),
            "notes": sorted((n["case"], n["reviewer"], n["note"], n["at"]) for n in repo.case_notes(inspection_id)),
            "history": [h for h in repo.history(inspection_id) if h.get("kind") == "moderation"],
        }


TEAM_SCRIPT = [
    *work("H001", {"risk_of_harm": "high"}, "ann", "bob"),
    *work("H002", {"risk_of_harm": "low"}, "ann"),
    line(type="settings", inspection=INSPECTION, disagreement_policy="dispute", double_review_seed=2005,
         double_review_share=0.5),
    line(type="case", inspection=INSPECTION, reference="H001", completed_by=["ann", "bob"], double_review=True),
    line(type="case", inspection=INSPECTION, reference="H002", completed_by=["ann"], complete=False),
    line(type="moderation", inspection=INSPECTION, case="H001", question="B1.4", value="no", moderator="lead",
         reason="no plan on file", at="2005-03-03T09:00:00Z"),
    line(type="moderation", inspection=INSPECTION, case="H001", question="B1.2", value="yes", moderator="lead",
         reason="reviews on time", at="2005-03-03T09:05:00Z"),
    line(type="moderation", inspection=INSPECTION, case="H001", question="B1.2", value=None,
         at="2005-03-04T09:00:00Z"),
    line(type="case_note", inspection=INSPECTION, case="H001", reviewer="bob", note="look at the MAPPA minutes",
         at="2005-03-01T10:05:00Z"),
    line(type="case_note", inspection=INSPECTION, case="H002", note="first thoughts"),
    line(type="case_note", inspection=INSPECTION, case="H002", note="second thoughts"),
]


def test_team_records_are_applied(run, db, tmp_path):
    status, _, err = run("replay", write(tmp_path, *TEAM_SCRIPT), "--db", db, "--quiet", "--reviewer", "cy")
    assert (status, err) == (0, [])
    got = team(db)
    assert got["settings"] == {"double_review": ["H001"], "disagreement_policy": "dispute",
                               "double_review_seed": 2005, "double_review_share": 0.5}
    # H002: finished by ann, then reopened for everyone
    assert got["cases"] == [("H001", True, ("ann", "bob")), ("H002", False, ("ann",))]
    assert got["moderations"] == [("H001", "B1.4", "no", "no plan on file", "lead", "2005-03-03T09:00:00Z")]
    # the withdrawn moderation is kept in history, withdrawn when the script says
    assert [(h["question"], h["value"], h["reason"], h["moderator"], h["at"], h["replaced_at"])
            for h in got["history"]] == [
        ("B1.2", "yes", "reviews on time", "lead", "2005-03-03T09:05:00Z", "2005-03-04T09:00:00Z")]
    assert got["notes"][0] == ("H001", "bob", "look at the MAPPA minutes", "2005-03-01T10:05:00Z")
    assert got["notes"][1][:3] == ("H002", "cy", "second thoughts")     # the reviewer defaults to --reviewer
    with Repository.open(db, readonly=True) as repo:
        assert repo.tally(INSPECTION).state("H001", "B1.4") == "negative"     # the moderated answer counts


def test_replaying_team_records_twice_changes_nothing_the_second_time(run, db, tmp_path):
    script = write(tmp_path, *TEAM_SCRIPT,
                   # changed back and forth: each ends where the database will hold it
                   line(type="settings", inspection=INSPECTION, disagreement_policy="first"),
                   line(type="settings", inspection=INSPECTION, disagreement_policy="dispute"),
                   line(type="case", inspection=INSPECTION, reference="H002", double_review=True),
                   line(type="case", inspection=INSPECTION, reference="H002", double_review=False),
                   line(type="moderation", inspection=INSPECTION, case="H002", question="B1.4", value="yes",
                        reason="agreed"),
                   line(type="moderation", inspection=INSPECTION, case="H002", question="B1.4", value=None),
                   line(type="moderation", inspection=INSPECTION, case="H002", question="B2.1", value="yes"),
                   line(type="moderation", inspection=INSPECTION, case="H002", question="B2.1", value="no",
                        reason="on reflection"))
    assert run("replay", script, "--db", db, "--quiet", "--reviewer", "cy") == (0, "", [])
    first, files = team(db), snapshot(db)
    assert ("H002", "B2.1", "no", "on reflection", "cy") in [m[:5] for m in first["moderations"]]
    assert first["settings"]["double_review"] == ["H001"] and first["settings"]["disagreement_policy"] == "dispute"
    assert run("replay", script, "--db", db, "--quiet", "--reviewer", "cy") == (0, "", [])
    assert team(db) == first
    assert snapshot(db) == files


def test_double_review_false_takes_a_case_out_of_the_sample(run, db, tmp_path):
    with Repository.open(db) as repo:
        repo.mark_double_review(INSPECTION, ["H001", "H002"])
    script = write(tmp_path, line(type="case", inspection=INSPECTION, reference="H001", double_review=False))
    assert run("replay", script, "--db", db, "--quiet")[0] == 0
    assert team(db)["settings"]["double_review"] == ["H002"]


def test_completed_by_adds_reviewers_and_leaves_the_others(run, db, tmp_path):
    with Repository.open(db) as repo:
        fill(repo, INSPECTION, "H001", "bob")
        repo.set_complete(INSPECTION, "H001", True, reviewer="bob")
    script = write(tmp_path, *work("H001", {"risk_of_harm": "high"}, "ann"),
                   line(type="case", inspection=INSPECTION, reference="H001", completed_by=["ann"]))
    assert run("replay", script, "--db", db, "--quiet")[0] == 0
    assert team(db)["cases"][0] == ("H001", True, ("bob", "ann"))


def test_completion_times_are_applied_and_a_completion_without_one_is_at_a_time_not_known(run, db, tmp_path):
    t1, t2, t3 = "2005-03-01T09:00:00Z", "2005-03-02T09:00:00Z", "2005-03-03T09:00:00Z"
    with Repository.open(db) as repo:
        fill(repo, INSPECTION, "H002", "bob")
        repo.set_complete(INSPECTION, "H002", True, reviewer="bob", at=t1)
    script = write(tmp_path, *work("H001", {"risk_of_harm": "high"}, "ann", "cy"),
                   *work("H002", {"risk_of_harm": "low"}, "ann"),
                   line(type="case", inspection=INSPECTION, reference="H001", completed_by=["ann", "cy"],
                        completed_at={"ann": t1}, complete=False, complete_at=t3),
                   line(type="case", inspection=INSPECTION, reference="H002", completed_by=["ann"],
                        reopened_at={"bob": t2}))
    assert run("replay", script, "--db", db, "--quiet") == (0, "", [])
    first = snapshot(db)
    with Repository.open(db, readonly=True) as repo:
        assert repo.completion(INSPECTION, "H001") == {"ann": (True, t1), "cy": (True, ""), "": (False, t3)}
        assert not repo.case(INSPECTION, "H001").complete
        assert repo.completion(INSPECTION, "H002") == {"ann": (True, ""), "bob": (False, t2)}
        assert repo.case(INSPECTION, "H002").completed_by == ("ann",)
    assert run("replay", script, "--db", db, "--quiet") == (0, "", [])
    assert snapshot(db) == first


def test_a_withdrawal_alone_withdraws_the_moderation_in_the_database(run, db, tmp_path):
    with Repository.open(db) as repo:
        repo.moderate(INSPECTION, "H001", "B1.4", "no", "lead", "no plan", at="2005-03-03T09:00:00Z")
    script = write(tmp_path, line(type="moderation", case="H001", question="B1.4", value=None,
                                  at="2005-03-05T09:00:00Z"))
    status, _, err = run("replay", script, "--db", db, "--quiet", "--inspection", INSPECTION)
    assert (status, err) == (0, [])
    got = team(db)
    assert got["moderations"] == []
    assert [(h["value"], h["replaced_at"]) for h in got["history"]] == [("no", "2005-03-05T09:00:00Z")]
