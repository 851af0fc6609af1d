"""The questionnaire model: attributes, scales, criteria and questions, as loaded from TOML."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from esi_tui.core.conditions import Condition, answer_dependencies, attribute_dependencies, evaluate
from esi_tui.core.ratings import band_of

COUNTS_AS = ("positive", "negative", "not_applicable")
ATTRIBUTE_TYPES = ("choice", "bool", "int")
_WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")


@dataclass(frozen=True)
class Attribute:
    """A fact about a case that decides relevance (`risk_of_harm`, `mappa_level`...)."""

    name: str
    label: str
    type: str
    values: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    default: object = None

    def default_value(self) -> object:
        """The value a case takes when this attribute is left out."""
        if self.default is not None:
            return self.default
        if self.type == "bool":
            return False
        if self.type == "int":
            if self.min is not None and self.min > 0:
                return self.min
            if self.max is not None and self.max < 0:
                return self.max
            return 0
        return self.values[0] if self.values else None

    def problem(self, value: object) -> str | None:
        """Why `value` is not allowed for this attribute, or None when it is."""
        if self.type == "bool":
            return None if isinstance(value, bool) else f"{self.name} must be true or false, not {value!r}"
        if self.type == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                return f"{self.name} must be a whole number, not {value!r}"
            if self.min is not None and value < self.min:
                return f"{self.name} must be at least {self.min}, not {value}"
            if self.max is not None and value > self.max:
                return f"{self.name} must be at most {self.max}, not {value}"
            return None
        if value not in self.values:
            return f"{self.name} must be one of {', '.join(self.values)}, not {value!r}"
        return None

    def value_label(self, value: object) -> str:
        """A value as screens and reports show it: 'very high' for very_high, yes / no for a bool."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value).replace("_", " ")

    def accepted(self) -> str:
        """The values a CSV cell or a form field may hold, for help and the README."""
        if self.type == "bool":
            return "true / yes / y / 1 or false / no / n / 0 / empty"
        if self.type == "int":
            low = "" if self.min is None else str(self.min)
            high = "" if self.max is None else str(self.max)
            return f"a whole number {low}–{high}" if low and high else "a whole number"
        return " / ".join(f"{v} ({self.value_label(v)})" if "_" in v else v for v in self.values)

    def parse(self, text: str) -> object:
        """Turn a text cell (CSV, form field) into a value; raises ValueError with a clear message."""
        text = text.strip()
        if self.type == "bool":
            lowered = text.lower()
            if lowered in ("true", "yes", "y", "1"):
                return True
            if lowered in ("false", "no", "n", "0", ""):
                return False
            raise ValueError(f"{self.name} must be true or false, not {text!r}")
        if self.type == "int":
            # int() alone would also take "1_000" and non-ASCII digits
            if not _WHOLE_NUMBER.match(text):
                raise ValueError(f"{self.name} must be a whole number, not {text!r}")
            value: object = int(text)
        else:
            # a value's label as the app shows it ("very high", "Community order") is taken as the value
            value = next((v for v in self.values if text.lower() in (v.lower(), self.value_label(v).lower())), text)
        problem = self.problem(value)
        if problem:
            raise ValueError(problem)
        return value


@dataclass(frozen=True)
class Option:
    """One answer option of a scale."""

    key: str
    label: str
    hotkey: str
    counts_as: str


@dataclass(frozen=True)
class Scale:
    """A reusable set of answer options."""

    id: str
    label: str
    options: tuple[Option, ...]

    def option(self, key: str) -> Option | None:
        """The option with this key, or None."""
        for option in self.options:
            if option.key == key:
                return option
        return None

    def by_hotkey(self, hotkey: str) -> Option | None:
        """The option answered by this key, or None."""
        for option in self.options:
            if option.hotkey == hotkey:
                return option
        return None


@dataclass(frozen=True)
class Question:
    """One item of a criterion, relevant to the cases its condition holds for."""

    id: str
    criterion: str
    text: str
    guidance: str
    scale: str
    applies_when: Condition | None = None
    required: bool = True
    finding: str = ""
    scored: bool = True  # False: a prompt, tallied and reported but outside its criterion's score
    prompt_of: str = ""  # the key question a prompt is shown under ("" for none)


@dataclass(frozen=True)
class Criterion:
    """A scored group of questions."""

    code: str
    title: str
    section: str
    description: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Section:
    """A heading grouping criteria (B: Quality of assessment)."""

    code: str
    title: str


@dataclass(frozen=True)
class Band:
    """A rating band: scores at or above `min` percent get `label` (and `points` towards an overall rating)."""

    min: float
    label: str
    points: int | None = None


@dataclass(frozen=True)
class OverallBand:
    """An overall rating band: a sum of criterion points at or above `min_points` gets `label`."""

    min_points: int
    label: str


CRITERION_RULES = ("pooled", "lowest_question")
ROUNDINGS = ("none", "half_up")


@dataclass(frozen=True)
class RatingRules:
    """How a criterion's band is chosen (`criterion_rule`) and how its percentage is rounded first."""

    criterion_rule: str = "pooled"
    rounding: str = "none"


BLANK_RELEVANCE_KEPT = 4096  # attribute combinations remembered by relevance_unanswered
_ABSENT = object()  # an attribute a case does not have, in relevance_unanswered's key


@dataclass
class Questionnaire:
    """A versioned questionnaire definition."""

    id: str
    title: str
    version: str
    description: str
    attributes: dict[str, Attribute]
    scales: dict[str, Scale]
    sections: dict[str, Section]
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...] = ()
    conditions: dict[str, Condition] = field(default_factory=dict)
    rating: RatingRules = field(default_factory=RatingRules)
    overall_bands: tuple[OverallBand, ...] = ()
    source: str = ""
    content_hash: str = ""

    def __post_init__(self) -> None:
        self._questions = {q.id: q for c in self.criteria for q in c.questions}
        self._criteria = {c.code: c for c in self.criteria}
        self._dependants: dict[str, tuple[str, ...]] = {}
        self._prompts: dict[str, tuple[str, ...]] = {}
        # each question's relevance for a case nobody has answered yet, by its attribute values
        self._blank_relevance: dict[tuple, tuple[bool, ...]] = {}
        for question in self._questions.values():
            if question.prompt_of:
                self._prompts[question.prompt_of] = self._prompts.get(question.prompt_of, ()) + (question.id,)
        # the attributes any condition reads: a blank case's relevance depends on these alone
        self._read_attributes = tuple(sorted(set().union(*(
            attribute_dependencies(q.applies_when, self.conditions) for q in self._questions.values()))))
        for question in self._questions.values():
            for dep in answer_dependencies(question.applies_when, self.conditions):
                self._dependants.setdefault(dep, ())
                self._dependants[dep] += (question.id,)

    @property
    def questions(self) -> list[Question]:
        """Every question in definition order."""
        return list(self._questions.values())

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Every question id in definition order."""
        return tuple(self._questions)

    def question(self, qid: str) -> Question:
        """The question with this id (KeyError when unknown)."""
        return self._questions[qid]

    def has_question(self, qid: str) -> bool:
        """Whether the questionnaire defines this question id."""
        return qid in self._questions

    def criterion(self, code: str) -> Criterion:
        """The criterion with this code (KeyError when unknown)."""
        return self._criteria[code]

    def scale_of(self, qid: str) -> Scale:
        """The answer scale of a question."""
        return self.scales[self._questions[qid].scale]

    def dependants(self, qid: str) -> tuple[str, ...]:
        """Questions whose relevance reads the answer to `qid` (directly)."""
        return self._dependants.get(qid, ())

    def prompts(self, qid: str) -> tuple[str, ...]:
        """The prompts shown under a key question, in definition order."""
        return self._prompts.get(qid, ())

    def band(self, score: float | None) -> str | None:
        """The rating band label for a score as it stands (no rounding), or None without bands or score."""
        found = band_of(self.bands, score)
        return found.label if found else None

    def case_attributes(self, given: Mapping[str, object]) -> dict[str, object]:
        """Given attribute values completed with the defaults, in definition order."""
        return {name: given.get(name, attr.default_value()) for name, attr in self.attributes.items()}

    def attribute_problems(self, given: Mapping[str, object]) -> list[str]:
        """Every reason the attribute values are not allowed (unknown names, bad values)."""
        problems = [f"unknown attribute {name!r}" for name in given if name not in self.attributes]
        for name, value in given.items():
            if name in self.attributes:
                problem = self.attributes[name].problem(value)
                if problem:
                    problems.append(problem)
        return problems

    def is_relevant(
        self, qid: str, attributes: Mapping[str, object], answer_of=lambda _q: None
    ) -> bool:
        """Whether a question's condition holds for a case."""
        return evaluate(self._questions[qid].applies_when, attributes, answer_of, self.conditions)

    def relevance_unanswered(self, attributes: Mapping[str, object]) -> tuple[bool, ...]:
        """Every question's relevance, in order, for a case with no answers: its attributes decide alone,
        so cases alike in the attributes conditions read share one evaluation (most cases of a new inspection)."""
        key: tuple | None = tuple(attributes.get(name, _ABSENT) for name in self._read_attributes)
        try:
            found = self._blank_relevance.get(key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable value: evaluate it, unremembered
            key, found = None, None
        if found is None:
            found = tuple(self.is_relevant(qid, attributes) for qid in self._questions)
            if key is not None:
                if len(self._blank_relevance) >= BLANK_RELEVANCE_KEPT:
                    self._blank_relevance.clear()
                self._blank_relevance[key] = found
        return found
