"""Inputs the fault campaign found reaching "internal error" or let through: each refused with one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esi_tui.cli import main


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    return db


def _one_line_error(capsys: pytest.CaptureFixture[str], *parts: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    for part in parts:
        assert part in err, err
    return err


WRONG_TYPES = [
    ("answers", "value", 5),
    ("answers", "note", ["a"]),
    ("cases", "attributes", ["risk_of_harm", "high"]),
    ("cases", "completed_by", None),
    ("cases", "complete", "yes"),
    ("inspections", "baseline", "B1=54"),
    ("inspections", "area", 7),
    ("inspections", "id", 3),
]


@pytest.mark.parametrize(("table", "field", "value"), WRONG_TYPES, ids=[f"{t}.{f}" for t, f, _ in WRONG_TYPES])
@pytest.mark.parametrize("command", [["tally"], ["report"], ["export"], ["list"], ["agreement"]])
def test_a_valid_json_database_with_a_wrong_field_type_is_one_line_naming_the_file_and_record(
        demo_db: Path, capsys, table: str, field: str, value: object, command: list[str]) -> None:
    data = json.loads(demo_db.read_text())
    first = next(iter(data[table]))
    data[table][first][field] = value
    demo_db.write_text(json.dumps(data))
    before = demo_db.read_bytes()
    capsys.readouterr()
    assert main(["--read-only", *command, "--db", str(demo_db)]) == 1
    _one_line_error(capsys, str(demo_db), f"damaged record 1 of {table}", field)
    assert main([*command, "--db", str(demo_db)]) == 1   # a writer too, and the file stays as it was
    _one_line_error(capsys, str(demo_db), field)
    assert demo_db.read_bytes() == before
