"""Relevance conditions: every operator and combinator, answer tests, refs, describe()."""

from __future__ import annotations

from pathlib import Path

import pytest

from esi_tui.core.conditions import (
    ANSWER_OPS,
    ATTRIBUTE_OPS,
    AllOf,
    AnswerTest,
    AnyOf,
    AttributeTest,
    Not,
    Ref,
    answer_dependencies,
    describe,
    evaluate,
    walk,
)
from esi_tui.core.loader import load_file

ROOT = Path(__file__).resolve().parents[2]
ESI = ROOT / "questionnaires" / "esi-2005-followup.toml"
MINI = ROOT / "tests" / "fixtures" / "mini.toml"

NO_ANSWERS = lambda _qid: None  # noqa: E731


def holds(condition, attributes=None, answers=None, named=None) -> bool:
    answers = answers or {}
    return evaluate(condition, attributes or {}, answers.get, named)


# -- attribute operators -------------------------------------------------------------------

@pytest.mark.parametrize(("op", "expected", "actual", "result"), [
    ("equals", "high", "high", True),
    ("equals", "high", "low", False),
    ("not_equals", "high", "low", True),
    ("not_equals", "high", "high", False),
    ("in", ("high", "very_high"), "very_high", True),
    ("in", ("high", "very_high"), "medium", False),
    ("not_in", ("high", "very_high"), "medium", True),
    ("not_in", ("high", "very_high"), "high", False),
])
def test_choice_operators(op, expected, actual, result):
    assert holds(AttributeTest("risk_of_harm", op, expected), {"risk_of_harm": actual}) is result


@pytest.mark.parametrize(("op", "bound", "truths"), [
    # truth for mappa_level = 0, 1, 2, 3
    ("gt", 1, [False, False, True, True]),
    ("gte", 1, [False, True, True, True]),
    ("lt", 2, [True, True, False, False]),
    ("lte", 2, [True, True, True, False]),
    ("equals", 2, [False, False, True, False]),
    ("not_equals", 0, [False, True, True, True]),
    ("in", (1, 3), [False, True, False, True]),
    ("not_in", (1, 3), [True, False, True, False]),
])
def test_int_operators_on_mappa_level(op, bound, truths):
    condition = AttributeTest("mappa_level", op, bound)
    assert [holds(condition, {"mappa_level": level}) for level in range(4)] == truths


def test_every_attribute_operator_is_covered():
    assert set(ATTRIBUTE_OPS) == {"equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte"}
    assert set(ANSWER_OPS) == {"equals", "not_equals", "in", "not_in"}


@pytest.mark.parametrize("op", ["gt", "gte", "lt", "lte"])
@pytest.mark.parametrize("actual", [None, "2", True, False, 2.0])
def test_int_comparisons_are_false_for_non_integers(op, actual):
    # A missing attribute, a string, a boolean (True is 1 in Python) or a float never compares.
    assert holds(AttributeTest("mappa_level", op, 0), {"mappa_level": actual}) is False
    assert holds(AttributeTest("mappa_level", op, 0)) is False


def test_booleans_are_not_numbers():
    assert holds(AttributeTest("child_protection", "equals", True), {"child_protection": True})
    assert not holds(AttributeTest("child_protection", "equals", True), {"child_protection": 1})
    assert not holds(AttributeTest("mappa_level", "equals", 1), {"mappa_level": True})
    assert not holds(AttributeTest("mappa_level", "equals", 0), {"mappa_level": False})
    assert not holds(AttributeTest("mappa_level", "in", (0, 1)), {"mappa_level": False})
    assert holds(AttributeTest("mappa_level", "not_in", (0, 1)), {"mappa_level": True})
    assert holds(AttributeTest("child_protection", "not_equals", False), {"child_protection": 0})


def test_missing_attribute():
    assert not holds(AttributeTest("risk_of_harm", "equals", "high"))
    assert not holds(AttributeTest("risk_of_harm", "in", ("high",)))
    assert holds(AttributeTest("risk_of_harm", "not_in", ("high",)))


def test_in_needs_a_list_not_a_string():
    # "hi" in "high" would be a substring match; refuse instead of answering wrongly.
    with pytest.raises(ValueError):
        holds(AttributeTest("risk_of_harm", "in", "high"), {"risk_of_harm": "hi"})


def test_unknown_operator_is_an_error():
    with pytest.raises(ValueError):
        holds(AttributeTest("mappa_level", "between", (1, 2)), {"mappa_level": 1})


# -- answer tests ---------------------------------------------------------------------------

@pytest.mark.parametrize(("op", "expected", "answer", "result"), [
    ("equals", "no", "no", True),
    ("equals", "no", "yes", False),
    ("not_equals", "no", "yes", True),
    ("not_equals", "no", "no", False),
    ("in", ("no", "na"), "na", True),
    ("in", ("no", "na"), "yes", False),
    ("not_in", ("no", "na"), "yes", True),
    ("not_in", ("no", "na"), "no", False),
])
def test_answer_operators(op, expected, answer, result):
    assert holds(AnswerTest("A1.2", op, expected), answers={"A1.2": answer}) is result


@pytest.mark.parametrize("op", ["equals", "not_equals", "in", "not_in"])
def test_answer_tests_are_false_while_unanswered(op):
    value = ("no",) if op in ("in", "not_in") else "no"
    assert holds(AnswerTest("A1.2", op, value)) is False
    # ...even under `not_equals`/`not_in`; `not` of the test is what turns it true.
    assert holds(Not(AnswerTest("A1.2", op, value))) is True


def test_answer_of_is_asked_for_the_right_question():
    asked = []
    evaluate(AnswerTest("B1.1", "equals", "yes"), {}, lambda q: asked.append(q) or "yes")
    assert asked == ["B1.1"]


# -- combinators ----------------------------------------------------------------------------

HIGH = AttributeTest("risk_of_harm", "in", ("high", "very_high"))
CHILD = AttributeTest("child_protection", "equals", True)
MAPPA = AttributeTest("mappa_level", "gte", 1)


@pytest.mark.parametrize(("risk", "child", "all_of", "any_of"), [
    ("high", True, True, True),
    ("high", False, False, True),
    ("low", True, False, True),
    ("low", False, False, False),
])
def test_all_of_and_any_of(risk, child, all_of, any_of):
    attrs = {"risk_of_harm": risk, "child_protection": child}
    assert holds(AllOf((HIGH, CHILD)), attrs) is all_of
    assert holds(AnyOf((HIGH, CHILD)), attrs) is any_of


def test_single_item_combinators_and_nesting():
    attrs = {"risk_of_harm": "low", "child_protection": False, "mappa_level": 2}
    assert holds(AllOf((MAPPA,)), attrs)
    assert not holds(AnyOf((HIGH,)), attrs)
    assert holds(AllOf((MAPPA, AnyOf((HIGH, Not(CHILD))))), attrs)
    assert not holds(AllOf((MAPPA, Not(AnyOf((HIGH, Not(CHILD)))))), attrs)


def test_not():
    assert holds(Not(CHILD), {"child_protection": False})
    assert not holds(Not(CHILD), {"child_protection": True})
    assert holds(Not(Not(CHILD)), {"child_protection": True})


def test_none_means_every_case():
    assert evaluate(None, {}, NO_ANSWERS)
    assert describe(None) == "every case"


def test_ref_follows_named_conditions():
    named = {"high_risk_of_harm": HIGH, "high_or_child": AnyOf((Ref("high_risk_of_harm"), CHILD))}
    assert holds(Ref("high_or_child"), {"risk_of_harm": "very_high"}, named=named)
    assert holds(Ref("high_or_child"), {"risk_of_harm": "low", "child_protection": True}, named=named)
    assert not holds(Ref("high_or_child"), {"risk_of_harm": "low"}, named=named)
    with pytest.raises(KeyError):
        holds(Ref("nowhere"), {}, named=named)


def test_not_a_condition_is_a_type_error():
    with pytest.raises(TypeError):
        holds("risk_of_harm == 'high'")  # text is never evaluated


# -- the shipped questionnaire's named conditions -------------------------------------------

@pytest.fixture(scope="module")
def esi():
    return load_file(ESI)


@pytest.mark.parametrize(("attrs", "expected"), [
    ({"mappa_level": 0, "child_protection": False}, False),
    ({"mappa_level": 1, "child_protection": False}, True),
    ({"mappa_level": 3, "child_protection": False}, True),
    ({"mappa_level": 0, "child_protection": True}, True),
])
def test_esi_mappa_or_child_protection(esi, attrs, expected):
    assert evaluate(Ref("mappa_or_child_protection"), attrs, NO_ANSWERS, esi.conditions) is expected
    assert esi.is_relevant("B3.5", attrs) is expected
    assert esi.is_relevant("C2.8", attrs) is expected


@pytest.mark.parametrize(("risk", "child", "high", "high_or_child"), [
    ("low", False, False, False),
    ("medium", True, False, True),
    ("high", False, True, True),
    ("very_high", False, True, True),
])
def test_esi_risk_conditions(esi, risk, child, high, high_or_child):
    attrs = {"risk_of_harm": risk, "child_protection": child}
    assert esi.is_relevant("B1.5", attrs) is high
    assert esi.is_relevant("B1.6", attrs) is high_or_child
    assert esi.is_relevant("B1.2", attrs) is True


# -- dependencies and walking -----------------------------------------------------------------

def test_walk_yields_every_node_but_does_not_follow_refs():
    cond = AllOf((HIGH, Not(AnswerTest("A1.2", "equals", "no")), Ref("x")))
    nodes = list(walk(cond))
    assert nodes[0] is cond
    assert HIGH in nodes and Ref("x") in nodes and AnswerTest("A1.2", "equals", "no") in nodes
    assert len(nodes) == 5
    assert list(walk(None)) == []


def test_answer_dependencies_follow_refs_once():
    named = {"a": AnswerTest("Q1", "equals", "no"), "b": AnyOf((Ref("a"), AnswerTest("Q2", "in", ("x",))))}
    cond = AllOf((Ref("b"), Ref("a"), Not(AnswerTest("Q3", "equals", "yes"))))
    assert answer_dependencies(cond, named) == {"Q1", "Q2", "Q3"}
    assert answer_dependencies(HIGH, named) == set()
    assert answer_dependencies(None) == set()


def test_mini_questionnaire_dependants():
    mini = load_file(MINI)
    assert mini.dependants("A1.2") == ("A1.3",)
    assert mini.dependants("A1.1") == ()


# -- describe -------------------------------------------------------------------------------

@pytest.mark.parametrize(("condition", "text"), [
    (AttributeTest("risk_of_harm", "equals", "high"), "risk_of_harm = high"),
    (AttributeTest("risk_of_harm", "not_equals", "low"), "risk_of_harm ≠ low"),
    (AttributeTest("risk_of_harm", "in", ("high", "very_high")), "risk_of_harm is one of high, very_high"),
    (AttributeTest("risk_of_harm", "not_in", ("low",)), "risk_of_harm is none of low"),
    (AttributeTest("mappa_level", "gt", 0), "mappa_level > 0"),
    (AttributeTest("mappa_level", "gte", 1), "mappa_level ≥ 1"),
    (AttributeTest("mappa_level", "lt", 3), "mappa_level < 3"),
    (AttributeTest("mappa_level", "lte", 2), "mappa_level ≤ 2"),
    (AttributeTest("child_protection", "equals", True), "child_protection = yes"),
    (AttributeTest("child_protection", "equals", False), "child_protection = no"),
    (AttributeTest("child_protection", "in", (True,)), "child_protection is one of yes"),
    (AnswerTest("A1.2", "equals", "no"), "answer to A1.2 is no"),
    (AnswerTest("A1.2", "not_equals", "yes"), "answer to A1.2 is not yes"),
    (AnswerTest("A1.2", "in", ("no", "na")), "answer to A1.2 is one of no, na"),
    (AnswerTest("A1.2", "not_in", ("yes",)), "answer to A1.2 is none of yes"),
    (Ref("high_risk_of_harm"), "high risk of harm"),
    (Not(CHILD), "not child_protection = yes"),
    (AnyOf((Ref("high_risk_of_harm"), CHILD)), "high risk of harm or child_protection = yes"),
    (AllOf((MAPPA, AnyOf((HIGH, CHILD)))),
     "mappa_level ≥ 1 and (risk_of_harm is one of high, very_high or child_protection = yes)"),
    (Not(AnyOf((HIGH, CHILD))), "not (risk_of_harm is one of high, very_high or child_protection = yes)"),
])
def test_describe_reads_naturally(condition, text):
    assert describe(condition) == text


def test_describe_every_question_of_the_shipped_questionnaire(esi):
    for question in esi.questions:
        text = describe(question.applies_when, esi.conditions)
        assert text and "AttributeTest" not in text and "Ref(" not in text
        assert "\n" not in text


# -- attribute values that conditions read (questionnaire.Attribute) ---------------------------

def test_int_attribute_parse_takes_plain_whole_numbers_only():
    from esi_tui.core.questionnaire import Attribute

    level = Attribute("mappa_level", "MAPPA level", "int", min=0, max=3)
    assert level.parse(" 2 ") == 2
    assert level.parse("+1") == 1
    for text in ("1_0", "١", "2.0", "", "two"):
        with pytest.raises(ValueError):
            level.parse(text)
    with pytest.raises(ValueError, match="at most 3"):
        level.parse("4")


def test_int_attribute_default_is_inside_its_range():
    from esi_tui.core.questionnaire import Attribute

    assert Attribute("a", "A", "int", min=0, max=3).default_value() == 0
    assert Attribute("a", "A", "int", min=2, max=3).default_value() == 2
    assert Attribute("a", "A", "int", min=-5, max=-1).default_value() == -1
    assert Attribute("a", "A", "int", min=-5, max=5).default_value() == 0
    assert Attribute("a", "A", "int", default=3, min=0, max=3).default_value() == 3
