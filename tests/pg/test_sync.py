"""`esi-tui sync`: an offline laptop's file and the team's server, both ways, with merge's rules; twice
changes nothing; differences are reported (exit 3) and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

INSPECTION = "hants"


def setup_team(url: str, laptop: Path) -> None:
    """The lead sets up the server; an inspector takes a copy to a laptop (a first sync)."""
    with Repository.open(url) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"), area="Hampshire")
        for ref in ("H001", "H002", "H003"):
            repo.save_case(INSPECTION, ref, {"risk_of_harm": "high"})
    assert cli.main(["sync", "--db", str(laptop), "--with", url]) == 0


def test_sync_pushes_and_pulls_and_twice_changes_nothing(tmp_path, pg_url, capsys):
    laptop = tmp_path / "ann.json"      # a laptop's first sync makes its file
    setup_team(pg_url, laptop)
    assert "creating it" in capsys.readouterr().err
    with Repository.open(laptop) as mine:
        assert [c.reference for c in mine.cases(INSPECTION)] == ["H001", "H002", "H003"]
        # offline on the laptop: ann's answers, one of them given on the server too, later there
        mine.set_answer(INSPECTION, "H001", "B1.2", "yes", "ann", at="2026-03-02T09:00:00Z")
        mine.set_answer(INSPECTION, "H002", "B1.2", "no", "ann", at="2026-03-02T09:05:00Z")
        mine.set_case_note(INSPECTION, "H001", "ann", "ask about the MAPPA minutes", at="2026-03-02T09:06:00Z")
    with Repository.open(pg_url) as team:
        # meanwhile at the office: bob's answer, and ann's own answer to H002 given again later on the server
        team.set_answer(INSPECTION, "H003", "B1.1", "yes", "bob", at="2026-03-02T10:00:00Z")
        team.set_answer(INSPECTION, "H002", "B1.2", "yes", "ann", at="2026-03-02T11:00:00Z")
    capsys.readouterr()
    assert cli.main(["sync", "--db", str(laptop), "--with", pg_url]) == 3     # ann's H002 given apart on both
    out, err = capsys.readouterr()
    assert "pushed to" in out and "pulled into" in out
    assert "H002" in err and "differences need a look" not in out
    for db in (str(laptop), pg_url):
        with Repository.open(db, readonly=True) as repo:
            answers = {(a.case, a.question, a.reviewer): a.value for a in repo.answers(INSPECTION)}
            assert answers == {("H001", "B1.2", "ann"): "yes", ("H002", "B1.2", "ann"): "yes",
                               ("H003", "B1.1", "bob"): "yes"}, db
            # the earlier of ann's two H002 answers is kept in history on both sides
            assert [(h["case"], h["value"]) for h in repo.history(INSPECTION) if h.get("reviewer") == "ann"] == \
                [("H002", "no")], db
            assert repo.case_note(INSPECTION, "H001", "ann") == "ask about the MAPPA minutes"
    # twice: nothing new either way, and the resolved difference is not reported again
    with Repository.open(pg_url, readonly=True) as team:
        seq = team.log.seq
    assert cli.main(["sync", "--db", str(laptop), "--with", pg_url]) == 0
    out, err = capsys.readouterr()
    assert out.count("nothing new") == 2, out
    with Repository.open(pg_url, readonly=True) as team:
        assert team.log.seq == seq


def test_sync_reports_differing_case_attributes_and_keeps_each_sides(tmp_path, pg_url, capsys):
    laptop = tmp_path / "ann.json"
    Repository.open(laptop).close()
    setup_team(pg_url, laptop)
    with Repository.open(laptop) as mine:
        mine.save_case(INSPECTION, "H001", {"risk_of_harm": "low"})
    capsys.readouterr()
    assert cli.main(["sync", "--db", str(laptop), "--with", pg_url]) == 3
    err = capsys.readouterr().err
    assert "H001" in err and "attributes differ" in err and "exit status is 3" in err
    with Repository.open(pg_url, readonly=True) as team:
        assert team.case(INSPECTION, "H001").attributes["risk_of_harm"] == "high"
    with Repository.open(laptop, readonly=True) as mine:
        assert mine.case(INSPECTION, "H001").attributes["risk_of_harm"] == "low"
    assert cli.main(["sync", "--db", str(laptop), "--with", pg_url]) == 3     # still there until corrected


def test_sync_refuses_what_it_cannot_do(tmp_path, pg_url, capsys):
    laptop = tmp_path / "ann.json"
    assert cli.main(["sync", "--db", pg_url, "--with", pg_url]) == 1
    assert "sync brings a database file" in capsys.readouterr().err
    assert cli.main(["sync", "--db", str(laptop), "--with", str(tmp_path / "other.json")]) == 1
    assert "give the team's PostgreSQL database" in capsys.readouterr().err
