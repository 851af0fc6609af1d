"""Parsing small user inputs: baselines (`B1=54,B2=64`), case CSV files, attribute filters."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from esi_tui.core.conditions import AllOf, AttributeTest, Condition
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.toml_text import TomlProblem, parse_toml


class InputError(ValueError):
    """User input that cannot be used; the message is one clear line (or several, one per problem)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_baseline_text(text: str, questionnaire: Questionnaire) -> tuple[dict[str, float], dict[str, float]]:
    """`B1=54,B2=64,B1.2=42` into criterion and question baselines, checked against the questionnaire."""
    criteria: dict[str, float] = {}
    questions: dict[str, float] = {}
    problems = []
    codes = {c.code for c in questionnaire.criteria}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, raw = part.partition("=")
        key = key.strip()
        try:
            value = float(raw)
        except ValueError:
            value = None
        if not sep or value is None:
            problems.append(f"baseline {part!r}: write CODE=PERCENT, e.g. B1=54")
        elif not 0 <= value <= 100:
            problems.append(f"baseline {key}: {raw.strip()} is not a percentage from 0 to 100")
        elif key in codes:
            criteria[key] = value
        elif questionnaire.has_question(key):
            questions[key] = value
        else:
            problems.append(f"baseline {key}: no such criterion or question in {questionnaire.id}")
    if problems:
        raise InputError(problems)
    return criteria, questions


@dataclass
class Baseline:
    """An earlier inspection's scores per criterion and question, and the criteria it cannot be compared on."""

    criteria: dict[str, float] = field(default_factory=dict)
    questions: dict[str, float] = field(default_factory=dict)
    not_comparable: list[str] = field(default_factory=list)


def parse_baseline_toml(text: str, name: str, questionnaire: Questionnaire
                        ) -> tuple[dict[str, float], dict[str, float]]:
    """A baseline TOML file: `[criteria] B1 = 54` and optionally `[questions] "B1.2" = 42`."""
    baseline = parse_baseline_file(text, name, questionnaire)
    return baseline.criteria, baseline.questions


def parse_baseline_file(text: str, name: str, questionnaire: Questionnaire) -> Baseline:
    """A baseline TOML file: `[criteria] B1 = 54`, optionally `[questions] "B1.2" = 42` and
    `not_comparable = ["C2"]` (criteria whose earlier questions differ: no change is worked out)."""
    try:
        data = parse_toml(text, name)
    except TomlProblem as exc:
        raise InputError([str(exc)]) from None
    unknown = set(data) - {"criteria", "questions", "not_comparable"}
    if unknown:
        raise InputError([(f"{name}: unknown table {min(unknown)!r} (use [criteria], [questions] "
                           "and not_comparable)")])
    not_comparable = data.get("not_comparable", [])
    if not isinstance(not_comparable, list) or not all(isinstance(c, str) for c in not_comparable):
        raise InputError([f"{name}: not_comparable must be a list of criterion codes, such as [\"C2\"]"])
    codes = {c.code for c in questionnaire.criteria}
    for code in not_comparable:
        if code not in codes:
            raise InputError([f"{name}: not_comparable: no such criterion {code!r} in {questionnaire.id}"])
    parts = []
    for table in ("criteria", "questions"):
        values = data.get(table, {})
        if not isinstance(values, dict):
            raise InputError([f"{name}: {table} must be a table"])
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError([f"{name}: {table} > {key}: must be a number, not {value!r}"])
            parts.append(f"{key}={value}")
    try:
        criteria, questions = parse_baseline_text(",".join(parts), questionnaire)
    except InputError as exc:
        raise InputError([f"{name}: {p}" for p in exc.problems]) from None
    return Baseline(criteria, questions, sorted(set(not_comparable)))


#: the longest cell a cases CSV may hold (a reference is at most 64, an attribute value a few words)
MAX_CELL = 1_000


def parse_cases_csv(text: str, name: str, questionnaire: Questionnaire) -> list[tuple[str, dict]]:
    """Rows of a cases CSV (header: reference + attribute names); every bad row is reported."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))  # a long cell gets our line below, not csv's error
    try:
        return _parse_cases(csv.reader(io.StringIO(text)), name, questionnaire)
    finally:
        csv.field_size_limit(previous)


def _cell_problem(cell: str, line: int, column: str, name: str) -> str | None:
    """One line for a cell too long to be a reference or an attribute value, naming its row and column."""
    if len(cell) <= MAX_CELL:
        return None
    return f"{name}:{line}: column {column!r} holds {len(cell):,} characters; at most {MAX_CELL:,} are allowed"


def _parse_cases(reader, name: str, questionnaire: Questionnaire) -> list[tuple[str, dict]]:
    """parse_cases_csv's work, on a reader that takes cells of any length."""
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError([f"{name}: the file is empty; the first row must name the columns"]) from None
    problems = []
    too_long = next((p for p in (_cell_problem(h, 1, h[:20] + "…", name) for h in header) if p), None)
    if too_long:
        raise InputError([too_long])
    if not header or header[0] != "reference":
        problems.append(f"{name}:1: the first column must be 'reference', not {header[0] if header else ''!r}")
    for index, column in enumerate(header):
        if column in header[:index]:
            problems.append(f"{name}:1: column {column!r} appears twice (columns {header.index(column) + 1} "
                            f"and {index + 1}); give each column once")
            raise InputError(problems[-1:])
    for column in header[1:]:
        if column not in questionnaire.attributes:
            known = ", ".join(questionnaire.attributes)
            problems.append(f"{name}:1: unknown attribute column {column!r} (known: {known})")
    if problems:
        raise InputError(problems)
    rows: list[tuple[str, dict]] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{name}:{line}: {len(row)} cells, but the header has {len(header)}")
            continue
        long_cells = [p for p in (_cell_problem(cell, line, column, name) for column, cell in zip(header, row)) if p]
        if long_cells:
            problems += long_cells
            continue
        reference = row[0].strip()
        if not reference:
            problems.append(f"{name}:{line}: the reference is empty")
            continue
        if reference in seen:
            problems.append(f"{name}:{line}: case {reference} already appears on line {seen[reference]}")
            continue
        seen[reference] = line
        attributes = {}
        for column, cell in zip(header[1:], row[1:]):
            try:
                attributes[column] = questionnaire.attributes[column].parse(cell)
            except ValueError as exc:
                problems.append(f"{name}:{line}: case {reference}: {exc}")
        rows.append((reference, attributes))
    if problems:
        raise InputError(problems)
    return rows


def parse_where(text: str, questionnaire: Questionnaire) -> Condition:
    """`risk_of_harm=high,very_high;child_protection=true` into a case filter condition."""
    tests = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, raw = part.partition("=")
        name = name.strip()
        attribute = questionnaire.attributes.get(name)
        if not sep or attribute is None:
            known = ", ".join(questionnaire.attributes)
            raise InputError([f"filter {part!r}: write ATTRIBUTE=VALUE[,VALUE] with one of: {known}"])
        try:
            values = [attribute.parse(v) for v in raw.split(",")]
        except ValueError as exc:
            raise InputError([f"filter {part!r}: {exc}"]) from None
        tests.append(AttributeTest(name, "in", tuple(values)))
    if not tests:
        raise InputError(["an empty filter; write ATTRIBUTE=VALUE[,VALUE]"])
    return tests[0] if len(tests) == 1 else AllOf(tuple(tests))
