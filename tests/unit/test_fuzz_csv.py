"""Fuzzed case CSV files through `esi-tui import-cases`: a clear line or a good import, never a half one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzkit import FUZZ, assert_clean, fresh_copy, run, snapshot
from hypothesis import event, given
from hypothesis import strategies as st

from esi_tui.cli import main

COLUMNS = ["reference", "risk_of_harm", "sentence", "child_protection", "mappa_level", "victim_issues", "nope", ""]
CELLS = (st.sampled_from(["high", "low", "very_high", "licence", "true", "false", "yes", "0", "3", "9" * 5000, "",
                          "H001", "Z9", "\x00", "\x1b[31m", '"', '""', "a,b", "x" * 70, "\ufeff"])
         | st.text(max_size=10))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    return db


@FUZZ
@given(header=st.lists(st.sampled_from(COLUMNS), max_size=4).map(lambda rest: ["reference", *rest])
       | st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=5),
       rows=st.lists(st.lists(CELLS, max_size=6), max_size=4), raw=st.sampled_from([False] * 4 + [True]),
       junk=st.binary(max_size=40))
def test_a_case_csv_of_any_shape_imports_or_is_refused_and_nothing_is_half_imported(
        tmp_path: Path, demo: Path, header: list[str], rows: list[list[str]], raw: bool, junk: bytes) -> None:
    db = fresh_copy(demo, tmp_path / "db")
    csv = tmp_path / "cases.csv"
    if raw:
        csv.write_bytes(junk)
    else:
        text = "\n".join(",".join(line) for line in [header, *rows]) + "\n"
        csv.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = snapshot(db.parent)
    code, out, err = run(["import-cases", str(csv), "--db", str(db), "--reviewer", "Ann"])
    assert_clean(code, err, out)
    event(f"exit {code}")
    if code != 0:
        assert snapshot(db.parent) == before
        assert str(csv) in err
