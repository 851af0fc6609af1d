"""What the store hands out: inspections, cases, answers and moderations, as plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Inspection:
    """One run of a questionnaire over a sample of cases in one area."""

    id: str
    title: str
    area: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_hash: str
    baseline: dict[str, float] = field(default_factory=dict)
    question_baseline: dict[str, float] = field(default_factory=dict)
    created: str = ""
    not_comparable: tuple[str, ...] = ()  # criteria whose baseline asked other questions


@dataclass(frozen=True)
class Case:
    """One case file under review."""

    inspection: str
    reference: str
    attributes: dict[str, object]
    created: str = ""
    complete: bool = False
    completed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """One reviewer's answer to one question for one case."""

    inspection: str
    case: str
    question: str
    reviewer: str
    value: str | None
    note: str = ""
    at: str = ""


@dataclass(frozen=True)
class Moderation:
    """The agreed answer to a question where reviewers disagreed, with the moderator's reason."""

    inspection: str
    case: str
    question: str
    value: str
    reason: str = ""
    moderator: str = ""
    at: str = ""
