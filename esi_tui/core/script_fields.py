"""The fields of each replay record and the checks of their shape (types, times, names), which need
neither a database nor a questionnaire; what the values mean is the store's applier's to check."""

from __future__ import annotations

from esi_tui.core.tally import POLICIES
from esi_tui.core.text import name_problem, reference_problem, text_problem
from esi_tui.core.times import EXAMPLE, time_problem, valid_time

#: what a case record may carry besides its reference, attributes and `complete`
CASE_TEAM_FIELDS = {"complete_at", "completed_by", "completed_at", "reopened_at", "double_review"}
FIELDS = {
    "inspection": {"type", "id", "title", "area", "questionnaire", "baseline", "question_baseline",
                   "not_comparable"},
    "case": {"type", "inspection", "reference", "attributes", "complete", *CASE_TEAM_FIELDS},
    "answer": {"type", "inspection", "case", "question", "value", "reviewer", "note", "at"},
    "settings": {"type", "inspection", "disagreement_policy", "double_review_seed", "double_review_share"},
    "moderation": {"type", "inspection", "case", "question", "value", "reason", "moderator", "at"},
    "case_note": {"type", "inspection", "case", "reviewer", "note", "at"},
}


def _at(data: dict) -> str | None:
    """What is wrong with a record's `at`, if anything (left out or null: now)."""
    return time_problem(data["at"]) if data.get("at") is not None else None


def _person(data: dict, key: str) -> str | None:
    """What is wrong with an optional person's name (a reviewer, a moderator), if anything."""
    if key in data and data[key] is not None:
        if not isinstance(data[key], str):
            return f"{key} must be a string"
        return name_problem(data[key], key)
    return None


def _item(data: dict, kind: str, what: str) -> str | None:
    """The case and question a record is about (an answer or a moderation)."""
    case, qid = data.get("case"), data.get("question")
    if not isinstance(case, str) or not case:
        return f"a{'n' if kind == 'answer' else ''} {kind} record needs a \"case\" reference"
    if not isinstance(qid, str) or not qid:
        return f"a{'n' if kind == 'answer' else ''} {kind} record needs a \"question\" id"
    if "value" not in data:
        return f"a{'n' if kind == 'answer' else ''} {kind} record needs a \"value\" ({what}, or null to " \
               f"{'clear' if kind == 'answer' else 'withdraw it'})"
    if data["value"] is not None and not isinstance(data["value"], str):
        return f"value must be an option key (a string) or null, not {data['value']!r}"
    return None


def inspection_problem(data: dict) -> str | None:
    """What is wrong with the shape of an inspection record."""
    inspection_id = data.get("id")
    if not isinstance(inspection_id, str) or not inspection_id.strip():
        return "an inspection record needs an \"id\" string"
    if not isinstance(data.get("questionnaire"), str):
        return "an inspection record needs a \"questionnaire\" id"
    for key in ("title", "area"):
        if key in data and not isinstance(data[key], str):
            return f"{key} must be a string"
    for key in ("baseline", "question_baseline"):
        values = data.get(key, {})
        if not isinstance(values, dict):
            return f"{key} must be an object such as {{\"B1\": 54}}"
        for item, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
                return f"{key}: {item} must be a percentage from 0 to 100, not {value!r}"
    codes = data.get("not_comparable", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return "not_comparable must be a list of criterion codes such as [\"C2\"]"
    return (text_problem(inspection_id, "id", "id") or text_problem(data.get("title", ""), "title", "title")
            or text_problem(data.get("area", ""), "area", "title"))


def case_problem(data: dict) -> str | None:
    """What is wrong with the shape of a case record (its reference, attributes and completion fields)."""
    reference = data.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        return "a case record needs a \"reference\" string"
    problem = reference_problem(reference)
    if problem:
        return problem
    if not isinstance(data.get("attributes", {}), dict):
        return "attributes must be an object"
    if "complete" in data and not isinstance(data["complete"], bool):
        return "complete must be true or false"
    names = data.get("completed_by", [])
    if "completed_by" in data:
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            return "completed_by must be a list of reviewer names such as [\"ann\", \"bob\"]"
        if len(set(names)) != len(names):
            return "completed_by names a reviewer twice"
        problem = next((p for p in (name_problem(n, "completed_by") for n in names) if p), None)
        if problem:
            return problem
    if "complete_at" in data:
        if "complete" not in data:
            return "complete_at needs complete (it says when the case was marked so)"
        if not valid_time(data["complete_at"]):
            return f"complete_at must be an ISO 8601 time such as {EXAMPLE}, not {data['complete_at']!r}"
    for key, what in (("completed_at", "finished"), ("reopened_at", "reopened")):
        times = data.get(key, {})
        if not isinstance(times, dict) or not all(isinstance(n, str) and n.strip() for n in times):
            return f"{key} must map reviewer names to times, such as {{\"ann\": \"{EXAMPLE}\"}}"
        for name, at in times.items():
            if (name in names) != (key == "completed_at"):
                return (f"{key} names {name}, who is {'not ' if key == 'completed_at' else ''}in completed_by "
                        f"(it says when each reviewer {what} the case)")
            if not valid_time(at):
                return f"{key}: {name}'s time must be an ISO 8601 time such as {EXAMPLE}, not {at!r}"
    if "double_review" in data and not isinstance(data["double_review"], bool):
        return "double_review must be true or false"
    return None


def answer_problem(data: dict) -> str | None:
    """What is wrong with the shape of an answer record."""
    problem = _item(data, "answer", "an option key")
    if problem:
        return problem
    for key in ("reviewer", "note"):
        if key in data and data[key] is not None and not isinstance(data[key], str):
            return f"{key} must be a string"
    if isinstance(data.get("note"), str):
        problem = text_problem(data["note"], "note")
        if problem:
            return problem
    return _person(data, "reviewer") or _at(data)


def settings_problem(data: dict) -> str | None:
    """What is wrong with the shape of a settings record."""
    policy = data.get("disagreement_policy", "first")
    if policy not in POLICIES:
        return f"disagreement_policy must be one of {', '.join(POLICIES)}, not {policy!r}"
    seed = data.get("double_review_seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or abs(seed) > 2**63:
        return f"double_review_seed must be a whole number, not {seed!r}"
    share = data.get("double_review_share", 1)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        return f"double_review_share must be a number above 0 and at most 1, not {share!r}"
    return None


def moderation_problem(data: dict) -> str | None:
    """What is wrong with the shape of a moderation record."""
    problem = _item(data, "moderation", "the agreed option key")
    if problem:
        return problem
    if "reason" in data and data["reason"] is not None:
        if not isinstance(data["reason"], str):
            return "reason must be a string"
        problem = text_problem(data["reason"], "reason", "reason")
        if problem:
            return problem
    return _person(data, "moderator") or _at(data)


def case_note_problem(data: dict) -> str | None:
    """What is wrong with the shape of a case_note record."""
    case = data.get("case")
    if not isinstance(case, str) or not case:
        return "a case_note record needs a \"case\" reference"
    if not isinstance(data.get("note"), str):
        return "a case_note record needs a \"note\" string (\"\" removes the note)"
    return text_problem(data["note"], "note") or _person(data, "reviewer") or _at(data)


CHECKS = {"inspection": inspection_problem, "case": case_problem, "answer": answer_problem,
          "settings": settings_problem, "moderation": moderation_problem, "case_note": case_note_problem}
