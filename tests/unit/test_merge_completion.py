"""`esi-tui merge` of finishing and reopening cases: per reviewer, and for the case-wide mark, the later
change wins on either side; an older copy never brings back a completion reopened since (nor lifts a
blind double review early); databases and exports from before times were kept still merge; twice
changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from casework import finish

from esi_tui import cli
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.merge import merge_into
from esi_tui.store.repository import Repository

T1, T2, T3, T4 = (f"2005-03-0{day}T09:00:00Z" for day in range(1, 5))


@pytest.fixture
def run(capsys):
    """Run the command line in-process: (exit status, stdout, stderr lines)."""
    def runner(*argv) -> tuple[int, str, list[str]]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err.splitlines()
    return runner


def make_db(path: Path) -> Repository:
    repo = Repository.open(path)
    # a shipped questionnaire: a merged export finds it in the catalogue
    repo.create_inspection("i1", find_questionnaire("esi-2005-followup"), title="North", area="North")
    for reference in ("C1", "C2"):
        repo.save_case("i1", reference, {"risk_of_harm": "high"})
    return repo


def files_of(path: Path) -> tuple[bytes, bytes]:
    journal = path.with_name(path.name + ".journal")
    return path.read_bytes(), journal.read_bytes() if journal.exists() else b""


def state(path: Path, reference: str = "C1") -> tuple:
    with Repository.open(path, readonly=True) as repo:
        case = repo.case("i1", reference)
        return case.complete, case.completed_by


def merge(target: Path, source: Path) -> tuple[bool, int]:
    """Merge `source` into `target`: (whether anything changed, cases finished or reopened)."""
    with Repository.open(target) as into, Repository.open(source, readonly=True) as other:
        report = merge_into(into, other, source.name)
        assert report.conflicts == []
        return report.changed, report.completions


def export(run, database: Path) -> Path:
    script = database.with_suffix(".jsonl")
    assert run("export", "--db", database, "-o", script)[0] == 0
    return script


def strip_completion(path: Path) -> None:
    """Make a folded database look like one written before completion times were kept."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data["cases"].values():
        doc.pop("completion", None)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def ann_finished(tmp_path) -> tuple[Path, Path]:
    """ann finished C1 on her laptop; the office holds a copy (merged earlier)."""
    laptop, office = tmp_path / "laptop.json", tmp_path / "office.json"
    with make_db(laptop) as repo:
        finish(repo, "i1", "C1", "ann")
    shutil.copy(laptop, office)
    return laptop, office


@pytest.fixture
def ann_finished_at_t1(tmp_path) -> tuple[Path, Path]:
    """ann finished C1 on her laptop at T1; the office holds a copy (merged earlier)."""
    laptop, office = tmp_path / "laptop.json", tmp_path / "office.json"
    with make_db(laptop) as repo:
        finish(repo, "i1", "C1", "ann", at=T1)
    shutil.copy(laptop, office)
    return laptop, office


@pytest.mark.parametrize("through", ["the database", "an export"])
def test_a_case_reopened_in_the_source_is_reopened_in_the_target(tmp_path, run, ann_finished, through):
    laptop, office = ann_finished
    with Repository.open(laptop) as repo:               # as the app does: now, maybe in the same second
        repo.set_complete("i1", "C1", False, reviewer="ann")
    source = laptop if through == "the database" else export(run, laptop)
    status, out, err = run("merge", source, "--into", office)
    assert state(office) == (False, ())
    assert (status, err) == (0, []) and ", 1 cases finished or reopened" in out
    # merged again: nothing new, nothing written
    before = files_of(office)
    status, out, _ = run("merge", source, "--into", office)
    assert status == 0 and out.rstrip().endswith("— nothing new") and files_of(office) == before


@pytest.mark.parametrize("through", ["the database", "an export"])
def test_a_case_reopened_in_the_target_stays_reopened_when_an_older_copy_is_merged(tmp_path, run, ann_finished,
                                                                                   through):
    laptop, office = ann_finished
    with Repository.open(office) as repo:
        repo.set_complete("i1", "C1", False, reviewer="ann")
    source = laptop if through == "the database" else export(run, laptop)
    before = files_of(office)
    status, out, err = run("merge", source, "--into", office)
    assert state(office) == (False, ())
    assert (status, err) == (0, []) and out.rstrip().endswith("— nothing new")
    assert files_of(office) == before


def test_the_time_each_reopening_was_made_comes_along(tmp_path, ann_finished_at_t1):
    laptop, office = ann_finished_at_t1
    with Repository.open(laptop) as repo:
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
    assert merge(office, laptop) == (True, 1)
    with Repository.open(office, readonly=True) as repo:
        assert repo.completion("i1", "C1") == {"ann": (False, T2)}


def test_a_case_wide_reopening_carries_over_and_is_not_undone_by_an_older_copy(tmp_path, ann_finished_at_t1):
    laptop, office = ann_finished_at_t1
    with Repository.open(laptop) as repo:
        finish(repo, "i1", "C2", None, at=T1)      # marked complete for everyone
    shutil.copy(laptop, office)
    with Repository.open(laptop) as repo:
        repo.set_complete("i1", "C2", False, at=T2)
    assert merge(office, laptop) == (True, 1)
    assert state(office, "C2") == (False, ())
    older = tmp_path / "older.json"
    with make_db(older) as repo:
        finish(repo, "i1", "C2", None, at=T1)
    assert merge(office, older) == (False, 0)
    assert state(office, "C2") == (False, ())
    # and a case-wide reopening later than the reviewers' finishing reopens the case for everyone
    with Repository.open(laptop) as repo:
        repo.set_complete("i1", "C1", False, at=T3)
    assert merge(office, laptop) == (True, 1)
    assert state(office) == (False, ("ann",))


@pytest.mark.parametrize("direction", ["into the reopened copy", "into the completed copy"])
def test_finished_again_after_a_reopening_on_the_other_side_is_complete(tmp_path, ann_finished_at_t1, direction):
    laptop, office = ann_finished_at_t1
    with Repository.open(office) as repo:             # reopened at the office...
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
    with Repository.open(laptop) as repo:             # ...and on the laptop, then finished again, later
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
        finish(repo, "i1", "C1", "ann", at=T3)
    target, source = (office, laptop) if direction == "into the reopened copy" else (laptop, office)
    merge(target, source)
    assert state(target) == (True, ("ann",))
    with Repository.open(target, readonly=True) as repo:
        assert repo.completion("i1", "C1") == {"ann": (True, T3)}
    before = files_of(target)
    assert merge(target, source) == (False, 0) and files_of(target) == before


def test_a_later_time_of_the_same_state_comes_along_and_then_outweighs_an_older_reopening(tmp_path, run,
                                                                                          ann_finished_at_t1):
    laptop, office = ann_finished_at_t1
    reopened = tmp_path / "reopened.json"
    shutil.copy(office, reopened)
    with Repository.open(reopened) as repo:           # a third copy saw a reopening at T2...
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
    with Repository.open(laptop) as repo:             # ...which the laptop followed by finishing it at T3
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
        finish(repo, "i1", "C1", "ann", at=T3)
    status, out, _ = run("merge", laptop, "--into", office)
    assert status == 0 and out.rstrip().endswith("0 earlier versions kept, 1 later times of finishing or reopening")
    with Repository.open(office, readonly=True) as repo:
        assert repo.completion("i1", "C1") == {"ann": (True, T3)}
    assert merge(office, reopened) == (False, 0)
    assert state(office) == (True, ("ann",))


def test_each_reviewer_is_weighed_on_its_own_and_both_orders_agree(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    with make_db(a) as repo:
        finish(repo, "i1", "C1", "ann", at=T1)
        finish(repo, "i1", "C1", "bob", at=T1)
    shutil.copy(a, b)
    with Repository.open(a) as repo:        # ann reopens on a, bob on b, later
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
    with Repository.open(b) as repo:
        repo.set_complete("i1", "C1", False, reviewer="bob", at=T3)
        finish(repo, "i1", "C1", "cy", at=T3)
    ab, ba = tmp_path / "ab.json", tmp_path / "ba.json"
    shutil.copy(a, ab)
    shutil.copy(b, ba)
    merge(ab, b)
    merge(ba, a)
    for merged in (ab, ba):
        with Repository.open(merged, readonly=True) as repo:
            case = repo.case("i1", "C1")
            assert case.complete and set(case.completed_by) == {"cy"}
            assert repo.completion("i1", "C1") == {"ann": (False, T2), "bob": (False, T3), "cy": (True, T3)}


def test_a_blind_double_review_reopened_by_one_reviewer_stays_blind_after_merging_an_older_copy(tmp_path, run):
    office, older = tmp_path / "office.json", tmp_path / "older.json"
    with make_db(office) as repo:
        repo.mark_double_review("i1", ["C1"])
        repo.set_answer("i1", "C1", "B1.2", "yes", "ann")
        repo.set_answer("i1", "C1", "B1.2", "no", "bob")
        finish(repo, "i1", "C1", "ann")
        finish(repo, "i1", "C1", "bob")
        assert repo.blind_cases("i1") == set()
    shutil.copy(office, older)
    with Repository.open(office) as repo:             # bob reopens it to look again: blind again
        repo.set_complete("i1", "C1", False, reviewer="bob")
        assert repo.blind_cases("i1") == {"C1"}
    status, out, _ = run("merge", older, "--into", office)
    with Repository.open(office, readonly=True) as repo:
        assert repo.blind_cases("i1") == {"C1"}
        assert repo.blind_for("i1", "C1", "ann") and repo.blind_for("i1", "C1", "bob")
        assert repo.case("i1", "C1").completed_by == ("ann",)
    assert status == 0 and out.rstrip().endswith("— nothing new")
    # the older copy, brought up to date, is blind again too
    assert merge(older, office) == (True, 1)
    with Repository.open(older, readonly=True) as repo:
        assert repo.blind_cases("i1") == {"C1"}


# -- databases and exports from before completion times were kept ----------------------------------


def test_an_old_database_without_times_merges_as_before(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    with make_db(old) as repo:
        finish(repo, "i1", "C1", "ann")
        finish(repo, "i1", "C2", None)
    strip_completion(old)
    with make_db(new) as repo:
        finish(repo, "i1", "C1", "bob", at=T1)
    shutil.copy(new, tmp_path / "fresh.json")
    # nothing recorded on either side contradicts the other: every completion is kept, as before
    assert merge(new, old) == (True, 2)
    assert state(new) == (True, ("bob", "ann")) and state(new, "C2") == (True, ())
    assert merge(old, tmp_path / "fresh.json") == (True, 1)
    assert state(old) == (True, ("ann", "bob"))
    # a reopening recorded with a time is later than a completion without one, on either side
    with Repository.open(new) as repo:
        repo.set_complete("i1", "C1", False, reviewer="ann", at=T2)
        repo.set_complete("i1", "C2", False, at=T2)
    strip_completion(old)
    assert merge(new, old) == (False, 0)
    assert state(new) == (True, ("bob",)) and state(new, "C2") == (False, ())
    assert merge(old, new) == (True, 2)
    assert state(old) == (True, ("bob",)) and state(old, "C2") == (False, ())


def test_an_export_without_times_does_not_undo_a_reopening(tmp_path, run, ann_finished):
    laptop, office = ann_finished
    script = export(run, laptop)
    records = [json.loads(line) for line in script.read_text(encoding="utf-8").splitlines()]
    c1 = next(r for r in records if r["type"] == "case" and r["reference"] == "C1" and "completed_by" in r)
    assert c1["completed_by"] == ["ann"] and "completed_at" in c1
    del c1["completed_at"]
    script.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Repository.open(office) as repo:
        repo.set_complete("i1", "C1", False, reviewer="ann")
    status, out, err = run("merge", script, "--into", office)
    assert (status, err) == (0, []) and out.rstrip().endswith("— nothing new")
    assert state(office) == (False, ())
    # into a database that never had it, it still brings the completion
    fresh = tmp_path / "fresh.json"
    make_db(fresh).close()
    assert run("merge", script, "--into", fresh)[0] == 0
    assert state(fresh) == (True, ("ann",))
