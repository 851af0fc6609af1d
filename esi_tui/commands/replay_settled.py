"""Which steps of a checked replay script the database already holds, so that replaying twice changes nothing."""

from __future__ import annotations

from esi_tui.core.replay import Plan, Step
from esi_tui.store.repository import Repository

#: the settings a `settings` record may set
SETTINGS = ("disagreement_policy", "double_review_seed", "double_review_share")


def settled_steps(repo: Repository, plan: Plan, default_reviewer: str) -> list[Step]:
    """The steps still to apply: those of a record already in the state the script leaves it are dropped.

    A script may set one answer (or case, moderation, case note, setting) several times: yes, then
    no. Applied again, those steps would change it back and forth and add history; the database
    already holding what the last of them leaves means they were applied, so none of them is needed.
    """
    held = (_held_answers(repo, plan, default_reviewer) | _held_cases(repo, plan) | _held_settings(repo, plan)
            | _held_moderations(repo, plan, default_reviewer) | _held_notes(repo, plan, default_reviewer))
    return [step for step in plan.steps if step_key(step, default_reviewer) not in held]


def step_key(step: Step, default_reviewer: str) -> tuple | None:
    """What a step sets: one answer, case, inspection's settings, moderation or case note (None: an inspection)."""
    data = step.data
    if step.type == "answer":
        return ("answer", *_answer_key(data, default_reviewer))
    if step.type == "case":
        return ("case", data["inspection"], data["reference"])
    if step.type == "settings":
        return ("settings", data["inspection"])
    if step.type == "moderation":
        return ("moderation", data["inspection"], data["case"], data["question"])
    if step.type == "case_note":
        return ("case_note", data["inspection"], data["case"], data.get("reviewer") or default_reviewer)
    return None


def _steps(plan: Plan, kind: str) -> list[dict]:
    return [step.data for step in plan.steps if step.type == kind]


def _answer_key(data: dict, default_reviewer: str) -> tuple[str, str, str, str]:
    return data["inspection"], data["case"], data["question"], data.get("reviewer") or default_reviewer


def _current_answer(repo: Repository, key: tuple[str, str, str, str]):
    inspection, case, question, reviewer_name = key
    if not repo.has_inspection(inspection):
        return None
    return repo.answer(inspection, case, question, reviewer_name)


def _held_answers(repo: Repository, plan: Plan, default_reviewer: str) -> set[tuple]:
    answers: dict[tuple, tuple[object, str]] = {}
    for data in _steps(plan, "answer"):
        key = _answer_key(data, default_reviewer)
        if key in answers:
            note = answers[key][1]
        else:
            current = _current_answer(repo, key)
            note = current.note if current else ""
        if data.get("note") is not None:
            note = data["note"]
        answers[key] = (data["value"], note)
    held: set[tuple] = set()
    for key, (value, note) in answers.items():
        current = _current_answer(repo, key)
        if current is None:
            unchanged = value is None and not note
        else:
            unchanged = (current.value, current.note) == (value, note)
        if unchanged:
            held.add(("answer", *key))
    return held


def _held_cases(repo: Repository, plan: Plan) -> set[tuple]:
    """Cases in the database that the script leaves as they are (attributes, completion, double-review mark)."""
    now: dict[tuple[str, str], tuple] = {}
    after: dict[tuple[str, str], list] = {}
    for data in _steps(plan, "case"):
        key = (data["inspection"], data["reference"])
        if key not in after:
            if not (repo.has_inspection(key[0]) and repo.has_case(*key)):
                continue    # a new case: nothing is held
            case = repo.case(*key)
            now[key] = (case.attributes, case.complete, list(case.completed_by), repo.is_double_review(*key))
            after[key] = [dict(case.attributes), case.complete, list(case.completed_by), now[key][3]]
        state = after[key]
        state[0].update(data.get("attributes", {}))
        for name in data.get("completed_by", ()):
            if name not in state[2]:        # as Repository.set_complete with a reviewer does
                state[2].append(name)
                state[1] = True
        for name in data.get("reopened_at", ()):
            if name in state[2]:
                state[2].remove(name)
                state[1] = bool(state[2])
        state[1] = data.get("complete", state[1])
        state[3] = data.get("double_review", state[3])
    held = set()
    for key, (attributes, complete, completed_by, marked) in after.items():
        attributes = plan.questionnaires[key[0]].case_attributes(attributes)
        if (attributes, complete, completed_by, marked) == now[key]:
            held.add(("case", *key))
    return held


def _held_settings(repo: Repository, plan: Plan) -> set[tuple]:
    wanted: dict[str, dict] = {}
    for data in _steps(plan, "settings"):
        wanted.setdefault(data["inspection"], {}).update({k: v for k, v in data.items() if k in SETTINGS})
    return {("settings", inspection) for inspection, settings in wanted.items()
            if repo.has_inspection(inspection)
            and all(repo.settings(inspection).get(k, object()) == v for k, v in settings.items())}


def _held_moderations(repo: Repository, plan: Plan, default_reviewer: str) -> set[tuple]:
    """Moderations the database already holds; a withdrawn one is held once its withdrawal is in history."""
    last: dict[tuple, dict] = {}
    made: dict[tuple, dict] = {}
    for data in _steps(plan, "moderation"):
        key = (data["inspection"], data["case"], data["question"])
        last[key] = data
        if data["value"] is not None:
            made[key] = data
    held = set()
    for key, data in last.items():
        current = repo.moderation(*key)
        if data["value"] is not None:
            unchanged = current is not None and (current.value, current.reason) == (data["value"],
                                                                                   data.get("reason") or "")
        else:
            unchanged = current is None and (key not in made or _withdrawn(repo, key, made[key], default_reviewer))
        if unchanged:
            held.add(("moderation", *key))
    return held


def _withdrawn(repo: Repository, key: tuple[str, str, str], data: dict, default_reviewer: str) -> bool:
    """Whether the database's history holds this moderation as withdrawn (or replaced)."""
    wanted = (data["value"], data.get("reason") or "", data.get("moderator") or default_reviewer)
    return any(record.get("kind") == "moderation"
               and (record.get("value"), record.get("reason") or "", record.get("moderator") or "") == wanted
               and (data.get("at") is None or record.get("at") == data["at"])
               for record in repo.history(*key))


def _held_notes(repo: Repository, plan: Plan, default_reviewer: str) -> set[tuple]:
    notes = {(d["inspection"], d["case"], d.get("reviewer") or default_reviewer): d["note"]
             for d in _steps(plan, "case_note")}
    return {("case_note", *key) for key, note in notes.items() if repo.case_note(*key) == note}
