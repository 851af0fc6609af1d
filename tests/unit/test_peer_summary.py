"""`esi-tui peer --summary`: what the peer reviews found, per question X of Y, for a group's meeting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from casework import finish

from esi_tui import cli
from esi_tui.core.loader import load_file
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
PEER = "peer-review-quick"


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    def runner(*argv) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return runner


def files_of(path: Path) -> tuple[bytes, bytes]:
    journal = path.with_name(path.name + ".journal")
    return path.read_bytes(), journal.read_bytes() if journal.exists() else b""


@pytest.fixture
def peer_db(tmp_path) -> Path:
    """Three peer reviews by two reviewers on the shipped quick questionnaire."""
    path = tmp_path / "peer.json"
    with Repository.open(path) as repo:
        repo.create_inspection(PEER, find_questionnaire(PEER), title="Peer reviews", area="peer review")
        repo.save_case(PEER, "P1", {"risk_of_harm": "high"})
        repo.save_case(PEER, "P2", {"risk_of_harm": "low"})
        repo.save_case(PEER, "P3", {"risk_of_harm": "medium", "victim_issues": True})
        work = [
            ("P1", "ann", {"B1.1": "yes", "B1.2": "no", "B2.1": "yes", "B3.1": "yes", "C5.1": "yes", "C5.2": "no"}),
            ("P2", "bob", {"B1.1": "yes", "B2.1": "no", "B3.1": "yes", "C5.2": "yes"}),
            ("P3", "ann", {"B1.1": "no", "B2.1": "yes", "B3.1": "na", "C2.1": "yes"}),
        ]
        for case, reviewer, answers in work:
            for question, value in answers.items():
                repo.set_answer(PEER, case, question, value, reviewer)
        finish(repo, PEER, "P1", "ann")
        repo.set_case_note(PEER, "P1", "ann", "A good plan; the review date slipped.")
    return path


def rows(out: str) -> dict[str, str]:
    """Each question row of the plain (piped) table: question id, its text, then its 'X of Y' cell."""
    found = {}
    for line in out.splitlines():
        match = re.match(r"\s+([BC]\d\.\d) \S.*?\s{2,}(?:\S+%|–)\s+(\d+ of \d+)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_the_summary_gives_every_question_x_of_y(run, peer_db):
    before = files_of(peer_db)
    status, out, err = run("peer", "--summary", "--db", peer_db)
    assert status == 0 and err == ""
    assert "3 cases peer reviewed by 2 reviewers, 1 finished, 1 note to colleagues." in out
    assert "What the peer reviews found" in out
    assert rows(out) == {"B1.1": "2 of 3", "B1.2": "0 of 1", "B2.1": "2 of 3", "B3.1": "2 of 2",
                         "C2.1": "1 of 1", "C5.1": "1 of 1", "C5.2": "1 of 2"}
    # each question by its text, not its id alone, and the notes to colleagues themselves
    questionnaire = find_questionnaire(PEER)
    for question in questionnaire.questions:
        assert f"{question.id} {question.text}" in out
    assert "Notes to colleagues:\n- P1 (ann): A good plan; the review date slipped." in out
    # a summary only reads
    assert files_of(peer_db) == before


def test_without_peer_reviews_the_summary_says_so(run, tmp_path):
    path = tmp_path / "esi.json"
    with Repository.open(path) as repo:
        repo.create_inspection("i1", load_file(MINI))
    before = files_of(path)
    status, out, err = run("peer", "--summary", "--db", path)
    assert status == 0 and err == ""
    assert out.strip() == f"{path}: no peer reviews yet ({PEER})"
    assert files_of(path) == before                      # no peer inspection was created


def test_without_a_database_the_summary_says_so_and_creates_none(run, tmp_path):
    path = tmp_path / "none.json"
    status, out, err = run("peer", "--summary", "--db", path)
    assert status == 0 and err == ""
    assert out.strip() == f"{path}: no peer reviews yet (no database)"
    assert not path.exists()


def test_the_summary_of_another_peer_inspection(run, peer_db):
    status, out, _ = run("peer", "--summary", "--db", peer_db, "--inspection", PEER)
    assert status == 0 and "3 cases peer reviewed" in out
    status, out, _ = run("peer", "--summary", "--db", peer_db, "--inspection", "peer-other")
    assert status == 0 and out.strip().endswith("no peer reviews yet (peer-other)")
