"""Checking a script is a dry run of the code that applies it: text the store cannot save and times it
cannot order are refused at the check, with SCRIPT:LINE:, and nothing at all is applied; a merge of
such input changes nothing either."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.core.script_format import parse_script
from esi_tui.store.applier import Context, rehearse
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

INSPECTION = "insp"
FAR = "0001-01-01T00:00:00+14:00"   # before the year 1 in UTC: no store can order it


@pytest.fixture
def run(capsys):
    def runner(*argv) -> tuple[int, str, list[str]]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err.splitlines()
    return runner


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    with Repository.open(path) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"), area="Hampshire")
        repo.save_case(INSPECTION, "H001", {"risk_of_harm": "high"})
    return path


def files(path: Path) -> tuple[bytes, bytes]:
    journal = path.with_name(path.name + ".journal")
    return path.read_bytes(), journal.read_bytes() if journal.exists() else b""


def script(tmp_path: Path, *records: dict) -> Path:
    path = tmp_path / "script.jsonl"
    # json.dumps escapes a lone surrogate as \ud800: valid JSON that decodes back to one
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


GOOD = [{"type": "case", "inspection": INSPECTION, "reference": "H002"},
        {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.4", "value": "yes"}]
BAD = {
    "a lone surrogate in a note": (
        {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.2", "value": "no",
         "note": "plan \ud800 missing"},
        "note holds a character that is not valid text (a lone surrogate \\ud800) at character 6"),
    "a control character in a reference": (
        {"type": "case", "inspection": INSPECTION, "reference": "H\x1b[2J003"},
        "reference holds a control character (\\x1b) at character 2"),
    "a time no store can order": (
        {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.2", "value": "no", "at": FAR},
        f"at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '{FAR}'"),
    "a time no store can order, on a moderation": (
        {"type": "moderation", "inspection": INSPECTION, "case": "H001", "question": "B1.4", "value": "no",
         "at": FAR},
        f"at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not '{FAR}'"),
    "a reviewer's name that is not text": (
        {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.2", "value": "no",
         "reviewer": "b\udcffb"},
        "reviewer holds a character that is not valid text (a lone surrogate \\udcff) at character 2"),
    "a case finished with its questions open": (
        {"type": "case", "inspection": INSPECTION, "reference": "H001", "completed_by": ["ann"]},
        "case H001 cannot be marked complete by ann: 22 required questions unanswered (B1.1, B1.2, B1.4, B1.5, "
        "B1.6, B2.1, B3.1, B3.2 …)"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_a_script_the_store_cannot_save_is_refused_whole(kind, run, db, tmp_path):
    record, message = BAD[kind]
    path = script(tmp_path, *GOOD, record)
    before = files(db)
    status, out, err = run("replay", path, "--db", db, "--quiet")
    assert status == 1
    assert err == [f"{path}:3: {message}",
                   f"{path}: 1 bad line; nothing was applied (--keep-going applies the good ones)"]
    assert files(db) == before          # not even the good lines before it


def test_a_reviewer_name_that_is_not_text_is_one_line_before_anything(run, db, tmp_path):
    path = script(tmp_path, *GOOD)
    before = files(db)
    status, _, err = run("replay", path, "--db", db, "--quiet", "--reviewer", "b\udcffb")   # b'b\xffb' in argv
    assert status == 1 and len(err) == 1
    assert err[0].startswith("esi-tui: --reviewer: the reviewer's name holds a character that is not valid text")
    assert files(db) == before


def test_the_check_is_the_apply_run_on_a_copy(db):
    """What the rehearsal reports is what the commit does: the same records, nothing else."""
    text = "".join(json.dumps(r) + "\n" for r in GOOD)
    with Repository.open(db) as repo:
        rehearsal = rehearse(repo, parse_script(text, "s"), Context("jb", lambda _id: None))
        assert rehearsal.messages() == [] and not repo.has_case(INSPECTION, "H002")
        assert [r["op"] for r in rehearsal.records] == ["case", "answer"]
        repo.commit_records(rehearsal.records)
        assert repo.has_case(INSPECTION, "H002") and repo.answer(INSPECTION, "H001", "B1.4", "jb").value == "yes"


def test_keep_going_skips_a_line_that_failed_half_way_and_applies_the_rest(run, db, tmp_path):
    # the case record is saved, then its completion is refused: the whole line is left out
    path = script(tmp_path, {"type": "case", "inspection": INSPECTION, "reference": "H009", "completed_by": ["ann"]},
                  *GOOD)
    status, _, err = run("replay", path, "--db", db, "--quiet", "--keep-going")
    assert status == 1 and "1 bad line skipped, the rest applied" in err[-1]
    with Repository.open(db, readonly=True) as repo:
        assert not repo.has_case(INSPECTION, "H009")
        assert repo.has_case(INSPECTION, "H002")


def damaged_copy(db: Path, tmp_path: Path) -> Path:
    """A copy of the database whose answer carries a time no store can order (written by hand, or by an
    older esi-tui): valid JSON, but the store refuses to take it in."""
    source = tmp_path / "theirs.json"
    with Repository.open(db) as repo:
        repo.set_answer(INSPECTION, "H001", "B1.2", "no", "bob", at="2005-01-10T09:30:00Z")
    shutil.copy(db, source)
    data = json.loads(source.read_text(encoding="utf-8"))
    for doc in data["answers"].values():
        doc["at"] = FAR
    source.write_text(json.dumps(data), encoding="utf-8")
    return source


def test_a_merge_of_a_database_the_store_cannot_take_in_changes_nothing(run, db, tmp_path):
    source = damaged_copy(db, tmp_path)
    target = tmp_path / "target.json"
    with Repository.open(target) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"), area="Hampshire")
    before = files(target)
    status, out, err = run("merge", source, "--into", target)
    assert status == 1 and len(err) == 1 and FAR in err[0]
    assert files(target) == before


def test_a_merge_of_a_bad_script_changes_nothing_and_leaves_no_scratch_folder(run, db, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    record, _ = BAD["a lone surrogate in a note"]
    path = script(tmp_path, {"type": "inspection", "id": INSPECTION, "questionnaire": "esi-2005-followup"},
                  {"type": "case", "inspection": INSPECTION, "reference": "H001"}, record)
    before = files(db)
    status, _, err = run("merge", path, "--into", db)
    assert status == 1 and "nothing was merged" in err[-1]
    assert files(db) == before
    assert list(scratch.iterdir()) == []
