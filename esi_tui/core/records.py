"""Plain records passed between the store and the screens: inspections, cases, answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


def now() -> str:
    """The current time as an ISO 8601 UTC string, the form every record stores."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def moment(at: str | None) -> tuple:
    """A sort key for a recorded time: the instant it names (whatever its zone or precision).

    Times are compared as instants, not strings: "10:30+02:00" is earlier than "09:00Z", and
    "09:30:00.5Z" later than "09:30:00Z". A missing or unreadable time sorts before every other.
    """
    try:
        when = datetime.fromisoformat(at)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return (0, at or "")
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (1, when.astimezone(timezone.utc))


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
