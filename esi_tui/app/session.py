"""One reviewer's working state on one inspection: repository, live tallies and the undo stack."""

from __future__ import annotations

from dataclasses import dataclass

from esi_tui.core.questionnaire import Question, Questionnaire
from esi_tui.core.records import Case, Inspection
from esi_tui.core.tally import NOT_RELEVANT, UNANSWERED, TallyEngine
from esi_tui.store.repository import Repository


@dataclass(frozen=True)
class Change:
    """An answer as it was before a change, so the change can be undone."""

    case: str
    question: str
    value: str | None
    note: str


class InspectionSession:
    """Saves answers through the repository and keeps the tally engine in step with what was saved."""

    def __init__(self, repo: Repository, inspection_id: str, reviewer: str):
        self.repo = repo
        self.reviewer = reviewer
        self.inspection: Inspection = repo.inspection(inspection_id)
        self.questionnaire: Questionnaire = repo.questionnaire(inspection_id)
        self.engine: TallyEngine = repo.tally(inspection_id)
        self.undo_stack: list[Change] = []

    @property
    def id(self) -> str:
        """The inspection id."""
        return self.inspection.id

    def cases(self) -> list[Case]:
        """The inspection's cases in the order they were added."""
        return self.repo.cases(self.id)

    def case(self, reference: str) -> Case:
        """One case."""
        return self.repo.case(self.id, reference)

    def answer_value(self, reference: str, qid: str) -> str | None:
        """This reviewer's saved answer key, or None."""
        answer = self.repo.answer(self.id, reference, qid, self.reviewer)
        return answer.value if answer else None

    def note(self, reference: str, qid: str) -> str:
        """This reviewer's note on a question, or ''."""
        answer = self.repo.answer(self.id, reference, qid, self.reviewer)
        return answer.note if answer else ""

    def answer(self, reference: str, qid: str, value: str | None) -> None:
        """Save an answer (raises StoreError when it could not be saved), then count it."""
        before = self.repo.answer(self.id, reference, qid, self.reviewer)
        saved = self.repo.set_answer(self.id, reference, qid, value, self.reviewer)
        self.undo_stack.append(Change(reference, qid, before.value if before else None,
                                      before.note if before else ""))
        self.engine.set_answer(reference, qid, self.reviewer, saved.value if saved else None)

    def apply_answer(self, reference: str, qid: str, value: str | None, reviewer: str,
                     note: str | None = None, at: str | None = None) -> None:
        """Save another reviewer's answer (a replayed script) and count it."""
        saved = self.repo.set_answer(self.id, reference, qid, value, reviewer, note=note, at=at)
        self.engine.set_answer(reference, qid, reviewer, saved.value if saved else None)

    def save_note(self, reference: str, qid: str, note: str) -> None:
        """Save a note and keep the answer as it is."""
        value = self.answer_value(reference, qid)
        self.repo.set_answer(self.id, reference, qid, value, self.reviewer, note=note)

    def undo(self) -> Change | None:
        """Put back the answer as it was before the last change; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        change = self.undo_stack[-1]
        saved = self.repo.set_answer(self.id, change.case, change.question, change.value, self.reviewer,
                                     note=change.note)
        self.undo_stack.pop()
        self.engine.set_answer(change.case, change.question, self.reviewer, saved.value if saved else None)
        return change

    def save_case(self, reference: str, attributes: dict) -> Case:
        """Add or edit a case; relevance and tallies are re-evaluated for it at once."""
        case = self.repo.save_case(self.id, reference, attributes)
        self.engine.set_case(case.reference, case.attributes)
        return case

    def state(self, reference: str, qid: str) -> str:
        """The question's state for this case as counted in the tallies."""
        return self.engine.state(reference, qid)

    def reviewer_state(self, reference: str, qid: str) -> str:
        """The question's state for this case from this reviewer's own answer."""
        state = self.engine.state(reference, qid)
        if state == NOT_RELEVANT:
            return state
        value = self.answer_value(reference, qid)
        if value is None:
            return UNANSWERED
        option = self.questionnaire.scale_of(qid).option(value)
        return option.counts_as if option else UNANSWERED

    def relevant_questions(self, reference: str) -> list[Question]:
        """The questions that apply to a case, in order."""
        return [q for q in self.questionnaire.questions if self.state(reference, q.id) != NOT_RELEVANT]

    def first_unanswered(self, reference: str, after: str | None = None) -> str | None:
        """The first relevant question this reviewer has not answered (after `after`, wrapping)."""
        order = [q.id for q in self.relevant_questions(reference)]
        if after in order:
            index = order.index(after) + 1
            order = order[index:] + order[:index]
        for qid in order:
            if self.answer_value(reference, qid) is None:
                return qid
        return None

    def missing_required(self, reference: str) -> list[str]:
        """Required relevant questions still unanswered by this reviewer."""
        return [q.id for q in self.relevant_questions(reference)
                if q.required and self.answer_value(reference, q.id) is None]

    def progress(self, reference: str) -> tuple[int, int]:
        """(answered, relevant) questions for a case, by this reviewer."""
        relevant = self.relevant_questions(reference)
        answered = sum(self.answer_value(reference, q.id) is not None for q in relevant)
        return answered, len(relevant)

    def reviewers_by_case(self) -> dict[str, list[str]]:
        """Everyone who has answered something, per case (one pass over the answers)."""
        found: dict[str, set[str]] = {}
        for answer in self.repo.answers(self.id):
            found.setdefault(answer.case, set()).add(answer.reviewer)
        return {case: sorted(names) for case, names in found.items()}

    def set_complete(self, reference: str, complete: bool) -> Case:
        """Mark a case complete or reopen it."""
        return self.repo.set_complete(self.id, reference, complete)
