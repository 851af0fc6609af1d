"""Live tallies per question and criterion, updated incrementally one answer at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from esi_tui.core.conditions import Condition, evaluate
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.ratings import CriterionRating, rate_criterion

POSITIVE, NEGATIVE, NOT_APPLICABLE = "positive", "negative", "not_applicable"
UNANSWERED, NOT_RELEVANT, IN_DISPUTE = "unanswered", "not_relevant", "in_dispute"
STATES = (POSITIVE, NEGATIVE, NOT_APPLICABLE, UNANSWERED, NOT_RELEVANT, IN_DISPUTE)
POLICIES = ("first", "dispute")


@dataclass
class Counts:
    """How many case-question pairs are in each state."""

    positive: int = 0
    negative: int = 0
    not_applicable: int = 0
    unanswered: int = 0
    not_relevant: int = 0
    in_dispute: int = 0

    def add(self, state: str, delta: int) -> None:
        """Move `delta` pairs into (or out of, when negative) `state`."""
        setattr(self, state, getattr(self, state) + delta)

    @property
    def counted(self) -> int:
        """The denominator: answers that count as positive or negative."""
        return self.positive + self.negative

    @property
    def relevant(self) -> int:
        """Pairs the question applies to, answered or not."""
        return self.positive + self.negative + self.not_applicable + self.unanswered + self.in_dispute

    @property
    def score(self) -> float | None:
        """Positive as a percentage of the counted answers; None before any counts."""
        return 100.0 * self.positive / self.counted if self.counted else None

    def as_dict(self) -> dict[str, int]:
        """The counts by state name."""
        return {state: getattr(self, state) for state in STATES}


@dataclass
class CriterionTally:
    """A criterion's counts (over its scored questions) with its baseline, change and rating band."""

    code: str
    title: str
    counts: Counts
    baseline: float | None
    band: str | None
    questions: list[tuple[str, Counts, float | None]] = field(default_factory=list)
    rating: CriterionRating | None = None
    comparable: bool = True  # False: the baseline asked other questions ("no direct comparison")

    @property
    def score(self) -> float | None:
        """The criterion's score now, as a percentage."""
        return self.counts.score

    @property
    def change(self) -> float | None:
        """Percentage points since the baseline, when both exist and they can be compared."""
        if self.score is None or self.baseline is None or not self.comparable:
            return None
        return self.score - self.baseline


def criterion_tally(questionnaire: Questionnaire, code: str, counts: Counts, question_counts,
                    baseline: float | None = None, question_baseline: Mapping[str, float] | None = None,
                    comparable: bool = True) -> CriterionTally:
    """A criterion's tally from its counts and its questions' counts, rated by the questionnaire's rule."""
    crit = questionnaire.criterion(code)
    rating = rate_criterion(questionnaire, code, counts, question_counts)
    question_baseline = question_baseline or {}
    return CriterionTally(
        code=code, title=crit.title, counts=counts, baseline=baseline, band=rating.label,
        questions=[(q.id, question_counts(q.id), question_baseline.get(q.id)) for q in crit.questions],
        rating=rating, comparable=comparable,
    )


class TallyEngine:
    """Keeps per-question and per-criterion counts current as cases and answers change.

    Each answer belongs to a reviewer; the one counted for a case and question is the chosen
    reviewer's (when filtering by reviewer), else the moderated answer where reviewers disagreed
    and a moderator decided, else (policy "first") the first reviewer's to answer it, or (policy
    "dispute") none: the pair is shown as in dispute and left out of the score.
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        baseline: Mapping[str, float] | None = None,
        question_baseline: Mapping[str, float] | None = None,
        reviewer: str | None = None,
        case_filter: Condition | None = None,
        policy: str = "first",
        not_comparable: Iterable[str] = (),
    ):
        if policy not in POLICIES:
            raise ValueError(f"unknown disagreement policy {policy!r}")
        self.questionnaire = questionnaire
        self.policy = policy
        self._moderated: dict[tuple[str, str], str] = {}
        self._split: set[tuple[str, str]] = set()  # pairs whose reviewers gave different answers
        self.baseline = dict(baseline or {})
        self.question_baseline = dict(question_baseline or {})
        self.not_comparable = frozenset(not_comparable)
        self.reviewer = reviewer
        self.case_filter = case_filter
        self._order = {q.id: i for i, q in enumerate(questionnaire.questions)}
        # a criterion counts its scored questions only: prompts are tallied, never scored
        self._criterion_of = {q.id: q.criterion for q in questionnaire.questions if q.scored}
        self._cases: dict[str, dict[str, object]] = {}
        self._answers: dict[tuple[str, str], dict[str, str]] = {}
        self._state: dict[str, dict[str, str]] = {}  # reference -> question -> state, for included cases
        # cases added with no answers, by their relevance: their counts are added together (see build)
        self._blank_states: dict[tuple[bool, ...], dict[str, str]] = {}
        self._pending: Counter[tuple[bool, ...]] | None = None
        self._touched: set[str] | None = None  # while building: the cases some answer names
        self._included: set[str] = set()
        self._questions = {qid: Counts() for qid in self._order}
        self._criteria = {c.code: Counts() for c in questionnaire.criteria}

    @classmethod
    def build(
        cls,
        questionnaire: Questionnaire,
        cases: Iterable[tuple[str, Mapping[str, object]]],
        answers: Iterable[tuple[str, str, str, str]],
        moderated: Iterable[tuple[str, str, str]] = (),
        **options,
    ) -> TallyEngine:
        """An engine loaded with (reference, attributes) cases, (case, question, reviewer, value) answers
        and (case, question, value) moderated answers."""
        engine = cls(questionnaire, **options)
        for case, qid, value in moderated:
            engine._moderated[(case, qid)] = value
        for case, qid, reviewer, value in answers:
            if value is not None:  # a cleared answer is no answer (and must not hide a later reviewer's)
                engine._answers.setdefault((case, qid), {})[reviewer] = value
        for key in engine._answers:
            engine._note_split(key)
        engine._pending = Counter()
        engine._touched = {case for case, _ in engine._answers} | {case for case, _ in engine._moderated}
        for reference, attributes in cases:
            engine.set_case(reference, attributes)
        pending, engine._pending, engine._touched = engine._pending, None, None
        for relevance, count in pending.items():
            engine._count_blank(relevance, count)
        return engine

    # -- changes ---------------------------------------------------------------------------

    def set_case(self, reference: str, attributes: Mapping[str, object]) -> None:
        """Add a case or change its attributes; re-evaluates relevance for that case only.

        Attributes left out take the questionnaire's defaults, as a stored case would.
        """
        self._withdraw_case(reference)
        attributes = {**self.questionnaire.case_attributes(attributes), **attributes}
        self._cases[reference] = attributes
        if self.case_filter is None or evaluate(
            self.case_filter, attributes, lambda _q: None, self.questionnaire.conditions
        ):
            self._included.add(reference)
            if self._untouched(reference):
                self._put_blank(reference, self.questionnaire.relevance_unanswered(attributes))
                return
            for qid in self._order:
                self._put(reference, qid, self._compute(reference, qid))

    def remove_case(self, reference: str) -> None:
        """Drop a case and its answers from the tallies."""
        self._withdraw_case(reference)
        self._cases.pop(reference, None)
        for qid in self._order:
            self._answers.pop((reference, qid), None)
            self._split.discard((reference, qid))

    def set_answer(self, reference: str, qid: str, reviewer: str, value: str | None) -> None:
        """Record, change or (with None) clear one reviewer's answer; updates only what it touches.

        Raises KeyError, changing nothing, for a question the questionnaire does not define.
        """
        if qid not in self._order:
            raise KeyError(f"unknown question {qid!r} in {self.questionnaire.id}")
        if value is None:
            slot = self._answers.get((reference, qid))
            if slot is None or reviewer not in slot:
                return
            del slot[reviewer]
            if not slot:
                del self._answers[(reference, qid)]
        else:
            slot = self._answers.setdefault((reference, qid), {})
            slot[reviewer] = value
        self._note_split((reference, qid))
        if reference in self._included:
            self._refresh(reference, qid)

    def set_moderation(self, reference: str, qid: str, value: str | None) -> None:
        """Record (or with None withdraw) the moderated answer of a case and question."""
        if qid not in self._order:
            raise KeyError(f"unknown question {qid!r} in {self.questionnaire.id}")
        if value is None:
            self._moderated.pop((reference, qid), None)
        else:
            self._moderated[(reference, qid)] = value
        if reference in self._included:
            self._refresh(reference, qid)

    def moderated(self) -> list[tuple[str, str, str]]:
        """Every moderated answer as (case, question, value), for building another engine like this one."""
        return [(case, qid, value) for (case, qid), value in self._moderated.items()]

    def disputed(self, reference: str, qid: str) -> bool:
        """Whether reviewers gave different answers and no moderated answer settles it."""
        slot = self._answers.get((reference, qid)) or {}
        return len(set(slot.values())) > 1 and (reference, qid) not in self._moderated

    def open_disagreements(self) -> int:
        """Relevant case-question pairs of the counted cases where reviewers disagree, unmoderated."""
        return sum(1 for (reference, qid) in self._split
                   if reference in self._included and (reference, qid) not in self._moderated
                   and self._state.get(reference, {}).get(qid) != NOT_RELEVANT)

    def _note_split(self, key: tuple[str, str]) -> None:
        slot = self._answers.get(key)
        if slot and len(set(slot.values())) > 1:
            self._split.add(key)
        else:
            self._split.discard(key)

    # -- reading ---------------------------------------------------------------------------

    def answer(self, reference: str, qid: str) -> str | None:
        """The answer counted for a case and question (whatever its relevance), or None."""
        slot = self._answers.get((reference, qid))
        if self.reviewer is not None:
            return slot.get(self.reviewer) if slot else None
        moderated = self._moderated.get((reference, qid))
        if moderated is not None:
            return moderated
        if not slot:
            return None
        if self.policy == "dispute" and len(set(slot.values())) > 1:
            return None
        return next(iter(slot.values()))

    def state(self, reference: str, qid: str) -> str:
        """One of the STATES for a case and question (computed even for filtered-out cases)."""
        if reference in self._included:
            return self._state[reference][qid]
        return self._compute(reference, qid)

    def case_states(self, reference: str) -> dict[str, str]:
        """Every question's state for one case, in questionnaire order."""
        if reference in self._included:
            states = self._state[reference]
            return {qid: states[qid] for qid in self._order}
        return {qid: self._compute(reference, qid) for qid in self._order}

    def question_counts(self, qid: str) -> Counts:
        """The live counts of one question."""
        return self._questions[qid]

    def criterion_counts(self, code: str) -> Counts:
        """The live counts of one criterion."""
        return self._criteria[code]

    def criterion(self, code: str) -> CriterionTally:
        """A criterion's tally with baseline, change, band and its questions."""
        return criterion_tally(self.questionnaire, code, self._criteria[code], self._questions.__getitem__,
                               self.baseline.get(code), self.question_baseline, code not in self.not_comparable)

    def criteria(self) -> list[CriterionTally]:
        """Every criterion's tally in questionnaire order."""
        return [self.criterion(c.code) for c in self.questionnaire.criteria]

    @property
    def cases(self) -> dict[str, dict[str, object]]:
        """The cases known to the engine, by reference."""
        return self._cases

    # -- internals -------------------------------------------------------------------------

    def _compute(self, reference: str, qid: str) -> str:
        attributes = self._cases.get(reference, {})
        relevant = self.questionnaire.is_relevant(qid, attributes, lambda dep: self._counted(reference, dep))
        if not relevant:
            return NOT_RELEVANT
        value = self.answer(reference, qid)
        if value is None:
            if self.reviewer is None and self.policy == "dispute" and self.disputed(reference, qid):
                return IN_DISPUTE
            return UNANSWERED
        option = self.questionnaire.scale_of(qid).option(value)
        return option.counts_as if option else UNANSWERED

    def _untouched(self, reference: str) -> bool:
        """Whether no answer and no moderated answer of this engine names the case."""
        if self._touched is not None:
            return reference not in self._touched
        return not any((reference, qid) in self._answers or (reference, qid) in self._moderated for qid in self._order)

    def _counted(self, reference: str, qid: str) -> str | None:
        """The answer to an earlier question as conditions see it: None unless it is relevant."""
        if self.state(reference, qid) == NOT_RELEVANT:
            return None
        return self.answer(reference, qid)

    def _put(self, reference: str, qid: str, state: str) -> None:
        case = self._state.setdefault(reference, {})
        old = case.get(qid)
        if old == state:
            return
        criterion = self._criteria.get(self._criterion_of.get(qid, ""))
        if old is not None:
            self._questions[qid].add(old, -1)
            if criterion is not None:
                criterion.add(old, -1)
        case[qid] = state
        self._questions[qid].add(state, 1)
        if criterion is not None:
            criterion.add(state, 1)

    def _put_blank(self, reference: str, relevance: tuple[bool, ...]) -> None:
        """Count a case just added with no answers: each question unanswered where it applies. Cases alike
        share one pattern of states (copied), and while building their counts are added once per pattern."""
        pattern = self._blank_states.get(relevance)
        if pattern is None:
            pattern = self._blank_states[relevance] = {
                qid: UNANSWERED if relevant else NOT_RELEVANT for qid, relevant in zip(self._order, relevance)}
        self._state[reference] = dict(pattern)
        if self._pending is not None:
            self._pending[relevance] += 1
        else:
            self._count_blank(relevance, 1)

    def _count_blank(self, relevance: tuple[bool, ...], cases: int) -> None:
        """Add `cases` cases of one blank pattern to the question and criterion counts."""
        for qid, relevant in zip(self._order, relevance):
            state = UNANSWERED if relevant else NOT_RELEVANT
            self._questions[qid].add(state, cases)
            if qid in self._criterion_of:
                self._criteria[self._criterion_of[qid]].add(state, cases)

    def _refresh(self, reference: str, qid: str) -> None:
        pending = [qid]
        seen: set[str] = set()
        while pending:
            pending.sort(key=self._order.__getitem__)
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            before = self._state.get(reference, {}).get(current)
            after = self._compute(reference, current)
            self._put(reference, current, after)
            if before != after or current == qid:
                pending.extend(self.questionnaire.dependants(current))

    def _withdraw_case(self, reference: str) -> None:
        if reference not in self._included:
            return
        self._included.discard(reference)
        for qid, state in self._state.pop(reference, {}).items():
            self._questions[qid].add(state, -1)
            if qid in self._criterion_of:
                self._criteria[self._criterion_of[qid]].add(state, -1)
