"""Structured relevance conditions (`applies_when`): parsed from data, evaluated without eval."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

ATTRIBUTE_OPS = ("equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte")
ANSWER_OPS = ("equals", "not_equals", "in", "not_in")
COMBINATORS = ("all_of", "any_of", "not", "ref")
INT_OPS = ("gt", "gte", "lt", "lte")


@dataclass(frozen=True)
class AttributeTest:
    """A test of one case attribute, e.g. `mappa_level >= 1`."""

    attribute: str
    op: str
    value: object


@dataclass(frozen=True)
class AnswerTest:
    """A test of the case's answer to another question (false when that one is unanswered)."""

    question: str
    op: str
    value: object


@dataclass(frozen=True)
class AllOf:
    """True when every item holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one item holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the item does not hold."""

    item: Condition


@dataclass(frozen=True)
class Ref:
    """A named condition from the questionnaire's `[conditions]` table."""

    name: str


Condition = AttributeTest | AnswerTest | AllOf | AnyOf | Not | Ref


def _same(actual: object, expected: object) -> bool:
    """Equality that keeps booleans apart from numbers (in Python `True == 1`)."""
    if isinstance(actual, bool) != isinstance(expected, bool):
        return False
    return actual == expected


def _compare(op: str, actual: object, expected: object) -> bool:
    if op == "equals":
        return _same(actual, expected)
    if op == "not_equals":
        return not _same(actual, expected)
    if op in ("in", "not_in"):
        if isinstance(expected, (str, bytes)) or not hasattr(expected, "__iter__"):
            raise ValueError(f"{op} needs a list of values, not {expected!r}")
        found = any(_same(actual, item) for item in expected)  # type: ignore[attr-defined,unused-ignore]
        return found if op == "in" else not found
    if not isinstance(actual, int) or isinstance(actual, bool):
        return False
    if op == "gt":
        return actual > expected  # type: ignore[operator]
    if op == "gte":
        return actual >= expected  # type: ignore[operator]
    if op == "lt":
        return actual < expected  # type: ignore[operator]
    if op == "lte":
        return actual <= expected  # type: ignore[operator]
    raise ValueError(f"unknown operator {op!r}")


def evaluate(
    condition: Condition | None,
    attributes: Mapping[str, object],
    answer_of: Callable[[str], str | None],
    named: Mapping[str, Condition] | None = None,
) -> bool:
    """Whether `condition` holds for a case; `answer_of(qid)` gives its counted answer or None."""
    if condition is None:
        return True
    if isinstance(condition, AttributeTest):
        return _compare(condition.op, attributes.get(condition.attribute), condition.value)
    if isinstance(condition, AnswerTest):
        value = answer_of(condition.question)
        if value is None:
            return False
        return _compare(condition.op, value, condition.value)
    if isinstance(condition, AllOf):
        return all(evaluate(c, attributes, answer_of, named) for c in condition.items)
    if isinstance(condition, AnyOf):
        return any(evaluate(c, attributes, answer_of, named) for c in condition.items)
    if isinstance(condition, Not):
        return not evaluate(condition.item, attributes, answer_of, named)
    if isinstance(condition, Ref):
        return evaluate((named or {})[condition.name], attributes, answer_of, named)
    raise TypeError(f"not a condition: {condition!r}")


def walk(condition: Condition | None):
    """Yield every node of a condition tree (refs are not followed)."""
    if condition is None:
        return
    yield condition
    if isinstance(condition, (AllOf, AnyOf)):
        for item in condition.items:
            yield from walk(item)
    elif isinstance(condition, Not):
        yield from walk(condition.item)


def answer_dependencies(
    condition: Condition | None, named: Mapping[str, Condition] | None = None
) -> set[str]:
    """Question ids whose answers this condition reads, following named refs."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [condition]
    while stack:
        for node in walk(stack.pop()):
            if isinstance(node, AnswerTest):
                found.add(node.question)
            elif isinstance(node, Ref) and node.name not in seen and named and node.name in named:
                seen.add(node.name)
                stack.append(named[node.name])
    return found


def describe(condition: Condition | None, named: Mapping[str, Condition] | None = None) -> str:
    """A short human reading of a condition, for guidance panels and reports."""
    if condition is None:
        return "every case"
    if isinstance(condition, AttributeTest):
        symbols = {"equals": "=", "not_equals": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
        if condition.op in ("in", "not_in"):
            word = "is one of" if condition.op == "in" else "is none of"
            return f"{condition.attribute} {word} {', '.join(map(_show, condition.value))}"  # type: ignore[call-overload]
        return f"{condition.attribute} {symbols[condition.op]} {_show(condition.value)}"
    if isinstance(condition, AnswerTest):
        if condition.op in ("in", "not_in"):
            word = "is one of" if condition.op == "in" else "is none of"
            return f"answer to {condition.question} {word} {', '.join(map(str, condition.value))}"  # type: ignore[call-overload]
        word = "is" if condition.op == "equals" else "is not"
        return f"answer to {condition.question} {word} {condition.value}"
    if isinstance(condition, AllOf):
        return " and ".join(_paren(c, named) for c in condition.items)
    if isinstance(condition, AnyOf):
        return " or ".join(_paren(c, named) for c in condition.items)
    if isinstance(condition, Not):
        return f"not {_paren(condition.item, named)}"
    if isinstance(condition, Ref):
        return condition.name.replace("_", " ")
    return str(condition)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _paren(condition: Condition, named: Mapping[str, Condition] | None) -> str:
    text = describe(condition, named)
    return f"({text})" if isinstance(condition, (AllOf, AnyOf)) else text
