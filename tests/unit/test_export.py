"""`esi-tui export`: the replay-script round trip, CSV rows, the JSON document, --redact and -o FILE."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from casework import finish

from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.core.tally_json import tally_document
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

REVIEWER = "jb"
NOTES = {
    ("H001", "B1.2"): "report: reviews were on time\nsecond line, with ünïcödé",
    ("H002", "B1.4"): "good practice: plan agreed with police on day two",
    ("H003", "B2.1"): "separators\u2028inside\u2029a note\ttoo",  # U+0085 is a control character: refused
}
# free text of the team records: none of it may be in a redacted export
CASE_NOTES = {("H002", "mk"): "victim's sister named in the file\u2028see page 4",
              ("H001", REVIEWER): "ask about the MAPPA minutes"}
REASONS = ["plan found in the file, dated day four", "review date slipped past the deadline", "first thought"]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """The demo plus notes, a cleared answer, a cleared answer that keeps its note, and a second
    reviewer (one who answered first where the demo reviewer never did)."""
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    build_demo(path, REVIEWER)
    with Repository.open(path) as repo:
        for (case, question), note in NOTES.items():
            value = repo.answer(DEMO_INSPECTION, case, question, REVIEWER)
            repo.set_answer(DEMO_INSPECTION, case, question, value.value if value else "yes", REVIEWER, note=note)
        repo.set_answer(DEMO_INSPECTION, "H001", "B2.1", None, REVIEWER, at="2005-03-01T10:00:00Z")
        repo.set_answer(DEMO_INSPECTION, "H004", "B3.1", "no", REVIEWER, note="report: cleared but noted")
        repo.set_answer(DEMO_INSPECTION, "H004", "B3.1", None, REVIEWER)
        repo.set_answer(DEMO_INSPECTION, "H001", "B1.2", "no", "mk", note="second opinion: plan too thin",
                        at="2005-03-02T10:00:00Z")
        # H030 is unanswered in the demo: "zz" answers first, "aa" second; the tally counts zz's
        repo.set_answer(DEMO_INSPECTION, "H030", "B2.1", "no", "zz", at="2005-03-03T10:00:00Z")
        repo.set_answer(DEMO_INSPECTION, "H030", "B2.1", "yes", "aa", at="2005-03-03T11:00:00Z")
        add_team_records(repo)
    return path


def add_team_records(repo: Repository) -> None:
    """A double-review sample (drawn, with its seed, and one named case), two reviewers who finished
    H002, a case reopened for everyone after mk finished it, a moderation, one moderated twice, one
    withdrawn, and case notes."""
    repo.mark_double_review(DEMO_INSPECTION, ["H002"], share=0.1, seed=2005)
    repo.set_answer(DEMO_INSPECTION, "H002", "B1.4", "no", "mk", at="2005-03-02T10:00:00Z")
    finish(repo, DEMO_INSPECTION, "H002", REVIEWER)
    finish(repo, DEMO_INSPECTION, "H002", "mk")
    finish(repo, DEMO_INSPECTION, "H003", "mk")
    repo.set_complete(DEMO_INSPECTION, "H003", False)
    repo.moderate(DEMO_INSPECTION, "H002", "B1.4", "yes", "lead", REASONS[0], at="2005-03-04T09:00:00Z")
    repo.moderate(DEMO_INSPECTION, "H005", "B1.2", "yes", "lead", REASONS[2], at="2005-03-04T09:05:00Z")
    repo.moderate(DEMO_INSPECTION, "H005", "B1.2", "no", "deputy", REASONS[1], at="2005-03-04T09:10:00+01:00")
    repo.moderate(DEMO_INSPECTION, "H001", "B1.4", "no", "lead", REASONS[1], at="2005-03-04T09:20:00Z")
    repo.moderate(DEMO_INSPECTION, "H001", "B1.4", None, "lead", at="2005-03-05T09:00:00Z")
    for (case, reviewer), note in CASE_NOTES.items():
        repo.set_case_note(DEMO_INSPECTION, case, reviewer, note, at="2005-03-02T10:05:00Z")


def team_records(path: Path) -> dict:
    """Everything a team adds to an inspection: settings, completion, moderations (and the withdrawn), notes."""
    with Repository.open(path, readonly=True) as repo:
        return {i.id: {
            "settings": repo.settings(i.id),
            "cases": [(c.reference, c.complete, c.completed_by) for c in repo.cases(i.id)],
            "moderations": sorted(repo.moderations(i.id), key=lambda m: (m.case, m.question)),
            "withdrawn": [(h["case"], h["question"], h["value"], h["reason"], h["moderator"], h["at"],
                           h["replaced_at"]) for h in repo.history(i.id)
                          if h.get("kind") == "moderation" and repo.moderation(i.id, h["case"], h["question"]) is None],
            "notes": sorted((n["case"], n["reviewer"], n["note"], n["at"]) for n in repo.case_notes(i.id)),
        } for i in repo.inspections()}


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    path = tmp_path / "demo.json"
    path.write_bytes(demo_template.read_bytes())
    os.chmod(path, 0o600)
    return path


def tallies(path: Path) -> dict:
    with Repository.open(path, readonly=True) as repo:
        return {i.id: tally_document(repo.tally(i.id), i.id) for i in repo.inspections()}


def test_round_trip_export_replay_export_is_identical(run, demo_db, tmp_path):
    status, first, err = run("export", "--db", demo_db, "--format", "jsonl")
    assert (status, err) == (0, "")
    script = tmp_path / "export.jsonl"
    script.write_text(first, encoding="utf-8")
    empty = tmp_path / "empty.json"
    status, _, err = run("replay", script, "--db", empty, "--quiet", "--reviewer", "nobody")
    assert (status, err) == (0, "")
    status, second, _ = run("export", "--db", empty, "--format", "jsonl")
    assert status == 0
    assert second == first
    assert tallies(empty) == tallies(demo_db)
    assert team_records(empty) == team_records(demo_db)
    got = team_records(empty)[DEMO_INSPECTION]
    assert "H002" in got["settings"]["double_review"] and got["settings"]["double_review_seed"] == 2005
    # the demo's cases are finished by its reviewer; H003 reopened for everyone keeps who had finished it
    assert ("H002", True, (REVIEWER, "mk")) in got["cases"] and ("H003", False, (REVIEWER, "mk")) in got["cases"]
    assert [(m.case, m.question, m.value, m.moderator) for m in got["moderations"]] == [
        ("H002", "B1.4", "yes", "lead"), ("H005", "B1.2", "no", "deputy")]
    assert got["withdrawn"] == [("H001", "B1.4", "no", REASONS[1], "lead", "2005-03-04T09:20:00Z",
                                 "2005-03-05T09:00:00Z")]
    assert [n[2] for n in got["notes"]] == [CASE_NOTES[("H001", REVIEWER)], CASE_NOTES[("H002", "mk")]]
    # the second reviewer's answer to H030 B2.1 is not the one counted, before and after
    with Repository.open(empty, readonly=True) as repo:
        assert repo.tally(DEMO_INSPECTION).answer("H030", "B2.1") == "no"
        assert repo.answer(DEMO_INSPECTION, "H003", "B2.1", REVIEWER).note == NOTES[("H003", "B2.1")]
        cleared = repo.answer(DEMO_INSPECTION, "H004", "B3.1", REVIEWER)
        assert (cleared.value, cleared.note) == (None, "report: cleared but noted")
        assert repo.answer(DEMO_INSPECTION, "H001", "B2.1", REVIEWER) is None


def test_the_export_is_a_valid_script_with_one_record_per_line(run, demo_db):
    text = run("export", "--db", demo_db)[1]
    lines = text.split("\n")
    assert lines[-1] == ""
    records = [json.loads(x) for x in lines[:-1]]
    assert records[0]["type"] == "inspection" and records[0]["baseline"]["B1"] == 54
    assert sum(r["type"] == "case" and "attributes" in r for r in records) == 30
    # who finished a case comes in a record of its own, after the answers it was finished with
    assert all(r["type"] == "case" and "attributes" not in r for r in records
               if r["type"] == "case" and "completed_by" in r)
    with Repository.open(demo_db, readonly=True) as repo:
        assert sum(r["type"] == "answer" for r in records) == len(repo.answers(DEMO_INSPECTION))
    assert "ünïcödé" in text  # UTF-8, not \\u escapes


def test_the_export_carries_the_team_records(run, demo_db):
    records = [json.loads(x) for x in run("export", "--db", demo_db)[1].split("\n") if x]
    kinds = [("completion" if r["type"] == "case" and "attributes" not in r else r["type"]) for r in records]
    # the inspection and its settings, the cases, the answers, moderations, who finished each case, case notes
    assert kinds[:2] == ["inspection", "settings"] and kinds == sorted(kinds, key=[
        "inspection", "settings", "case", "answer", "moderation", "completion", "case_note"].index)
    assert records[1] == {"type": "settings", "inspection": DEMO_INSPECTION, "disagreement_policy": "first",
                          "double_review_seed": 2005, "double_review_share": 0.1}

    def case(reference: str) -> dict:
        return {k: v for r in records if r["type"] == "case" and r["reference"] == reference for k, v in r.items()}

    h002 = case("H002")
    assert (h002["complete"], h002["completed_by"], h002["double_review"]) == (True, [REVIEWER, "mk"], True)
    h003 = case("H003")
    assert (h003["complete"], h003["completed_by"]) == (False, [REVIEWER, "mk"])
    moderations = [r for r in records if r["type"] == "moderation"]
    assert moderations[:2] == [   # the withdrawn moderation, then its withdrawal
        {"type": "moderation", "inspection": DEMO_INSPECTION, "case": "H001", "question": "B1.4", "value": "no",
         "moderator": "lead", "reason": REASONS[1], "at": "2005-03-04T09:20:00Z"},
        {"type": "moderation", "inspection": DEMO_INSPECTION, "case": "H001", "question": "B1.4", "value": None,
         "moderator": "lead", "at": "2005-03-05T09:00:00Z"}]   # who withdrew it is kept (and why, when given)
    assert [(r["case"], r["value"]) for r in moderations[2:]] == [("H002", "yes"), ("H005", "no")]
    assert [(r["case"], r["reviewer"], r["note"]) for r in records if r["type"] == "case_note"] == [
        ("H001", REVIEWER, CASE_NOTES[("H001", REVIEWER)]), ("H002", "mk", CASE_NOTES[("H002", "mk")])]


def test_the_export_carries_when_cases_were_finished_and_reopened_and_round_trips(run, tmp_path):
    t1, t2, t3 = "2005-03-01T09:00:00Z", "2005-03-02T09:00:00+01:00", "2005-03-03T09:00:00Z"
    path = tmp_path / "times.json"
    with Repository.open(path) as repo:
        repo.create_inspection("i1", find_questionnaire("esi-2005-followup"))
        for reference in ("H001", "H002", "H003", "H004"):
            repo.save_case("i1", reference, {"risk_of_harm": "high"})
        finish(repo, "i1", "H001", "ann", at=t1)
        finish(repo, "i1", "H001", "bob", at=t2)
        repo.set_complete("i1", "H001", False, reviewer="bob", at=t3)
        finish(repo, "i1", "H002", None, at=t1)
        repo.set_complete("i1", "H002", False, at=t2)          # reopened for everyone, nobody finished it
        finish(repo, "i1", "H003", "ann", at="")      # at a time not known
        finish(repo, "i1", "H004", None, at=t1)
        finish(repo, "i1", "H004", "cy", at=t2)       # later: the case-wide time is moot
        completion = {c.reference: repo.completion("i1", c.reference) for c in repo.cases("i1")}
    first = run("export", "--db", path)[1]
    cases = {r["reference"]: {k: v for k, v in r.items() if k not in ("type", "inspection", "reference",
                                                                      "attributes")}
             for r in map(json.loads, first.splitlines()) if r["type"] == "case"}
    assert cases == {
        "H001": {"complete": True, "completed_by": ["ann"], "completed_at": {"ann": t1}, "reopened_at": {"bob": t3}},
        "H002": {"complete": False, "complete_at": t2},
        "H003": {"complete": True, "completed_by": ["ann"]},
        "H004": {"complete": True, "complete_at": t1, "completed_by": ["cy"], "completed_at": {"cy": t2}}}
    assert '"complete": true, "completed_by": ["ann"], "completed_at": {"ann": "2005-03-01T09:00:00Z"}, ' \
           '"reopened_at": {"bob": "2005-03-03T09:00:00Z"}}' in first
    script = tmp_path / "times.jsonl"
    script.write_text(first, encoding="utf-8")
    copy = tmp_path / "copy.json"
    assert run("replay", script, "--db", copy, "--quiet")[0] == 0
    assert run("export", "--db", copy)[1] == first
    with Repository.open(copy, readonly=True) as repo:
        assert {c.reference: repo.completion("i1", c.reference) for c in repo.cases("i1")} == completion


def test_an_inspection_with_the_default_settings_has_no_settings_record(run, tmp_path):
    path = tmp_path / "plain.json"
    build_demo(path, REVIEWER)
    text = run("export", "--db", path)[1]
    assert '"type": "settings"' not in text and '"moderation"' not in text and '"case_note"' not in text
    assert '"double_review"' not in text
    # the only completions are the demo reviewer's own (each finished case, by the one who answered it)
    finished = [json.loads(line) for line in text.splitlines() if '"completed_by"' in line]
    assert finished and all(record["completed_by"] == [REVIEWER] for record in finished)


def test_the_dispute_policy_and_a_sample_without_a_seed_round_trip(run, tmp_path):
    path = tmp_path / "dispute.json"
    build_demo(path, REVIEWER)
    with Repository.open(path) as repo:
        repo.set_disagreement_policy(DEMO_INSPECTION, "dispute")
        repo.mark_double_review(DEMO_INSPECTION, ["H004", "H001"])
    first = run("export", "--db", path)[1]
    assert first.splitlines()[1] == (
        f'{{"type": "settings", "inspection": "{DEMO_INSPECTION}", "disagreement_policy": "dispute"}}')
    script = tmp_path / "dispute.jsonl"
    script.write_text(first, encoding="utf-8")
    assert run("replay", script, "--db", tmp_path / "copy.json", "--quiet")[0] == 0
    assert run("export", "--db", tmp_path / "copy.json")[1] == first
    assert team_records(tmp_path / "copy.json") == team_records(path)
    assert tallies(tmp_path / "copy.json") == tallies(path)


def test_a_redacted_export_keeps_moderations_and_marks_under_the_pseudonyms(run, demo_db, tmp_path):
    records = [json.loads(x) for x in run("export", "--db", demo_db, "--redact")[1].split("\n") if x]
    assert not [r for r in records if r["type"] == "case_note"]
    moderations = [r for r in records if r["type"] == "moderation"]
    assert [(r["case"], r["value"]) for r in moderations] == [
        ("case-001", "no"), ("case-001", None), ("case-002", "yes"), ("case-005", "no")]
    assert all("reason" not in r for r in moderations)
    marked = [r["reference"] for r in records if r["type"] == "case" and r.get("double_review")]
    assert "case-002" in marked
    path = tmp_path / "redacted.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    assert run("replay", path, "--db", tmp_path / "r.json", "--quiet")[0] == 0
    with Repository.open(tmp_path / "r.json", readonly=True) as repo:
        moderation = repo.moderation(DEMO_INSPECTION, "case-002", "B1.4")
        assert (moderation.value, moderation.reason, moderation.moderator) == ("yes", "", "lead")
        assert repo.case(DEMO_INSPECTION, "case-002").completed_by == (REVIEWER, "mk")


def test_replaying_the_export_into_its_own_database_changes_nothing(run, demo_db, tmp_path):
    script = tmp_path / "export.jsonl"
    script.write_text(run("export", "--db", demo_db)[1], encoding="utf-8")
    before = demo_db.read_bytes()
    status, _, err = run("replay", script, "--db", demo_db, "--quiet")
    assert (status, err) == (0, "")
    assert demo_db.read_bytes() == before


def test_jsonl_exports_every_inspection_and_they_round_trip(run, demo_db, tmp_path):
    extra = tmp_path / "extra.jsonl"
    extra.write_text("\n".join(json.dumps(r) for r in [
        {"type": "inspection", "id": "second", "area": "Dorset", "questionnaire": "peer-review-quick"},
        {"type": "case", "reference": "D1"},
    ]) + "\n", encoding="utf-8")
    assert run("replay", extra, "--db", demo_db, "--quiet")[0] == 0
    first = run("export", "--db", demo_db)[1]
    assert '"id": "second"' in first and '"id": "hampshire-demo"' in first
    script = tmp_path / "all.jsonl"
    script.write_text(first, encoding="utf-8")
    assert run("replay", script, "--db", tmp_path / "copy.json", "--quiet")[0] == 0
    assert run("export", "--db", tmp_path / "copy.json")[1] == first
    only = run("export", "--db", demo_db, "--inspection", "second")[1]
    assert "hampshire-demo" not in only and only.count("\n") == 2


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_row_per_case_and_question_with_the_attributes(run, demo_db):
    status, text, _ = run("export", "--db", demo_db, "--format", "csv")
    assert status == 0
    with Repository.open(demo_db, readonly=True) as repo:
        questionnaire = repo.questionnaire(DEMO_INSPECTION)
        cases = repo.cases(DEMO_INSPECTION)
        answers = repo.answers(DEMO_INSPECTION)
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["inspection", "case", *questionnaire.attributes, "criterion", "question", "state",
                      "answer", "counts_as", "reviewer", "note", "at"]
    per_pair: dict[tuple[str, str], int] = {}
    for answer in answers:
        per_pair[(answer.case, answer.question)] = per_pair.get((answer.case, answer.question), 0) + 1
    rows = csv_rows(text)
    expected = sum(max(1, per_pair.get((c.reference, q.id), 0)) for c in cases for q in questionnaire.questions)
    assert len(rows) == expected
    assert {(r["case"], r["question"]) for r in rows} == {
        (c.reference, q.id) for c in cases for q in questionnaire.questions}
    h001 = [r for r in rows if r["case"] == "H001"]
    assert h001[0]["risk_of_harm"] == cases[0].attributes["risk_of_harm"]
    assert h001[0]["child_protection"] in ("true", "false")
    b12 = [r for r in h001 if r["question"] == "B1.2"]
    assert [(r["reviewer"], r["note"]) for r in b12] == [
        (REVIEWER, NOTES[("H001", "B1.2")]), ("mk", "second opinion: plan too thin")]
    assert b12[1]["answer"] == "no" and b12[1]["counts_as"] == "negative" and b12[1]["at"] == "2005-03-02T10:00:00Z"
    cleared = [r for r in rows if (r["case"], r["question"]) == ("H001", "B2.1")]
    assert [(r["answer"], r["reviewer"], r["state"]) for r in cleared] == [("", "", "unanswered")]


def test_json_has_the_tallies_and_the_answers(run, demo_db):
    status, text, _ = run("export", "--db", demo_db, "--format", "json")
    assert status == 0
    document = json.loads(text)
    tally = tallies(demo_db)[DEMO_INSPECTION]
    assert document["criteria"] == tally["criteria"]
    assert document["inspection"] == DEMO_INSPECTION
    assert document["questionnaire"] == {"id": "esi-2005-followup", "version": "1.0"}
    assert len(document["cases"]) == 30
    with Repository.open(demo_db, readonly=True) as repo:
        assert len(document["answers"]) == len(repo.answers(DEMO_INSPECTION))
    noted = [a for a in document["answers"] if a["case"] == "H002" and a["question"] == "B1.4"]
    assert noted[0]["note"] == NOTES[("H002", "B1.4")]


@pytest.mark.parametrize("form", ["jsonl", "csv", "json"])
def test_redact_removes_notes_and_real_references(run, demo_db, form):
    status, text, _ = run("export", "--db", demo_db, "--format", form, "--redact")
    assert status == 0
    assert "H0" not in text
    for note in [*NOTES.values(), "second opinion: plan too thin", "cleared but noted", *CASE_NOTES.values(),
                 *REASONS]:
        assert note.split("\n")[0].split("\u2028")[0] not in text
    assert "case-001" in text and "case-030" in text
    assert run("export", "--db", demo_db, "--format", form, "--redact")[1] == text  # stable


def test_redacted_pseudonyms_agree_across_formats_and_keep_the_tallies(run, demo_db, tmp_path):
    script = run("export", "--db", demo_db, "--redact")[1]
    rows = csv_rows(run("export", "--db", demo_db, "--format", "csv", "--redact")[1])
    with Repository.open(demo_db, readonly=True) as repo:
        cases = repo.cases(DEMO_INSPECTION)
    third = [json.loads(x) for x in script.splitlines() if json.loads(x)["type"] == "case"][2]
    assert third["reference"] == "case-003" and third["attributes"] == cases[2].attributes
    assert {r["risk_of_harm"] for r in rows if r["case"] == "case-003"} == {cases[2].attributes["risk_of_harm"]}
    path = tmp_path / "redacted.jsonl"
    path.write_text(script, encoding="utf-8")
    assert run("replay", path, "--db", tmp_path / "r.json", "--quiet")[0] == 0
    assert tallies(tmp_path / "r.json") == tallies(demo_db)


def test_output_file_is_private(run, demo_db, tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "out.csv"
        target.write_text("old")
        os.chmod(target, 0o644)
        status, out, err = run("export", "--db", demo_db, "--format", "csv", "-o", target)
    finally:
        os.umask(old)
    assert (status, out) == (0, "")
    assert err == f"wrote {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == run("export", "--db", demo_db, "--format", "csv")[1]


def test_export_of_a_missing_database_is_one_line(run, tmp_path):
    status, _, err = run("export", "--db", tmp_path / "none.json")
    assert status == 1
    assert err.startswith(f"esi-tui: {tmp_path / 'none.json'}: no such database")
    assert not (tmp_path / "none.json").exists()
