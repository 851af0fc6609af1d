"""CLI tables never drop or cut a column that was asked for: plain when piped, wrapped to a terminal's
width, CSV and JSON on request; `list` counts as the app's inspections screen does."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.commands.grid import Column, Grid, emit
from esi_tui.commands.tables import tally_grid
from esi_tui.core.formatting import interval_cell
from esi_tui.core.stats import borderline
from esi_tui.store.repository import Repository

INSPECTION = "hampshire-demo"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    assert cli.main(["demo", "--no-open", "--db", str(path)]) == 0
    return path


def expected_ratings(path: Path) -> dict[str, tuple[str, str]]:
    """Per criterion: (its CI cell, its rating with '(borderline)' where core's borderline() says so)."""
    with Repository.open(path, readonly=True) as repo:
        engine = repo.tally(INSPECTION)
        bands = engine.questionnaire.bands
        return {t.code: (interval_cell(t.counts), t.band + (" (borderline)" if borderline(
            t.counts.positive, t.counts.counted, bands) else "")) for t in engine.criteria()}


def test_piped_tally_ci_keeps_every_column_whole(run, demo):
    status, out, err = run("tally", "--ci", "--db", demo)
    assert status == 0 and err == ""
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Criterion"))
    assert header.split() == ["Criterion", "Score", "X", "of", "Y", "N/A", "Open", "Base", "Change", "95%", "CI",
                              "Rating"]
    expected = expected_ratings(demo)
    assert any("(borderline)" in rating for _, rating in expected.values())  # the demo has some to show
    for code, (ci, rating) in expected.items():
        row = next(line for line in lines if line.startswith(code + " "))
        assert row.endswith(f"{ci}  {rating}"), row                   # CI and the whole rating, never cut
    assert "Outsta " not in out and "…" not in out


def test_wrapped_at_80_columns_every_column_and_word_is_there(demo):
    with Repository.open(demo, readonly=True) as repo:
        grid = tally_grid(repo.tally(INSPECTION), "Title", by_question=True, ci=True)
    out = io.StringIO()
    emit(grid, stream=out, width=80)
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    for heading in ("Score", "X of Y", "N/A", "Open", "Base", "Change", "95% CI", "Rating"):
        assert heading in text
    words = text.split()
    for ci, rating in expected_ratings(demo).values():
        assert ci in words
        assert rating.split()[0] in words                             # "Outstanding" whole, never "Outsta"
    # every question's text is there, word for word, wrapped but not cut
    flat = " ".join(words)
    for question in grid.rows:
        assert " ".join(question[0].split()) in flat


def test_wrapped_text_columns_take_the_free_width():
    grid = Grid("", [Column("Item"), Column("N", numeric=True), Column("Rating")])
    grid.add("A criterion whose name is long enough to need two lines here", "12", "Outstanding (borderline)")
    out = io.StringIO()
    emit(grid, stream=out, width=60)
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "Outstanding" in out.getvalue().split()
    assert lines[2].split("  ")[0] == "A criterion whose name is long"      # wrapped at a word
    assert lines[3].strip().startswith("enough to need two lines here") and lines[3].endswith("(borderline)")


def test_by_question_prints_the_question_text(run, demo):
    status, out, _ = run("tally", "--by-question", "--db", demo)
    assert status == 0
    with Repository.open(demo, readonly=True) as repo:
        questionnaire = repo.questionnaire(INSPECTION)
    for question in questionnaire.questions:
        assert f"{question.id} {question.text}" in out


def test_tally_as_csv_and_json(run, demo):
    status, out, _ = run("tally", "--ci", "--format", "csv", "--db", demo)
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = expected_ratings(demo)
    assert [r["Criterion"].split()[0] for r in rows] == list(expected)
    assert {r["Criterion"].split()[0]: (r["95% CI"], r["Rating"]) for r in rows} == expected
    status, out, _ = run("tally", "--ci", "--format", "json", "--db", demo)
    document = json.loads(out)
    assert [c["code"] for c in document["criteria"]] == list(expected)
    assert all(c["interval"] for c in document["criteria"])


def test_list_counts_as_the_app_does(run, demo):
    status, out, _ = run("list", "--db", demo)
    assert status == 0
    row = next(line for line in out.splitlines() if line.startswith(INSPECTION))
    # the inspections screen's Cases, Complete (finished by the team) and Answers (every answer saved)
    with Repository.open(demo, readonly=True) as repo:
        answers = repo.answer_count(INSPECTION)
        complete = sum(case.complete for case in repo.cases(INSPECTION))
    assert answers == 360 and complete == 18
    assert f"30  18 of 30  {answers:>7}" in row
    status, out, _ = run("list", "--format", "json", "--db", demo)
    assert json.loads(out)[0] | {} == {"Inspection": INSPECTION, "Area": "Hampshire (fictional demo)",
                                       "Cases": "30", "Complete": "18 of 30", "Answers": "360",
                                       "Questionnaire": "esi-2005-followup v1.0"}
