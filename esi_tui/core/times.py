"""Recorded times: the form every record stores, which times are allowed, and how they sort."""

from __future__ import annotations

import re
from datetime import UTC, datetime

#: an ISO 8601 time with a zone: 2005-01-10T09:30:00Z, 2005-01-10T10:30+01:00, 2005-01-10T09:30:00.5Z
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
EXAMPLE = "2005-01-10T09:30:00Z"


def now() -> str:
    """The current time as an ISO 8601 UTC string, the form every record stores."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_time(value: object) -> bool:
    """Whether `value` is an ISO 8601 time with a zone that names a real, orderable moment.

    2005-13-45 is no moment; 0001-01-01T00:00:00+14:00 is one no store can order (in UTC it falls
    before the year 1), so both are refused before anything is saved.
    """
    if not isinstance(value, str) or not TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def time_problem(value: object, what: str = "at") -> str | None:
    """What is wrong with a recorded time, if anything (None: it is fine; None is not passed here)."""
    if valid_time(value):
        return None
    return f"{what} must be an ISO 8601 time such as {EXAMPLE}, not {value!r}"


def moment(at: str | None) -> tuple:
    """A sort key for a recorded time: the instant it names (whatever its zone or precision).

    Times are compared as instants, not strings: "10:30+02:00" is earlier than "09:00Z", and
    "09:30:00.5Z" later than "09:30:00Z". A missing or unreadable time sorts before every other.
    """
    try:
        when = datetime.fromisoformat(at)  # type: ignore[arg-type]
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return (1, when.astimezone(UTC))
    except (TypeError, ValueError, OverflowError):
        return (0, at or "")
