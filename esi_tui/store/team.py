"""Repository methods for working as a team: double review, moderation, case notes, settings."""

from __future__ import annotations

import random

from esi_tui.core.records import Moderation, now
from esi_tui.store.errors import InvalidChange

POLICIES = ("first", "dispute")
SETTINGS = {"double_review", "double_review_seed", "double_review_share", "disagreement_policy"}


class ReviewRecords:
    """Mixed into Repository: the records peer review and quality assurance need."""

    # -- inspection settings ---------------------------------------------------------------

    def settings(self, inspection_id: str) -> dict:
        """The inspection's team settings: double review sample and disagreement policy."""
        doc = self._inspection_doc(inspection_id)
        stored = {k: list(v) if isinstance(v, list) else v for k, v in doc.get("settings", {}).items()}
        return {"double_review": [], "disagreement_policy": "first", **stored}

    def set_disagreement_policy(self, inspection_id: str, policy: str) -> None:
        """How tallies count an unmoderated disagreement: the first reviewer's answer, or in dispute."""
        if policy not in POLICIES:
            raise InvalidChange(f"disagreement policy must be one of {', '.join(POLICIES)}, not {policy!r}")
        self.adopt_settings(inspection_id, {"disagreement_policy": policy})

    def mark_double_review(self, inspection_id: str, references: list[str] | None = None,
                           share: float | None = None, seed: int | None = None) -> list[str]:
        """Mark cases for blind double review: named ones, or a random share with a recorded seed."""
        cases = [c.reference for c in self.cases(inspection_id)]
        chosen = set(self.settings(inspection_id)["double_review"])
        extra: dict = {}
        for reference in references or []:
            if reference not in cases:
                raise InvalidChange(f"inspection {inspection_id!r} has no case {reference!r}")
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

    def adopt_settings(self, inspection_id: str, settings: dict) -> dict:
        """Record team settings (double review sample, its seed and share, policy); only what differs
        is saved, so adopting the same settings twice changes nothing. Returns what changed."""
        unknown = sorted(set(settings) - SETTINGS)
        if unknown:
            raise InvalidChange(f"unknown setting {unknown[0]!r}")
        if "disagreement_policy" in settings and settings["disagreement_policy"] not in POLICIES:
            raise InvalidChange(f"disagreement policy must be one of {', '.join(POLICIES)}, "
                                f"not {settings['disagreement_policy']!r}")
        for reference in settings.get("double_review", []):
            if not self.has_case(inspection_id, reference):
                raise InvalidChange(f"inspection {inspection_id!r} has no case {reference!r}")
        current = self.settings(inspection_id)
        changed = {k: v for k, v in settings.items() if k not in current or current[k] != v}
        if changed:
            self._commit({"op": "settings", "inspection": inspection_id, "settings": changed, "at": now()})
        return changed

    def is_double_review(self, inspection_id: str, reference: str) -> bool:
        """Whether a case is in the blind double-review sample."""
        return reference in self.settings(inspection_id)["double_review"]

    def blind_cases(self, inspection_id: str) -> set[str]:
        """Double-review cases that at most one reviewer has finished: still blind."""
        double = set(self.settings(inspection_id)["double_review"])
        return {reference for reference in double
                if len(self.case(inspection_id, reference).completed_by) < 2}

    def blind_for(self, inspection_id: str, reference: str, reviewer: str) -> bool:
        """Whether `reviewer` must not yet see other reviewers' answers on this case.

        A double-review case stays blind to each of its reviewers until at least two reviewers
        have marked it finished.
        """
        if not self.is_double_review(inspection_id, reference):
            return False
        return len(self.case(inspection_id, reference).completed_by) < 2

    # -- moderation ------------------------------------------------------------------------

    def moderations(self, inspection_id: str) -> list[Moderation]:
        """Every moderated (agreed) answer of an inspection."""
        return [self._moderation(doc) for (insp, _, _), doc in self.state.moderations.items()
                if insp == inspection_id]

    def moderation(self, inspection_id: str, case: str, question: str) -> Moderation | None:
        """The moderated answer of one case and question, or None."""
        doc = self.state.moderations.get((inspection_id, case, question))
        return self._moderation(doc) if doc else None

    def moderate(self, inspection_id: str, case: str, question: str, value: str | None, moderator: str,
                 reason: str = "", at: str | None = None) -> Moderation | None:
        """Record the agreed answer (None withdraws it); the earlier one is kept in history."""
        questionnaire = self.questionnaire(inspection_id)
        self.case(inspection_id, case)
        if not questionnaire.has_question(question):
            raise InvalidChange(f"unknown question {question!r} in {questionnaire.id}")
        scale = questionnaire.scale_of(question)
        if value is not None and scale.option(value) is None:
            raise InvalidChange(f"{value!r} is not an answer to {question} (scale {scale.id})")
        old = self.moderation(inspection_id, case, question)
        if (old is None and value is None) or (old and old.value == value and old.reason == reason):
            return old
        self._commit({"op": "moderation", "inspection": inspection_id, "case": case, "question": question,
                      "value": value, "reason": reason, "moderator": moderator, "at": at or now()})
        return self.moderation(inspection_id, case, question)

    @staticmethod
    def _moderation(doc: dict) -> Moderation:
        return Moderation(doc["inspection"], doc["case"], doc["question"], doc["value"],
                          doc.get("reason") or "", doc.get("moderator") or "", doc.get("at") or "")

    # -- case notes ------------------------------------------------------------------------

    def case_note(self, inspection_id: str, case: str, reviewer: str) -> str:
        """A reviewer's note on a whole case (a peer reviewer's note to the colleague)."""
        doc = self.state.notes.get((inspection_id, case, reviewer))
        return doc["note"] if doc else ""

    def case_notes(self, inspection_id: str) -> list[dict]:
        """Every case note of an inspection."""
        return [dict(doc) for (insp, _, _), doc in self.state.notes.items() if insp == inspection_id]

    def set_case_note(self, inspection_id: str, case: str, reviewer: str, note: str, at: str | None = None) -> None:
        """Save (or with '' remove) a reviewer's note on a case."""
        self.case(inspection_id, case)
        if self.case_note(inspection_id, case, reviewer) != note:
            self._commit({"op": "note", "inspection": inspection_id, "case": case, "reviewer": reviewer,
                          "note": note, "at": at or now()})

    # -- history brought from elsewhere ----------------------------------------------------

    def add_history(self, record: dict) -> None:
        """Keep an earlier version of an answer (from a merged database) unless it is already kept."""
        if record not in self.state.history:
            self._commit({"op": "history", "record": dict(record)})
