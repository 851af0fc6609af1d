"""A baseline that cannot be compared (`not_comparable`, as the seed's C2): the change is shown as
'no direct comparison' and never worked out, in tally, the JSON, the report and the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esi_tui.core.parsing import InputError, parse_baseline_file
from esi_tui.core.tally import TallyEngine
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.errors import InvalidChange
from esi_tui.store.repository import Repository

BASELINE = """\
not_comparable = ["C2"]

[criteria]
B1 = 54
C2 = 70
"""


@pytest.fixture
def run(run, monkeypatch):
    """The shared CLI runner, with a terminal wide enough for every column side by side."""
    monkeypatch.setenv("COLUMNS", "160")
    return run


@pytest.fixture
def db(run, tmp_path) -> Path:
    baseline = tmp_path / "baseline.toml"
    baseline.write_text(BASELINE, encoding="utf-8")
    path = tmp_path / "db.json"
    status, _, err = run("new", "-q", "esi-2005-followup", "--area", "Hampshire", "--id", "h", "--baseline",
                         baseline, "--db", path)
    assert status == 0, err
    with Repository.open(path) as repo:
        for reference in ("a", "b"):
            repo.save_case("h", reference, {"risk_of_harm": "high"})
        for question in ("C2.1", "B1.2"):
            repo.set_answer("h", "a", question, "yes", reviewer="ann")
            repo.set_answer("h", "b", question, "no", reviewer="ann")
    return path


def test_a_baseline_file_marks_a_criterion_not_comparable(db):
    with Repository.open(db, readonly=True) as repo:
        inspection = repo.inspection("h")
        assert inspection.not_comparable == ("C2",)
        assert inspection.baseline == {"B1": 54, "C2": 70}
        engine = repo.tally("h")
    c2, b1 = engine.criterion("C2"), engine.criterion("B1")
    assert (c2.baseline, c2.score, c2.comparable, c2.change) == (70, 50.0, False, None)
    assert (b1.comparable, b1.change) == (True, 50.0 - 54)


def test_tally_says_no_direct_comparison(run, db):
    _, out, _ = run("tally", "--db", db, "--json")
    criteria = {c["code"]: c for c in json.loads(out)["criteria"]}
    assert (criteria["C2"]["change"], criteria["C2"]["comparable"], criteria["C2"]["baseline"]) == (None, False, 70)
    assert (criteria["B1"]["change"], criteria["B1"]["comparable"]) == (-4.0, True)
    _, out, _ = run("tally", "--db", db)
    c2 = next(line for line in out.splitlines() if "C2 Delivering" in line)
    assert "no direct comparison" in c2 and "70%" in c2 and "50%" in c2
    b1 = next(line for line in out.splitlines() if "B1 Assessment" in line)
    assert "no direct comparison" not in b1 and "−4" in b1


def test_report_says_no_direct_comparison(run, db):
    _, out, _ = run("report", "--db", db)
    assert "| Score | 70% | 50% | no direct comparison | Requires improvement |" in out
    assert "*(Due to different questions being asked it is not possible to make a direct comparison" in out
    assert out.count("| no direct comparison |") == 1 and out.count("Due to different questions") == 1
    # the key findings and the closing line say so too, and B1 (comparable) is judged against its baseline
    assert ("- C2 Delivering appropriate supervision: 50%, rated Requires improvement; no direct comparison "
            "possible") in out
    assert ("- No direct comparison with the original inspection is possible (different questions were asked at "
            "the original inspection); the criterion scores 50% now.") in out
    c2 = out[out.index("### C2 "):out.index("### C3 ")]
    assert "We assessed the area as" not in c2
    _, html, _ = run("report", "--db", db, "--format", "html")
    assert "<td class=\"\">no direct comparison</td>" in html and 'class="not-comparable"' in html


def test_export_writes_it_on_the_inspection_record(run, db):
    _, out, _ = run("export", "--db", db)
    record = json.loads(out.splitlines()[0])
    assert record["type"] == "inspection" and record["not_comparable"] == ["C2"]


def test_an_inspection_without_it_exports_as_before(run, tmp_path):
    path = tmp_path / "plain.json"
    run("new", "-q", "esi-2005-followup", "--area", "X", "--id", "x", "--baseline", "B1=54", "--db", path)
    _, out, _ = run("export", "--db", path)
    assert "not_comparable" not in out


@pytest.mark.parametrize(("text", "problem"), [
    ('not_comparable = ["Z9"]\n[criteria]\nB1 = 54\n', "not_comparable: no such criterion 'Z9' in esi-2005-followup"),
    ('not_comparable = "C2"\n', 'not_comparable must be a list of criterion codes, such as ["C2"]'),
    ("[comparable]\nC2 = 1\n", "unknown table 'comparable'"),
])
def test_a_bad_baseline_file_is_one_line_and_creates_nothing(run, tmp_path, text, problem):
    baseline = tmp_path / "bad.toml"
    baseline.write_text(text, encoding="utf-8")
    status, _, err = run("new", "-q", "esi-2005-followup", "--area", "X", "--id", "x", "--baseline", baseline,
                           "--db", tmp_path / "db.json")
    assert status == 1 and err.count("\n") == 1 and problem in err and str(baseline) in err
    assert not (tmp_path / "db.json").exists() or not Repository.open(tmp_path / "db.json").inspections()


def test_parse_baseline_file_keeps_the_older_form():
    questionnaire = find_questionnaire("esi-2005-followup")
    parsed = parse_baseline_file('[criteria]\nB1 = 54\n[questions]\n"B1.2" = 42\n', "b.toml", questionnaire)
    assert (parsed.criteria, parsed.questions, parsed.not_comparable) == ({"B1": 54}, {"B1.2": 42}, [])
    with pytest.raises(InputError):
        parse_baseline_file('not_comparable = [1]\n', "b.toml", questionnaire)


def test_the_store_refuses_an_unknown_criterion(tmp_path):
    with Repository.open(tmp_path / "db.json") as repo:
        with pytest.raises(InvalidChange, match="not_comparable: unknown criterion 'Z9'"):
            repo.create_inspection("x", find_questionnaire("esi-2005-followup"), not_comparable=["Z9"])
        assert not repo.inspections()


def test_a_replay_record_with_an_unknown_criterion_is_reported(run, tmp_path):
    script = tmp_path / "s.jsonl"
    script.write_text(json.dumps({"type": "inspection", "id": "x", "questionnaire": "esi-2005-followup",
                                  "not_comparable": ["Z9"]}) + "\n" + json.dumps(
        {"type": "inspection", "id": "y", "questionnaire": "esi-2005-followup", "not_comparable": "C2"}) + "\n",
        encoding="utf-8")
    status, _, err = run("replay", script, "--db", tmp_path / "db.json")
    assert status == 1
    assert f"{script}:1: not_comparable: unknown criterion 'Z9'" in err
    assert f"{script}:2: not_comparable must be a list of criterion codes" in err


def test_the_engine_never_works_out_the_change():
    questionnaire = find_questionnaire("esi-2005-followup")
    engine = TallyEngine.build(questionnaire, [("c", {})], [("c", "B2.1", "ana", "yes")], baseline={"B2": 64},
                               not_comparable=["B2"])
    assert engine.criterion("B2").change is None and engine.criterion("B2").baseline == 64
