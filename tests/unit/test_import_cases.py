"""`esi-tui import-cases`: labels as well as values, unchanged rows said so, one line for a duplicated
column or an oversized cell, and `--columns` listing what a CSV may hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from esi_tui.store.repository import Repository

INSPECTION = "hants-2026"


@pytest.fixture
def db(run, tmp_path) -> Path:
    path = tmp_path / "lead.json"
    status, _, err = run("new", "-q", "esi-2005-followup", "--area", "Hampshire", "--id", INSPECTION, "--db", path)
    assert status == 0, err
    return path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_labels_the_app_shows_are_accepted(run, db, tmp_path):
    csv = write(tmp_path, "reference,risk_of_harm,sentence,child_protection\n"
                          "H001,very high,community order,yes\nH002,Very_High,Licence,no\nH003,medium,licence,\n")
    status, out, err = run("import-cases", csv, "--db", db)
    assert (status, err) == (0, "")
    assert out == f"{csv}: 3 cases added, 0 updated, 0 unchanged in {INSPECTION}\n"
    with Repository.open(db, readonly=True) as repo:
        h1 = repo.case(INSPECTION, "H001").attributes
        h2 = repo.case(INSPECTION, "H002").attributes
    assert (h1["risk_of_harm"], h1["sentence"], h1["child_protection"]) == ("very_high", "community_order", True)
    assert (h2["risk_of_harm"], h2["sentence"]) == ("very_high", "licence")


def test_a_second_import_reports_unchanged_rows(run, db, tmp_path):
    csv = write(tmp_path, "reference,risk_of_harm\nH001,high\nH002,low\n")
    assert run("import-cases", csv, "--db", db)[0] == 0
    before = db.read_bytes()
    status, out, _ = run("import-cases", csv, "--db", db)
    assert out == f"{csv}: 0 cases added, 0 updated, 2 unchanged in {INSPECTION}\n"
    assert db.read_bytes() == before                           # nothing saved again
    write(tmp_path, "reference,risk_of_harm\nH001,high\nH002,very high\nH003,low\n")
    status, out, _ = run("import-cases", csv, "--db", db)
    assert out == f"{csv}: 1 cases added, 1 updated, 1 unchanged in {INSPECTION}\n"


def test_an_unknown_value_names_what_is_accepted(run, db, tmp_path):
    csv = write(tmp_path, "reference,risk_of_harm\nH001,hgih\n")
    status, out, err = run("import-cases", csv, "--db", db)
    assert status == 1 and out == ""
    assert err == f"esi-tui: {csv}:2: case H001: risk_of_harm must be one of low, medium, high, very_high, not 'hgih'\n"


def test_a_duplicated_column_is_one_line(run, db, tmp_path):
    csv = write(tmp_path, "reference,risk_of_harm,sentence,risk_of_harm\nH001,high,licence,low\n")
    status, out, err = run("import-cases", csv, "--db", db)
    assert status == 1 and out == ""
    assert err == (f"esi-tui: {csv}:1: column 'risk_of_harm' appears twice (columns 2 and 4); give each column once\n")
    with Repository.open(db, readonly=True) as repo:
        assert repo.cases(INSPECTION) == []


def test_a_one_megabyte_cell_is_one_line_naming_row_and_column(run, db, tmp_path):
    csv = write(tmp_path, "reference,risk_of_harm,sentence\nH001,high,licence\nH002,low," + "x" * 1_000_000 + "\n")
    status, out, err = run("import-cases", csv, "--db", db)
    assert status == 1 and out == ""
    assert err == f"esi-tui: {csv}:3: column 'sentence' holds 1,000,000 characters; at most 1,000 are allowed\n"
    with Repository.open(db, readonly=True) as repo:
        assert repo.cases(INSPECTION) == []                  # nothing imported, the good row neither


def test_columns_lists_every_attribute_and_its_values(run, db):
    status, out, err = run("import-cases", "--columns", "--db", db)
    assert (status, err) == (0, "")
    assert "| `reference` | the case's reference |" in out
    assert ("| `risk_of_harm` | Risk of harm (OASys level) | low / medium / high / very_high (very high) | low |"
            in out)
    assert ("| `child_protection` | Child protection issues | true / yes / y / 1 or false / no / n / 0 / empty "
            "| no |") in out
    assert "| `mappa_level` | MAPPA level (0 = none) | a whole number 0–3 | 0 |" in out
