"""Reviewers' answers: saved one at a time (earlier versions kept in history), read back, counted."""

from __future__ import annotations

from collections.abc import Iterable

from esi_tui.core.entities import Answer
from esi_tui.core.text import name_problem, text_problem
from esi_tui.core.times import now, time_problem
from esi_tui.store.completions import Completions
from esi_tui.store.errors import InvalidChange
from esi_tui.store.ledger import Ledger


def as_answer(doc: dict) -> Answer:
    """A stored answer as the value the store hands out."""
    return Answer(doc["inspection"], doc["case"], doc["question"], doc["reviewer"],
                  doc.get("value"), doc.get("note") or "", doc.get("at", ""))


def value_problem(questionnaire, qid: str, value: object) -> str | None:
    """What is wrong with an answer (or agreed answer) to `qid`: it must be an option key of its scale, or None."""
    scale = questionnaire.scale_of(qid)
    if value is not None and (not isinstance(value, str) or scale.option(value) is None):
        keys = ", ".join(o.key for o in scale.options)
        return f"value {value!r} is not in {qid}'s scale {scale.id} ({keys})"
    return None


class Answers:
    """Every reviewer's answers of one database."""

    def __init__(self, ledger: Ledger, completions: Completions):
        self.ledger = ledger
        self.completions = completions

    def all(self, inspection_id: str, case: str | None = None) -> list[Answer]:
        """Current answers of an inspection (or of one case), in the order they were first given."""
        if case is not None:
            return [as_answer(doc) for doc in self.ledger.state.case_answers(inspection_id, case)]
        return [as_answer(doc) for (insp, _, _, _), doc in self.ledger.state.answers.items() if insp == inspection_id]

    def rows(self, inspection_id: str) -> Iterable[tuple[str, str, str, str]]:
        """(case, question, reviewer, value) of every answer given (not cleared), in the store's order."""
        for (insp, ref, qid, reviewer), doc in self.ledger.state.answers.items():
            if insp == inspection_id and doc.get("value") is not None:
                yield ref, qid, reviewer, doc["value"]

    def get(self, inspection_id: str, case: str, question: str, reviewer: str) -> Answer | None:
        """One reviewer's current answer, or None."""
        doc = self.ledger.state.answers.get((inspection_id, case, question, reviewer))
        return as_answer(doc) if doc else None

    def history(self, inspection_id: str, case: str | None = None, question: str | None = None) -> list[dict]:
        """Earlier versions of answers (and moderations), each with the time it was replaced."""
        return [dict(doc) for doc in self.ledger.state.history if doc.get("inspection") == inspection_id
                and (case is None or doc.get("case") == case) and (question is None or doc.get("question") == question)]

    def save(
        self, inspection_id: str, case: str, question: str, value: str | None, reviewer: str,
        note: str | None = None, at: str | None = None,
    ) -> Answer | None:
        """Save one answer (None clears it); `note=None` keeps the note. Returns what is now stored."""
        self.ledger.writable()
        questionnaire = self.ledger.questionnaire(inspection_id)
        self.ledger.case_doc(inspection_id, case)
        if not questionnaire.has_question(question):
            raise InvalidChange(f"unknown question {question!r} in {questionnaire.id}")
        problem = (value_problem(questionnaire, question, value) or name_problem(reviewer, "reviewer")
                   or (text_problem(note, "note") if note is not None else None)
                   or (time_problem(at) if at is not None else None))
        if problem:
            raise InvalidChange(problem)
        old = self.ledger.state.answers.get((inspection_id, case, question, reviewer))
        if note is None:
            note = old["note"] if old else ""
        if (old or {}).get("value") == value and (old or {}).get("note", "") == note and (old or value is None):
            return as_answer(old) if old else None
        cause = (f"the answer to {question} was cleared" if value is None
                 else f"{question} was answered {questionnaire.scale_of(question).option(value).label}")  # type: ignore[union-attr]
        with self.completions.kept_true(inspection_id, case, cause, question):
            self.ledger.commit({"op": "answer", "inspection": inspection_id, "case": case, "question": question,
                                "reviewer": reviewer, "value": value, "note": note, "at": at or now()})
        return self.get(inspection_id, case, question, reviewer)

    def count(self, inspection_id: str) -> int:
        """How many answers an inspection holds (cheap: for lists of inspections)."""
        return sum(1 for (insp, _, _, _), doc in self.ledger.state.answers.items()
                   if insp == inspection_id and doc.get("value") is not None)

    def ratings(self, inspection_id: str, leave_out: set[str] | frozenset[str] = frozenset()
                ) -> dict[tuple[str, str], dict[str, str]]:
        """(case, question) to {reviewer: answer} for every answered item, except the cases left out."""
        ratings: dict[tuple[str, str], dict[str, str]] = {}
        for case, qid, reviewer, value in self.rows(inspection_id):
            if case not in leave_out:
                ratings.setdefault((case, qid), {})[reviewer] = value
        return ratings

    def reviewers_by_case(self, inspection_id: str) -> dict[str, list[str]]:
        """Who has answered something, per case."""
        found: dict[str, set[str]] = {}
        for insp, case, _, reviewer in self.ledger.state.answers:
            if insp == inspection_id:
                found.setdefault(case, set()).add(reviewer)
        return {case: sorted(names) for case, names in found.items()}
