"""Fuzzed questionnaires, replay lines and config files: a clear line or a good result, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fuzzkit import FUZZ, JSON, assert_clean, empty_folder, fresh_copy, run, snapshot
from hypothesis import event, given, settings
from hypothesis import strategies as st

from esi_tui.app.config import load_config
from esi_tui.cli import main
from esi_tui.core.loader import QuestionnaireError, loads

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "questionnaires" / "esi-2005-followup.toml").read_text()
LINES = SHIPPED.splitlines()
TOML_VALUES = st.sampled_from(['""', "0", "-1", "9" * 5000, "1e400", "nan", "true", "[]", "{}", '"\\u0000"',
                               "[" * 3000 + "]" * 3000, '"' + "x" * 100_000 + '"', '"B1"', '{ ref = "x" }',
                               '{ any_of = [' * 50 + '{}' + ']}' * 50, "1979-05-27", '"\\u001b[2J"'])


def _mutated_toml(data) -> str:
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["value", "delete", "duplicate", "text", "swap"]))
        if how == "value" and "=" in lines[at]:
            lines[at] = lines[at].split("=", 1)[0] + "= " + data.draw(TOML_VALUES)
        elif how == "delete":
            del lines[at]
        elif how == "duplicate":
            lines.insert(at, lines[at])
        elif how == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            lines.insert(at, data.draw(st.text(max_size=30)))
    return "\n".join(lines)


@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_a_mutated_questionnaire_loads_or_lists_its_problems(tmp_path: Path, data) -> None:
    text = _mutated_toml(data)
    try:
        loads(text, "q.toml")
        event("loads")
    except QuestionnaireError as exc:
        event("refused")
        assert exc.problems and all(p and "\n" not in p for p in exc.problems)
    folder = empty_folder(tmp_path / "q")
    path = folder / "q.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    db = folder / "new" / "db.json"
    code, _, err = run(["new", "-q", str(path), "--area", "A", "--db", str(db), "--reviewer", "Ann"])
    assert_clean(code, err)
    if code:
        assert not db.exists()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    return db


GOOD_RECORDS = [
    {"type": "inspection", "id": "i2", "questionnaire": "esi-2005-followup", "title": "T", "area": "A"},
    {"type": "case", "inspection": "hampshire-demo", "reference": "Z1", "attributes": {"risk_of_harm": "high"}},
    {"type": "answer", "inspection": "hampshire-demo", "case": "H001", "question": "B1.2", "value": "no",
     "reviewer": "Ann", "note": "report: x"},
    {"type": "moderation", "inspection": "hampshire-demo", "case": "H001", "question": "B1.2", "value": "yes",
     "moderator": "lead", "reason": "agreed"},
    {"type": "case_note", "inspection": "hampshire-demo", "case": "H001", "reviewer": "Ann", "note": "n"},
    {"type": "settings", "inspection": "hampshire-demo", "disagreement_policy": "first"},
]


def _line(data) -> str:
    how = data.draw(st.sampled_from(["field", "drop", "extra", "raw", "good"]))
    record = json.loads(json.dumps(data.draw(st.sampled_from(GOOD_RECORDS))))
    if how == "field":
        record[data.draw(st.sampled_from(sorted(record)))] = data.draw(JSON)
    elif how == "drop":
        del record[data.draw(st.sampled_from(sorted(record)))]
    elif how == "extra":
        record[data.draw(st.text(max_size=8))] = data.draw(JSON)
    elif how == "raw":
        return data.draw(st.text(max_size=60) | st.sampled_from(["{", "[]", "null", '{"type": 1}', "9" * 5000,
                                                                 "[" * 5000, '{"type":"case","reference":"\\ud800"}']))
    return json.dumps(record, ensure_ascii=data.draw(st.booleans()))


@FUZZ
@given(data=st.data(), keep_going=st.booleans())
def test_replay_lines_of_any_shape_apply_or_are_refused_naming_the_line(tmp_path: Path, demo: Path, data,
                                                                        keep_going: bool) -> None:
    lines = [_line(data) for _ in range(data.draw(st.integers(1, 4)))]
    db = fresh_copy(demo, tmp_path / "r")
    script = tmp_path / "s.jsonl"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    before = snapshot(db.parent)
    code, _, err = run(["replay", str(script), "--db", str(db), "--quiet", "--reviewer", "Ann"]
                       + (["--keep-going"] if keep_going else []))
    assert_clean(code, err)
    event(f"exit {code}")
    if code and not keep_going:
        assert snapshot(db.parent) == before
        assert f"{script}:" in err    # the bad line is named
    # whatever was applied reads back, and replaying it again changes nothing
    code, _, err = run(["--read-only", "export", "--db", str(db)])
    assert code == 0, err


@FUZZ
@given(text=st.text(max_size=200) | st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(["theme", "keymap", "x"]),
                                              TOML_VALUES)
       | st.builds(lambda v: f'[keymap]\n"review.undo" = {v}', TOML_VALUES)
       | st.dictionaries(st.sampled_from(["theme", "keymap", "other"]), JSON, max_size=3).map(
           lambda d: "\n".join(f"{k} = {json.dumps(v)}" for k, v in d.items())))
def test_a_config_file_of_any_content_gives_problems_never_an_exception(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    config = load_config(path, {"review.undo", "cases.open"}, {"textual-dark", "nord"})
    assert all(isinstance(p, str) and "\n" not in p and str(path) in p for p in config.problems)
    assert config.theme in (None, "textual-dark", "nord")
    assert all(isinstance(k, str) for k in config.keymap.values())
