"""The replay script's team records (settings, moderations, case notes, case marks): fields and checks."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import POLICIES

TEAM_FIELDS = {
    "settings": {"type", "inspection", "disagreement_policy", "double_review_seed", "double_review_share"},
    "moderation": {"type", "inspection", "case", "question", "value", "reason", "moderator", "at"},
    "case_note": {"type", "inspection", "case", "reviewer", "note", "at"},
}
#: what a case record may carry besides its reference, attributes and `complete`
CASE_TEAM_FIELDS = {"complete_at", "completed_by", "completed_at", "reopened_at", "double_review"}
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def valid_time(value: object) -> bool:
    """Whether `value` is an ISO 8601 time with a zone that names a real moment (no 2005-13-45)."""
    if not isinstance(value, str) or not TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def time_problem(data: dict) -> str | None:
    """What is wrong with a record's `at`, if anything (left out or null: now)."""
    at = data.get("at")
    if at is not None and not valid_time(at):
        return f"at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not {at!r}"
    return None


def name_problem(data: dict, key: str) -> str | None:
    """What is wrong with an optional person's name (a reviewer, a moderator), if anything."""
    if key in data and data[key] is not None:
        if not isinstance(data[key], str):
            return f"{key} must be a string"
        if not data[key].strip():
            return f"{key} must not be empty"
    return None


def value_problem(value: object, qid: str, questionnaire: Questionnaire) -> str | None:
    """What is wrong with an answer's (or moderation's) value for question `qid`: an option key or null."""
    scale = questionnaire.scale_of(qid)
    if value is not None and (not isinstance(value, str) or scale.option(value) is None):
        keys = ", ".join(o.key for o in scale.options)
        return f"value {value!r} is not in {qid}'s scale {scale.id} ({keys})"
    return None


def case_team_problem(data: dict) -> str | None:
    """What is wrong with a case record's completion fields and `double_review`, if anything."""
    names = data.get("completed_by", [])
    if "completed_by" in data:
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            return "completed_by must be a list of reviewer names such as [\"ann\", \"bob\"]"
        if len(set(names)) != len(names):
            return "completed_by names a reviewer twice"
    if "complete_at" in data:
        if "complete" not in data:
            return "complete_at needs complete (it says when the case was marked so)"
        if not valid_time(data["complete_at"]):
            return f"complete_at must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not {data['complete_at']!r}"
    for key, what in (("completed_at", "finished"), ("reopened_at", "reopened")):
        times = data.get(key, {})
        if not isinstance(times, dict) or not all(isinstance(n, str) and n.strip() for n in times):
            return f"{key} must map reviewer names to times, such as {{\"ann\": \"2005-01-10T09:30:00Z\"}}"
        for name, at in times.items():
            if (name in names) != (key == "completed_at"):
                return (f"{key} names {name}, who is {'not ' if key == 'completed_at' else ''}in completed_by "
                        f"(it says when each reviewer {what} the case)")
            if not valid_time(at):
                return f"{key}: {name}'s time must be an ISO 8601 time such as 2005-01-10T09:30:00Z, not {at!r}"
    if "double_review" in data and not isinstance(data["double_review"], bool):
        return "double_review must be true or false"
    return None


def team_problem(kind: str, data: dict, questionnaire: Questionnaire,
                 known_case: Callable[[str, str], bool]) -> str | None:
    """What is wrong with a settings, moderation or case_note record (its inspection already found)."""
    if kind == "settings":
        return _settings(data)
    if kind == "moderation":
        return _moderation(data, questionnaire, known_case)
    return _case_note(data, known_case)


def _settings(data: dict) -> str | None:
    policy = data.get("disagreement_policy", "first")
    if policy not in POLICIES:
        return f"disagreement_policy must be one of {', '.join(POLICIES)}, not {policy!r}"
    seed = data.get("double_review_seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        return f"double_review_seed must be a whole number, not {seed!r}"
    share = data.get("double_review_share", 1)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        return f"double_review_share must be a number above 0 and at most 1, not {share!r}"
    return None


def _moderation(data: dict, questionnaire: Questionnaire, known_case: Callable[[str, str], bool]) -> str | None:
    case, qid = data.get("case"), data.get("question")
    if not isinstance(case, str) or not case:
        return "a moderation record needs a \"case\" reference"
    if not isinstance(qid, str) or not qid:
        return "a moderation record needs a \"question\" id"
    if not known_case(data["inspection"], case):
        return f"unknown case {case!r} (add a case record before its moderations)"
    if not questionnaire.has_question(qid):
        return f"unknown question {qid!r} in {questionnaire.id}"
    if "value" not in data:
        return "a moderation record needs a \"value\" (the agreed option key, or null to withdraw it)"
    problem = value_problem(data["value"], qid, questionnaire)
    if problem:
        return problem
    if "reason" in data and data["reason"] is not None and not isinstance(data["reason"], str):
        return "reason must be a string"
    return name_problem(data, "moderator") or time_problem(data)


def _case_note(data: dict, known_case: Callable[[str, str], bool]) -> str | None:
    case = data.get("case")
    if not isinstance(case, str) or not case:
        return "a case_note record needs a \"case\" reference"
    if not known_case(data["inspection"], case):
        return f"unknown case {case!r} (add a case record before its notes)"
    if not isinstance(data.get("note"), str):
        return "a case_note record needs a \"note\" string (\"\" removes the note)"
    return name_problem(data, "reviewer") or time_problem(data)
