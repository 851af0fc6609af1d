"""A region rolled up from its inspections: their counts summed and rated by the same rules."""

from __future__ import annotations

from collections.abc import Sequence

from esi_tui.core.entities import Inspection
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import (
    STATES,
    Counts,
    CriterionTally,
    TallyEngine,
    criterion_tally,
)


def summed(counts: Sequence[Counts]) -> Counts:
    """Counts added state by state."""
    total = Counts()
    for item in counts:
        for state in STATES:
            total.add(state, getattr(item, state))
    return total


def rollup_problem(inspections: Sequence[Inspection]) -> str | None:
    """Why these inspections cannot be summed (named twice, another questionnaire), or None."""
    seen: set[str] = set()
    for inspection in inspections:
        if inspection.id in seen:
            return f"inspection {inspection.id} is named twice: a roll-up counts each inspection once"
        seen.add(inspection.id)
    first = inspections[0]
    for other in inspections[1:]:
        if (other.questionnaire_id, other.questionnaire_version) != (first.questionnaire_id,
                                                                     first.questionnaire_version):
            return (f"inspections {first.id} ({first.questionnaire_id} v{first.questionnaire_version}) and "
                    f"{other.id} ({other.questionnaire_id} v{other.questionnaire_version}) use different "
                    "questionnaires; a roll-up needs one questionnaire id and version")
        if other.questionnaire_hash != first.questionnaire_hash:
            return (f"inspections {first.id} and {other.id} both use {first.questionnaire_id} "
                    f"v{first.questionnaire_version}, but their recorded definitions differ; a roll-up needs "
                    "one definition")
    return None


class RollUp:
    """The tallies of several inspections of one questionnaire, summed (a region from its delivery units).

    It reads like a TallyEngine (criteria, criterion, question_counts, criterion_counts,
    open_disagreements), so tallies, JSON and reports take either. A region has no baseline of its own:
    each area's change is its own (see core.compare).
    """

    def __init__(self, questionnaire: Questionnaire, engines: Sequence[TallyEngine]):
        self.questionnaire = questionnaire
        self.engines = list(engines)
        self.baseline: dict[str, float] = {}
        self.question_baseline: dict[str, float] = {}
        self.policy = engines[0].policy if engines else "first"

    def question_counts(self, qid: str) -> Counts:
        """One question's counts summed over the inspections."""
        return summed([engine.question_counts(qid) for engine in self.engines])

    def criterion_counts(self, code: str) -> Counts:
        """One criterion's counts (scored questions) summed over the inspections."""
        return summed([engine.criterion_counts(code) for engine in self.engines])

    def criterion(self, code: str) -> CriterionTally:
        """A criterion's summed tally, rated by the questionnaire's rule on the summed counts."""
        return criterion_tally(self.questionnaire, code, self.criterion_counts(code), self.question_counts)

    def criteria(self) -> list[CriterionTally]:
        """Every criterion's summed tally in questionnaire order."""
        return [self.criterion(c.code) for c in self.questionnaire.criteria]

    def open_disagreements(self) -> int:
        """Disagreements still open, over every inspection."""
        return sum(engine.open_disagreements() for engine in self.engines)
