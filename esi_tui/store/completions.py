"""Who finished each case, kept true: a completion is refused while required questions are open, and
withdrawn (with its reason, in the journal) when a later change opens one again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from esi_tui.core import completion
from esi_tui.core.entities import Case
from esi_tui.core.tally import TallyEngine
from esi_tui.core.text import name_problem
from esi_tui.core.times import now, time_problem
from esi_tui.store.errors import InvalidChange
from esi_tui.store.ledger import Ledger
from esi_tui.store.state import CASE_WIDE, completion_key, completion_of


@dataclass(frozen=True)
class Reopened:
    """A completion the store withdrew because the case stopped being complete."""

    inspection: str
    reference: str
    reviewer: str | None  # None: the mark for everyone
    reason: str


def as_case(doc: dict) -> Case:
    """A stored case as the value the store hands out."""
    return Case(doc["inspection"], doc["reference"], dict(doc["attributes"]), doc.get("created", ""),
                bool(doc.get("complete", False)), tuple(doc.get("completed_by", ())))


class Completions:
    """Marking cases complete and reopening them, always measured against the questions still open."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    # -- what is open ----------------------------------------------------------------------

    def states(self, inspection_id: str, reference: str, reviewer: str | None) -> dict[str, str]:
        """Every question's state for one case: `reviewer`'s own view, or (None) the counted one."""
        state = self.ledger.state
        questionnaire = self.ledger.questionnaire(inspection_id)
        doc = self.ledger.case_doc(inspection_id, reference)
        rows = [(reference, answer["question"], answer["reviewer"], answer["value"])
                for answer in state.case_answers(inspection_id, reference)
                if answer.get("value") is not None and (reviewer is None or answer["reviewer"] == reviewer)]
        moderated = []
        if reviewer is None:
            for qid in questionnaire.question_ids:
                agreed = state.moderations.get((inspection_id, reference, qid))
                if agreed is not None:
                    moderated.append((reference, qid, agreed["value"]))
        policy = self.ledger.inspection_doc(inspection_id).get("settings", {}).get("disagreement_policy", "first")
        engine = TallyEngine.build(questionnaire, [(reference, doc["attributes"])], rows, moderated,
                                   reviewer=reviewer, policy=policy)
        return engine.case_states(reference)

    def problem(self, inspection_id: str, reference: str, reviewer: str | None) -> str | None:
        """Why the case cannot be marked complete by `reviewer` (None: for everyone), or None."""
        states = self.states(inspection_id, reference, reviewer)
        return completion.completion_problem(self.ledger.questionnaire(inspection_id), reference, states, reviewer)

    def completion(self, inspection_id: str, reference: str) -> dict[str, tuple[bool, str]]:
        """Per reviewer who finished (or reopened) the case, and under "" case-wide: (complete, when)."""
        return completion_of(self.ledger.case_doc(inspection_id, reference))

    def reopen_reason(self, inspection_id: str, reference: str, reviewer: str | None) -> str:
        """Why the store last reopened this completion ('' when it was not the store)."""
        entry = (self.ledger.case_doc(inspection_id, reference).get("completion") or {}).get(reviewer or CASE_WIDE)
        return entry.get("reason", "") if isinstance(entry, dict) and not entry.get("complete") else ""

    # -- marking ---------------------------------------------------------------------------

    def set_complete(self, inspection_id: str, reference: str, complete: bool = True,
                     reviewer: str | None = None, at: str | None = None) -> Case:
        """Mark a case complete (or reopen it), by `reviewer` or for everyone, `at` a time (now; "": not known).

        Marking it complete is refused (InvalidChange) while a required question that applies is unanswered.
        """
        self.ledger.writable()
        doc = self.ledger.case_doc(inspection_id, reference)
        if reviewer is not None:
            problem = name_problem(reviewer, "reviewer")
            if problem:
                raise InvalidChange(problem)
        if at:
            problem = time_problem(at)
            if problem:
                raise InvalidChange(problem)
        case = as_case(doc)
        # a state already held is recorded again only to keep a later time than the one recorded for it
        current = reviewer in case.completed_by if reviewer else case.complete
        recorded = self.completion(inspection_id, reference).get(reviewer or CASE_WIDE, (current, ""))
        later = at is not None and completion_key(complete, at) > completion_key(*recorded)
        if current == complete and not later:
            return case
        if complete:
            problem = self.problem(inspection_id, reference, reviewer)
            if problem:
                raise InvalidChange(problem)
        record = {"op": "case", "inspection": inspection_id, "reference": reference,
                  "attributes": case.attributes, "complete": complete, "at": now() if at is None else at}
        if reviewer:
            record["reviewer"] = reviewer
        self.ledger.commit(record)
        return as_case(self.ledger.case_doc(inspection_id, reference))

    # -- keeping completions true ------------------------------------------------------------

    def _held(self, inspection_id: str, reference: str) -> list[str | None]:
        """The completions a case holds now: its reviewers, and None for the mark for everyone."""
        doc = self.ledger.state.cases.get((inspection_id, reference))
        if doc is None:
            return []
        held: list[str | None] = list(doc.get("completed_by", []))
        if doc.get("complete") and not held:
            held.append(None)
        return held

    @contextmanager
    def kept_true(self, inspection_id: str, reference: str, cause: str,
                  touched: str | None = None) -> Iterator[list[Reopened]]:
        """Around a change to a case: afterwards, reopen each completion the change left incomplete."""
        before = {who: self.states(inspection_id, reference, who) for who in self._held(inspection_id, reference)}
        reopened: list[Reopened] = []
        yield reopened
        reopened += self._reopen(inspection_id, reference, before, cause, touched)

    def _reopen(self, inspection_id: str, reference: str, before: dict, cause: str,
                touched: str | None = None) -> list[Reopened]:
        questionnaire = self.ledger.questionnaire(inspection_id)
        reopened = []
        for who, states in before.items():
            if who not in self._held(inspection_id, reference):
                continue
            after = self.states(inspection_id, reference, who)
            if not completion.missing_required(questionnaire, after):
                continue
            reason = completion.reopen_reason(states, after, questionnaire, cause, touched)
            doc = self.ledger.case_doc(inspection_id, reference)
            record = {"op": "case", "inspection": inspection_id, "reference": reference,
                      "attributes": doc["attributes"], "complete": False, "at": now(), "reason": reason}
            if who is not None:
                record["reviewer"] = who
            self.ledger.commit(record)
            reopened.append(Reopened(inspection_id, reference, who, reason))
        return reopened

    def reconcile_all(self) -> list[Reopened]:
        """Reopen every completion that does not hold (a database written before completeness was kept true)."""
        reopened = []
        for (inspection_id, reference) in list(self.ledger.state.cases):
            held = self._held(inspection_id, reference)
            if held:
                fake: dict[str | None, dict[str, str]] = {who: {} for who in held}
                reopened += self._reopen(inspection_id, reference, fake,
                                         "it was marked complete with required questions open")
        return reopened
