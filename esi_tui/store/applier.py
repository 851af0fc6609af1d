"""The one applier of replay records: what each record means as repository calls, rehearsed on a
scratch copy first (the check), then committed as the very changes the rehearsal made (the apply).

`esi-tui replay`, `replay --live`, `merge` of an exported script and the app's live replay all come
here, so "the check passed" means "applying cannot fail on this input" but for an I/O error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.script_format import Script, Step
from esi_tui.store.errors import InvalidChange, UnknownCase, UnknownInspection
from esi_tui.store.repository import Repository

#: what each record type calls the records that must come after its case
AFTER_CASE = {"answer": "answers", "moderation": "moderations", "case_note": "notes", "case": "records"}
SETTINGS = ("disagreement_policy", "double_review_seed", "double_review_share")


@dataclass
class Context:
    """What applying a script needs besides the repository: who answers when a record does not say,
    and how an inspection record's questionnaire id is found (None: unknown)."""

    default_reviewer: str
    find_questionnaire: Callable[[str], Questionnaire | None]


def _inspection_of(repo: Repository, step: Step) -> str:
    """The inspection a record means: its own, the script's only one, or the database's only one."""
    if "inspection" in step.data:
        return step.data["inspection"]
    held = repo.inspections()
    if len(held) == 1:
        return held[0].id
    raise InvalidChange("which inspection? add \"inspection\" (the script names none or several)")


def apply_step(repo: Repository, step: Step, context: Context) -> None:
    """Apply one record; doing it twice changes nothing the second time. Raises InvalidChange."""
    data = step.data
    if step.type == "inspection":
        _inspection(repo, data, context)
        return
    inspection = _inspection_of(repo, step)
    reviewer = data.get("reviewer") or context.default_reviewer
    if step.type == "case":
        _case(repo, inspection, data)
    elif step.type == "answer":
        repo.set_answer(inspection, data["case"], data["question"], data["value"], reviewer,
                        note=data.get("note"), at=data.get("at"))
    elif step.type == "settings":
        repo.inspection(inspection)
        repo.adopt_settings(inspection, {k: v for k, v in data.items() if k in SETTINGS})
    elif step.type == "moderation":
        repo.moderate(inspection, data["case"], data["question"], data["value"],
                      data.get("moderator") or context.default_reviewer, data.get("reason") or "", at=data.get("at"))
    else:
        repo.set_case_note(inspection, data["case"], reviewer, data["note"], at=data.get("at"))


def _inspection(repo: Repository, data: dict, context: Context) -> None:
    wanted = data["questionnaire"]
    if repo.has_inspection(data["id"]):
        existing = repo.inspection(data["id"]).questionnaire_id
        if existing != wanted:
            raise InvalidChange(f"inspection {data['id']} already exists with questionnaire {existing}, not {wanted}")
        return
    questionnaire = context.find_questionnaire(wanted)
    if questionnaire is None:
        raise InvalidChange(f"unknown questionnaire {wanted!r}")
    repo.create_inspection(data["id"], questionnaire, title=data.get("title", ""), area=data.get("area", ""),
                           baseline=data.get("baseline"), question_baseline=data.get("question_baseline"),
                           not_comparable=data.get("not_comparable"))


def _case(repo: Repository, inspection: str, data: dict) -> None:
    reference = data["reference"]
    repo.save_case(inspection, reference, data.get("attributes", {}))
    # a completion the script gives no time for is recorded as at a time not known (""): older
    # than any recorded, so that merging an export from before times were kept reopens nothing
    finished = data.get("completed_at", {})
    for name in data.get("completed_by", ()):
        repo.set_complete(inspection, reference, True, reviewer=name, at=finished.get(name, ""))
    for name, at in data.get("reopened_at", {}).items():
        repo.set_complete(inspection, reference, False, reviewer=name, at=at)
    if "complete" in data:
        repo.set_complete(inspection, reference, data["complete"], at=data.get("complete_at", ""))
    if data.get("double_review") is True:
        repo.mark_double_review(inspection, [reference])
    elif data.get("double_review") is False:
        repo.unmark_double_review(inspection, reference)


def problem_of(step: Step, error: InvalidChange) -> str:
    """The script's line for a change the store refused (with a hint where one helps)."""
    if isinstance(error, UnknownInspection):
        return f"unknown inspection {error.inspection_id!r}"
    if isinstance(error, UnknownCase) and step.type != "case":
        return f"unknown case {error.reference!r} (add a case record before its {AFTER_CASE[step.type]})"
    return str(error)


# -- rehearsing and committing --------------------------------------------------------------


@dataclass
class Rehearsal:
    """What a script would do: its problems by line, and the changes to commit with the line of each."""

    script: Script
    problems: list[tuple[int, str]] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the script line each record comes from
    applied: list[Step] = field(default_factory=list)  # the steps the records come from (held ones left out)

    def messages(self) -> list[str]:
        """Every problem, the script's own and the store's, as `NAME:LINE: what is wrong`, in line order."""
        found = sorted([*self.script.problems, *self.problems], key=lambda p: p[0])
        return [f"{self.script.name}:{line}: {problem}" for line, problem in _collapsed(found)]

    @property
    def bad_lines(self) -> int:
        """How many lines are bad."""
        return len({line for line, _ in [*self.script.problems, *self.problems]})

    def lines_done(self, records: int) -> int:
        """How many script lines are wholly applied once the first `records` changes are committed."""
        done = self.lines[:records]
        count = len(set(done))
        if done and records < len(self.lines) and self.lines[records] == done[-1]:
            count -= 1  # that line's changes are not all committed yet
        return count


def _collapsed(problems: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """After a bad line that could not create an inspection, the many lines naming it: two lines, not one each."""
    failed = {problem for _, problem in problems if problem.startswith("unknown inspection ")}
    shown: list[tuple[int, str]] = []
    repeated: dict[str, list[int]] = {}
    for line, problem in problems:
        if problem in failed and any(p == problem for _, p in shown):
            repeated.setdefault(problem, []).append(line)
        else:
            shown.append((line, problem))
    for problem, lines in repeated.items():
        if len(lines) == 1:
            shown.append((lines[0], problem))
        else:
            shown.append((lines[0], f"and {len(lines)} more lines, to line {lines[-1]}: {problem}"))
    return sorted(shown, key=lambda p: p[0])


def _run(repo: Repository, steps: list[Step], context: Context, keep_going: bool,
         rehearsal: Rehearsal) -> Repository:
    """Apply steps to a scratch copy of `repo`, recording each change's line; returns the copy."""
    scratch = repo.scratch()
    for step in steps:
        before = len(scratch.records)
        try:
            apply_step(scratch, step, context)
        except InvalidChange as exc:
            rehearsal.problems.append((step.line, problem_of(step, exc)))
            if not keep_going:
                continue  # carry on to find every bad line; nothing is committed anyway
            if len(scratch.records) > before:  # the step changed part of what it meant to: undo that part
                kept = scratch.records[:before]
                scratch = repo.scratch()
                scratch.commit_records(kept)
            continue
        rehearsal.lines += [step.line] * (len(scratch.records) - before)
        rehearsal.applied.append(step)
    return scratch


def rehearse(repo: Repository, script: Script, context: Context, keep_going: bool = False) -> Rehearsal:
    """Try the script on a scratch copy of `repo`: its problems, and the changes it would make.

    Steps whose record the database already holds as the script leaves it are left out, so that
    replaying a script twice changes nothing the second time (not even history).
    """
    rehearsal = Rehearsal(script)
    scratch = _run(repo, script.steps, context, keep_going, rehearsal)
    if rehearsal.problems and not keep_going:
        return rehearsal
    held = {key for step in rehearsal.applied
            if (key := step_key(repo, step, context)) is not None and key_state(repo, key) == key_state(scratch, key)}
    if held:
        todo = [step for step in rehearsal.applied if step_key(repo, step, context) not in held]
        again = Rehearsal(script, problems=rehearsal.problems)
        scratch = _run(repo, todo, context, keep_going, again)
        rehearsal = again
    rehearsal.records = scratch.records
    return rehearsal


def perform(repo: Repository, rehearsal: Rehearsal, done: Callable[[int], None] | None = None) -> None:
    """Commit the rehearsed changes; `done(lines)` hears how many script lines are applied so far."""
    repo.commit_records(rehearsal.records, None if done is None else lambda n: done(rehearsal.lines_done(n)))


# -- what a step sets, to tell a script already applied ---------------------------------------


def step_key(repo: Repository, step: Step, context: Context) -> tuple | None:
    """What a step sets: one answer, case, inspection's settings, moderation or case note (None: an inspection)."""
    data = step.data
    if step.type == "inspection":
        return None
    try:
        inspection = _inspection_of(repo, step)
    except InvalidChange:
        return None
    reviewer = data.get("reviewer") or context.default_reviewer
    if step.type == "answer":
        return ("answer", inspection, data["case"], data["question"], reviewer)
    if step.type == "case":
        return ("case", inspection, data["reference"])
    if step.type == "settings":
        return ("settings", inspection)
    if step.type == "moderation":
        return ("moderation", inspection, data["case"], data["question"])
    return ("case_note", inspection, data["case"], reviewer)


def key_state(repo: Repository, key: tuple) -> object:
    """What the database holds for a step's key, in a form two databases can be compared by."""
    kind, inspection = key[0], key[1]
    if not repo.has_inspection(inspection):
        return None
    if kind == "settings":
        return json.dumps(repo.settings(inspection), sort_keys=True)
    if not repo.has_case(inspection, key[2]):
        return None
    if kind == "answer":
        answer = repo.answer(*key[1:])
        return None if answer is None else (answer.value, answer.note)
    if kind == "case":
        case = repo.case(inspection, key[2])
        return (json.dumps(case.attributes, sort_keys=True), case.complete, case.completed_by,
                repo.is_double_review(inspection, key[2]))
    if kind == "moderation":
        moderation = repo.moderation(*key[1:])
        if moderation is not None:
            return (moderation.value, moderation.reason)
        # withdrawn: held once the versions the script withdraws are in history (however often)
        return frozenset((r.get("value"), r.get("reason") or "", r.get("moderator") or "")
                         for r in repo.history(inspection, key[2], key[3]) if r.get("kind") == "moderation")
    return repo.case_note(*key[1:])
