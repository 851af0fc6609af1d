"""`esi-tui validate`: every problem of a questionnaire file, one line each, never a traceback."""

from __future__ import annotations

import datetime
import math
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esi_tui.core.loader import QuestionnaireError, load_file, loads, validate_file

ROOT = Path(__file__).resolve().parents[2]
MALFORMED = ROOT / "tests" / "fixtures" / "malformed"
MINI = ROOT / "tests" / "fixtures" / "mini.toml"
SHIPPED = sorted((ROOT / "questionnaires").glob("*.toml"))
EXPECT = re.compile(r"^# expect: (?P<line>.*)$")


def expected_lines(path: Path) -> list[str]:
    """The `# expect: ...` comment lines at the top of a fixture, with {file} filled in."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            lines.append(match["line"].replace("{file}", str(path)))
        elif line.strip() and not line.startswith("#"):
            break
    return lines


FIXTURES = sorted(MALFORMED.glob("*.toml"))


def test_there_are_enough_malformed_fixtures():
    assert len(FIXTURES) >= 24


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_malformed_fixture_reports_exactly_the_expected_lines(path: Path):
    expected = expected_lines(path)
    assert expected, f"{path.name} declares no '# expect:' lines"
    assert validate_file(path) == expected


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_malformed_fixture_does_not_load(path: Path):
    with pytest.raises(QuestionnaireError) as info:
        load_file(path)
    assert info.value.problems == expected_lines(path)


@pytest.mark.parametrize("path", SHIPPED + [MINI], ids=[p.stem for p in SHIPPED + [MINI]])
def test_shipped_questionnaires_validate_clean(path: Path):
    assert validate_file(path) == []


def test_both_shipped_questionnaires_are_there():
    assert {p.name for p in SHIPPED} >= {"esi-2005-followup.toml", "peer-review-quick.toml"}


def test_missing_file_gives_one_line(tmp_path: Path):
    path = tmp_path / "nope.toml"
    assert validate_file(path) == [f"{path}: cannot read: No such file or directory"]


def test_directory_gives_one_line(tmp_path: Path):
    assert validate_file(tmp_path) == [f"{tmp_path}: cannot read: Is a directory"]


def test_non_utf8_file_gives_one_line(tmp_path: Path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('id = "x"\ntitle = "Caf\u00e9"\n'.encode("latin-1"))
    assert validate_file(path) == [
        f"{path}:2:13: cannot read: not UTF-8 text (invalid continuation byte, byte 0xe9)"
    ]


def test_syntax_error_at_end_of_file_has_a_line_and_column(tmp_path: Path):
    path = tmp_path / "open.toml"
    path.write_text('id = "x"\nvalues = [1,\n', encoding="utf-8")
    assert validate_file(path) == [f"{path}:3:1: TOML syntax error: Invalid value at end of file"]


def test_deeply_nested_values_are_a_problem_not_a_crash():
    with pytest.raises(QuestionnaireError):
        loads("a = " + "[" * 2000 + "]" * 2000)
    text = MINI.read_text(encoding="utf-8").replace(
        'applies_when = { ref = "high" }',
        "applies_when = " + "{ not = " * 200 + '{ ref = "high" }' + " }" * 200)
    assert loads(text).question("A1.2").applies_when is not None


def test_crlf_file_loads_with_the_same_hash(tmp_path: Path):
    path = tmp_path / "crlf.toml"
    path.write_bytes(MINI.read_bytes().replace(b"\n", b"\r\n"))
    assert load_file(path).content_hash == load_file(MINI).content_hash


# -- fuzzing: wrong types everywhere must give problems, never a traceback --------------------

def toml_string(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def toml_document(data: dict) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in data.items())


WORDS = ["yn", "yes", "no", "na", "risk", "child", "level", "high", "low", "A1", "A1.1", "A1.2",
         "A1.3", "A2.1", "choice", "bool", "int", "positive", "negative", "not_applicable", "j", "y",
         "n", " ", "yy", "B", "", "x", "equals", "in", "gte"]
KEYS = sorted({"id", "title", "version", "description", "conditions", "attributes", "scales",
               "sections", "bands", "criteria", "name", "label", "type", "values", "min", "max",
               "default", "options", "key", "hotkey", "counts_as", "code", "section", "questions",
               "text", "guidance", "scale", "applies_when", "required", "finding", "attribute",
               "answer", "all_of", "any_of", "not", "ref", "equals", "not_equals", "in", "not_in",
               "gt", "gte", "lt", "lte", "scored", "prompt_of", "rating", "criterion_rule", "rounding",
               "points", "overall_bands", "min_points"})

scalars = st.one_of(
    st.sampled_from(WORDS), st.text(max_size=4), st.integers(-3, 150), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3), inner, max_size=4),
    max_leaves=12,
)


def table(fields: dict) -> st.SearchStrategy[dict]:
    """A table of the real keys, each present or not, holding a plausible or a random value."""
    return st.fixed_dictionaries({}, optional={k: v | values for k, v in fields.items()})


words = st.sampled_from(WORDS)
QIDS = st.sampled_from(["A1.1", "A1.2", "A1.3", "A2.1", "Z9"])
NAMES = st.sampled_from(["high", "c1", "c2"])
ops = {op: scalars | st.lists(scalars, max_size=3) for op in
       ("equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte", "is")}
conditions = st.deferred(lambda: st.one_of(
    st.fixed_dictionaries({"attribute": st.sampled_from(["risk", "child", "level", "nope"]) | values},
                          optional=ops),
    st.fixed_dictionaries({"answer": QIDS | values}, optional=ops),
    st.fixed_dictionaries({"all_of": st.lists(conditions, max_size=3)}),
    st.fixed_dictionaries({"any_of": st.lists(conditions, max_size=3)}),
    st.fixed_dictionaries({"not": conditions}),
    st.fixed_dictionaries({"ref": NAMES | values}),
    table({"ref": NAMES, "attribute": words, "answer": QIDS, "not": values}),
    values,
))
options = table({"key": words, "label": words, "hotkey": words, "counts_as": words})
scales = table({"id": words, "label": words, "options": st.lists(options, max_size=4)})
attributes = table({"name": st.sampled_from(["risk", "child", "level"]), "label": words,
                    "type": st.sampled_from(["choice", "bool", "int", "text"]),
                    "values": st.lists(words, max_size=3), "min": st.integers(-2, 5),
                    "max": st.integers(-2, 5), "default": scalars})
questions = table({"id": QIDS, "text": words, "guidance": words, "scale": st.sampled_from(["yn", "zz"]),
                   "applies_when": conditions, "required": st.booleans(), "finding": words,
                   "scored": st.booleans(), "prompt_of": QIDS})
criteria = table({"code": words, "title": words, "section": words, "description": words,
                  "questions": st.lists(questions, max_size=3)})
documents = table({
    "id": words, "title": words, "version": words, "description": words,
    "conditions": st.dictionaries(NAMES, conditions, max_size=3),
    "attributes": st.lists(attributes, max_size=3), "scales": st.lists(scales, max_size=2),
    "sections": st.lists(table({"code": words, "title": words}), max_size=2),
    "bands": st.lists(table({"min": st.integers(-1, 101), "label": words, "points": st.integers(-1, 4)}),
                      max_size=2),
    "rating": table({"criterion_rule": st.sampled_from(["pooled", "lowest_question", "x"]),
                     "rounding": st.sampled_from(["none", "half_up", "x"])}),
    "overall_bands": st.lists(table({"min_points": st.integers(-1, 13), "label": words}), max_size=3),
    "criteria": st.lists(criteria, max_size=3),
    "extra": values,
})


def loads_or_problems(text: str) -> None:
    try:
        loads(text, name="fuzz.toml")
    except QuestionnaireError as exc:
        assert exc.problems and all(isinstance(p, str) and "\n" not in p for p in exc.problems)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_structures_give_problems_not_tracebacks(data):
    loads_or_problems(toml_document(data))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _replace(node, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in node.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(node)]


MINI_DATA = tomllib.loads(MINI.read_text(encoding="utf-8"))
MINI_PATHS = [p for p in _paths(MINI_DATA) if p]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(MINI_PATHS), values), min_size=1, max_size=3))
def test_mini_with_values_replaced_gives_problems_not_tracebacks(changes):
    data = MINI_DATA
    for path, new in changes:
        try:
            data = _replace(data, path, new)
        except (TypeError, AttributeError):  # an earlier change removed the path
            continue
    text = toml_document(data)
    tomllib.loads(text)  # the serialiser writes valid TOML
    loads_or_problems(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(MINI_PATHS), st.sampled_from(KEYS) | st.text(max_size=3), values)
def test_mini_with_a_field_added_gives_problems_not_tracebacks(path, key, value):
    node = MINI_DATA
    for part in path:
        node = node[part]
    if not isinstance(node, dict):
        return
    data = _replace(MINI_DATA, path, {**node, key: value})
    loads_or_problems(toml_document(data))
