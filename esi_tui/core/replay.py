"""The replay script format (JSON Lines of inspections, cases, answers, team records): parse and check it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.replay_records import (
    CASE_TEAM_FIELDS, TEAM_FIELDS, case_team_problem, name_problem, team_problem, time_problem, value_problem)

TYPES = ("inspection", "settings", "case", "answer", "moderation", "case_note")
TYPE_NAMES = "inspection, settings, case, answer, moderation or case_note"
FIELDS = {
    "inspection": {"type", "id", "title", "area", "questionnaire", "baseline", "question_baseline",
                   "not_comparable"},
    "case": {"type", "inspection", "reference", "attributes", "complete", *CASE_TEAM_FIELDS},
    "answer": {"type", "inspection", "case", "question", "value", "reviewer", "note", "at"},
    **TEAM_FIELDS,
}


@dataclass
class Step:
    """One checked record of a script, ready to apply."""

    line: int
    type: str
    data: dict


@dataclass
class Plan:
    """A checked script: the steps to apply and every problem found, one line each."""

    steps: list[Step] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)

    @property
    def answers(self) -> int:
        """How many answer records the plan holds."""
        return sum(step.type == "answer" for step in self.steps)


class ScriptContext:
    """What the checker may ask about the world: the database and the questionnaire catalogue."""

    def __init__(
        self,
        inspection_questionnaire: Callable[[str], Questionnaire | None],
        find_questionnaire: Callable[[str], Questionnaire | None],
        case_exists: Callable[[str, str], bool],
        default_inspection: str | None = None,
    ):
        self.inspection_questionnaire = inspection_questionnaire
        self.find_questionnaire = find_questionnaire
        self.case_exists = case_exists
        self.default_inspection = default_inspection


def check_script(text: str, name: str, context: ScriptContext) -> Plan:
    """Parse and check a whole script; every bad line is reported as `NAME:LINE: what is wrong`, in line order."""
    plan = Plan()
    found: list[tuple[int, str]] = []
    raw: list[tuple[int, dict]] = []
    # Only "\n" ends a line: str.splitlines() would also split at U+2028, U+0085 and friends,
    # which json.dumps(ensure_ascii=False) leaves unescaped inside strings (a note, a title).
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as exc:
            column = exc.colno + len(line) - len(line.lstrip())
            found.append((number, f"malformed JSON: {exc.msg} (column {column})"))
            continue
        except ValueError:  # the only other one json raises: an integer too long to convert
            found.append((number, "malformed JSON: a number has too many digits"))
            continue
        except RecursionError:
            found.append((number, "malformed JSON: nested too deeply"))
            continue
        if not isinstance(record, dict):
            found.append((number, "a record must be a JSON object"))
            continue
        kind = record.get("type")
        if "type" not in record:
            found.append((number, f"a record needs a \"type\" ({TYPE_NAMES})"))
            continue
        if kind not in TYPES:
            found.append((number, f"unknown type {kind!r} ({TYPE_NAMES})"))
            continue
        unknown = sorted(set(record) - FIELDS[kind])
        if unknown:
            found.append((number, f"unknown field {unknown[0]!r} in a {kind} record"))
            continue
        raw.append((number, record))
    named = {r["id"] for _, r in raw if r["type"] == "inspection" and isinstance(r.get("id"), str)}
    default = context.default_inspection or (next(iter(named)) if len(named) == 1 else None)
    checker = _Checker(name, context, plan, default)
    for number, record in raw:
        problem = checker.check(number, record)
        if problem:
            found.append((number, problem))
    found.sort(key=lambda item: item[0])
    plan.problems = [f"{name}:{number}: {problem}" for number, problem in found]
    return plan


class _Checker:
    """Checks records in order, remembering the inspections and cases the script creates."""

    def __init__(self, name: str, context: ScriptContext, plan: Plan, default: str | None):
        self.name = name
        self.context = context
        self.plan = plan
        self.default = default
        self.cases: set[tuple[str, str]] = set()

    def known_case(self, inspection: str, reference: str) -> bool:
        """Whether the script (so far) or the database has this case."""
        return (inspection, reference) in self.cases or self.context.case_exists(inspection, reference)

    def questionnaire(self, inspection: str) -> Questionnaire | None:
        if inspection not in self.plan.questionnaires:
            found = self.context.inspection_questionnaire(inspection)
            if found is None:
                return None
            self.plan.questionnaires[inspection] = found
        return self.plan.questionnaires[inspection]

    def check(self, number: int, record: dict) -> str | None:
        kind = record["type"]
        if kind == "inspection":
            return self.inspection(number, record)
        inspection = record.get("inspection", self.default)
        if inspection is None:
            return "which inspection? add \"inspection\" (the script names none or several)"
        if not isinstance(inspection, str):
            return "inspection must be a string"
        questionnaire = self.questionnaire(inspection)
        if questionnaire is None:
            return f"unknown inspection {inspection!r}"
        data = {**record, "inspection": inspection}
        if kind == "case":
            problem = self.case(data, questionnaire)
        elif kind == "answer":
            problem = self.answer(data, questionnaire)
        else:
            problem = team_problem(kind, data, questionnaire, self.known_case)
        if problem is None:
            self.plan.steps.append(Step(number, kind, data))
        return problem

    def inspection(self, number: int, record: dict) -> str | None:
        inspection_id = record.get("id")
        if not isinstance(inspection_id, str) or not inspection_id.strip():
            return "an inspection record needs an \"id\" string"
        existing = self.context.inspection_questionnaire(inspection_id)
        wanted = record.get("questionnaire")
        if not isinstance(wanted, str):
            return "an inspection record needs a \"questionnaire\" id"
        for key in ("title", "area"):
            if key in record and not isinstance(record[key], str):
                return f"{key} must be a string"
        if existing is not None:
            if existing.id != wanted:
                return f"inspection {inspection_id} already exists with questionnaire {existing.id}, not {wanted}"
            questionnaire = existing
        else:
            questionnaire = self.plan.questionnaires.get(inspection_id) or self.context.find_questionnaire(wanted)
            if questionnaire is None:
                return f"unknown questionnaire {wanted!r}"
        for key, valid in (("baseline", {c.code for c in questionnaire.criteria}),
                           ("question_baseline", {q.id for q in questionnaire.questions})):
            values = record.get(key, {})
            if not isinstance(values, dict):
                return f"{key} must be an object such as {{\"B1\": 54}}"
            for item, value in values.items():
                if item not in valid:
                    what = "criterion" if key == "baseline" else "question"
                    return f"{key}: unknown {what} {item!r}"
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
                    return f"{key}: {item} must be a percentage from 0 to 100, not {value!r}"
        codes = record.get("not_comparable", [])
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            return "not_comparable must be a list of criterion codes such as [\"C2\"]"
        unknown = [c for c in codes if c not in {c.code for c in questionnaire.criteria}]
        if unknown:
            return f"not_comparable: unknown criterion {unknown[0]!r}"
        self.plan.questionnaires[inspection_id] = questionnaire
        self.plan.steps.append(Step(number, "inspection", record))
        return None

    def case(self, data: dict, questionnaire: Questionnaire) -> str | None:
        reference = data.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            return "a case record needs a \"reference\" string"
        if reference != reference.strip():
            return f"reference {reference!r} must not start or end with spaces"
        attributes = data.get("attributes", {})
        if not isinstance(attributes, dict):
            return "attributes must be an object"
        problems = questionnaire.attribute_problems(attributes)
        if problems:
            return f"case {reference}: {problems[0]}"
        if "complete" in data and not isinstance(data["complete"], bool):
            return "complete must be true or false"
        problem = case_team_problem(data)
        if problem:
            return problem
        self.cases.add((data["inspection"], reference))
        return None

    def answer(self, data: dict, questionnaire: Questionnaire) -> str | None:
        case, qid = data.get("case"), data.get("question")
        if not isinstance(case, str) or not case:
            return "an answer record needs a \"case\" reference"
        if not isinstance(qid, str) or not qid:
            return "an answer record needs a \"question\" id"
        if not self.known_case(data["inspection"], case):
            return f"unknown case {case!r} (add a case record before its answers)"
        if not questionnaire.has_question(qid):
            return f"unknown question {qid!r} in {questionnaire.id}"
        if "value" not in data:
            return "an answer record needs a \"value\" (an option key, or null to clear)"
        problem = value_problem(data["value"], qid, questionnaire)
        if problem:
            return problem
        for key in ("reviewer", "note"):
            if key in data and data[key] is not None and not isinstance(data[key], str):
                return f"{key} must be a string"
        return name_problem(data, "reviewer") or time_problem(data)


def dump_record(record: dict) -> str:
    """One line of a replay script, with keys in a stable order."""
    order = ["type", "id", "inspection", "reference", "case", "question", "value", "reviewer", "moderator", "reason",
             "note", "at", "title", "area", "questionnaire", "baseline", "question_baseline", "not_comparable",
             "attributes", "complete", "complete_at", "completed_by", "completed_at", "reopened_at", "double_review",
             "disagreement_policy", "double_review_seed", "double_review_share"]
    ordered = {k: record[k] for k in order if k in record}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    return json.dumps(ordered, ensure_ascii=False, separators=(", ", ": "))
