"""Fuzzed command lines (any bytes in names and paths): a clear line or a good result, the database unchanged."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzkit import ARGV_TEXT, FUZZ, assert_clean, empty_folder, fresh_copy, run, snapshot
from hypothesis import event, given
from hypothesis import strategies as st

from esi_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOT_UTF8 = os.fsdecode(b"Ann \xff\xfe")

#: each command and the options it takes: a value is drawn for each option chosen (None: a flag)
OPTIONS: dict[str, dict[str, object]] = {
    "tally": {"--by-question": None, "--json": None, "--only-reviewer": ARGV_TEXT, "--ci": None,
              "--where": st.sampled_from(["risk_of_harm=high", "x", "=", "risk_of_harm=", ";;"]) | ARGV_TEXT,
              "--inspection": ARGV_TEXT},
    "compare": {"--json": None, "--no-ci": None, "--inspection": ARGV_TEXT},
    "list": {},
    "export": {"--format": st.sampled_from(["jsonl", "csv", "json", "xml"]), "--redact": None, "-o": "out"},
    "report": {"--format": st.sampled_from(["md", "html", "pdf"]), "--redact": None, "--ci": None, "-o": "out",
               "--inspection": ARGV_TEXT},
    "agreement": {"--json": None, "--inspection": ARGV_TEXT},
    "double-review": {"--cases": ARGV_TEXT | st.sampled_from(["H001,H002", "H001,\x1b[31m", ",,"]),
                      "--share": st.sampled_from(["0.2", "0", "-1", "2", "nan", "inf", "x"]) | ARGV_TEXT,
                      "--seed": st.sampled_from(["1", "-1", "9" * 5000, "x"])},
    "new": {"-q": st.sampled_from(["esi-2005-followup", "nope", "/etc/passwd", "x.toml"]) | ARGV_TEXT,
            "--area": ARGV_TEXT, "--id": ARGV_TEXT, "--title": ARGV_TEXT,
            "--baseline": st.sampled_from(["B1=54", "B1=x", "=", "B1=" + "9" * 5000]) | ARGV_TEXT},
    "sample": {"--size": ARGV_TEXT | st.sampled_from(["3", "0", "-2", "9" * 5000]),
               "--share": st.sampled_from(["0.2", "20%", "x", "200%"]), "--margin": st.sampled_from(["5", "0", "x"]),
               "--population": st.sampled_from(["100", "-1", "x"]), "--seed": st.sampled_from(["1", "x"]),
               "--strata": ARGV_TEXT, "--min": st.sampled_from(["1", "-1", "x"]), "-o": "out"},
}
POSITIONAL = {"sample": "caseload", "validate": "file", "replay": "file", "import-cases": "file", "merge": "file"}


def _path(data, folder: Path) -> str:
    """A path argument: missing, a folder, a file with a non-UTF-8 name, or text of any bytes."""
    kind = data.draw(st.sampled_from(["missing", "folder", "odd name", "text", "devnull"]))
    if kind == "folder":
        return str(folder)
    if kind == "devnull":
        return os.devnull
    if kind == "odd name":
        odd = folder / os.fsdecode(b"caseload-\xff.csv")
        odd.write_text("reference,risk_of_harm\nA1,high\nA2,low\n")
        return str(odd)
    if kind == "text":
        return str(folder / (data.draw(ARGV_TEXT).replace("/", "_").replace("\x00", "") or "x"))
    return str(folder / "missing")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    return db


@FUZZ
@given(data=st.data(), command=st.sampled_from([*OPTIONS, *POSITIONAL]))
def test_any_command_line_is_a_clear_line_or_a_good_result(tmp_path: Path, demo: Path, data, command: str) -> None:
    db = fresh_copy(demo, tmp_path / "db")
    other = empty_folder(tmp_path / "other")
    argv = [command]
    if command in POSITIONAL:
        argv.append(_path(data, other))
    if command == "merge":
        argv += ["--into", str(db)] if data.draw(st.booleans()) else ["--into", _path(data, other)]
    for option, values in OPTIONS.get(command, {}).items():
        if not data.draw(st.booleans()):
            continue
        argv.append(option)
        if values == "out":
            argv.append(_path(data, other))
        elif values is not None:
            argv.append(data.draw(values))  # type: ignore[arg-type]
    if data.draw(st.booleans()):
        argv += ["--reviewer", data.draw(ARGV_TEXT | st.just(NOT_UTF8))]
    if command != "merge" and data.draw(st.integers(0, 4)) == 0:
        argv += ["--db", _path(data, other)]   # a database that is not there, or is not one
    elif command != "merge":
        argv += ["--db", str(db)]
    before = snapshot(db.parent)
    code, out, err = run(argv)
    assert_clean(code, err, out)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode), f"{argv} replaced {os.devnull} with a file"
    event(f"{command}: exit {code}")
    if code not in (0, 3):
        assert snapshot(db.parent) == before, argv


WRITERS = [["new", "-q", "esi-2005-followup", "--area", "X"], ["double-review", "--cases", "H001"],
           ["replay", "{script}"], ["peer", "--case", "H001", "--summary"]]


@pytest.mark.parametrize("argv", WRITERS, ids=[a[0] for a in WRITERS])
@pytest.mark.parametrize("name", [NOT_UTF8, "a\x1bb", "a\x00b", "a\x7fb", " "],
                         ids=["not utf-8", "esc", "nul", "del", "blank"])
def test_a_reviewer_name_that_is_not_valid_text_is_one_line_on_every_writing_command(
        demo: Path, tmp_path: Path, capsys, argv: list[str], name: str) -> None:
    db = fresh_copy(demo, tmp_path / "db")
    script = tmp_path / "s.jsonl"
    script.write_text('{"type": "answer", "case": "H001", "question": "B1.2", "value": "no"}\n')
    before = snapshot(db.parent)
    code, _, err = run([a.format(script=script) for a in argv] + ["--reviewer", name, "--db", str(db)])
    assert code != 0 and err.count("\n") == 1 and "reviewer" in err, err
    assert_clean(code, err)
    assert snapshot(db.parent) == before


@pytest.mark.parametrize("how", ["--reviewer", "ESI_TUI_REVIEWER"])
def test_the_app_with_a_reviewer_name_that_is_not_utf8_is_one_line_and_no_traceback(demo: Path, how: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [b"--db", os.fsencode(demo)]
    if how == "--reviewer":
        argv += [b"--reviewer", b"Ann \xff"]
    else:
        env = {k: v for k, v in env.items()}
        env_bytes = {os.fsencode(k): os.fsencode(v) for k, v in env.items()}
        env_bytes[b"ESI_TUI_REVIEWER"] = b"Ann \xff"
    done = subprocess.run([os.fsencode(sys.executable), b"-m", b"esi_tui.cli", *argv], capture_output=True,
                          env=env if how == "--reviewer" else env_bytes, stdin=subprocess.DEVNULL, timeout=60)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "reviewer" in err and "\x1b" not in err
