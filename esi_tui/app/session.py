"""One reviewer's working view of one inspection: the state engine, kept current from the repository's
changes (theirs, a live replay's, a teammate's), and the reviewer's undo stack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from esi_tui.core.entities import Case, Inspection
from esi_tui.core.inspection_state import COUNTED, OWN, InspectionState, TeamProgress
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import TallyEngine
from esi_tui.store.repository import Repository
from esi_tui.store.state import Change as StoreChange


@dataclass(frozen=True)
class Change:
    """An answer as it was before a change, so the change can be undone."""

    case: str
    question: str
    value: str | None
    note: str


class InspectionSession:
    """Turns a reviewer's keys into repository calls; what they see is asked of the InspectionState."""

    def __init__(self, repo: Repository, inspection_id: str, reviewer: str):
        self.repo = repo
        self.reviewer = reviewer
        self.inspection: Inspection = repo.inspection(inspection_id)
        self.questionnaire: Questionnaire = repo.questionnaire(inspection_id)
        self.view: InspectionState = repo.inspection_state(inspection_id, reviewer)
        self.undo_stack: list[Change] = []
        #: told of every change made elsewhere (a live replay, a teammate): the app redraws
        self.on_external: Callable[[StoreChange], None] | None = None
        #: told when a change left a case this reviewer had finished incomplete: (case, why)
        self.on_reopened: Callable[[str, str], None] | None = None
        self._own_call = 0
        #: whose progress the cases screen shows: "mine" or "team" (the team's at first for someone who has
        #: answered nothing yet where others have: a lead after a merge)
        answered = self.view.reviewers()
        self.cases_view = "team" if answered and reviewer not in answered else "mine"
        repo.subscribe(self._changed)

    def close(self) -> None:
        """Stop following the repository's changes."""
        self.repo.unsubscribe(self._changed)

    @property
    def id(self) -> str:
        """The inspection id."""
        return self.inspection.id

    @property
    def engine(self) -> TallyEngine:
        """The counted view's tallies (what the tally panel shows)."""
        return self.view.counted

    # -- following the repository --------------------------------------------------------------

    def _changed(self, change: StoreChange) -> None:
        kind = change[0]
        if len(change) < 2 or change[1] != self.id:
            return
        if kind == "answer":
            _, _, case, qid, reviewer = change
            answer = self.repo.answer(self.id, case, qid, reviewer)
            self.view.set_answer(case, qid, reviewer, answer.value if answer else None)
        elif kind == "case":
            reference = change[2]
            was = reference in self.view.cases() and self.view.is_complete(reference)
            self.view.set_case(self.repo.case_record(self.id, reference))
            if was and not self.view.is_complete(reference):
                reason = (self.repo.reopen_reason(self.id, reference, self.reviewer)
                          or self.repo.reopen_reason(self.id, reference, None))
                if reason and self.on_reopened is not None:
                    self.on_reopened(reference, reason)
        elif kind == "moderation":
            _, _, case, qid = change
            moderation = self.repo.moderation(self.id, case, qid)
            self.view.set_moderation(case, qid, moderation.value if moderation else None)
        elif kind == "settings":
            settings = self.repo.settings(self.id)
            if settings["disagreement_policy"] != self.view.policy:
                self.view.set_policy(settings["disagreement_policy"])
            if set(settings["double_review"]) != self.view.sample:
                self.view.set_sample(settings["double_review"])
        if not self._own_call and self.on_external is not None:
            self.on_external(change)

    def _own(self, action: Callable, *args, **kwargs):
        """Run one of this reviewer's changes (the screen redraws itself after it, not on the change feed)."""
        self._own_call += 1
        try:
            return action(*args, **kwargs)
        finally:
            self._own_call -= 1

    # -- reading: asked of the state engine ---------------------------------------------------

    def cases(self) -> list[Case]:
        """The inspection's cases in the order they were added."""
        return self.repo.cases(self.id)

    def case(self, reference: str) -> Case:
        """One case."""
        return self.repo.case(self.id, reference)

    def answer_value(self, reference: str, qid: str) -> str | None:
        """This reviewer's saved answer key, or None."""
        return self.view.answer_of(reference, qid, self.reviewer)

    def note(self, reference: str, qid: str) -> str:
        """This reviewer's note on a question, or ''."""
        answer = self.repo.answer(self.id, reference, qid, self.reviewer)
        return answer.note if answer else ""

    def state(self, reference: str, qid: str) -> str:
        """The question's state for this case as this reviewer sees it (their own answers and relevance)."""
        return self.view.state(reference, qid, OWN)

    def counted_state(self, reference: str, qid: str) -> str:
        """The question's state for this case as the tallies count it."""
        return self.view.state(reference, qid, COUNTED)

    def own_states(self, reference: str) -> dict[str, str]:
        """Every question's state for this case from this reviewer's own answers (and own relevance)."""
        return self.view.states(reference, OWN)

    def relevant(self, reference: str, qid: str) -> bool:
        """Whether the question applies to this case as this reviewer has answered it."""
        return self.view.relevant(reference, qid, OWN)

    def relevant_questions(self, reference: str) -> list[str]:
        """The questions that apply to a case, as this reviewer has answered it, in order."""
        return self.view.relevant_questions(reference, OWN)

    def first_unanswered(self, reference: str, after: str | None = None) -> str | None:
        """The first relevant question this reviewer has not answered (after `after`, wrapping)."""
        return self.view.first_open(reference, after, OWN)

    def missing_required(self, reference: str) -> list[str]:
        """Required relevant questions still unanswered by this reviewer."""
        return self.view.missing_required(reference, OWN)

    def progress(self, reference: str) -> tuple[int, int]:
        """(answered, relevant) questions for a case, by this reviewer."""
        return self.view.progress(reference, OWN)

    def is_complete(self, case: Case | str) -> bool:
        """Whether this reviewer has finished the case (or it was marked complete for everyone)."""
        return self.view.is_complete(case if isinstance(case, str) else case.reference)

    def is_double_review(self, reference: str) -> bool:
        """Whether the case is in the double-review sample."""
        return reference in self.view.sample

    def blind(self, reference: str) -> bool:
        """Whether other reviewers' work on this case must stay hidden (blind double review)."""
        return self.view.blind(reference)

    def blind_reviews(self) -> set[str]:
        """Double-review cases not yet finished by two reviewers: nobody compares their answers yet."""
        return {reference for reference in self.view.cases() if self.view.blind(reference)}

    def open_disagreements(self) -> int:
        """Disagreements the tallies still wait on a moderator for (none of a blind review under way:
        the counted view leaves out other reviewers' answers there). Cheap: called on every key press."""
        return self.engine.open_disagreements()

    def why_not(self, reference: str, qid: str) -> str:
        """Why a question does not apply to the case as this reviewer has it, in plain labels ('' if it does)."""
        return self.view.why_not_relevant(reference, qid, OWN)

    def double_review_state(self, reference: str) -> str:
        """The case's double review in words ('' when it is not in the sample)."""
        return self.view.double_review(reference)

    def team_progress(self, reference: str) -> TeamProgress:
        """Every reviewer's progress on a case and whether the team has finished it."""
        return self.view.team_progress(reference)

    def others(self, reference: str) -> dict[str, list[tuple[str, str | None, str]]]:
        """Other reviewers' (reviewer, answer, note) per question, in the order they answered; empty while
        the case is under blind double review for this reviewer."""
        if self.blind(reference):
            return {}
        found: dict[str, list[tuple[str, str | None, str]]] = {}
        for answer in self.repo.answers(self.id, reference):
            if answer.reviewer != self.reviewer and (answer.value is not None or answer.note):
                found.setdefault(answer.question, []).append((answer.reviewer, answer.value, answer.note))
        return found

    def agreed(self, reference: str, qid: str) -> tuple[str, str, str] | None:
        """The moderated answer of a case's question as (value, moderator, reason), or None."""
        moderation = self.repo.moderation(self.id, reference, qid)
        return (moderation.value, moderation.moderator, moderation.reason) if moderation else None

    def disagree(self, reference: str, qid: str) -> bool:
        """Whether reviewers gave a case's question different answers (never said of a blind review)."""
        return not self.blind(reference) and self.view.disagree(reference, qid)

    def noted(self, reference: str) -> set[str]:
        """The questions of a case this reviewer wrote a note on."""
        return {a.question for a in self.repo.answers(self.id, reference) if a.reviewer == self.reviewer and a.note}

    def notes_by_case(self, team: bool) -> dict[str, tuple[int, int]]:
        """(question notes, case notes) per case: this reviewer's, or (team) everybody's they may see."""
        blind = self.blind_reviews()

        def counted(reference: str, reviewer: str) -> bool:
            return reviewer == self.reviewer or (team and reference not in blind)

        found: dict[str, tuple[int, int]] = {}
        for answer in self.repo.answers(self.id):
            if answer.note and counted(answer.case, answer.reviewer):
                notes, case_notes = found.get(answer.case, (0, 0))
                found[answer.case] = (notes + 1, case_notes)
        for note in self.repo.case_notes(self.id):
            if counted(note["case"], note["reviewer"]):
                notes, case_notes = found.get(note["case"], (0, 0))
                found[note["case"]] = (notes, case_notes + 1)
        return found

    def reviewers_by_case(self) -> dict[str, list[str]]:
        """Everyone who has answered something, per case."""
        return self.repo.reviewers_by_case(self.id)

    def case_note(self, reference: str) -> str:
        """This reviewer's note on the whole case."""
        return self.repo.case_note(self.id, reference, self.reviewer)

    def disagreements(self) -> list[tuple[str, str, list]]:
        """(case, question, answers) where reviewers gave different answers, in sample order (none of a
        blind double review under way: it is not moderated before both reviewers have finished it)."""
        by_item: dict[tuple[str, str], list] = {}
        for answer in self.repo.answers(self.id):
            if answer.value is not None:
                by_item.setdefault((answer.case, answer.question), []).append(answer)
        order = {reference: i for i, reference in enumerate(self.view.cases())}
        qorder = {qid: i for i, qid in enumerate(self.questionnaire.question_ids)}
        under_way = self.blind_reviews()
        items = [(case, qid, answers) for (case, qid), answers in by_item.items()
                 if len({a.value for a in answers}) > 1 and case not in under_way]
        return sorted(items, key=lambda item: (order.get(item[0], 0), qorder.get(item[1], 0)))

    # -- changing: repository calls (the change feed updates the state) -------------------------

    def answer(self, reference: str, qid: str, value: str | None) -> None:
        """Save an answer (raises StoreError when it could not be saved); undo can take it back."""
        before = self.repo.answer(self.id, reference, qid, self.reviewer)
        self._own(self.repo.set_answer, self.id, reference, qid, value, self.reviewer)
        self.undo_stack.append(Change(reference, qid, before.value if before else None,
                                      before.note if before else ""))

    def save_note(self, reference: str, qid: str, note: str) -> None:
        """Save a note and keep the answer as it is."""
        value = self.answer_value(reference, qid)
        self._own(self.repo.set_answer, self.id, reference, qid, value, self.reviewer, note=note)

    def undo(self) -> Change | None:
        """Put back the answer as it was before the last change; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        change = self.undo_stack[-1]
        # note=None keeps the note as it is now: answering never changes a note, and a note written
        # after the answer (not on the undo stack) must not be lost by undoing the answer.
        self._own(self.repo.set_answer, self.id, change.case, change.question, change.value, self.reviewer,
                  note=None)
        self.undo_stack.pop()
        return change

    def save_case(self, reference: str, attributes: dict) -> Case:
        """Add or edit a case; relevance and tallies are re-evaluated for it at once."""
        return self._own(self.repo.save_case, self.id, reference, attributes)

    def set_complete(self, reference: str, complete: bool) -> Case:
        """Mark a case finished by this reviewer (InvalidChange while required questions are open), or reopen it."""
        return self._own(self.repo.set_complete, self.id, reference, complete, reviewer=self.reviewer)

    def mark_double_review(self, reference: str) -> None:
        """Put a case in the blind double-review sample."""
        self._own(self.repo.mark_double_review, self.id, [reference])

    def unmark_double_review(self, reference: str) -> None:
        """Take a case out of the blind double-review sample."""
        self._own(self.repo.unmark_double_review, self.id, reference)

    def save_case_note(self, reference: str, note: str) -> None:
        """Save this reviewer's note on the whole case."""
        self._own(self.repo.set_case_note, self.id, reference, self.reviewer, note)

    def moderate(self, reference: str, qid: str, value: str | None, reason: str) -> None:
        """Record the agreed answer where reviewers disagree (None withdraws it)."""
        self._own(self.repo.moderate, self.id, reference, qid, value, self.reviewer, reason)

    def set_policy(self, policy: str) -> None:
        """Change how unmoderated disagreements count."""
        self._own(self.repo.set_disagreement_policy, self.id, policy)
