"""Exports of an inspection: the answer log as a replay script, CSV rows, and JSON."""

from __future__ import annotations

import csv
import io

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.records import Answer, Case, Inspection
from esi_tui.core.replay import dump_record
from esi_tui.core.summary import tally_document
from esi_tui.core.tally import TallyEngine


class Pseudonyms:
    """Stable stand-ins for case references ('case-001' by order of entry), for redacted exports."""

    def __init__(self, cases: list[Case]):
        width = max(3, len(str(len(cases))))
        self.names = {case.reference: f"case-{index:0{width}d}" for index, case in enumerate(cases, start=1)}

    def __call__(self, reference: str) -> str:
        return self.names.get(reference, "case-unknown")


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
                 redact: bool = False) -> list[str]:
    """The inspection as replay script lines; replaying them rebuilds the same inspection."""
    name = Pseudonyms(cases) if redact else (lambda ref: ref)
    record: dict = {"type": "inspection", "id": inspection.id, "title": inspection.title,
                    "area": inspection.area, "questionnaire": inspection.questionnaire_id}
    if inspection.baseline:
        record["baseline"] = inspection.baseline
    if inspection.question_baseline:
        record["question_baseline"] = inspection.question_baseline
    lines = [dump_record(record)]
    for case in cases:
        record = {"type": "case", "inspection": inspection.id, "reference": name(case.reference),
                  "attributes": case.attributes}
        if case.complete:
            record["complete"] = True
        lines.append(dump_record(record))
    for answer in ordered_answers(questionnaire, cases, answers):
        record = {"type": "answer", "inspection": inspection.id, "case": name(answer.case),
                  "question": answer.question, "value": answer.value, "reviewer": answer.reviewer,
                  "at": answer.at}
        if answer.note and not redact:
            record["note"] = answer.note
        lines.append(dump_record(record))
    return lines


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
            for answer in by_key.get((case.reference, question.id), [None]):  # type: ignore[list-item]
                option = scale.option(answer.value) if answer and answer.value else None
                writer.writerow([
                    inspection.id, name(case.reference), *values, question.criterion, question.id, state,
                    answer.value if answer and answer.value else "", option.counts_as if option else "",
                    answer.reviewer if answer else "", "" if redact or not answer else spreadsheet_safe(answer.note),
                    answer.at if answer else "",
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
