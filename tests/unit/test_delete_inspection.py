"""Deleting an inspection: one journaled change that takes it and everything of it away (kept so through
a fold and a reopen), `esi-tui delete-inspection` asks first, and neither a merged database nor a merged
export of one brings a deleted inspection back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

KEEP, GONE = "keep-insp", "gone-insp"


@pytest.fixture
def run(capsys):
    """Run the command line in-process: (exit status, stdout, stderr lines)."""
    def runner(*argv) -> tuple[int, str, list[str]]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err.splitlines()
    return runner


def two_inspections(path: Path) -> Path:
    """GONE: two cases, answers by two reviewers, a moderation, a case note, history; KEEP: one case, one answer."""
    questionnaire = find_questionnaire("esi-2005-followup")
    with Repository.open(path) as repo:
        for inspection in (KEEP, GONE):
            repo.create_inspection(inspection, questionnaire, area=f"{inspection} area")
            repo.save_case(inspection, "H001", {"risk_of_harm": "low"})
            repo.set_answer(inspection, "H001", "B1.2", "yes", "ann")
        repo.save_case(GONE, "H002", {"risk_of_harm": "high"})
        repo.set_answer(GONE, "H001", "B1.2", "no", "bob")
        repo.set_answer(GONE, "H001", "B2.1", "no", "ann")
        repo.set_answer(GONE, "H001", "B2.1", "yes", "ann")     # the earlier goes to history
        repo.moderate(GONE, "H001", "B1.2", "yes", "lead", "plan on file")
        repo.set_case_note(GONE, "H001", "ann", "ask about the MAPPA minutes")
    return path


def held(repo: Repository, inspection: str) -> dict:
    state = repo.state
    return {
        "cases": [key for key in state.cases if key[0] == inspection],
        "answers": [key for key in state.answers if key[0] == inspection],
        "history": [doc for doc in state.history if doc.get("inspection") == inspection],
        "moderations": [key for key in state.moderations if key[0] == inspection],
        "notes": [key for key in state.notes if key[0] == inspection],
    }


def test_delete_takes_the_inspection_and_all_of_it_and_stays_deleted_after_reopening(tmp_path):
    path = two_inspections(tmp_path / "db.json")
    with Repository.open(path) as repo:
        assert repo.inspection_contents(GONE) == {"cases": 2, "answers": 3, "reviewers": 2, "moderations": 1,
                                                  "case notes": 1}
        keep_before = held(repo, KEEP)
        counts = repo.delete_inspection(GONE)
        assert counts["answers"] == 3
        assert [i.id for i in repo.inspections()] == [KEEP]
        assert all(not rows for rows in held(repo, GONE).values())
        assert held(repo, KEEP) == keep_before
    # the journal replays it (no fold yet on a crash) and the fold keeps it
    journal = path.with_name(path.name + ".journal")
    assert b"delete_inspection" in journal.read_bytes() or b'"deleted"' in path.read_bytes()
    with Repository.open(path) as repo:
        assert [i.id for i in repo.inspections()] == [KEEP]
        assert all(not rows for rows in held(repo, GONE).values())
        assert GONE in repo.deleted_inspections()
        assert repo.deleted_inspections()[GONE]["counts"]["cases"] == 2
        assert repo.answer(KEEP, "H001", "B1.2", "ann").value == "yes"


def test_the_cli_asks_first_and_without_a_terminal_deletes_nothing_unless_yes(tmp_path, run):
    path = two_inspections(tmp_path / "db.json")
    before = path.read_bytes()
    status, out, err = run("delete-inspection", GONE, "--db", path)
    assert status == 1 and len(err) == 1
    assert f"delete inspection {GONE}" in err[0] and "2 cases, 3 answers by 2 reviewers, 1 moderation, 1 case note" \
        in err[0] and "--yes" in err[0]
    assert path.read_bytes() == before
    with Repository.open(path, readonly=True) as repo:
        assert repo.has_inspection(GONE)

    status, out, err = run("delete-inspection", "nope", "--db", path)
    assert status == 1 and err == [f"esi-tui: no inspection 'nope' in {path} (known: {KEEP}, {GONE})"]

    status, out, err = run("delete-inspection", "--db", path)
    assert status == 1 and "name the inspection to delete" in err[0]

    status, out, err = run("delete-inspection", GONE, "--db", path, "--yes")
    assert status == 0, err
    assert out.startswith(f"deleted inspection {GONE} ({GONE} area; 2 cases, 3 answers")
    with Repository.open(path, readonly=True) as repo:
        assert [i.id for i in repo.inspections()] == [KEEP]


def test_the_cli_deletes_once_the_id_is_typed(tmp_path, run, monkeypatch):
    path = two_inspections(tmp_path / "db.json")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "gone")
    status, out, err = run("delete-inspection", GONE, "--db", path)
    assert status == 1 and "nothing deleted" in err[-1]
    with Repository.open(path, readonly=True) as repo:
        assert repo.has_inspection(GONE)
    monkeypatch.setattr("builtins.input", lambda _prompt: GONE)
    status, out, err = run("delete-inspection", GONE, "--db", path)
    assert status == 0 and "cannot be undone" in "\n".join(err)
    with Repository.open(path, readonly=True) as repo:
        assert not repo.has_inspection(GONE)


def test_a_merge_of_a_database_or_its_export_does_not_bring_a_deleted_inspection_back(tmp_path, run):
    lead = two_inspections(tmp_path / "lead.json")
    ann = tmp_path / "ann.json"
    shutil.copy(lead, ann)
    with Repository.open(ann) as repo:      # ann worked on after the copy
        repo.set_answer(GONE, "H002", "B1.2", "yes", "ann")
        repo.set_answer(KEEP, "H001", "B2.1", "no", "ann")
    script = tmp_path / "ann.jsonl"
    assert run("export", "--db", ann, "--inspection", GONE, "-o", script)[0] == 0
    with Repository.open(lead) as repo:
        repo.delete_inspection(GONE)

    outcomes = []
    for source in (ann, script):
        target = tmp_path / f"lead-{source.suffix[1:]}.json"
        shutil.copy(lead, target)
        status, out, err = run("merge", source, "--into", target)
        with Repository.open(target, readonly=True) as repo:
            outcomes.append((status, [i.id for i in repo.inspections()], held(repo, GONE)))
        assert any(f"inspection {GONE} was deleted here" in line for line in err), err
    # the same answer for a database and for its export: exit 3 (a difference to look at), not brought back
    assert outcomes[0][0] == outcomes[1][0] == 3
    assert outcomes[0][1] == outcomes[1][1] == [KEEP]
    assert all(not rows for rows in outcomes[0][2].values())
    assert all(not rows for rows in outcomes[1][2].values())
    with Repository.open(tmp_path / "lead-json.json", readonly=True) as repo:
        assert repo.answer(KEEP, "H001", "B2.1", "ann").value == "no"   # the rest is merged


def test_an_inspection_made_again_with_that_id_takes_a_merge_again(tmp_path, run):
    lead = two_inspections(tmp_path / "lead.json")
    ann = tmp_path / "ann.json"
    shutil.copy(lead, ann)
    with Repository.open(lead) as repo:
        repo.delete_inspection(GONE)
        repo.create_inspection(GONE, find_questionnaire("esi-2005-followup"), area=f"{GONE} area")
        assert GONE not in repo.deleted_inspections()
    status, out, err = run("merge", ann, "--into", lead)
    assert status in (0, 3)
    assert not any("was deleted here" in line for line in err)
    with Repository.open(lead, readonly=True) as repo:
        assert repo.answer(GONE, "H001", "B1.2", "bob").value == "no"


def test_an_export_after_deleting_holds_nothing_of_it(tmp_path, run):
    path = two_inspections(tmp_path / "db.json")
    with Repository.open(path) as repo:
        repo.delete_inspection(GONE)
    status, out, err = run("export", "--db", path)
    assert status == 0
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert records and all(GONE not in json.dumps(record) for record in records)


def test_a_read_only_database_refuses_to_delete(tmp_path):
    path = two_inspections(tmp_path / "db.json")
    from esi_tui.store.errors import ReadOnly

    with Repository.open(path, readonly=True) as repo, pytest.raises(ReadOnly):
        repo.delete_inspection(GONE)
