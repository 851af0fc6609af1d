"""What a team records besides answers: the double-review sample, the disagreement policy, moderated
(agreed) answers and notes on whole cases."""

from __future__ import annotations

import random

from esi_tui.core import completion
from esi_tui.core.entities import Moderation
from esi_tui.core.tally import POLICIES
from esi_tui.core.text import name_problem, text_problem
from esi_tui.core.times import now, time_problem
from esi_tui.store.answers import value_problem
from esi_tui.store.completions import Completions
from esi_tui.store.errors import InvalidChange
from esi_tui.store.ledger import Ledger

SETTINGS = {"double_review", "double_review_seed", "double_review_share", "disagreement_policy"}


def as_moderation(doc: dict) -> Moderation:
    """A stored moderation as the value the store hands out."""
    return Moderation(doc["inspection"], doc["case"], doc["question"], doc["value"],
                      doc.get("reason") or "", doc.get("moderator") or "", doc.get("at") or "")


class Team:
    """Double review, moderation, case notes and team settings of one database."""

    def __init__(self, ledger: Ledger, completions: Completions):
        self.ledger = ledger
        self.completions = completions

    # -- inspection settings ---------------------------------------------------------------

    def settings(self, inspection_id: str) -> dict:
        """The inspection's team settings: double review sample and disagreement policy."""
        doc = self.ledger.inspection_doc(inspection_id)
        stored = {k: list(v) if isinstance(v, list) else v for k, v in doc.get("settings", {}).items()}
        return {"double_review": [], "disagreement_policy": "first", **stored}

    def adopt_settings(self, inspection_id: str, settings: dict) -> dict:
        """Record team settings (double review sample, its seed and share, policy); only what differs
        is saved, so adopting the same settings twice changes nothing. Returns what changed."""
        self.ledger.writable()
        unknown = sorted(set(settings) - SETTINGS)
        if unknown:
            raise InvalidChange(f"unknown setting {unknown[0]!r}")
        policy = settings.get("disagreement_policy", "first")
        if policy not in POLICIES:
            raise InvalidChange(f"disagreement policy must be one of {', '.join(POLICIES)}, not {policy!r}")
        seed = settings.get("double_review_seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or abs(seed) > 2**63:
            raise InvalidChange(f"double_review_seed must be a whole number, not {seed!r}")
        share = settings.get("double_review_share", 1)
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1):
            raise InvalidChange(f"double_review_share must be a number above 0 and at most 1, not {share!r}")
        for reference in settings.get("double_review", []):
            self.ledger.case_doc(inspection_id, reference)
        current = self.settings(inspection_id)
        changed = {k: v for k, v in settings.items() if k not in current or current[k] != v}
        if changed:
            self.ledger.commit({"op": "settings", "inspection": inspection_id, "settings": changed, "at": now()})
        return changed

    def set_disagreement_policy(self, inspection_id: str, policy: str) -> None:
        """How tallies count an unmoderated disagreement: the first reviewer's answer, or in dispute."""
        self.adopt_settings(inspection_id, {"disagreement_policy": policy})

    def mark_double_review(self, inspection_id: str, references: list[str] | None = None,
                           share: float | None = None, seed: int | None = None) -> list[str]:
        """Mark cases for blind double review: named ones, or a random share with a recorded seed."""
        self.ledger.writable()
        cases = [ref for (insp, ref) in self.ledger.state.cases if insp == inspection_id]
        chosen = set(self.settings(inspection_id)["double_review"])
        extra: dict = {}
        for reference in references or []:
            self.ledger.case_doc(inspection_id, reference)
            chosen.add(reference)
        if share is not None:
            if not 0 < share <= 1:
                raise InvalidChange(f"the share must be above 0 and at most 1, not {share}")
            seed = random.SystemRandom().randrange(1, 10**9) if seed is None else seed
            count = max(1, round(share * len(cases))) if cases else 0
            chosen |= set(random.Random(seed).sample(cases, count))
            extra = {"double_review_seed": seed, "double_review_share": share}
        ordered = [c for c in cases if c in chosen]
        self.adopt_settings(inspection_id, {"double_review": ordered, **extra})
        return list(ordered)

    def unmark_double_review(self, inspection_id: str, reference: str) -> None:
        """Take a case out of the blind double-review sample."""
        sample = self.settings(inspection_id)["double_review"]
        if reference in sample:
            self.adopt_settings(inspection_id, {"double_review": [r for r in sample if r != reference]})

    def is_double_review(self, inspection_id: str, reference: str) -> bool:
        """Whether a case is in the blind double-review sample."""
        return reference in self.settings(inspection_id)["double_review"]

    def blind_cases(self, inspection_id: str) -> set[str]:
        """Double-review cases not yet finished by two reviewers: still blind."""
        return {reference for reference in self.settings(inspection_id)["double_review"]
                if self.blind_for(inspection_id, reference)}

    def blind_for(self, inspection_id: str, reference: str, reviewer: str | None = None) -> bool:
        """Whether the case's reviewers must not yet see each other's answers (the same for every reviewer)."""
        doc = self.ledger.case_doc(inspection_id, reference)
        return completion.is_blind(self.is_double_review(inspection_id, reference), doc.get("completed_by", ()))

    # -- moderation ------------------------------------------------------------------------

    def moderations(self, inspection_id: str) -> list[Moderation]:
        """Every moderated (agreed) answer of an inspection."""
        return [as_moderation(doc) for (insp, _, _), doc in self.ledger.state.moderations.items()
                if insp == inspection_id]

    def moderation(self, inspection_id: str, case: str, question: str) -> Moderation | None:
        """The moderated answer of one case and question, or None."""
        doc = self.ledger.state.moderations.get((inspection_id, case, question))
        return as_moderation(doc) if doc else None

    def moderate(self, inspection_id: str, case: str, question: str, value: str | None, moderator: str,
                 reason: str = "", at: str | None = None) -> Moderation | None:
        """Record the agreed answer (None withdraws it, its reason kept); the earlier one is kept in history."""
        self.ledger.writable()
        questionnaire = self.ledger.questionnaire(inspection_id)
        self.ledger.case_doc(inspection_id, case)
        if not questionnaire.has_question(question):
            raise InvalidChange(f"unknown question {question!r} in {questionnaire.id}")
        problem = (value_problem(questionnaire, question, value) or name_problem(moderator, "moderator")
                   or text_problem(reason, "reason", "reason") or (time_problem(at) if at is not None else None))
        if problem:
            raise InvalidChange(problem)
        old = self.moderation(inspection_id, case, question)
        if (old is None and value is None) or (old and old.value == value and old.reason == reason):
            return old
        cause = f"the agreed answer to {question} was {'withdrawn' if value is None else 'changed'}"
        with self.completions.kept_true(inspection_id, case, cause, question):
            self.ledger.commit({"op": "moderation", "inspection": inspection_id, "case": case, "question": question,
                                "value": value, "reason": reason, "moderator": moderator, "at": at or now()})
        return self.moderation(inspection_id, case, question)

    # -- case notes ------------------------------------------------------------------------

    def case_note(self, inspection_id: str, case: str, reviewer: str) -> str:
        """A reviewer's note on a whole case (a peer reviewer's note to the colleague)."""
        doc = self.ledger.state.notes.get((inspection_id, case, reviewer))
        return doc["note"] if doc else ""

    def case_notes(self, inspection_id: str) -> list[dict]:
        """Every case note of an inspection."""
        return [dict(doc) for (insp, _, _), doc in self.ledger.state.notes.items() if insp == inspection_id]

    def set_case_note(self, inspection_id: str, case: str, reviewer: str, note: str, at: str | None = None) -> None:
        """Save (or with '' remove) a reviewer's note on a case."""
        self.ledger.writable()
        self.ledger.case_doc(inspection_id, case)
        problem = (name_problem(reviewer, "reviewer") or text_problem(note, "note")
                   or (time_problem(at) if at is not None else None))
        if problem:
            raise InvalidChange(problem)
        if self.case_note(inspection_id, case, reviewer) != note:
            self.ledger.commit({"op": "note", "inspection": inspection_id, "case": case, "reviewer": reviewer,
                                "note": note, "at": at or now()})

    # -- history brought from elsewhere ----------------------------------------------------

    def add_history(self, record: dict) -> bool:
        """Keep an earlier version of an answer (from a merged database) unless it is already kept."""
        self.ledger.writable()
        if record in self.ledger.state.history:
            return False
        self.ledger.commit({"op": "history", "record": dict(record)})
        return True
