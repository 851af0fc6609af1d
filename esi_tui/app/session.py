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
        self.engine: TallyEngine = repo.tally(inspection_id, viewer=reviewer)
        self._blind_cases = repo.blind_cases(inspection_id)
        self.undo_stack: list[Change] = []
        self._own_states: dict[str, dict[str, str]] = {}  # cleared on every change made through the session

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
        self._own_states.pop(reference, None)
        before = self.repo.answer(self.id, reference, qid, self.reviewer)
        saved = self.repo.set_answer(self.id, reference, qid, value, self.reviewer)
        self.undo_stack.append(Change(reference, qid, before.value if before else None,
                                      before.note if before else ""))
        self.engine.set_answer(reference, qid, self.reviewer, saved.value if saved else None)

    def apply_answer(self, reference: str, qid: str, value: str | None, reviewer: str,
                     note: str | None = None, at: str | None = None) -> None:
        """Save another reviewer's answer (a replayed script) and count it."""
        self._own_states.pop(reference, None)
        saved = self.repo.set_answer(self.id, reference, qid, value, reviewer, note=note, at=at)
        if reviewer == self.reviewer or reference not in self._blind_cases:
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
        self._own_states.pop(change.case, None)
        # note=None keeps the note as it is now: answering never changes a note, and a note written
        # after the answer (not on the undo stack) must not be lost by undoing the answer.
        saved = self.repo.set_answer(self.id, change.case, change.question, change.value, self.reviewer,
                                     note=None)
        self.undo_stack.pop()
        self.engine.set_answer(change.case, change.question, self.reviewer, saved.value if saved else None)
        return change

    def save_case(self, reference: str, attributes: dict) -> Case:
        """Add or edit a case; relevance and tallies are re-evaluated for it at once."""
        self._own_states.pop(reference, None)
        case = self.repo.save_case(self.id, reference, attributes)
        self.engine.set_case(case.reference, case.attributes)
        return case

    def state(self, reference: str, qid: str) -> str:
        """The question's state for this case as counted in the tallies."""
        return self.engine.state(reference, qid)

    def own_states(self, reference: str) -> dict[str, str]:
        """Every question's state for this case from this reviewer's own answers (and own relevance).

        What the reviewer sees never depends on another reviewer's answers: that is what keeps a
        blind double review blind.
        """
        if reference in self._own_states:
            return self._own_states[reference]
        questionnaire = self.questionnaire
        attributes = self.case(reference).attributes
        own = {}
        for question in questionnaire.questions:
            answer = self.repo.answer(self.id, reference, question.id, self.reviewer)
            if answer is not None and answer.value is not None:
                own[question.id] = answer.value
        states: dict[str, str] = {}

        def seen(qid: str) -> str | None:
            return None if states.get(qid, NOT_RELEVANT) == NOT_RELEVANT else own.get(qid)

        for question in questionnaire.questions:
            if not questionnaire.is_relevant(question.id, attributes, seen):
                states[question.id] = NOT_RELEVANT
                continue
            value = own.get(question.id)
            option = questionnaire.scales[question.scale].option(value) if value is not None else None
            states[question.id] = option.counts_as if option else UNANSWERED
        self._own_states[reference] = states
        return states

    def reviewer_state(self, reference: str, qid: str) -> str:
        """One question's state for this case from this reviewer's own answers."""
        return self.own_states(reference)[qid]

    def relevant_questions(self, reference: str) -> list[Question]:
        """The questions that apply to a case, as this reviewer has answered it, in order."""
        states = self.own_states(reference)
        return [q for q in self.questionnaire.questions if states[q.id] != NOT_RELEVANT]

    def first_unanswered(self, reference: str, after: str | None = None) -> str | None:
        """The first relevant question this reviewer has not answered (after `after`, wrapping)."""
        states = self.own_states(reference)
        order = [qid for qid, state in states.items() if state != NOT_RELEVANT]
        if after in order:
            index = order.index(after) + 1
            order = order[index:] + order[:index]
        return next((qid for qid in order if states[qid] == UNANSWERED), None)

    def missing_required(self, reference: str) -> list[str]:
        """Required relevant questions still unanswered by this reviewer."""
        states = self.own_states(reference)
        return [q.id for q in self.questionnaire.questions if q.required and states[q.id] == UNANSWERED]

    def progress(self, reference: str) -> tuple[int, int]:
        """(answered, relevant) questions for a case, by this reviewer."""
        states = [s for s in self.own_states(reference).values() if s != NOT_RELEVANT]
        return sum(s != UNANSWERED for s in states), len(states)

    def is_complete(self, case: Case) -> bool:
        """Whether this reviewer has finished the case (or it was marked complete for everyone)."""
        return self.reviewer in case.completed_by or (case.complete and not case.completed_by)

    def mark_double_review(self, reference: str) -> None:
        """Put a case in the blind double-review sample (and recount without others' answers on it)."""
        self.repo.mark_double_review(self.id, [reference])
        self._blind_cases = self.repo.blind_cases(self.id)
        self.engine = self.repo.tally(self.id, viewer=self.reviewer)

    def is_double_review(self, reference: str) -> bool:
        """Whether the case is in the double-review sample."""
        return self.repo.is_double_review(self.id, reference)

    def blind(self, reference: str) -> bool:
        """Whether other reviewers' work on this case must stay hidden (blind double review)."""
        return self.repo.blind_for(self.id, reference, self.reviewer)

    def case_note(self, reference: str) -> str:
        """This reviewer's note on the whole case."""
        return self.repo.case_note(self.id, reference, self.reviewer)

    def save_case_note(self, reference: str, note: str) -> None:
        """Save this reviewer's note on the whole case."""
        self.repo.set_case_note(self.id, reference, self.reviewer, note)

    def moderate(self, reference: str, qid: str, value: str | None, reason: str) -> None:
        """Record the agreed answer where reviewers disagree, and count it."""
        saved = self.repo.moderate(self.id, reference, qid, value, self.reviewer, reason)
        self.engine.set_moderation(reference, qid, saved.value if saved else None)

    def set_policy(self, policy: str) -> None:
        """Change how unmoderated disagreements count, and recount."""
        self.repo.set_disagreement_policy(self.id, policy)
        self.engine = self.repo.tally(self.id, viewer=self.reviewer)

    def disagreements(self) -> list[tuple[str, str, list]]:
        """(case, question, answers) where reviewers gave different answers, in sample order."""
        by_item: dict[tuple[str, str], list] = {}
        for answer in self.repo.answers(self.id):
            if answer.value is not None:
                by_item.setdefault((answer.case, answer.question), []).append(answer)
        order = {c.reference: i for i, c in enumerate(self.cases())}
        qorder = {q.id: i for i, q in enumerate(self.questionnaire.questions)}
        # a blind double review is not moderated before both reviewers have finished the case
        under_way = self.blind_reviews()
        items = [(case, qid, answers) for (case, qid), answers in by_item.items()
                 if len({a.value for a in answers}) > 1 and case not in under_way]
        return sorted(items, key=lambda item: (order.get(item[0], 0), qorder.get(item[1], 0)))

    def blind_reviews(self) -> set[str]:
        """Double-review cases not yet finished by two reviewers: nobody compares their answers yet."""
        return {reference for reference in self.repo.settings(self.id)["double_review"]
                if len(self.case(reference).completed_by) < 2}

    def open_disagreements(self) -> int:
        """Disagreements the tallies still wait on a moderator for, leaving out those of a blind double
        review under way (as the moderation screen does: they would tell its reviewers that they
        disagree). Cheap when nothing is open: called on every key press."""
        total = self.engine.open_disagreements()
        if not total:
            return 0
        hidden = sum(1 for reference in self.blind_reviews() for question in self.questionnaire.questions
                     if self.engine.disputed(reference, question.id)
                     and self.engine.state(reference, question.id) != NOT_RELEVANT)
        return total - hidden

    def reviewers_by_case(self) -> dict[str, list[str]]:
        """Everyone who has answered something, per case."""
        return self.repo.reviewers_by_case(self.id)

    def set_complete(self, reference: str, complete: bool) -> Case:
        """Mark a case finished by this reviewer, or reopen it (recounting when a blind review ends)."""
        case = self.repo.set_complete(self.id, reference, complete, reviewer=self.reviewer)
        blind = self.repo.blind_cases(self.id)
        if blind != self._blind_cases:
            self._blind_cases = blind
            self.engine = self.repo.tally(self.id, viewer=self.reviewer)
        return case
