"""Exports of an inspection: the answer log as a replay script, CSV rows, and JSON."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from esi_tui.core.entities import Answer, Case, Inspection, Moderation
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.script_format import dump_record
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import tally_document
from esi_tui.core.times import moment


class Pseudonyms:
    """Stable stand-ins for case references ('case-001' by order of entry), for redacted exports."""

    def __init__(self, cases: list[Case]):
        width = max(3, len(str(len(cases))))
        self.names = {case.reference: f"case-{index:0{width}d}" for index, case in enumerate(cases, start=1)}

    def __call__(self, reference: str) -> str:
        return self.names.get(reference, "case-unknown")


@dataclass
class TeamRecords:
    """An inspection's settings, moderations (with their history, for the withdrawn ones), notes and completion."""

    settings: dict = field(default_factory=dict)
    moderations: list[Moderation] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    #: per case, per reviewer (and "" for everyone): (complete, when it last changed; "" not known)
    completion: dict[str, dict[str, tuple[bool, str]]] = field(default_factory=dict)


def ordered_answers(questionnaire: Questionnaire, cases: list[Case], answers: list[Answer]) -> list[Answer]:
    """Answers in case order, then questionnaire order: a stable export order.

    Several reviewers' answers to one question keep the order they were given in (the sort is
    stable), since the tally counts the first reviewer's: sorting them by name would make a
    replayed export count a different answer.
    """
    case_rank = {c.reference: i for i, c in enumerate(cases)}
    question_rank = {q.id: i for i, q in enumerate(questionnaire.questions)}
    return sorted(answers, key=lambda a: (case_rank.get(a.case, len(case_rank)),
                                          question_rank.get(a.question, len(question_rank))))


def script_lines(inspection: Inspection, questionnaire: Questionnaire, cases: list[Case], answers: list[Answer],
                 redact: bool = False, team: TeamRecords | None = None) -> list[str]:
    """The inspection (and its `team` records) as replay script lines; replaying them rebuilds it."""
    team = team or TeamRecords()
    name = Pseudonyms(cases) if redact else (lambda ref: ref)
    record: dict = {"type": "inspection", "id": inspection.id, "title": inspection.title,
                    "area": inspection.area, "questionnaire": inspection.questionnaire_id}
    if inspection.baseline:
        record["baseline"] = inspection.baseline
    if inspection.question_baseline:
        record["question_baseline"] = inspection.question_baseline
    if inspection.not_comparable:
        record["not_comparable"] = list(inspection.not_comparable)
    lines = [dump_record(record)]
    # `redact` leaves out case notes and moderators' reasons, as it leaves out answers' notes
    settings = _settings_record(inspection.id, team.settings)
    if settings:
        lines.append(dump_record(settings))
    marked = set(team.settings.get("double_review", ()))
    for case in cases:
        record = {"type": "case", "inspection": inspection.id, "reference": name(case.reference),
                  "attributes": case.attributes}
        if case.reference in marked:
            record["double_review"] = True
        lines.append(dump_record(record))
    for answer in ordered_answers(questionnaire, cases, answers):
        record = {"type": "answer", "inspection": inspection.id, "case": name(answer.case),
                  "question": answer.question, "value": answer.value, "reviewer": answer.reviewer,
                  "at": answer.at}
        if answer.note and not redact:
            record["note"] = answer.note
        lines.append(dump_record(record))
    lines += [dump_record(r) for r in _moderation_records(inspection.id, questionnaire, cases, team, name, redact)]
    # who finished each case comes after the answers and agreed answers it was finished with: the store
    # refuses to mark a case complete while its required questions are open
    for case in cases:
        fields = _completion_fields(case, team.completion.get(case.reference, {}))
        if fields:
            lines.append(dump_record({"type": "case", "inspection": inspection.id,
                                      "reference": name(case.reference), **fields}))
    if not redact:
        case_rank = {c.reference: i for i, c in enumerate(cases)}
        for note in sorted(team.notes, key=lambda n: (case_rank.get(n["case"], len(case_rank)), n["reviewer"])):
            record = {"type": "case_note", "inspection": inspection.id, "case": note["case"],
                      "reviewer": note["reviewer"], "note": note["note"]}
            if note.get("at"):
                record["at"] = note["at"]
            lines.append(dump_record(record))
    return lines


def _completion_fields(case: Case, completion: dict[str, tuple[bool, str]]) -> dict:
    """Who finished the case, whether it is complete, and when each of them last changed (where known)."""
    fields: dict = {}
    mark = completion.get("")
    # the case-wide mark's time, unless a reviewer's later change decided the case's state
    mark_at = mark[1] if mark and mark[0] == case.complete else ""
    if case.complete or case.completed_by or mark_at:
        fields["complete"] = case.complete      # false: reopened for everyone (after reviewers finished it)
    if mark_at:
        fields["complete_at"] = mark_at
    if case.completed_by:
        fields["completed_by"] = list(case.completed_by)
        finished = {n: completion[n][1] for n in case.completed_by if n in completion and completion[n][1]}
        if finished:
            fields["completed_at"] = finished
    reopened = {n: at for n, (done, at) in sorted(completion.items()) if n and not done and at}
    if reopened:
        fields["reopened_at"] = reopened
    return fields


def _settings_record(inspection_id: str, settings: dict) -> dict | None:
    """The settings record, or None when the inspection keeps the defaults (and draws no sample)."""
    record = {"type": "settings", "inspection": inspection_id,
              "disagreement_policy": settings.get("disagreement_policy", "first")}
    for key in ("double_review_seed", "double_review_share"):
        if settings.get(key) is not None:
            record[key] = settings[key]
    return record if len(record) > 3 or record["disagreement_policy"] != "first" else None


def withdrawn_moderations(moderations: list[Moderation], history: list[dict]) -> list[dict]:
    """Per case and question with no moderation now, the moderation last withdrawn (from history)."""
    current = {(m.case, m.question) for m in moderations}
    withdrawn: dict[tuple, dict] = {}
    for record in history:
        key = (record.get("case"), record.get("question"))
        if record.get("kind") != "moderation" or key in current:
            continue
        if key not in withdrawn or moment(record.get("replaced_at")) >= moment(withdrawn[key].get("replaced_at")):
            withdrawn[key] = record
    return list(withdrawn.values())


def _moderation_records(inspection_id: str, questionnaire: Questionnaire, cases: list[Case], team: TeamRecords,
                        name, redact: bool) -> list[dict]:
    """Moderation records in case and question order; a withdrawn one is followed by its withdrawal."""
    case_rank = {c.reference: i for i, c in enumerate(cases)}
    question_rank = {q.id: i for i, q in enumerate(questionnaire.questions)}
    made: list[tuple] = [(m.case, m.question, m.value, m.reason, m.moderator, m.at, None, {})
                         for m in team.moderations]
    made += [(r["case"], r["question"], r["value"], r.get("reason") or "", r.get("moderator") or "",
              r.get("at") or "", r.get("replaced_at") or "",
              {"moderator": r.get("withdrawn_by") or "", "reason": r.get("withdrawal_reason") or ""})
             for r in withdrawn_moderations(team.moderations, team.history)]
    made.sort(key=lambda m: (case_rank.get(m[0], len(case_rank)), question_rank.get(m[1], len(question_rank))))
    records = []
    for case, question, value, reason, moderator, at, withdrawn_at, withdrawn in made:
        record = {"type": "moderation", "inspection": inspection_id, "case": name(case), "question": question,
                  "value": value}
        if moderator:
            record["moderator"] = moderator
        if reason and not redact:
            record["reason"] = reason
        if at:
            record["at"] = at
        records.append(record)
        if withdrawn_at is not None:
            withdrawal = {"type": "moderation", "inspection": inspection_id, "case": name(case),
                          "question": question, "value": None}
            if withdrawn["moderator"]:
                withdrawal["moderator"] = withdrawn["moderator"]
            if withdrawn["reason"] and not redact:
                withdrawal["reason"] = withdrawn["reason"]
            if withdrawn_at:
                withdrawal["at"] = withdrawn_at
            records.append(withdrawal)
    return records


def csv_text(inspection: Inspection, questionnaire: Questionnaire, cases: list[Case], answers: list[Answer],
             engine: TallyEngine, redact: bool = False) -> str:
    """One row per case and question (and per reviewer where several answered), for spreadsheets."""
    name = Pseudonyms(cases) if redact else (lambda ref: ref)
    by_key: dict[tuple[str, str], list[Answer]] = {}
    for answer in ordered_answers(questionnaire, cases, answers):
        by_key.setdefault((answer.case, answer.question), []).append(answer)
    attributes = list(questionnaire.attributes)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["inspection", "case", *attributes, "criterion", "question", "state", "answer",
                     "counts_as", "reviewer", "note", "at"])
    for case in cases:
        values = [_cell(case.attributes.get(a)) for a in attributes]
        for question in questionnaire.questions:
            state = engine.state(case.reference, question.id)
            scale = questionnaire.scales[question.scale]
            given: list[Answer | None] = [*by_key.get((case.reference, question.id), [])] or [None]
            for row in given:
                option = scale.option(row.value) if row and row.value else None
                writer.writerow([
                    inspection.id, name(case.reference), *values, question.criterion, question.id, state,
                    row.value if row and row.value else "", option.counts_as if option else "",
                    row.reviewer if row else "", "" if redact or not row else spreadsheet_safe(row.note),
                    row.at if row else "",
                ])
    return out.getvalue()


def json_document(inspection: Inspection, questionnaire: Questionnaire, cases: list[Case],
                  answers: list[Answer], engine: TallyEngine, redact: bool = False) -> dict:
    """The tallies and the answers of an inspection as one JSON-ready object."""
    name = Pseudonyms(cases) if redact else (lambda ref: ref)
    document = tally_document(engine, inspection.id)
    document["area"] = inspection.area
    document["questionnaire"] = {"id": questionnaire.id, "version": questionnaire.version}
    document["cases"] = [{"reference": name(c.reference), "attributes": c.attributes, "complete": c.complete}
                         for c in cases]
    document["answers"] = [
        {"case": name(a.case), "question": a.question, "value": a.value, "reviewer": a.reviewer,
         **({} if redact else {"note": a.note}), "at": a.at}
        for a in ordered_answers(questionnaire, cases, answers)
    ]
    return document


def spreadsheet_safe(text: str) -> str:
    """Free text a spreadsheet will not run as a formula (a leading = + - @ gets a quote)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
