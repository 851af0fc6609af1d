"""The one way in to an inspection database: validated inspections, cases and answers."""

from __future__ import annotations

from typing import Iterable

from esi_tui.core.loader import QuestionnaireError, loads
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.records import Answer, Case, Inspection, now
from esi_tui.core.tally import TallyEngine
from esi_tui.store.errors import InvalidChange, StoreError
from esi_tui.store.journaled import JournaledStore
from esi_tui.store.review_records import ReviewRecords
from esi_tui.store.state import CASE_WIDE, completion_key, completion_of


def _percentage(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100


class Repository(JournaledStore, ReviewRecords):
    """Inspections, cases and answers of one database file, each change checked, then made durable."""

    # -- inspections -----------------------------------------------------------------------

    def inspections(self) -> list[Inspection]:
        """Every inspection in the database, oldest first."""
        return [self._inspection(doc) for doc in self.state.inspections.values()]

    def inspection(self, inspection_id: str) -> Inspection:
        """One inspection; InvalidChange when there is none with this id."""
        return self._inspection(self._inspection_doc(inspection_id))

    def has_inspection(self, inspection_id: str) -> bool:
        """Whether an inspection with this id exists."""
        return inspection_id in self.state.inspections

    def create_inspection(
        self, inspection_id: str, questionnaire: Questionnaire, *, title: str = "", area: str = "",
        baseline: dict[str, float] | None = None, question_baseline: dict[str, float] | None = None,
        not_comparable: list[str] | tuple[str, ...] | None = None,
    ) -> Inspection:
        """A new inspection that keeps its own copy of the questionnaire definition."""
        if not inspection_id.strip():
            raise InvalidChange("an inspection needs an id")
        if inspection_id in self.state.inspections:
            raise InvalidChange(f"inspection {inspection_id!r} already exists")
        baseline = dict(baseline or {})
        question_baseline = dict(question_baseline or {})
        codes = {c.code for c in questionnaire.criteria}
        for code, value in baseline.items():
            if code not in codes:
                raise InvalidChange(f"baseline names unknown criterion {code!r}")
            if not _percentage(value):
                raise InvalidChange(f"baseline for {code} must be a percentage from 0 to 100, not {value}")
        for qid, value in question_baseline.items():
            if not questionnaire.has_question(qid):
                raise InvalidChange(f"question baseline names unknown question {qid!r}")
            if not _percentage(value):
                raise InvalidChange(f"baseline for {qid} must be a percentage from 0 to 100, not {value}")
        for code in not_comparable or ():
            if code not in codes:
                raise InvalidChange(f"not_comparable names unknown criterion {code!r}")
        record = {
            "id": inspection_id, "title": title or questionnaire.title, "area": area,
            "questionnaire_id": questionnaire.id, "questionnaire_version": questionnaire.version,
            "questionnaire_hash": questionnaire.content_hash, "questionnaire_source": questionnaire.source,
            "baseline": baseline, "question_baseline": question_baseline, "created": now(),
        }
        if not_comparable:
            record["not_comparable"] = sorted(set(not_comparable))
        self._commit({"op": "inspection", "record": record})
        return self._inspection(record)

    def questionnaire(self, inspection_id: str) -> Questionnaire:
        """The definition recorded with the inspection (not today's file, which may have changed)."""
        if inspection_id not in self._questionnaires:
            doc = self._inspection_doc(inspection_id)
            try:
                self._questionnaires[inspection_id] = loads(doc["questionnaire_source"], name=doc["questionnaire_id"])
            except QuestionnaireError as exc:
                raise StoreError(f"{self.path}: inspection {inspection_id}: recorded questionnaire is damaged: "
                                 f"{exc.problems[0]}") from None
        return self._questionnaires[inspection_id]

    def _inspection_doc(self, inspection_id: str) -> dict:
        try:
            return self.state.inspections[inspection_id]
        except KeyError:
            known = ", ".join(self.state.inspections) or "none"
            raise InvalidChange(f"no inspection {inspection_id!r} in {self.path.name} (known: {known})") from None

    @staticmethod
    def _inspection(doc: dict) -> Inspection:
        return Inspection(
            id=doc["id"], title=doc.get("title", ""), area=doc.get("area", ""),
            questionnaire_id=doc["questionnaire_id"], questionnaire_version=doc.get("questionnaire_version", ""),
            questionnaire_hash=doc.get("questionnaire_hash", ""), baseline=dict(doc.get("baseline", {})),
            question_baseline=dict(doc.get("question_baseline", {})), created=doc.get("created", ""),
            not_comparable=tuple(doc.get("not_comparable", ())),
        )

    # -- cases -----------------------------------------------------------------------------

    def cases(self, inspection_id: str) -> list[Case]:
        """The inspection's cases in the order they were added."""
        self._inspection_doc(inspection_id)
        return [self._case(doc) for (insp, _), doc in self.state.cases.items() if insp == inspection_id]

    def case(self, inspection_id: str, reference: str) -> Case:
        """One case; InvalidChange when the inspection has no such case."""
        try:
            return self._case(self.state.cases[(inspection_id, reference)])
        except KeyError:
            raise InvalidChange(f"inspection {inspection_id!r} has no case {reference!r}") from None

    def has_case(self, inspection_id: str, reference: str) -> bool:
        """Whether the inspection has a case with this reference."""
        return (inspection_id, reference) in self.state.cases

    def case_problems(self, inspection_id: str, attributes: dict) -> list[str]:
        """Why these attribute values are not allowed by the inspection's questionnaire."""
        return self.questionnaire(inspection_id).attribute_problems(attributes)

    def save_case(self, inspection_id: str, reference: str, attributes: dict | None = None) -> Case:
        """Add a case, or change some of its attributes (others keep their values or defaults)."""
        questionnaire = self.questionnaire(inspection_id)
        reference = reference.strip()
        if not reference:
            raise InvalidChange("a case needs a reference")
        attributes = dict(attributes or {})
        problems = questionnaire.attribute_problems(attributes)
        if problems:
            raise InvalidChange(f"case {reference}: " + "; ".join(problems))
        existing = self.state.cases.get((inspection_id, reference))
        merged = questionnaire.case_attributes({**(existing["attributes"] if existing else {}), **attributes})
        if existing and existing["attributes"] == merged:
            return self._case(existing)
        self._commit({"op": "case", "inspection": inspection_id, "reference": reference,
                      "attributes": merged, "at": now()})
        return self.case(inspection_id, reference)

    def set_complete(self, inspection_id: str, reference: str, complete: bool = True,
                     reviewer: str | None = None, at: str | None = None) -> Case:
        """Mark a case complete (or reopen it), by `reviewer` or for everyone, `at` a time (now; "": not known)."""
        case = self.case(inspection_id, reference)
        # a state already held is recorded again only to keep a later time than the one recorded for it
        current = reviewer in case.completed_by if reviewer else case.complete
        recorded = self.completion(inspection_id, reference).get(reviewer or CASE_WIDE, (current, ""))
        later = at is not None and completion_key(complete, at) > completion_key(*recorded)
        if current != complete or later:
            record = {"op": "case", "inspection": inspection_id, "reference": reference,
                      "attributes": case.attributes, "complete": complete, "at": now() if at is None else at}
            if reviewer:
                record["reviewer"] = reviewer
            self._commit(record)
        return self.case(inspection_id, reference)

    def completion(self, inspection_id: str, reference: str) -> dict[str, tuple[bool, str]]:
        """Per reviewer who finished (or reopened) the case, and under "" case-wide: (complete, when)."""
        self.case(inspection_id, reference)
        return completion_of(self.state.cases[(inspection_id, reference)])

    @staticmethod
    def _case(doc: dict) -> Case:
        return Case(doc["inspection"], doc["reference"], dict(doc["attributes"]),
                    doc.get("created", ""), bool(doc.get("complete", False)),
                    tuple(doc.get("completed_by", ())))

    # -- answers ---------------------------------------------------------------------------

    def answers(self, inspection_id: str, case: str | None = None) -> list[Answer]:
        """Current answers of an inspection (or of one case), in the order they were first given."""
        return [self._answer(doc) for (insp, ref, _, _), doc in self.state.answers.items()
                if insp == inspection_id and (case is None or ref == case)]

    def answer_count(self, inspection_id: str) -> int:
        """How many answers an inspection holds (cheap: for lists of inspections)."""
        return sum(1 for (insp, _, _, _), doc in self.state.answers.items()
                   if insp == inspection_id and doc.get("value") is not None)

    def ratings(self, inspection_id: str, leave_out: set[str] | frozenset[str] = frozenset()
                ) -> dict[tuple[str, str], dict[str, str]]:
        """(case, question) to {reviewer: answer} for every answered item, except the cases left out."""
        ratings: dict[tuple[str, str], dict[str, str]] = {}
        for (insp, case, qid, reviewer), doc in self.state.answers.items():
            if insp == inspection_id and doc.get("value") is not None and case not in leave_out:
                ratings.setdefault((case, qid), {})[reviewer] = doc["value"]
        return ratings

    def reviewers_by_case(self, inspection_id: str) -> dict[str, list[str]]:
        """Who has answered something, per case."""
        found: dict[str, set[str]] = {}
        for insp, case, _, reviewer in self.state.answers:
            if insp == inspection_id:
                found.setdefault(case, set()).add(reviewer)
        return {case: sorted(names) for case, names in found.items()}

    def answer(self, inspection_id: str, case: str, question: str, reviewer: str) -> Answer | None:
        """One reviewer's current answer, or None."""
        doc = self.state.answers.get((inspection_id, case, question, reviewer))
        return self._answer(doc) if doc else None

    def history(self, inspection_id: str, case: str | None = None, question: str | None = None) -> list[dict]:
        """Earlier versions of answers, each with the time it was replaced."""
        return [dict(doc) for doc in self.state.history if doc["inspection"] == inspection_id
                and (case is None or doc["case"] == case) and (question is None or doc["question"] == question)]

    def set_answer(
        self, inspection_id: str, case: str, question: str, value: str | None, reviewer: str,
        note: str | None = None, at: str | None = None,
    ) -> Answer | None:
        """Save one answer (None clears it); `note=None` keeps the note. Returns what is now stored."""
        questionnaire = self.questionnaire(inspection_id)
        if (inspection_id, case) not in self.state.cases:
            raise InvalidChange(f"inspection {inspection_id!r} has no case {case!r}")
        if not questionnaire.has_question(question):
            raise InvalidChange(f"unknown question {question!r} in {questionnaire.id}")
        scale = questionnaire.scale_of(question)
        if value is not None and scale.option(value) is None:
            keys = ", ".join(o.key for o in scale.options)
            raise InvalidChange(f"{value!r} is not an answer to {question} (scale {scale.id}: {keys})")
        if not reviewer:
            raise InvalidChange("an answer needs a reviewer")
        old = self.state.answers.get((inspection_id, case, question, reviewer))
        if note is None:
            note = old["note"] if old else ""
        if (old or {}).get("value") == value and (old or {}).get("note", "") == note and (old or value is None):
            return self._answer(old) if old else None
        self._commit({"op": "answer", "inspection": inspection_id, "case": case, "question": question,
                      "reviewer": reviewer, "value": value, "note": note, "at": at or now()})
        return self.answer(inspection_id, case, question, reviewer)

    @staticmethod
    def _answer(doc: dict) -> Answer:
        return Answer(doc["inspection"], doc["case"], doc["question"], doc["reviewer"],
                      doc.get("value"), doc.get("note") or "", doc.get("at", ""))

    # -- tallies ---------------------------------------------------------------------------

    def tally(self, inspection_id: str, *, viewer: str | None = None, **options) -> TallyEngine:
        """A tally engine loaded with the inspection's cases and answers.

        With `viewer`, other reviewers' answers on cases blind to the viewer (a double review not
        yet finished by both) are left out, so the counts cannot give them away.
        """
        inspection = self.inspection(inspection_id)
        options.setdefault("policy", self.settings(inspection_id)["disagreement_policy"])
        rows = self._answer_rows(inspection_id)
        if viewer is not None:
            hidden = self.blind_cases(inspection_id)
            rows = (row for row in rows if row[0] not in hidden or row[2] == viewer)
        return TallyEngine.build(
            self.questionnaire(inspection_id),
            ((c.reference, c.attributes) for c in self.cases(inspection_id)),
            rows,
            ((m.case, m.question, m.value) for m in self.moderations(inspection_id)),
            baseline=inspection.baseline, question_baseline=inspection.question_baseline,
            not_comparable=inspection.not_comparable, **options,
        )

    def _answer_rows(self, inspection_id: str) -> Iterable[tuple[str, str, str, str]]:
        for (insp, ref, qid, reviewer), doc in self.state.answers.items():
            if insp == inspection_id and doc.get("value") is not None:
                yield ref, qid, reviewer, doc["value"]
