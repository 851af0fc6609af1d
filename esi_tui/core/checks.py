"""Problem collection for the questionnaire loader: field checks, conditions, cycles.

Every check reports a problem (one line: `FILE: PATH: what is wrong`) and carries on; nothing here
raises on bad input, whatever the types of the values read from the TOML file.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from esi_tui.core.conditions import (
    ANSWER_OPS,
    ATTRIBUTE_OPS,
    INT_OPS,
    AllOf,
    AnswerTest,
    AnyOf,
    AttributeTest,
    Condition,
    Not,
    Ref,
    answer_dependencies,
    walk,
)
from esi_tui.core.questionnaire import Attribute, Criterion, Scale

CONDITION_FORMS = ("attribute", "answer", "all_of", "any_of", "not", "ref")


def join(*parts: str) -> str:
    """A problem path: `criteria B1 > question B1.4 > scale`."""
    return " > ".join(p for p in parts if p)


def shown(value: object) -> str:
    """A name as it may appear in a path: itself when it is printable text, else its repr."""
    if isinstance(value, str) and value and value.isprintable() and value == value.strip():
        return value
    return repr(value)


def label(kind: str, value: object, index: int) -> str:
    """The path part of the index-th item (1-based): `criteria B1`, or `criteria[2]` without a name."""
    if isinstance(value, str) and value and value.isprintable() and value == value.strip():
        return f"{kind} {value}"
    return f"{kind}[{index}]"


def is_int(value: object) -> bool:
    """A whole number (TOML integer), not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def kind(value: object) -> str:
    """What a TOML value is, for 'must be X, not Y' messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return "a date-time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time"
    return type(value).__name__


class ConditionContext:
    """What conditions may refer to: attributes, scales, questions (in order), named conditions."""

    def __init__(self, attributes: Mapping[str, Attribute], declared_attributes: set[str],
                 scales: Mapping[str, Scale], question_ids: list[str], named: set[str],
                 scale_of: Mapping[str, str]):
        self.attributes = attributes
        self.declared_attributes = declared_attributes
        self.scales = scales
        self.question_ids = set(question_ids)
        self.named = named
        self.scale_of = scale_of


class Reporter:
    """Collects problems, one line each, instead of stopping at the first."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{self.name}: {path}: {message}" if path else f"{self.name}: {message}")

    def unknown_keys(self, table: dict, allowed: set[str] | tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(join(path, shown(key)), "unknown field")

    def string(self, table: dict, key: str, path: str, required: bool = True) -> str:
        """A text field; "" (after reporting) when it is missing, empty or not text."""
        value = table.get(key)
        if value is None:
            if required:
                self.problem(join(path, key), "missing field")
            return ""
        if not isinstance(value, str):
            self.problem(join(path, key), f"must be a string, not {kind(value)}")
            return ""
        if required and not value.strip():
            self.problem(join(path, key), "must not be empty")
            return ""
        return value

    def items(self, data: dict, key: str, path: str, required: bool = True,
              table: str = "") -> list[dict]:
        """An array of tables (`[[key]]`); [] (after reporting) when missing or of another type."""
        value = data.get(key)
        if value is None:
            if required:
                self.problem(path, "missing field")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            what = kind(value) if not isinstance(value, list) else "a list holding other values"
            self.problem(path, f"must be an array of tables ([[{table or key}]]), not {what}")
            return []
        return value

    # -- conditions -------------------------------------------------------------------------

    def condition(self, raw: object, path: str, ctx: ConditionContext) -> Condition | None:
        """Parse one `applies_when` table; None (after reporting) when it is not valid."""
        if not isinstance(raw, dict):
            self.problem(path, f"a condition must be a table, not {kind(raw)}")
            return None
        forms = [k for k in CONDITION_FORMS if k in raw]
        if len(forms) != 1:
            found = ", ".join(forms) if forms else ", ".join(shown(k) for k in raw) or "nothing"
            self.problem(path, "a condition needs exactly one of attribute, answer, all_of, any_of, "
                               f"not, ref (found {found})")
            return None
        form = forms[0]
        if form in ("all_of", "any_of", "not", "ref"):
            self.unknown_keys(raw, (form,), path)
        if form in ("all_of", "any_of"):
            items = raw[form]
            if not isinstance(items, list) or not items:
                self.problem(join(path, form), "must be a non-empty list of conditions")
                return None
            parsed = [self.condition(item, join(path, f"{form}[{i + 1}]"), ctx)
                      for i, item in enumerate(items)]
            if any(p is None for p in parsed):
                return None
            return (AllOf if form == "all_of" else AnyOf)(tuple(parsed))  # type: ignore[arg-type]
        if form == "not":
            inner = self.condition(raw["not"], join(path, "not"), ctx)
            return Not(inner) if inner is not None else None
        if form == "ref":
            ref = raw["ref"]
            if not isinstance(ref, str):
                self.problem(join(path, "ref"), f"must be the name of a condition, not {kind(ref)}")
                return None
            if ref not in ctx.named:
                self.problem(join(path, "ref"), f"unknown condition {ref!r}")
                return None
            return Ref(ref)
        allowed = ATTRIBUTE_OPS if form == "attribute" else ANSWER_OPS
        ops = [k for k in raw if k != form]
        bad = [k for k in ops if k not in allowed]
        for key in bad:
            self.problem(join(path, shown(key)), f"unknown operator (use one of {', '.join(allowed)})")
        if bad:
            return None
        if len(ops) != 1:
            self.problem(path, f"a test needs exactly one operator ({', '.join(allowed)})")
            return None
        op, value = ops[0], raw[ops[0]]
        if form == "attribute":
            return self.attribute_test(raw["attribute"], op, value, path, ctx)
        return self.answer_test(raw["answer"], op, value, path, ctx)

    def attribute_test(self, name, op: str, value, path: str, ctx: ConditionContext) -> Condition | None:
        if not isinstance(name, str):
            self.problem(join(path, "attribute"), f"must be the name of an attribute, not {kind(name)}")
            return None
        attr = ctx.attributes.get(name)
        if attr is None:
            if name not in ctx.declared_attributes:  # else its own problem is reported already
                self.problem(join(path, "attribute"), f"unknown attribute {name!r}")
            return None
        if op in INT_OPS:
            if attr.type != "int":
                self.problem(join(path, op), f"{op} compares numbers, but {name} is a {attr.type} attribute")
                return None
            if not is_int(value):
                self.problem(join(path, op), f"must be a whole number, not {kind(value)}")
                return None
            return AttributeTest(name, op, value)
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.problem(join(path, op), "must be a non-empty list of values")
            return None
        ok = True
        for item in value if op in ("in", "not_in") else [value]:
            problem = attr.problem(item)
            if problem:
                self.problem(join(path, op), problem)
                ok = False
        if not ok:
            return None
        return AttributeTest(name, op, tuple(value) if op in ("in", "not_in") else value)

    def answer_test(self, qid, op: str, value, path: str, ctx: ConditionContext) -> Condition | None:
        if not isinstance(qid, str):
            self.problem(join(path, "answer"), f"must be a question id, not {kind(qid)}")
            return None
        if qid not in ctx.question_ids:
            self.problem(join(path, "answer"), f"unknown question {qid!r}")
            return None
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.problem(join(path, op), "must be a non-empty list of option keys")
            return None
        values = value if op in ("in", "not_in") else [value]
        scale = ctx.scales.get(ctx.scale_of.get(qid, ""))
        if scale is not None:
            wrong = [item for item in values if not isinstance(item, str) or scale.option(item) is None]
            for item in wrong:
                self.problem(join(path, op), f"{item!r} is not an option of {qid}'s scale {scale.id!r} "
                                             f"({', '.join(o.key for o in scale.options)})")
            if wrong:
                return None
        elif not all(isinstance(item, str) for item in values):
            self.problem(join(path, op), "option keys are strings")
            return None
        return AnswerTest(qid, op, tuple(value) if op in ("in", "not_in") else value)

    # -- cycles and order -----------------------------------------------------------------

    def cycles(self, named: dict[str, Condition], criteria: list[Criterion]) -> None:
        """Report loops between named conditions and answer tests, and reads of later questions."""
        where = {q.id: c.code for c in criteria for q in c.questions}

        def node_path(node: str) -> str:
            what, _, name = node.partition(" ")
            if what == "condition":
                return f"conditions {shown(name)}"
            return join(f"criteria {shown(where.get(name, '?'))}", f"question {shown(name)}", "applies_when")

        graph: dict[str, set[str]] = {f"condition {n}": _edges(c) for n, c in named.items()}
        for criterion in criteria:
            for q in criterion.questions:
                if q.id:
                    graph.setdefault(f"question {q.id}", _edges(q.applies_when))
        reported: list[frozenset[str]] = []
        for start in graph:
            cycle = _find_cycle(graph, start)
            if cycle and frozenset(cycle) not in reported:
                reported.append(frozenset(cycle))
                if cycle == [start] and start.startswith("question "):
                    self.problem(node_path(start), "reads its own answer")
                else:
                    self.problem(node_path(start), "condition cycle: " + " -> ".join(cycle + [cycle[0]]))
        in_cycle = {node for group in reported for node in group}
        position: dict[str, int] = {}
        for criterion in criteria:
            for q in criterion.questions:
                if q.id:
                    position.setdefault(q.id, len(position))
        for criterion in criteria:
            for q in criterion.questions:
                if not q.id or f"question {q.id}" in in_cycle or q.applies_when is None:
                    continue
                direct = {n.question for n in walk(q.applies_when) if isinstance(n, AnswerTest)}
                refs = [n.name for n in walk(q.applies_when) if isinstance(n, Ref) and n.name in named]
                deps = answer_dependencies(q.applies_when, named)
                for dep in sorted(deps, key=lambda d: position.get(d, -1)):
                    if position.get(dep, -1) < position[q.id]:
                        continue
                    through = "" if dep in direct else next(
                        (f" (through condition {r})" for r in refs
                         if dep in answer_dependencies(named[r], named)), "")
                    self.problem(node_path(f"question {q.id}"),
                                 f"reads the answer to {dep}{through}, which is not an earlier question")


def _edges(condition: Condition | None) -> set[str]:
    edges: set[str] = set()
    for node in walk(condition):
        if isinstance(node, Ref):
            edges.add(f"condition {node.name}")
        elif isinstance(node, AnswerTest):
            edges.add(f"question {node.question}")
    return edges


def _find_cycle(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A cycle through `start`, as the list of nodes from start, or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(graph.get(node, ()), reverse=True):
            if nxt == start:
                return trail
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None
