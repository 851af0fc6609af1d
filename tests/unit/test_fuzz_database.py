"""Fuzzed database and journal files: every run is a clear line or a good result, and never changes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzkit import FUZZ, JSON, assert_clean, empty_folder, run, snapshot
from hypothesis import event, given
from hypothesis import strategies as st

from esi_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLES = ["inspections", "cases", "answers", "history", "moderations", "notes"]
COMMANDS = [["tally"], ["export"], ["report"], ["list"], ["agreement", "--json"], ["export", "--format", "csv"]]


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> tuple[dict, bytes]:
    """A demo database (with a moderation and a case note) as JSON, and a journal of later changes."""
    folder = tmp_path_factory.mktemp("good")
    db = folder / "demo.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    # a writer that saves three changes and dies before folding them: its journal is what a crash leaves
    code = ("import os\nfrom esi_tui.store.repository import Repository\n"
            f"repo = Repository.open({str(db)!r})\n"
            "repo.set_answer('hampshire-demo', 'H001', 'B1.2', 'no', 'Ann', note='report: a note')\n"
            "repo.moderate('hampshire-demo', 'H001', 'B1.2', 'yes', 'lead', 'agreed')\n"
            "repo.set_case_note('hampshire-demo', 'H002', 'Ann', 'see me')\n"
            "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    journal = db.with_name(db.name + ".journal").read_bytes()
    assert journal.count(b"\n") >= 3
    (folder / "demo.json.lock").unlink(missing_ok=True)
    return json.loads(db.read_text()), journal


def _check(folder: Path, db: Path, command: list[str], writer: bool) -> None:
    before = snapshot(folder)
    code, _, err = run(([] if writer else ["--read-only"]) + [*command, "--db", str(db)])
    assert_clean(code, err)
    event(f"exit {code}")
    if code != 0:
        assert err.count("\n") <= 2, err      # one line (and at most a warning)
        assert snapshot(folder) == before      # a refused database is left exactly as it was


@FUZZ
@given(data=st.data(), value=JSON, command=st.sampled_from(COMMANDS),
       writer=st.booleans(), how=st.sampled_from(["set", "delete", "replace record", "rename key"]))
def test_a_database_with_a_field_of_any_value_is_read_or_refused_in_one_line(
        tmp_path: Path, good, data, value, command: list[str], writer: bool, how: str) -> None:
    tables = json.loads(json.dumps(good[0]))
    table = data.draw(st.sampled_from([name for name in TABLES if tables.get(name)]))
    records = tables[table]
    key = data.draw(st.sampled_from(sorted(records)))
    record = records[key]
    field = data.draw(st.sampled_from(sorted(record)))
    if how == "set":
        record[field] = value
    elif how == "delete":
        del record[field]
    elif how == "replace record":
        records[key] = value
    else:
        record[f"{field}x"] = record.pop(field)
    folder = empty_folder(tmp_path / "f")
    db = folder / "db.json"
    db.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    _check(folder, db, command, writer)


@FUZZ
@given(data=st.data(), command=st.sampled_from(COMMANDS), writer=st.booleans(),
       how=st.sampled_from(["flip a byte", "cut", "set a field", "insert bytes"]))
def test_a_damaged_journal_is_read_or_refused_in_one_line_and_left_as_it_is(
        tmp_path: Path, good, data, command: list[str], writer: bool, how: str) -> None:
    journal = bytearray(good[1])
    if how == "flip a byte":
        at = data.draw(st.integers(0, len(journal) - 1))
        journal[at] ^= 1 << data.draw(st.integers(0, 7))
    elif how == "cut":
        journal = journal[:data.draw(st.integers(0, len(journal)))]
    elif how == "insert bytes":
        at = data.draw(st.integers(0, len(journal)))
        journal[at:at] = data.draw(st.binary(min_size=1, max_size=20))
    else:
        lines = bytes(journal).split(b"\n")
        index = data.draw(st.integers(0, len(lines) - 2))
        record = json.loads(lines[index])
        field = data.draw(st.sampled_from(sorted(record)))
        record[field] = data.draw(JSON)
        lines[index] = json.dumps(record).encode()
        journal = bytearray(b"\n".join(lines))
    folder = empty_folder(tmp_path / "j")
    db = folder / "db.json"
    db.write_text(json.dumps(good[0]))
    db.with_name("db.json.journal").write_bytes(bytes(journal))
    _check(folder, db, command, writer)
