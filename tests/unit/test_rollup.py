"""A region rolled up from its inspections: the sum equals one inspection holding both samples, one
questionnaire only, and `tally`, `compare` and `report` take --inspection again."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.core.compare import compare
from esi_tui.core.loader import load_file
from esi_tui.core.rollup import RollUp
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import tally_document
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

ROOT = Path(__file__).resolve().parents[2]
RATED = ROOT / "tests" / "fixtures" / "rated.toml"


@pytest.fixture
def run(run, monkeypatch):
    """The shared CLI runner, with a terminal wide enough for every column side by side."""
    monkeypatch.setenv("COLUMNS", "160")  # wide enough for three areas side by side
    return run


def sample(questionnaire, prefix: str, count: int, seed: int):
    """Random cases and answers (prompts among them) for a questionnaire."""
    rng = random.Random(seed)
    cases = [(f"{prefix}{i}", {name: (rng.random() < 0.3 if a.type == "bool" else a.default_value())
                               for name, a in questionnaire.attributes.items()}) for i in range(count)]
    answers = [(ref, q.id, "ana", rng.choice(["yes", "yes", "no", "na"]))
               for ref, _ in cases for q in questionnaire.questions if rng.random() < 0.8
               and questionnaire.scale_of(q.id).option("yes")]
    return cases, answers


def without_ids(document: dict) -> dict:
    return {k: v for k, v in document.items() if k not in ("inspection", "inspections")}


@pytest.mark.parametrize("path", [RATED, ROOT / "questionnaires" / "hmip-public-protection-2025.toml",
                                  ROOT / "questionnaires" / "esi-2005-followup.toml"], ids=lambda p: p.stem)
def test_rollup_of_two_inspections_equals_one_inspection_holding_both_samples(path):
    questionnaire = load_file(path)
    north_cases, north_answers = sample(questionnaire, "n", 23, 1)
    south_cases, south_answers = sample(questionnaire, "s", 17, 2)
    north = TallyEngine.build(questionnaire, north_cases, north_answers)
    south = TallyEngine.build(questionnaire, south_cases, south_answers)
    both = TallyEngine.build(questionnaire, north_cases + south_cases, north_answers + south_answers)
    region = RollUp(questionnaire, [north, south])
    assert without_ids(tally_document(region, None, ["n", "s"])) == without_ids(tally_document(both, "b"))
    assert tally_document(region, None, ["n", "s"])["inspections"] == ["n", "s"]
    # the sum is not either area: the rule is applied to the summed counts
    assert tally_document(region, None)["criteria"] != tally_document(north, "n")["criteria"]


def build_db(path: Path, inspections: dict[str, tuple[str, str, list, list]], **extra) -> Path:
    """inspections: id -> (questionnaire id, area, cases, answers)."""
    with Repository.open(path) as repo:
        for inspection_id, (qid, area, cases, answers) in inspections.items():
            repo.create_inspection(inspection_id, find_questionnaire(qid), area=area,
                                   **extra.get(inspection_id, {}))
            for reference, attributes in cases:
                repo.save_case(inspection_id, reference, attributes)
            for reference, question, reviewer, value in answers:
                repo.set_answer(inspection_id, reference, question, value, reviewer=reviewer)
    return path


HMIP = "hmip-public-protection-2025"


@pytest.fixture
def region_db(tmp_path):
    questionnaire = find_questionnaire(HMIP)
    north = sample(questionnaire, "n", 12, 3)
    south = sample(questionnaire, "s", 9, 4)
    build_db(tmp_path / "both.json", {"both": (HMIP, "Both", north[0] + south[0], north[1] + south[1])})
    return build_db(tmp_path / "region.json", {
        "north": (HMIP, "North PDU", *north), "south": (HMIP, "South PDU", *south),
        "esi": ("esi-2005-followup", "Hampshire", [("h1", {})], [("h1", "B2.1", "ana", "yes")]),
    }, north={"baseline": {"2.1": 60, "2.2": 50}}, south={"baseline": {"2.1": 70, "2.2": 50},
                                                          "not_comparable": ["2.2"]})


def test_tally_sums_inspections_given_with_inspection_again(run, region_db, tmp_path):
    status, out, err = run("tally", "--db", region_db, "--inspection", "north", "--inspection", "south", "--json")
    assert status == 0, err
    region = json.loads(out)
    status, out, _ = run("tally", "--db", tmp_path / "both.json", "--json")
    both = json.loads(out)
    assert region["inspections"] == ["north", "south"] and region["inspection"] is None
    assert both["inspections"] == ["both"] and both["inspection"] == "both"
    assert without_ids(region) == without_ids(both)
    status, out, _ = run("tally", "--db", region_db, "--inspection", "north", "--inspection", "south")
    assert status == 0 and "2 inspections summed" in out and "North PDU (north)" in out
    assert "Overall rating:" in out or "No overall rating" in out


def test_a_rollup_of_different_questionnaires_is_one_clear_error(run, region_db):
    status, out, err = run("tally", "--db", region_db, "--inspection", "north", "--inspection", "esi", "--json")
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and "internal error" not in err
    assert "north (hmip-public-protection-2025 v1.0)" in err and "esi (esi-2005-followup v1.0)" in err
    status, _, err = run("report", "--db", region_db, "--inspection", "esi", "--inspection", "south")
    assert status == 1 and "use different questionnaires" in err
    status, _, err = run("tally", "--db", region_db, "--inspection", "north", "--inspection", "north")
    assert status == 1 and "inspection north is named twice" in err


def test_a_rollup_needs_one_definition_not_only_one_id_and_version(run, tmp_path):
    text = RATED.read_text(encoding="utf-8")
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("Key question two?", "Key question two, reworded?"), encoding="utf-8")
    with Repository.open(tmp_path / "db.json") as repo:
        repo.create_inspection("a", load_file(first))
        repo.create_inspection("b", load_file(second))
    status, _, err = run("tally", "--db", tmp_path / "db.json", "--inspection", "a", "--inspection", "b")
    assert status == 1 and "both use rated v1, but their recorded definitions differ" in err


def test_other_commands_keep_one_inspection():
    parser = cli.build_parser()
    assert parser.parse_args(["export", "--inspection", "a"]).inspection == "a"
    assert parser.parse_args(["--inspection", "a", "list"]).inspection == "a"
    assert parser.parse_args(["tally", "--inspection", "a", "--inspection", "b"]).inspection == ["a", "b"]
    assert parser.parse_args(["report", "--inspection", "a"]).inspection == ["a"]


def test_tally_of_one_inspection_named_before_the_command(run, region_db):
    status, out, err = run("--inspection", "north", "tally", "--db", region_db, "--json")
    assert status == 0, err
    assert json.loads(out)["inspection"] == "north"


def test_compare_shows_areas_side_by_side_with_their_own_change(run, region_db):
    status, out, err = run("compare", "--db", region_db, "--inspection", "north", "--inspection", "south")
    assert status == 0, err
    assert "North PDU (north)" in out and "South PDU (south)" in out and "Region" in out
    assert "no direct comparison" in out and "95% CI" in out
    status, out, _ = run("compare", "--db", region_db, "--inspection", "north", "--inspection", "south", "--json")
    document = json.loads(out)
    assert [a["inspection"] for a in document["areas"]] == ["north", "south"]
    assert document["region"]["inspections"] == ["north", "south"]
    south_planning = document["areas"][1]["criteria"][1]
    assert (south_planning["code"], south_planning["comparable"], south_planning["change"]) == ("2.2", False, None)
    status, _, err = run("compare", "--db", region_db)
    assert status == 1 and "use different questionnaires" in err


def test_compare_cells_follow_each_area():
    questionnaire = load_file(RATED)
    north = TallyEngine.build(questionnaire, [("n", {"adjusted": False})], [("n", "K1.1", "a", "yes")],
                              baseline={"K1": 50})
    south = TallyEngine.build(questionnaire, [("s", {"adjusted": False})], [("s", "K1.1", "a", "no")],
                              baseline={"K1": 50}, not_comparable=["K1"])
    comparison = compare(questionnaire, [("North", north), ("South", south)])
    assert comparison.headings == ["North", "South", "Region"]
    k1 = comparison.rows[0]
    assert [c.score for c in k1.cells] == ["100%", "0%", "50%"]
    assert [c.x_of_y for c in k1.cells] == ["1 of 1", "0 of 1", "1 of 2"]
    assert [c.rating for c in k1.cells] == ["Outstanding", "Inadequate", "Requires improvement"]
    assert [c.change for c in k1.cells] == ["+50 on 50%", "no direct comparison", ""]
    assert k1.cells[0].interval == "95% CI 21–100%"
    assert [row.kind for row in comparison.rows[:4]] == ["criterion", "question", "prompt", "prompt"]


def test_regional_report_sets_each_area_beside_the_region(run, region_db):
    status, out, err = run("report", "--db", region_db, "--inspection", "north", "--inspection", "south")
    assert status == 0, err
    assert "regional report" in out
    assert "| Area | Original inspection | Now | Change | Rating |" in out
    assert "| North PDU (north) | 60% |" in out and "| **Region** | – |" in out
    assert "South PDU (south): due to different questions being asked" in out
    status, html, _ = run("report", "--db", region_db, "--inspection", "north", "--inspection", "south",
                          "--format", "html")
    assert status == 0 and 'class="region"' in html and "Each area against the region" in html
