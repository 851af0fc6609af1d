"""The state of one inspection as one person sees it: every question's state, progress and completeness.

Two views of the same answers, both kept current one change at a time:
- the counted view (the tallies): every reviewer's answer, moderated where reviewers disagreed, except
  other reviewers' answers on a case still under blind double review for this viewer;
- the viewer's own view (the review screen): the viewer's answers alone, so that what they see never
  depends on anybody else's work.
Screens, commands and the store ask here; none of them works relevance or completeness out again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from esi_tui.core import completion
from esi_tui.core.conditions import why_not
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import NOT_RELEVANT, TallyEngine

COUNTED, OWN = "counted", "own"
VIEWS = (COUNTED, OWN)


def sees(viewer: str | None, reviewer: str, blind: bool) -> bool:
    """Whether `viewer` may see (and count) `reviewer`'s answer on a case: not while it is blind to them."""
    return not blind or reviewer == viewer


@dataclass(frozen=True)
class CaseRecord:
    """What the state needs of a case: its attributes and who finished it."""

    reference: str
    attributes: Mapping[str, object]
    completed_by: tuple[str, ...] = ()
    complete: bool = False


@dataclass(frozen=True)
class ReviewerProgress:
    """One reviewer's work on one case: (answered, relevant) in their own view, and whether they finished."""

    reviewer: str
    answered: int
    relevant: int
    finished: bool


@dataclass(frozen=True)
class TeamProgress:
    """A case as the team has worked it: each reviewer's progress, how many it needs, and whether it is done."""

    reviewers: tuple[ReviewerProgress, ...]
    needed: int                 # reviewers who must finish it: 2 for a double review, else 1
    unstarted: int              # relevant questions for each reviewer still to come (nobody's answers yet)
    complete: bool
    double_review: str          # the double review's state in words, '' for a case not in the sample

    @property
    def answered(self) -> int:
        """Questions answered, summed over its reviewers."""
        return sum(r.answered for r in self.reviewers)

    @property
    def relevant(self) -> int:
        """Questions to answer, summed over the reviewers it has and those it still needs."""
        return sum(r.relevant for r in self.reviewers) + max(0, self.needed - len(self.reviewers)) * self.unstarted

    @property
    def finished(self) -> int:
        """How many reviewers have finished it."""
        return sum(r.finished for r in self.reviewers)

    @property
    def status(self) -> str:
        """'complete', 'in progress' or 'not started', for the team."""
        return "complete" if self.complete else "in progress" if self.answered or self.finished else "not started"


class InspectionState:
    """One viewer's state of an inspection: the counted view for the tallies, their own for the review."""

    def __init__(self, questionnaire: Questionnaire, viewer: str, *, policy: str = "first",
                 sample: Iterable[str] = (), baseline: Mapping[str, float] | None = None,
                 question_baseline: Mapping[str, float] | None = None, not_comparable: Iterable[str] = ()):
        self.questionnaire = questionnaire
        self.viewer = viewer
        self.sample = set(sample)
        self.baseline = baseline
        self.question_baseline = question_baseline
        self.not_comparable = tuple(not_comparable)
        self.counted = TallyEngine(questionnaire, baseline, question_baseline, policy=policy,
                                   not_comparable=self.not_comparable)
        self.own = TallyEngine(questionnaire, baseline, question_baseline, reviewer=viewer,
                               not_comparable=self.not_comparable)
        self._cases: dict[str, CaseRecord] = {}
        # every answer in the store's order, so that a case leaving blind review counts the same
        # "first" answer as the tallies built from the store do
        self._answers: dict[tuple[str, str], dict[str, str]] = {}
        self._moderated: dict[tuple[str, str], str] = {}
        # other reviewers' own views (the team view), built when first asked for, then kept current
        self._team: dict[str, TallyEngine] = {}

    @classmethod
    def build(cls, questionnaire: Questionnaire, viewer: str, cases: Iterable[CaseRecord],
              answers: Iterable[tuple[str, str, str, str]], moderations: Iterable[tuple[str, str, str]] = (),
              **options) -> InspectionState:
        """A state loaded with cases, (case, question, reviewer, value) answers and moderated answers."""
        state = cls(questionnaire, viewer, **options)
        cases = list(cases)
        state._cases = {case.reference: case for case in cases}
        for case, qid, reviewer, value in answers:
            if value is not None:
                state._answers.setdefault((case, qid), {})[reviewer] = value
        moderated = list(moderations)
        state._moderated = {(case, qid): value for case, qid, value in moderated}
        seen = [(case, qid, reviewer, value) for (case, qid), slot in state._answers.items()
                for reviewer, value in slot.items() if state.sees(case, reviewer)]
        mine = [row for row in seen if row[2] == viewer]
        pairs = [(c.reference, c.attributes) for c in cases]
        options = {"baseline": state.baseline, "question_baseline": state.question_baseline,
                   "not_comparable": state.not_comparable}
        state.counted = TallyEngine.build(questionnaire, pairs, seen, moderated, policy=state.counted.policy,
                                          **options)
        state.own = TallyEngine.build(questionnaire, pairs, mine, reviewer=viewer, **options)
        return state

    # -- reading ---------------------------------------------------------------------------

    def engine(self, view: str = OWN) -> TallyEngine:
        """The tally engine of a view."""
        return self.own if view == OWN else self.counted

    @property
    def policy(self) -> str:
        """How unmoderated disagreements count in the counted view."""
        return self.counted.policy

    def cases(self) -> list[str]:
        """Every case reference, in the order they were added."""
        return list(self._cases)

    def case(self, reference: str) -> CaseRecord:
        """What the state holds of a case (KeyError when unknown)."""
        return self._cases[reference]

    def blind(self, reference: str) -> bool:
        """Whether the case is under blind double review (so its reviewers see only their own work)."""
        case = self._cases.get(reference)
        return completion.is_blind(reference in self.sample, case.completed_by if case else ())

    def sees(self, reference: str, reviewer: str) -> bool:
        """Whether the viewer's counted view includes this reviewer's answers on this case."""
        return sees(self.viewer, reviewer, self.blind(reference))

    def states(self, reference: str, view: str = OWN) -> dict[str, str]:
        """Every question's state for a case in a view, in questionnaire order."""
        return self.engine(view).case_states(reference)

    def state(self, reference: str, qid: str, view: str = OWN) -> str:
        """One question's state for a case in a view."""
        return self.engine(view).state(reference, qid)

    def relevant(self, reference: str, qid: str, view: str = OWN) -> bool:
        """Whether the question applies to the case in this view (a reviewer can answer it)."""
        return self.state(reference, qid, view) != NOT_RELEVANT

    def relevant_questions(self, reference: str, view: str = OWN) -> list[str]:
        """The questions that apply to the case in this view, in order."""
        return completion.relevant(self.states(reference, view))

    def progress(self, reference: str, view: str = OWN) -> tuple[int, int]:
        """(answered, relevant) questions of a case in a view."""
        return completion.progress(self.states(reference, view))

    def first_open(self, reference: str, after: str | None = None, view: str = OWN) -> str | None:
        """The first relevant unanswered question of a case (after `after`, wrapping), or None."""
        return completion.first_open(self.states(reference, view), after)

    def missing_required(self, reference: str, view: str = OWN) -> list[str]:
        """Required relevant questions still unanswered in a view."""
        return completion.missing_required(self.questionnaire, self.states(reference, view))

    def is_complete(self, reference: str) -> bool:
        """Whether the viewer has finished the case (or it is marked complete for everyone)."""
        case = self._cases[reference]
        return self.viewer in case.completed_by or (case.complete and not case.completed_by)

    def answer_of(self, reference: str, qid: str, reviewer: str) -> str | None:
        """One reviewer's answer as the state holds it (whatever the viewer may see)."""
        return self._answers.get((reference, qid), {}).get(reviewer)

    def reviewers_of(self, reference: str) -> list[str]:
        """Everyone who has answered something on a case, in the order they first did."""
        found: dict[str, None] = {}
        for qid in self.questionnaire.question_ids:
            found.update(dict.fromkeys(self._answers.get((reference, qid), {})))
        return list(found)

    def why_not_relevant(self, reference: str, qid: str, view: str = OWN) -> str:
        """Why a question does not apply to a case in a view, in the questionnaire's labels ('' if it does)."""
        engine = self.engine(view)
        attributes = engine.cases.get(reference, {})

        def answer_of(dep: str) -> str | None:
            return None if engine.state(reference, dep) == NOT_RELEVANT else engine.answer(reference, dep)

        return why_not(self.questionnaire.question(qid).applies_when, attributes, answer_of, self.questionnaire)

    def double_review(self, reference: str) -> str:
        """The case's double review in words ('' when it is not in the sample)."""
        case = self._cases.get(reference)
        return completion.double_review_state(reference in self.sample, case.completed_by if case else ())

    def moderated(self, reference: str, qid: str) -> str | None:
        """The agreed (moderated) answer of a case's question, or None."""
        return self._moderated.get((reference, qid))

    def disagree(self, reference: str, qid: str) -> bool:
        """Whether the case's reviewers gave the question different answers (moderated or not)."""
        return len(set(self._answers.get((reference, qid), {}).values())) > 1

    def answers_of(self, reference: str, qid: str) -> dict[str, str]:
        """Every reviewer's answer to a case's question, in the order they answered (whatever the viewer may see)."""
        return dict(self._answers.get((reference, qid), {}))

    # -- the team view: every reviewer's own work ---------------------------------------------

    def reviewer_states(self, reference: str, reviewer: str) -> dict[str, str]:
        """Every question's state for a case from one reviewer's answers (and the relevance they give)."""
        if reviewer == self.viewer:
            return self.own.case_states(reference)
        engine = self._team.get(reviewer)
        if engine is None:
            rows = [(case, qid, reviewer, slot[reviewer]) for (case, qid), slot in self._answers.items()
                    if reviewer in slot]
            cases = {row[0] for row in rows}
            engine = self._team[reviewer] = TallyEngine.build(
                self.questionnaire, [(c.reference, c.attributes) for c in self._cases.values() if c.reference in cases],
                rows, reviewer=reviewer)
        if reference not in engine.cases and reference in self._cases:
            engine.set_case(reference, self._cases[reference].attributes)
        return engine.case_states(reference)

    def team_progress(self, reference: str) -> TeamProgress:
        """The case as the team has worked it: each reviewer's progress and finish, and whether it is done.

        On a blind double review nobody is told who else is on the case (only their progress)."""
        case = self._cases[reference]
        names = list(dict.fromkeys([*self.reviewers_of(reference), *case.completed_by]))
        hide = self.blind(reference)
        rows = []
        for name in names:
            answered, relevant = completion.progress(self.reviewer_states(reference, name))
            shown = name if not hide or name == self.viewer else "another reviewer"
            rows.append(ReviewerProgress(shown, answered, relevant, name in case.completed_by))
        needed = completion.reviewers_needed(reference in self.sample)
        complete = completion.team_complete(reference in self.sample, case.completed_by, case.complete)
        unstarted = completion.progress(self.counted.case_states(reference))[1] if len(rows) < needed else 0
        return TeamProgress(tuple(rows), needed, unstarted, complete, self.double_review(reference))

    def reviewers(self) -> set[str]:
        """Everyone who has answered something in this inspection."""
        return {reviewer for slot in self._answers.values() for reviewer in slot}

    # -- changes ---------------------------------------------------------------------------

    def set_case(self, case: CaseRecord) -> bool:
        """Add or change a case (attributes, who finished it); True when its blindness changed."""
        was_blind = self.blind(case.reference) if case.reference in self._cases else None
        self._cases[case.reference] = case
        self.counted.set_case(case.reference, case.attributes)
        self.own.set_case(case.reference, case.attributes)
        for engine in self._team.values():
            if case.reference in engine.cases:
                engine.set_case(case.reference, case.attributes)
        now_blind = self.blind(case.reference)
        if was_blind is not None and was_blind != now_blind:
            self._recount(case.reference)
            return True
        return False

    def set_answer(self, reference: str, qid: str, reviewer: str, value: str | None) -> None:
        """Record, change or (None) clear one reviewer's answer in every view that sees it."""
        slot = self._answers.setdefault((reference, qid), {})
        if value is None:
            slot.pop(reviewer, None)
        else:
            slot[reviewer] = value
        if not slot:
            del self._answers[(reference, qid)]
        if self.sees(reference, reviewer):
            self.counted.set_answer(reference, qid, reviewer, value)
        if reviewer == self.viewer:
            self.own.set_answer(reference, qid, reviewer, value)
        elif reviewer in self._team:
            engine = self._team[reviewer]
            if reference not in engine.cases and reference in self._cases:
                engine.set_case(reference, self._cases[reference].attributes)
            engine.set_answer(reference, qid, reviewer, value)

    def set_moderation(self, reference: str, qid: str, value: str | None) -> None:
        """Record (None: withdraw) the agreed answer of a case's question."""
        if value is None:
            self._moderated.pop((reference, qid), None)
        else:
            self._moderated[(reference, qid)] = value
        self.counted.set_moderation(reference, qid, value)

    def set_policy(self, policy: str) -> None:
        """Count unmoderated disagreements another way; the counted view is built again."""
        self._rebuild_counted(policy=policy)

    def set_sample(self, sample: Iterable[str]) -> None:
        """Change the double-review sample; cases entering or leaving blind review are recounted."""
        before = {reference: self.blind(reference) for reference in self._cases}
        self.sample = set(sample)
        for reference, was in before.items():
            if self.blind(reference) != was:
                self._recount(reference)

    def _recount(self, reference: str) -> None:
        """Count a case's answers again in the counted view, in the store's order, after its blindness changed."""
        for qid in self.questionnaire.question_ids:
            slot = self._answers.get((reference, qid), {})
            for reviewer in list(slot):
                self.counted.set_answer(reference, qid, reviewer, None)
            for reviewer, value in slot.items():
                if self.sees(reference, reviewer):
                    self.counted.set_answer(reference, qid, reviewer, value)

    def _rebuild_counted(self, policy: str) -> None:
        moderated = self.counted.moderated()
        seen = [(case, qid, reviewer, value) for (case, qid), slot in self._answers.items()
                for reviewer, value in slot.items() if self.sees(case, reviewer)]
        cases = [(c.reference, c.attributes) for c in self._cases.values()]
        self.counted = TallyEngine.build(self.questionnaire, cases, seen, moderated, policy=policy,
                                         baseline=self.baseline, question_baseline=self.question_baseline,
                                         not_comparable=self.not_comparable)
