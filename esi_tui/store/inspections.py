"""Inspections in a database: created with their own copy of the questionnaire, listed, looked up."""

from __future__ import annotations

from esi_tui.core.entities import Inspection
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.text import text_problem
from esi_tui.core.times import now
from esi_tui.store.errors import InvalidChange
from esi_tui.store.ledger import Ledger


def _percentage(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100


def as_inspection(doc: dict) -> Inspection:
    """A stored inspection as the value the store hands out."""
    return Inspection(
        id=doc["id"], title=doc.get("title", ""), area=doc.get("area", ""),
        questionnaire_id=doc["questionnaire_id"], questionnaire_version=doc.get("questionnaire_version", ""),
        questionnaire_hash=doc.get("questionnaire_hash", ""), baseline=dict(doc.get("baseline", {})),
        question_baseline=dict(doc.get("question_baseline", {})), created=doc.get("created", ""),
        not_comparable=tuple(doc.get("not_comparable", ())),
    )


class Inspections:
    """The inspections of one database."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def all(self) -> list[Inspection]:
        """Every inspection in the database, oldest first."""
        return [as_inspection(doc) for doc in self.ledger.state.inspections.values()]

    def get(self, inspection_id: str) -> Inspection:
        """One inspection; UnknownInspection when there is none with this id."""
        return as_inspection(self.ledger.inspection_doc(inspection_id))

    def has(self, inspection_id: str) -> bool:
        """Whether an inspection with this id exists."""
        return inspection_id in self.ledger.state.inspections

    def create(
        self, inspection_id: str, questionnaire: Questionnaire, *, title: str = "", area: str = "",
        baseline: dict[str, float] | None = None, question_baseline: dict[str, float] | None = None,
        not_comparable: list[str] | tuple[str, ...] | None = None,
    ) -> Inspection:
        """A new inspection that keeps its own copy of the questionnaire definition."""
        self.ledger.writable()
        problem = (text_problem(inspection_id, "the inspection id", "id")
                   or text_problem(title, "the title", "title") or text_problem(area, "the area", "title"))
        if problem:
            raise InvalidChange(problem)
        if not inspection_id.strip():
            raise InvalidChange("an inspection needs an id")
        if inspection_id in self.ledger.state.inspections:
            raise InvalidChange(f"inspection {inspection_id!r} already exists")
        baseline = dict(baseline or {})
        question_baseline = dict(question_baseline or {})
        codes = {c.code for c in questionnaire.criteria}
        for code, value in baseline.items():
            if code not in codes:
                raise InvalidChange(f"baseline: unknown criterion {code!r}")
            if not _percentage(value):
                raise InvalidChange(f"baseline: {code} must be a percentage from 0 to 100, not {value!r}")
        for qid, value in question_baseline.items():
            if not questionnaire.has_question(qid):
                raise InvalidChange(f"question_baseline: unknown question {qid!r}")
            if not _percentage(value):
                raise InvalidChange(f"question_baseline: {qid} must be a percentage from 0 to 100, not {value!r}")
        for code in not_comparable or ():
            if code not in codes:
                raise InvalidChange(f"not_comparable: unknown criterion {code!r}")
        record = {
            "id": inspection_id, "title": title or questionnaire.title, "area": area,
            "questionnaire_id": questionnaire.id, "questionnaire_version": questionnaire.version,
            "questionnaire_hash": questionnaire.content_hash, "questionnaire_source": questionnaire.source,
            "baseline": baseline, "question_baseline": question_baseline, "created": now(),
        }
        if not_comparable:
            record["not_comparable"] = sorted(set(not_comparable))
        self.ledger.commit({"op": "inspection", "record": record})
        return as_inspection(record)

    def contents(self, inspection_id: str) -> dict[str, int]:
        """How much an inspection holds: cases, answers, reviewers, moderations, case notes (for a confirmation)."""
        self.ledger.inspection_doc(inspection_id)
        state = self.ledger.state
        answers = [doc for key, doc in state.answers.items() if key[0] == inspection_id]
        return {
            "cases": sum(key[0] == inspection_id for key in state.cases),
            "answers": sum(doc.get("value") is not None for doc in answers),
            "reviewers": len({doc["reviewer"] for doc in answers}),
            "moderations": sum(key[0] == inspection_id for key in state.moderations),
            "case notes": sum(key[0] == inspection_id for key in state.notes),
        }

    def delete(self, inspection_id: str) -> dict[str, int]:
        """Delete an inspection and everything recorded of it; returns what it held. A merge will not bring
        it back (making it again with the same id lets one)."""
        self.ledger.writable()
        counts = self.contents(inspection_id)
        self.ledger.commit({"op": "delete_inspection", "inspection": inspection_id, "counts": counts, "at": now()})
        return counts

    def deleted(self) -> dict[str, dict]:
        """Inspections deleted from this database, by id: when, and what they were."""
        return {key: dict(doc) for key, doc in self.ledger.state.deleted.items()}
