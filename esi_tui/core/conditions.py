"""Structured relevance conditions (`applies_when`): parsed from data, evaluated without eval."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from esi_tui.core.questionnaire import Questionnaire

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
    return {node.question for node in _nodes(condition, named) if isinstance(node, AnswerTest)}


def attribute_dependencies(
    condition: Condition | None, named: Mapping[str, Condition] | None = None
) -> set[str]:
    """Attribute names this condition reads, following named refs."""
    return {node.attribute for node in _nodes(condition, named) if isinstance(node, AttributeTest)}


def _nodes(condition: Condition | None, named: Mapping[str, Condition] | None):
    """Every node of a condition tree and of the named conditions it refers to (each once)."""
    seen: set[str] = set()
    stack = [condition]
    while stack:
        for node in walk(stack.pop()):
            yield node
            if isinstance(node, Ref) and node.name not in seen and named and node.name in named:
                seen.add(node.name)
                stack.append(named[node.name])


def describe(condition: Condition | None, named: Mapping[str, Condition] | None = None,
             questionnaire: Questionnaire | None = None) -> str:
    """A short human reading of a condition, for guidance panels and reports; with the questionnaire, in
    its attribute labels, values and answer labels ("Risk of harm: high or very high"), named ones spelt out."""
    if questionnaire is not None:
        return _Labels(questionnaire).describe(condition)
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


def why_not(condition: Condition | None, attributes: Mapping[str, object], answer_of: Callable[[str], str | None],
            questionnaire: Questionnaire) -> str:
    """Why a condition does not hold for a case, as the case's own facts in plain labels ("Risk of harm:
    low"; "MAPPA level: 0, Child protection issues: no"); '' when it holds."""
    named = questionnaire.conditions
    if evaluate(condition, attributes, answer_of, named):
        return ""
    labels = _Labels(questionnaire)
    facts: dict[str, None] = {}
    for leaf in _failing_leaves(condition, attributes, answer_of, named):
        if isinstance(leaf, AttributeTest):
            shown = labels.value(leaf.attribute, attributes.get(leaf.attribute))
            facts[f"{labels.attribute(leaf.attribute)}: {shown}"] = None
        else:
            value = answer_of(leaf.question)
            facts[f"{leaf.question} unanswered" if value is None
                  else f"answer to {leaf.question}: {labels.answer(leaf.question, value)}"] = None
    return ", ".join(facts)


def _failing_leaves(condition: Condition | None, attributes: Mapping[str, object],
                    answer_of: Callable[[str], str | None], named: Mapping[str, Condition],
                    ) -> Iterator[AttributeTest | AnswerTest]:
    """The tests whose facts make `condition` fail: of an all_of only the failing items; else every test."""
    if isinstance(condition, Ref):
        yield from _failing_leaves(named[condition.name], attributes, answer_of, named)
    elif isinstance(condition, AllOf):
        for item in condition.items:
            if not evaluate(item, attributes, answer_of, named):
                yield from _failing_leaves(item, attributes, answer_of, named)
    elif isinstance(condition, (AnyOf, Not)):
        for item in (condition.items if isinstance(condition, AnyOf) else (condition.item,)):
            yield from _leaves(item, named)
    elif isinstance(condition, (AttributeTest, AnswerTest)):
        yield condition


def _leaves(condition: Condition, named: Mapping[str, Condition]) -> Iterator[AttributeTest | AnswerTest]:
    for node in walk(condition):
        if isinstance(node, Ref):
            yield from _leaves(named[node.name], named)
        elif isinstance(node, (AttributeTest, AnswerTest)):
            yield node


def _either(words: list[str], joint: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joint} {words[-1]}"


class _Labels:
    """Conditions read in a questionnaire's own words: attribute labels, their values, answer labels."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire

    def attribute(self, name: str) -> str:
        attribute = self.questionnaire.attributes.get(name)
        return attribute.label.split(" (")[0] if attribute else name.replace("_", " ")

    @staticmethod
    def value(_name: str, value: object) -> str:
        return _show(value).replace("_", " ")

    def answer(self, qid: str, value: object) -> str:
        option = self.questionnaire.scale_of(qid).option(str(value)) if self.questionnaire.has_question(qid) else None
        return option.label if option else str(value)

    def describe(self, condition: Condition | None, depth: int = 0) -> str:
        if condition is None:
            return "every case"
        if isinstance(condition, (AttributeTest, AnswerTest)):
            return self._test(condition)
        if isinstance(condition, Ref):
            inner = self.questionnaire.conditions.get(condition.name)
            return condition.name.replace("_", " ") if inner is None or depth > 20 else self.describe(inner, depth + 1)
        if isinstance(condition, Not):
            return f"not ({self.describe(condition.item, depth + 1)})"
        items = [self._part(item, depth) for item in condition.items]
        return (", and " if isinstance(condition, AllOf) else ", or ").join(items)

    def _part(self, condition: Condition, depth: int) -> str:
        text = self.describe(condition, depth + 1)
        target = condition
        while isinstance(target, Ref) and target.name in self.questionnaire.conditions:
            target = self.questionnaire.conditions[target.name]
        return f"({text})" if isinstance(target, (AllOf, AnyOf)) else text

    def _test(self, test: AttributeTest | AnswerTest) -> str:
        if isinstance(test, AttributeTest):
            name, shown = self.attribute(test.attribute), lambda v: self.value(test.attribute, v)
        else:
            name, shown = f"answer to {test.question}", lambda v: self.answer(test.question, v)
        values = list(test.value) if test.op in ("in", "not_in") else [test.value]  # type: ignore[call-overload]
        words = [shown(v) for v in values]
        phrase = {
            "equals": words[0], "not_equals": f"not {words[0]}", "in": _either(words),
            "not_in": f"not {words[0]}" if len(words) == 1 else (
                f"neither {words[0]} nor {words[1]}" if len(words) == 2 else f"none of {', '.join(words)}"),
            "gt": f"more than {words[0]}", "gte": f"{words[0]} or more", "lt": f"less than {words[0]}",
            "lte": f"{words[0]} or less",
        }[test.op]
        return f"{name}: {phrase}"
