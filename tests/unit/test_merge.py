"""`esi-tui merge`: reviewers' databases (or exported scripts) brought together without losing any
answer: the later of one reviewer's two answers wins with the earlier kept in history, different
reviewers' answers are both kept, differing case attributes are reported and not overwritten, team
records come along, a withdrawn moderation stays withdrawn, a cleared answer stays cleared, merging
the same file twice changes nothing, and a merge that reports differences exits 3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from casework import answer_lines, finish

from esi_tui import cli
from esi_tui.core.agreement import agreement_table
from esi_tui.core.loader import load_file, loads
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.merge import merge_into, moment
from esi_tui.store.repository import Repository

MINI_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
INSPECTION = "hants"


@pytest.fixture
def run(capsys):
    """Run the command line in-process: (exit status, stdout, stderr lines)."""
    def runner(*argv) -> tuple[int, str, list[str]]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err.splitlines()
    return runner


def write_script(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def files_of(path: Path) -> tuple[bytes, bytes]:
    journal = path.with_name(path.name + ".journal")
    return path.read_bytes(), journal.read_bytes() if journal.exists() else b""


def everything(path: Path) -> dict:
    """Every record of a database, for before-and-after comparisons."""
    with Repository.open(path, readonly=True) as repo:
        out = {}
        for inspection in repo.inspections():
            i = inspection.id
            out[i] = {
                "cases": [(c.reference, c.attributes, c.complete, c.completed_by) for c in repo.cases(i)],
                "answers": sorted((a.case, a.question, a.reviewer, a.value, a.note, a.at) for a in repo.answers(i)),
                "history": sorted(json.dumps(h, sort_keys=True) for h in repo.history(i)),
                "moderations": sorted(repo.moderations(i), key=lambda m: (m.case, m.question)),
                "notes": sorted((n["case"], n["reviewer"], n["note"]) for n in repo.case_notes(i)),
                "settings": repo.settings(i),
            }
        return out


# -- three reviewers, three machines ----------------------------------------------------------------

CASES = [
    {"type": "case", "inspection": INSPECTION, "reference": "H001", "attributes": {"risk_of_harm": "high"}},
    {"type": "case", "inspection": INSPECTION, "reference": "H002", "attributes": {"risk_of_harm": "low"}},
    {"type": "case", "inspection": INSPECTION, "reference": "H003",
     "attributes": {"risk_of_harm": "very_high", "child_protection": True}},
]
# (case, question): answer per reviewer; every reviewer answers on their own machine
WORK = {
    "ann": {("H001", "B1.2"): "yes", ("H001", "B1.4"): "yes", ("H001", "B2.1"): "no",
            ("H002", "B1.2"): "yes", ("H002", "B2.1"): "yes", ("H002", "C5.2"): "no"},
    "bob": {("H001", "B1.2"): "yes", ("H001", "B1.4"): "no", ("H001", "B2.1"): "no",
            ("H003", "B1.2"): "no", ("H003", "B3.1"): "yes", ("H003", "C5.2"): "na"},
    "cy": {("H002", "B1.2"): "no", ("H002", "B2.1"): "yes", ("H002", "C5.2"): "no",
           ("H003", "B1.2"): "no", ("H003", "B3.1"): "no", ("H003", "B1.4"): "yes"},
}


def reviewer_script(folder: Path, reviewer: str, hour: int) -> Path:
    records: list[dict] = [{"type": "inspection", "id": INSPECTION, "title": "Hampshire follow-up",
                            "area": "Hampshire", "questionnaire": "esi-2005-followup"}, *CASES]
    for minute, ((case, question), value) in enumerate(WORK[reviewer].items()):
        records.append({"type": "answer", "inspection": INSPECTION, "case": case, "question": question,
                        "value": value, "reviewer": reviewer, "at": f"2005-03-0{hour}T{hour:02d}:{minute:02d}:00Z",
                        **({"note": f"{reviewer} on {case}"} if minute == 0 else {})})
    return write_script(folder / f"{reviewer}.jsonl", records)


@pytest.fixture
def three_databases(tmp_path, run) -> dict[str, Path]:
    """Each reviewer's database, built by `esi-tui replay` from their own script."""
    databases = {}
    for hour, reviewer in enumerate(WORK, start=1):
        script = reviewer_script(tmp_path / "scripts", reviewer, hour)
        databases[reviewer] = tmp_path / "machines" / f"{reviewer}.json"
        status, _, err = run("replay", script, "--db", databases[reviewer], "--quiet")
        assert status == 0, err
    return databases


def test_three_reviewers_databases_built_by_replay_merge_with_every_answer(tmp_path, run, three_databases):
    merged = tmp_path / "office.json"
    status, out, err = run("merge", *three_databases.values(), "--into", merged)
    assert status == 0 and err == []
    lines = out.splitlines()
    assert lines[0].endswith("1 inspections, 3 cases, 6 answers added, 0 updated (the earlier kept in history), "
                             "0 earlier versions kept")
    assert "0 inspections, 0 cases, 6 answers added" in lines[1] and "6 answers added" in lines[2]
    with Repository.open(merged, readonly=True) as repo:
        got = {(a.case, a.question, a.reviewer): a for a in repo.answers(INSPECTION)}
        assert len(got) == sum(len(work) for work in WORK.values()) == 18
        for hour, (reviewer, work) in enumerate(WORK.items(), start=1):
            for minute, ((case, question), value) in enumerate(work.items()):
                answer = got[(case, question, reviewer)]
                assert answer.value == value
                assert answer.at == f"2005-03-0{hour}T{hour:02d}:{minute:02d}:00Z"
                assert answer.note == (f"{reviewer} on {case}" if minute == 0 else "")
        assert repo.history(INSPECTION) == []
        assert [c.reference for c in repo.cases(INSPECTION)] == ["H001", "H002", "H003"]

        # the tallies: one answer counted per case and question (the first reviewer's), disagreements open
        tally = repo.tally(INSPECTION)
        # disagreements: H001 B1.4 (ann yes, bob no), H002 B1.2 (ann yes, cy no), H003 B3.1 (bob yes, cy no)
        assert tally.open_disagreements() == 3
        assert tally.answer("H001", "B1.4") == "yes" and tally.answer("H002", "B1.2") == "yes"
        b12 = tally.question_counts("B1.2")
        assert (b12.positive, b12.negative, b12.unanswered) == (2, 1, 0)      # H001 yes, H002 yes, H003 no
        c52 = tally.question_counts("C5.2")
        assert (c52.negative, c52.not_applicable) == (1, 1)
        answered = sum(counts.counted + counts.not_applicable for _, counts in
                       ((q.id, tally.question_counts(q.id)) for q in repo.questionnaire(INSPECTION).questions))
        assert answered == len({(case, q) for work in WORK.values() for (case, q) in work})  # 12 items

        # agreement: every pair shares cases
        ratings: dict = {}
        for a in repo.answers(INSPECTION):
            ratings.setdefault((a.case, a.question), {})[a.reviewer] = a.value
        questionnaire = repo.questionnaire(INSPECTION)
        pairs = {r.reviewers: (r.items, r.agreed)
                 for r in agreement_table(ratings, {q.id: q.criterion for q in questionnaire.questions},
                                          [q.id for q in questionnaire.questions])
                 if r.group == "pair" and r.scope == "overall"}
        assert pairs == {("ann", "bob"): (3, 2), ("ann", "cy"): (3, 2), ("bob", "cy"): (2, 1)}
    status, out, _ = run("tally", "--db", merged, "--json")
    assert json.loads(out)["open_disagreements"] == 3


def test_merging_in_any_order_gives_the_same_answers(tmp_path, run, three_databases):
    forward, backward = tmp_path / "forward.json", tmp_path / "backward.json"
    run("merge", *three_databases.values(), "--into", forward)
    run("merge", *reversed(three_databases.values()), "--into", backward)
    a, b = everything(forward)[INSPECTION], everything(backward)[INSPECTION]
    assert a["answers"] == b["answers"] and a["history"] == b["history"]


def test_merging_the_same_files_twice_changes_nothing(tmp_path, run, three_databases):
    merged = tmp_path / "office.json"
    run("merge", *three_databases.values(), "--into", merged)
    before = files_of(merged)
    status, out, err = run("merge", *three_databases.values(), "--into", merged)
    assert status == 0 and err == []
    assert all(line.endswith("— nothing new") for line in out.splitlines())
    assert files_of(merged) == before


def test_merging_an_exported_script_brings_every_answer_with_its_reviewer_and_time(tmp_path, run,
                                                                                   three_databases):
    exported = tmp_path / "ann-export.jsonl"
    status, _, _ = run("export", "--db", three_databases["ann"], "--format", "jsonl", "-o", exported)
    assert status == 0
    merged = tmp_path / "office.json"
    shutil.copy(three_databases["bob"], merged)
    status, out, err = run("merge", exported, "--into", merged)
    assert status == 0 and err == [], err
    assert "6 answers added" in out
    with Repository.open(merged, readonly=True) as repo:
        got = {(a.case, a.question, a.reviewer): (a.value, a.at) for a in repo.answers(INSPECTION)}
    with Repository.open(three_databases["ann"], readonly=True) as ann:
        for a in ann.answers(INSPECTION):
            assert got[(a.case, a.question, "ann")] == (a.value, a.at)
    assert sum(reviewer == "bob" for (_, _, reviewer) in got) == 6
    # twice: nothing new, nothing changed
    before = files_of(merged)
    status, out, _ = run("merge", exported, "--into", merged)
    assert out.rstrip().endswith("— nothing new") and files_of(merged) == before


def test_two_scripts_with_the_same_name_from_different_folders_stay_apart(tmp_path, run):
    # the same reviewer answered H001 B1.2 on two machines; the morning export ran later than the evening one
    head = [{"type": "inspection", "id": INSPECTION, "questionnaire": "esi-2005-followup"}, CASES[0]]
    answer = {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.2", "reviewer": "ann"}
    first = write_script(tmp_path / "laptop" / "ann.jsonl",
                         [*head, {**answer, "value": "yes", "at": "2005-03-02T17:00:00Z"}])
    second = write_script(tmp_path / "desktop" / "ann.jsonl",
                          [*head, {**answer, "value": "no", "at": "2005-03-02T09:00:00Z"}])
    merged = tmp_path / "office.json"
    status, out, err = run("merge", first, second, "--into", merged)
    # neither answer was given after seeing the other: resolved, and reported for a look
    assert status == 3
    assert err == [f"{second}: case H001 of {INSPECTION}, question B1.2: ann answered 'yes' here "
                   "(2005-03-02T17:00:00Z) and 'no' there (2005-03-02T09:00:00Z); kept the later, 'yes', "
                   "the other in history",
                   "merge complete, but 1 difference needs a look (listed above), so the exit status is 3"]
    with Repository.open(merged, readonly=True) as repo:
        assert repo.answer(INSPECTION, "H001", "B1.2", "ann").value == "yes"      # the later
        history = repo.history(INSPECTION, "H001", "B1.2")
    assert [(h["value"], h["at"], h["replaced_at"]) for h in history] == [
        ("no", "2005-03-02T09:00:00Z", "2005-03-02T17:00:00Z")]


# -- the same reviewer on two machines --------------------------------------------------------------


@pytest.fixture
def mini():
    return load_file(MINI_PATH)


def make_db(path: Path, mini, cases: dict[str, dict] | None = None) -> Repository:
    repo = Repository.open(path)
    repo.create_inspection("i1", mini, title="North", area="North")
    for reference, attributes in (cases or {"C1": {"risk": "high"}, "C2": {"risk": "low"}}).items():
        repo.save_case("i1", reference, attributes)
    return repo


@pytest.mark.parametrize("direction", ["later into earlier", "earlier into later"])
def test_the_later_answer_wins_and_the_earlier_is_kept_in_history(tmp_path, mini, direction):
    with make_db(tmp_path / "laptop.json", mini) as laptop:
        laptop.set_answer("i1", "C1", "A1.1", "yes", "ann", note="first look", at="2005-03-01T09:00:00Z")
    with make_db(tmp_path / "desktop.json", mini) as desktop:
        desktop.set_answer("i1", "C1", "A1.1", "no", "ann", note="second look", at="2005-03-02T09:00:00Z")
    target, source = ((tmp_path / "laptop.json", tmp_path / "desktop.json") if direction == "later into earlier"
                      else (tmp_path / "desktop.json", tmp_path / "laptop.json"))
    with Repository.open(target) as into, Repository.open(source, readonly=True) as other:
        report = merge_into(into, other, source.name)
        assert (report.answers_added, report.answers_updated + report.kept_in_history) == (0, 1)
        answer = into.answer("i1", "C1", "A1.1", "ann")
        assert (answer.value, answer.note, answer.at) == ("no", "second look", "2005-03-02T09:00:00Z")
        assert into.history("i1", "C1", "A1.1") == [
            {"inspection": "i1", "case": "C1", "question": "A1.1", "reviewer": "ann", "value": "yes",
             "note": "first look", "at": "2005-03-01T09:00:00Z", "replaced_at": "2005-03-02T09:00:00Z"}]
        # the tally counts the later answer
        assert into.tally("i1").answer("C1", "A1.1") == "no"
        # again: nothing
        again = merge_into(into, other, source.name)
        assert not again.changed and len(into.history("i1")) == 1


def test_later_means_the_later_instant_whatever_the_time_zone(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        # 10:30 in Athens is 08:30 UTC: earlier than 09:00 UTC, though its text sorts after it
        a.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T10:30:00+02:00")
        a.set_answer("i1", "C2", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
    with make_db(tmp_path / "b.json", mini) as b:
        b.set_answer("i1", "C1", "A1.1", "no", "ann", at="2005-03-01T09:00:00Z")
        # half a second later, though "." sorts before "Z"
        b.set_answer("i1", "C2", "A1.1", "no", "ann", at="2005-03-01T09:00:00.5Z")
    for target, source in (("a", "b"), ("b", "a")):
        copy = tmp_path / f"into-{target}.json"
        shutil.copy(tmp_path / f"{target}.json", copy)
        with Repository.open(copy) as into, Repository.open(tmp_path / f"{source}.json", readonly=True) as other:
            merge_into(into, other, source)
            assert into.answer("i1", "C1", "A1.1", "ann").value == "no"
            assert into.answer("i1", "C2", "A1.1", "ann").value == "no"
            assert sorted(h["value"] for h in into.history("i1")) == ["yes", "yes"]


def test_moment_orders_instants():
    assert moment("2005-03-01T10:30:00+02:00") < moment("2005-03-01T09:00:00Z")
    assert moment("2005-03-01T09:00:00Z") < moment("2005-03-01T09:00:00.5Z")
    assert moment("2005-03-01T09:00Z") == moment("2005-03-01T09:00:00Z")
    assert moment("") < moment("1970-01-01T00:00:00Z") and moment(None) < moment("garbage")


def test_different_reviewers_answers_are_both_kept(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
    with make_db(tmp_path / "b.json", mini) as b:
        b.set_answer("i1", "C1", "A1.1", "no", "bob", at="2005-03-02T09:00:00Z")
    with Repository.open(tmp_path / "a.json") as into, Repository.open(tmp_path / "b.json", readonly=True) as other:
        report = merge_into(into, other, "b")
        assert report.answers_added == 1 and report.conflicts == []
        assert {(x.reviewer, x.value) for x in into.answers("i1")} == {("ann", "yes"), ("bob", "no")}
        assert into.history("i1") == []
        assert into.tally("i1").open_disagreements() == 1


def test_history_from_the_other_database_comes_along_once(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
        a.set_answer("i1", "C1", "A1.1", "na", "ann", at="2005-03-01T10:00:00Z")
    with make_db(tmp_path / "b.json", mini):
        pass
    with Repository.open(tmp_path / "b.json") as into, Repository.open(tmp_path / "a.json", readonly=True) as other:
        first = merge_into(into, other, "a")
        assert first.kept_in_history == 1
        assert [h["value"] for h in into.history("i1")] == ["yes"]
        assert not merge_into(into, other, "a").changed


# -- differences that are reported, not overwritten -------------------------------------------------


def test_differing_case_attributes_are_reported_and_not_overwritten(tmp_path, run, mini):
    with make_db(tmp_path / "a.json", mini, {"C1": {"risk": "high", "level": 1}}):
        pass
    with make_db(tmp_path / "b.json", mini, {"C1": {"risk": "low", "level": 1}, "C2": {}}) as b:
        b.set_answer("i1", "C1", "A1.1", "yes", "bob")
    status, out, err = run("merge", tmp_path / "b.json", "--into", tmp_path / "a.json")
    assert status == 3
    assert err == [f"{tmp_path / 'b.json'}: case C1 of i1: attributes differ (risk: 'high' here, 'low' there); "
                   "kept this database's",
                   "merge complete, but 1 difference needs a look (listed above), so the exit status is 3"]
    assert "1 cases, 1 answers added" in out
    with Repository.open(tmp_path / "a.json", readonly=True) as repo:
        assert repo.case("i1", "C1").attributes["risk"] == "high"
        assert repo.answer("i1", "C1", "A1.1", "bob").value == "yes"     # the answers still come in
    # merging again reports it again and changes nothing
    before = files_of(tmp_path / "a.json")
    status, out, err = run("merge", tmp_path / "b.json", "--into", tmp_path / "a.json")
    assert status == 3 and len(err) == 2 and out.rstrip().endswith("— nothing new")
    assert files_of(tmp_path / "a.json") == before


def test_a_different_questionnaire_version_is_reported_and_nothing_of_it_merged(tmp_path, run, mini):
    newer = loads(MINI_PATH.read_text(encoding="utf-8").replace('version = "1"', 'version = "2"', 1)
                  .replace('text = "Every case?"', 'text = "Every single case?"'), name="mini")
    assert newer.content_hash != mini.content_hash
    with make_db(tmp_path / "a.json", mini) as a:
        a.set_answer("i1", "C1", "A1.1", "yes", "ann")
    with make_db(tmp_path / "b.json", newer, {"C1": {"risk": "high"}, "C9": {}}) as b:
        b.set_answer("i1", "C1", "A1.1", "no", "bob")
    before = everything(tmp_path / "a.json")
    status, out, err = run("merge", tmp_path / "b.json", "--into", tmp_path / "a.json")
    assert status == 3
    assert err[0] == (f"{tmp_path / 'b.json'}: inspection i1 uses mini version 2 there but mini version 1 here "
                      "(the definitions differ); nothing of it was merged")
    assert out.rstrip().endswith("— nothing new")
    assert everything(tmp_path / "a.json") == before


def test_a_policy_that_differs_is_reported_and_this_databases_kept(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini):
        pass
    with make_db(tmp_path / "b.json", mini) as b:
        b.set_disagreement_policy("i1", "dispute")
    with Repository.open(tmp_path / "a.json") as into, Repository.open(tmp_path / "b.json", readonly=True) as other:
        report = merge_into(into, other, "b")
        assert report.conflicts == ["b: inspection i1: disagreement policy is 'dispute' there, 'first' here; "
                                    "kept this database's"]
        assert into.settings("i1")["disagreement_policy"] == "first"


# -- team records -----------------------------------------------------------------------------------


@pytest.fixture
def team_source(tmp_path, mini) -> Path:
    """A lead's database: a double-review sample, the dispute policy, two finished reviews, a moderation
    and case notes."""
    path = tmp_path / "lead.json"
    with make_db(path, mini, {f"C{n}": {"risk": "high"} for n in range(1, 9)}) as repo:
        repo.mark_double_review("i1", ["C1"], share=0.25, seed=2005)
        repo.set_disagreement_policy("i1", "dispute")
        repo.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
        repo.set_answer("i1", "C1", "A1.1", "no", "bob", at="2005-03-01T10:00:00Z")
        finish(repo, "i1", "C1", "ann")
        finish(repo, "i1", "C1", "bob")
        repo.moderate("i1", "C1", "A1.1", "yes", "lead", "plan found", at="2005-03-03T09:00:00Z")
        repo.set_case_note("i1", "C1", "bob", "look at the MAPPA minutes", at="2005-03-01T10:05:00Z")
    return path


def test_double_review_marks_moderations_and_case_notes_come_along(tmp_path, run, team_source):
    merged = tmp_path / "office.json"
    status, out, err = run("merge", team_source, "--into", merged)
    assert status == 0 and err == []
    assert "1 moderated answers, 1 case notes, " in out
    source, target = everything(team_source)["i1"], everything(merged)["i1"]
    assert target == source
    assert target["settings"]["double_review_seed"] == 2005 and target["settings"]["double_review_share"] == 0.25
    assert target["settings"]["disagreement_policy"] == "dispute"
    with Repository.open(merged, readonly=True) as repo:
        assert repo.case("i1", "C1").completed_by == ("ann", "bob")
        assert not repo.blind_for("i1", "C1", "ann")
        marked = repo.settings("i1")["double_review"]
        assert len(marked) >= 2 and all(repo.blind_for("i1", ref, "cy") for ref in marked if ref != "C1")
        moderation = repo.moderation("i1", "C1", "A1.1")
        assert (moderation.value, moderation.reason, moderation.moderator, moderation.at) == (
            "yes", "plan found", "lead", "2005-03-03T09:00:00Z")
        assert repo.tally("i1").state("C1", "A1.1") == "positive"
        assert repo.case_note("i1", "C1", "bob") == "look at the MAPPA minutes"
    before = files_of(merged)
    status, out, _ = run("merge", team_source, "--into", merged)
    assert out.rstrip().endswith("— nothing new") and files_of(merged) == before


def test_double_review_marks_join_and_cases_are_counted(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini, {"C1": {}, "C2": {}}) as a:
        a.mark_double_review("i1", ["C1"])
    with make_db(tmp_path / "b.json", mini, {"C1": {}, "C2": {}, "C3": {}}) as b:
        b.mark_double_review("i1", ["C3"])
    with Repository.open(tmp_path / "a.json") as into, Repository.open(tmp_path / "b.json", readonly=True) as other:
        report = merge_into(into, other, "b")
        assert report.cases == 1 and report.settings == 1
        assert into.settings("i1")["double_review"] == ["C1", "C3"]


def test_the_later_moderation_wins_and_the_earlier_is_kept(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.moderate("i1", "C1", "A1.1", "no", "lead", "no plan", at="2005-03-01T09:00:00Z")
    with make_db(tmp_path / "b.json", mini) as b:
        b.moderate("i1", "C1", "A1.1", "yes", "deputy", "plan found", at="2005-03-02T09:00:00Z")
    for target, source in (("a", "b"), ("b", "a")):
        copy = tmp_path / f"into-{target}.json"
        shutil.copy(tmp_path / f"{target}.json", copy)
        with Repository.open(copy) as into, Repository.open(tmp_path / f"{source}.json", readonly=True) as other:
            merge_into(into, other, source)
            assert into.moderation("i1", "C1", "A1.1").value == "yes"
            assert [(h["value"], h["kind"], h["replaced_at"]) for h in into.history("i1")] == [
                ("no", "moderation", "2005-03-02T09:00:00Z")]
            assert not merge_into(into, other, source).changed


def test_a_case_note_that_differs_is_reported_and_not_overwritten(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.set_case_note("i1", "C1", "bob", "mine")
    with make_db(tmp_path / "b.json", mini) as b:
        b.set_case_note("i1", "C1", "bob", "theirs")
        b.set_case_note("i1", "C2", "bob", "new")
    with Repository.open(tmp_path / "a.json") as into, Repository.open(tmp_path / "b.json", readonly=True) as other:
        report = merge_into(into, other, "b")
        assert report.conflicts == ["b: case C1: bob's case note differs; kept this database's"]
        assert report.notes == 1
        assert into.case_note("i1", "C1", "bob") == "mine" and into.case_note("i1", "C2", "bob") == "new"


# -- the command's own checks -----------------------------------------------------------------------


def test_merging_a_database_into_itself_or_a_missing_file_is_refused(tmp_path, run, mini):
    with make_db(tmp_path / "a.json", mini):
        pass
    before = files_of(tmp_path / "a.json")
    status, out, err = run("merge", tmp_path / "a.json", "--into", tmp_path / "a.json")
    assert status == 1 and "is the database being merged into" in err[0]
    status, out, err = run("merge", tmp_path / "missing.json", "--into", tmp_path / "a.json")
    assert status == 1 and "no such file" in err[0]
    assert files_of(tmp_path / "a.json") == before


def test_a_bad_script_is_refused_with_its_lines(tmp_path, run, mini):
    bad = write_script(tmp_path / "bad.jsonl", [
        {"type": "inspection", "id": INSPECTION, "questionnaire": "esi-2005-followup"},
        {"type": "answer", "inspection": INSPECTION, "case": "NOPE", "question": "B1.2", "value": "yes"}])
    status, _, err = run("merge", bad, "--into", tmp_path / "office.json")
    assert status == 1
    assert any("unknown case 'NOPE'" in line for line in err)
    assert any("1 bad lines; nothing was merged" in line for line in err)


# -- the exit status: 0 merged, 3 merged with differences that need a look, 1 nothing merged ----------


def test_two_sources_that_agree_merge_with_exit_status_0(tmp_path, run, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.set_answer("i1", "C1", "A1.1", "yes", "ann", note="plan", at="2005-03-01T09:00:00Z")
    with make_db(tmp_path / "b.json", mini) as b:
        b.set_answer("i1", "C1", "A1.1", "yes", "ann", note="plan", at="2005-03-01T09:00:00Z")
        b.set_answer("i1", "C1", "A1.1", "no", "bob", at="2005-03-02T09:00:00Z")   # a double review: both kept
    merged = tmp_path / "office.json"
    status, out, err = run("merge", tmp_path / "a.json", tmp_path / "b.json", "--into", merged)
    assert (status, err) == (0, [])
    assert "1 answers added" in out.splitlines()[0] and "1 answers added" in out.splitlines()[1]
    assert "difference" not in out


def test_two_sources_that_disagree_on_one_answer_exit_3_and_name_it_with_nothing_lost(tmp_path, run, mini):
    # ann answered C1 A1.1 on her laptop, and again, differently, on her desktop without seeing the first
    with make_db(tmp_path / "laptop.json", mini) as laptop:
        laptop.set_answer("i1", "C1", "A1.1", "yes", "ann", note="plan found", at="2005-03-01T09:00:00Z")
        laptop.set_answer("i1", "C2", "A1.1", "no", "ann", at="2005-03-01T09:05:00Z")
    with make_db(tmp_path / "desktop.json", mini) as desktop:
        desktop.set_answer("i1", "C1", "A1.1", "no", "ann", note="no plan", at="2005-03-02T09:00:00Z")
        desktop.set_answer("i1", "C2", "A1.1", "no", "ann", at="2005-03-01T09:05:00Z")
    merged = tmp_path / "office.json"
    status, out, err = run("merge", tmp_path / "laptop.json", tmp_path / "desktop.json", "--into", merged)
    assert status == 3
    assert err == [f"{tmp_path / 'desktop.json'}: case C1 of i1, question A1.1: ann answered 'yes' here "
                   "(2005-03-01T09:00:00Z) and 'no' there (2005-03-02T09:00:00Z); kept the later, 'no', "
                   "the other in history",
                   "merge complete, but 1 difference needs a look (listed above), so the exit status is 3"]
    assert "1 updated" in out.splitlines()[1]
    # the merge's result is saved: the later answer counts, the earlier is in history, nothing is lost
    with Repository.open(merged, readonly=True) as repo:
        answer = repo.answer("i1", "C1", "A1.1", "ann")
        assert (answer.value, answer.note, answer.at) == ("no", "no plan", "2005-03-02T09:00:00Z")
        assert [(h["value"], h["note"], h["at"]) for h in repo.history("i1")] == [
            ("yes", "plan found", "2005-03-01T09:00:00Z")]
        assert repo.answer("i1", "C2", "A1.1", "ann").value == "no"
        assert repo.tally("i1").answer("C1", "A1.1") == "no"
    # merged again: the office now holds both versions, so nothing is new and nothing needs a look
    status, out, err = run("merge", tmp_path / "laptop.json", tmp_path / "desktop.json", "--into", merged)
    assert (status, err) == (0, []) and all(line.endswith("— nothing new") for line in out.splitlines())


def test_an_answer_revised_after_the_last_merge_is_an_update_not_a_difference(tmp_path, run, mini):
    with make_db(tmp_path / "ann.json", mini) as ann:
        ann.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
    merged = tmp_path / "office.json"
    assert run("merge", tmp_path / "ann.json", "--into", merged)[0] == 0
    with Repository.open(tmp_path / "ann.json") as ann:                 # ann changes her mind, on her copy
        ann.set_answer("i1", "C1", "A1.1", "no", "ann", at="2005-03-02T09:00:00Z")
    status, out, err = run("merge", tmp_path / "ann.json", "--into", merged)
    assert (status, err) == (0, []) and "1 updated" in out
    # an older copy that still has her first answer is not a difference either: the office has replaced it
    with make_db(tmp_path / "old.json", mini) as old:
        old.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
    status, out, err = run("merge", tmp_path / "old.json", "--into", merged)
    assert (status, err) == (0, [])
    with Repository.open(merged, readonly=True) as repo:
        assert repo.answer("i1", "C1", "A1.1", "ann").value == "no"


def test_two_moderations_made_apart_are_a_difference(tmp_path, run, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.moderate("i1", "C1", "A1.1", "no", "lead", "no plan", at="2005-03-01T09:00:00Z")
    with make_db(tmp_path / "b.json", mini) as b:
        b.moderate("i1", "C1", "A1.1", "yes", "deputy", "plan found", at="2005-03-02T09:00:00Z")
    status, _, err = run("merge", tmp_path / "b.json", "--into", tmp_path / "a.json")
    assert status == 3
    assert err[0] == (f"{tmp_path / 'b.json'}: case C1 of i1, question A1.1: moderated to 'no' by lead "
                      "('no plan', 2005-03-01T09:00:00Z) here and to 'yes' by deputy ('plan found', "
                      "2005-03-02T09:00:00Z) there; kept the later, 'yes' by deputy, the other in history")


def test_a_bad_script_after_a_good_source_merges_nothing(tmp_path, run, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.set_answer("i1", "C1", "A1.1", "yes", "ann")
    with make_db(tmp_path / "b.json", mini) as b:
        b.set_answer("i1", "C1", "A1.1", "no", "bob")
    bad = write_script(tmp_path / "bad.jsonl", [{"type": "answer", "inspection": "i1", "case": "C1"}])
    before = files_of(tmp_path / "a.json")
    status, out, err = run("merge", tmp_path / "b.json", bad, "--into", tmp_path / "a.json")
    assert status == 1 and out == ""
    assert err[-1] == f"esi-tui: {bad}: {len(err) - 1} bad lines; nothing was merged"
    assert files_of(tmp_path / "a.json") == before
    status, _, err = run("merge", tmp_path / "b.json", bad, "--into", tmp_path / "new.json")
    assert status == 1 and not (tmp_path / "new.json").exists()


def test_merge_help_lists_the_exit_statuses(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["merge", "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "exit status:" in text
    for line in ("  0  merged; no differences", "  3  merged, but differences need a look",
                 "  1  an error, named on stderr", "  2  bad arguments"):
        assert line in text


# -- withdrawals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("withdrawn_in", ["the source", "the target"])
def test_a_withdrawn_moderation_stays_withdrawn(tmp_path, run, mini, withdrawn_in):
    with make_db(tmp_path / "lead.json", mini) as lead:
        lead.moderate("i1", "C1", "A1.1", "yes", "lead", "plan found", at="2005-03-01T09:00:00Z")
    shutil.copy(tmp_path / "lead.json", tmp_path / "office.json")       # merged earlier: both hold it
    withdrawer = tmp_path / ("lead.json" if withdrawn_in == "the source" else "office.json")
    with Repository.open(withdrawer) as repo:
        repo.moderate("i1", "C1", "A1.1", None, "lead", at="2005-03-02T09:00:00Z")
    status, out, err = run("merge", tmp_path / "lead.json", "--into", tmp_path / "office.json")
    assert (status, err) == (0, [])
    if withdrawn_in == "the source":
        assert "1 moderations withdrawn" in out
    else:
        assert out.rstrip().endswith("— nothing new")
    assert everything(tmp_path / "office.json") == everything(withdrawer)
    with Repository.open(tmp_path / "office.json", readonly=True) as repo:
        assert repo.moderation("i1", "C1", "A1.1") is None
        assert [(h["value"], h["replaced_at"]) for h in repo.history("i1")] == [("yes", "2005-03-02T09:00:00Z")]
    before = files_of(tmp_path / "office.json")
    status, out, _ = run("merge", tmp_path / "lead.json", "--into", tmp_path / "office.json")
    assert status == 0 and out.rstrip().endswith("— nothing new") and files_of(tmp_path / "office.json") == before


def test_a_moderation_replaced_later_elsewhere_is_not_withdrawn(tmp_path, mini):
    with make_db(tmp_path / "a.json", mini) as a:
        a.moderate("i1", "C1", "A1.1", "yes", "lead", "plan found", at="2005-03-01T09:00:00Z")
    shutil.copy(tmp_path / "a.json", tmp_path / "b.json")
    with Repository.open(tmp_path / "a.json") as a:                     # withdrawn on one copy
        a.moderate("i1", "C1", "A1.1", None, "lead", at="2005-03-02T09:00:00Z")
    with Repository.open(tmp_path / "b.json") as b:                     # and changed, later, on the other
        b.moderate("i1", "C1", "A1.1", "no", "lead", "plan out of date", at="2005-03-03T09:00:00Z")
    with Repository.open(tmp_path / "b.json") as into, Repository.open(tmp_path / "a.json", readonly=True) as other:
        report = merge_into(into, other, "a")
        assert report.withdrawn == 0 and report.conflicts == []
        assert into.moderation("i1", "C1", "A1.1").value == "no"


# -- cleared answers --------------------------------------------------------------------------------


def ann_and_office(tmp_path: Path, mini) -> tuple[Path, Path]:
    """ann's database with her answer to C1 A1.1, and the office's copy of it (merged earlier), with bob's."""
    ann, office = tmp_path / "ann.json", tmp_path / "office.json"
    with make_db(ann, mini) as repo:
        repo.set_answer("i1", "C1", "A1.1", "yes", "ann", at="2005-03-01T09:00:00Z")
    shutil.copy(ann, office)
    with Repository.open(office) as repo:
        repo.set_answer("i1", "C1", "A1.1", "no", "bob", at="2005-03-01T10:00:00Z")
        tally = repo.tally("i1")
        assert tally.answer("C1", "A1.1") == "yes" and tally.open_disagreements() == 1
    return ann, office


@pytest.mark.parametrize("cleared_in", ["the source", "the target"])
def test_a_cleared_answer_stays_cleared(tmp_path, run, mini, cleared_in):
    ann, office = ann_and_office(tmp_path, mini)
    with Repository.open(ann if cleared_in == "the source" else office) as repo:
        repo.set_answer("i1", "C1", "A1.1", None, "ann", at="2005-03-02T09:00:00Z")
    before = files_of(office)
    status, out, err = run("merge", ann, "--into", office)      # ann.json is, or is older than, the office's
    assert (status, err) == (0, [])
    if cleared_in == "the source":
        assert "0 answers added, 1 updated (the earlier kept in history), 0 earlier versions kept" in out
    else:
        assert out.rstrip().endswith("— nothing new") and files_of(office) == before
    with Repository.open(office, readonly=True) as repo:
        assert repo.answer("i1", "C1", "A1.1", "ann") is None
        assert repo.answer("i1", "C1", "A1.1", "bob").value == "no"
        assert [(h["reviewer"], h["value"], h["at"], h["replaced_at"]) for h in repo.history("i1")] == [
            ("ann", "yes", "2005-03-01T09:00:00Z", "2005-03-02T09:00:00Z")]
        # the tallies no longer count it: bob's answer alone, no disagreement
        tally = repo.tally("i1")
        assert tally.answer("C1", "A1.1") == "no" and tally.open_disagreements() == 0
        counts = tally.question_counts("A1.1")
        assert (counts.positive, counts.negative) == (0, 1)
    # twice: nothing new, nothing changed
    before = files_of(office)
    status, out, err = run("merge", ann, "--into", office)
    assert (status, err) == (0, []) and out.rstrip().endswith("— nothing new") and files_of(office) == before


@pytest.mark.parametrize("direction", ["into the office", "into ann's"])
@pytest.mark.parametrize("answered_in", ["the same database", "the other database"])
def test_an_answer_given_after_the_clear_wins(tmp_path, mini, answered_in, direction):
    ann, office = ann_and_office(tmp_path, mini)
    with Repository.open(ann) as repo:
        repo.set_answer("i1", "C1", "A1.1", None, "ann", at="2005-03-02T09:00:00Z")
    with Repository.open(ann if answered_in == "the same database" else office) as repo:    # a day later
        repo.set_answer("i1", "C1", "A1.1", "na", "ann", note="no plan needed", at="2005-03-03T09:00:00Z")
    target, source = (office, ann) if direction == "into the office" else (ann, office)
    with Repository.open(target) as into, Repository.open(source, readonly=True) as other:
        report = merge_into(into, other, source.name)
        assert report.changed and report.conflicts == []
        answer = into.answer("i1", "C1", "A1.1", "ann")
        assert (answer.value, answer.note, answer.at) == ("na", "no plan needed", "2005-03-03T09:00:00Z")
        assert into.ratings("i1")[("C1", "A1.1")] == {"ann": "na", "bob": "no"}
        assert "yes" in [h["value"] for h in into.history("i1")]
        state = everything(target)
        again = merge_into(into, other, source.name)
        assert not again.changed and again.conflicts == []
    assert everything(target) == state


@pytest.mark.parametrize("direction", ["into the office", "into ann's"])
def test_a_clear_later_than_an_answer_it_never_saw_wins_and_is_a_difference(tmp_path, run, mini, direction):
    ann, office = ann_and_office(tmp_path, mini)
    with Repository.open(office) as repo:       # changed on the office's copy
        repo.set_answer("i1", "C1", "A1.1", "na", "ann", at="2005-03-02T09:00:00Z")
    with Repository.open(ann) as repo:          # and cleared, later, on ann's, which still had "yes"
        repo.set_answer("i1", "C1", "A1.1", None, "ann", at="2005-03-03T09:00:00Z")
    target, source = (office, ann) if direction == "into the office" else (ann, office)
    status, _, err = run("merge", source, "--into", target)
    assert status == 3
    said = {office: "answered 'na' {} (2005-03-02T09:00:00Z)", ann: "cleared the answer {} (2005-03-03T09:00:00Z)"}
    assert err[0] == (f"{source}: case C1 of i1, question A1.1: ann {said[target].format('here')} and "
                      f"{said[source].format('there')}; kept the later, no answer, the other in history")
    with Repository.open(target, readonly=True) as repo:
        assert repo.answer("i1", "C1", "A1.1", "ann") is None
        assert ("na", "2005-03-03T09:00:00Z") in [(h["value"], h["replaced_at"]) for h in repo.history("i1")]
        assert repo.tally("i1").answer("C1", "A1.1") == "no"
    # reported once: merged again, nothing is new and nothing needs a look
    before = files_of(target)
    status, out, err = run("merge", source, "--into", target)
    assert (status, err) == (0, []) and out.rstrip().endswith("— nothing new") and files_of(target) == before


@pytest.mark.parametrize("direction", ["a into b", "b into a"])
def test_a_withdrawal_later_than_a_moderation_it_never_saw_wins_and_is_a_difference(tmp_path, mini, direction):
    with make_db(tmp_path / "a.json", mini) as a:
        a.moderate("i1", "C1", "A1.1", "yes", "lead", "plan found", at="2005-03-01T09:00:00Z")
    shutil.copy(tmp_path / "a.json", tmp_path / "b.json")
    with Repository.open(tmp_path / "b.json") as b:                     # changed on one copy
        b.moderate("i1", "C1", "A1.1", "no", "deputy", "plan out of date", at="2005-03-02T09:00:00Z")
    with Repository.open(tmp_path / "a.json") as a:                     # and withdrawn, later, on the other
        a.moderate("i1", "C1", "A1.1", None, "lead", at="2005-03-03T09:00:00Z")
    target, source = ("b", "a") if direction == "a into b" else ("a", "b")
    with (Repository.open(tmp_path / f"{target}.json") as into,
          Repository.open(tmp_path / f"{source}.json", readonly=True) as other):
        report = merge_into(into, other, source)
        where = {"a": "withdrawn {} (2005-03-03T09:00:00Z)",
                 "b": "moderated to 'no' by deputy ('plan out of date', 2005-03-02T09:00:00Z) {}"}
        assert report.conflicts == [f"{source}: case C1 of i1, question A1.1: {where[target].format('here')} and "
                                    f"{where[source].format('there')}; kept the later, withdrawn, "
                                    "the other in history"]
        assert into.moderation("i1", "C1", "A1.1") is None
        assert ("no", "2005-03-03T09:00:00Z") in [(h["value"], h["replaced_at"]) for h in into.history("i1")]
        again = merge_into(into, other, source)
        assert not again.changed and again.conflicts == []


# -- team records through exported scripts (when the databases cannot travel) -------------------------

# the lead's settings, on every copy
SETTINGS = {"type": "settings", "inspection": INSPECTION, "disagreement_policy": "dispute",
            "double_review_seed": 2005, "double_review_share": 0.5}
TEAM_WORK = {
    "ann": [
        SETTINGS,
        {**CASES[0], "completed_by": ["ann"], "double_review": True},
        {"type": "moderation", "inspection": INSPECTION, "case": "H002", "question": "B1.2", "value": "yes",
         "moderator": "lead", "reason": "plan on file", "at": "2005-03-05T09:00:00Z"},
        {"type": "moderation", "inspection": INSPECTION, "case": "H001", "question": "B1.4", "value": "no",
         "moderator": "lead", "reason": "no plan", "at": "2005-03-05T09:10:00Z"},
        {"type": "moderation", "inspection": INSPECTION, "case": "H001", "question": "B1.4", "value": None,
         "at": "2005-03-05T10:00:00Z"},
        {"type": "case_note", "inspection": INSPECTION, "case": "H001", "reviewer": "ann",
         "note": "the OASys was late", "at": "2005-03-01T01:30:00Z"},
    ],
    "bob": [
        SETTINGS,
        {**CASES[0], "completed_by": ["bob"], "double_review": True},
        {**CASES[2], "double_review": True},
        {"type": "moderation", "inspection": INSPECTION, "case": "H003", "question": "B3.1", "value": "yes",
         "moderator": "deputy", "reason": "contact logged", "at": "2005-03-06T09:00:00Z"},
        {"type": "case_note", "inspection": INSPECTION, "case": "H001", "reviewer": "bob",
         "note": "look at the MAPPA minutes", "at": "2005-03-02T02:30:00Z"},
    ],
}


def by_hand(repo: Repository, record: dict) -> None:
    """What the app does for one team record (double review `d`, finishing `c`, moderating `m`, a note `w`)."""
    kind = record["type"]
    if kind == "settings":
        repo.adopt_settings(INSPECTION, {k: v for k, v in record.items() if k.startswith(("double", "disag"))})
    elif kind == "case":
        for name in record.get("completed_by", ()):
            finish(repo, INSPECTION, record["reference"], name)
        if record.get("double_review"):
            repo.mark_double_review(INSPECTION, [record["reference"]])
    elif kind == "moderation":
        repo.moderate(INSPECTION, record["case"], record["question"], record["value"],
                      record.get("moderator", "lead"), record.get("reason", ""), at=record["at"])
    else:
        repo.set_case_note(INSPECTION, record["case"], record["reviewer"], record["note"], at=record["at"])


@pytest.fixture(params=["by replay", "in the app"])
def team_exports(request, tmp_path, run) -> dict[str, Path]:
    """ann's and bob's exports, each made from a database built by `esi-tui replay` of their own script
    (answers, double-review marks, finished cases, moderations, a withdrawn one, case notes, settings),
    or of their answers with the team records then made as the app makes them."""
    exports = {}
    for hour, reviewer in enumerate(TEAM_WORK, start=1):
        script = reviewer_script(tmp_path / "scripts", reviewer, hour)
        if request.param == "by replay":
            questionnaire = find_questionnaire("esi-2005-followup")
            with script.open("a", encoding="utf-8") as out:
                for record in TEAM_WORK[reviewer]:
                    for name in record.get("completed_by", ()):   # what finishing it takes comes first
                        given = {q: v for (c, q), v in WORK[name].items() if c == record["reference"]}
                        out.writelines(text + "\n" for text in answer_lines(
                            questionnaire, INSPECTION, record["reference"], record["attributes"], name, given))
                    out.write(json.dumps(record) + "\n")
        database = tmp_path / "machines" / f"{reviewer}.json"
        status, _, err = run("replay", script, "--db", database, "--quiet")
        assert status == 0, err
        if request.param == "in the app":
            with Repository.open(database) as repo:
                for record in TEAM_WORK[reviewer]:
                    by_hand(repo, record)
        exports[reviewer] = tmp_path / "exports" / f"{reviewer}.jsonl"
        exports[reviewer].parent.mkdir(exist_ok=True)
        status, _, err = run("export", "--db", database, "-o", exports[reviewer])
        assert status == 0, err
    return exports


def test_merging_two_exports_keeps_moderations_notes_marks_and_completion(tmp_path, run, team_exports):
    office = tmp_path / "office.json"
    status, out, err = run("merge", team_exports["ann"], team_exports["bob"], "--into", office)
    assert (status, err) == (0, [])
    assert out.splitlines()[0].endswith("1 moderated answers, 1 case notes, 2 settings (double review, policy)")
    assert out.splitlines()[1].endswith("1 moderated answers, 1 case notes, 1 settings (double review, policy)")
    with Repository.open(office, readonly=True) as repo:
        assert repo.case(INSPECTION, "H001").completed_by == ("ann", "bob")
        settings = repo.settings(INSPECTION)
        assert settings == {"double_review": ["H001", "H003"], "disagreement_policy": "dispute",
                            "double_review_seed": 2005, "double_review_share": 0.5}
        assert not repo.blind_for(INSPECTION, "H001", "cy") and repo.blind_for(INSPECTION, "H003", "cy")
        assert sorted((m.case, m.question, m.value, m.reason, m.moderator, m.at)
                      for m in repo.moderations(INSPECTION)) == [
            ("H002", "B1.2", "yes", "plan on file", "lead", "2005-03-05T09:00:00Z"),
            ("H003", "B3.1", "yes", "contact logged", "deputy", "2005-03-06T09:00:00Z")]
        # the withdrawn moderation stays withdrawn, and is kept in history
        assert repo.moderation(INSPECTION, "H001", "B1.4") is None
        assert [(h["value"], h["reason"], h["replaced_at"]) for h in repo.history(INSPECTION)
                if h.get("kind") == "moderation"] == [("no", "no plan", "2005-03-05T10:00:00Z")]
        assert repo.case_note(INSPECTION, "H001", "ann") == "the OASys was late"
        assert repo.case_note(INSPECTION, "H001", "bob") == "look at the MAPPA minutes"
        assert repo.tally(INSPECTION).state("H002", "B1.2") == "positive"     # the moderated answer counts
    # the same as merging the two databases themselves
    direct = tmp_path / "direct.json"
    machines = tmp_path / "machines"
    assert run("merge", machines / "ann.json", machines / "bob.json", "--into", direct)[0] == 0
    assert everything(office) == everything(direct)
    # and merging the exports again changes nothing
    before = files_of(office)
    status, out, _ = run("merge", team_exports["ann"], team_exports["bob"], "--into", office)
    assert status == 0 and all(line.endswith("— nothing new") for line in out.splitlines())
    assert files_of(office) == before


def test_a_moderation_withdrawn_after_the_last_merge_is_withdrawn_through_an_export(tmp_path, run):
    records = [{"type": "inspection", "id": INSPECTION, "questionnaire": "esi-2005-followup"}, CASES[0],
               {"type": "moderation", "inspection": INSPECTION, "case": "H001", "question": "B1.4", "value": "yes",
                "moderator": "lead", "reason": "plan found", "at": "2005-03-01T09:00:00Z"}]
    lead = tmp_path / "lead.json"
    assert run("replay", write_script(tmp_path / "lead.jsonl", records), "--db", lead, "--quiet")[0] == 0
    office = tmp_path / "office.json"
    assert run("merge", lead, "--into", office)[0] == 0
    with Repository.open(lead) as repo:
        repo.moderate(INSPECTION, "H001", "B1.4", None, "lead", at="2005-03-02T09:00:00Z")
    exported = tmp_path / "lead-export.jsonl"
    assert run("export", "--db", lead, "-o", exported)[0] == 0
    status, out, err = run("merge", exported, "--into", office)
    assert (status, err) == (0, []) and "1 moderations withdrawn" in out
    with Repository.open(office, readonly=True) as repo:
        assert repo.moderation(INSPECTION, "H001", "B1.4") is None
        assert [(h["value"], h["replaced_at"]) for h in repo.history(INSPECTION)] == [("yes", "2005-03-02T09:00:00Z")]
