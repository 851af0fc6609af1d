"""The cases of an inspection: added, their attributes changed (completions kept true), looked up."""

from __future__ import annotations

from esi_tui.core.entities import Case
from esi_tui.core.text import reference_problem
from esi_tui.core.times import now
from esi_tui.store.completions import Completions, as_case
from esi_tui.store.errors import InvalidChange
from esi_tui.store.ledger import Ledger


def attribute_change(questionnaire, before: dict, after: dict) -> str:
    """'risk of harm changed to high': what an edit of a case's attributes did, in the attributes' labels."""
    parts = []
    for name, attribute in questionnaire.attributes.items():
        if before.get(name) != after.get(name):
            value = after.get(name)
            shown = ("yes" if value else "no") if isinstance(value, bool) else str(value).replace("_", " ")
            parts.append(f"{attribute.label.split(' (')[0].lower()} changed to {shown}")
    return " and ".join(parts) or "the case changed"


class Cases:
    """The cases of every inspection of one database."""

    def __init__(self, ledger: Ledger, completions: Completions):
        self.ledger = ledger
        self.completions = completions

    def all(self, inspection_id: str) -> list[Case]:
        """The inspection's cases in the order they were added."""
        self.ledger.inspection_doc(inspection_id)
        return [as_case(doc) for (insp, _), doc in self.ledger.state.cases.items() if insp == inspection_id]

    def get(self, inspection_id: str, reference: str) -> Case:
        """One case; UnknownCase when the inspection has no such case."""
        return as_case(self.ledger.case_doc(inspection_id, reference))

    def has(self, inspection_id: str, reference: str) -> bool:
        """Whether the inspection has a case with this reference."""
        return (inspection_id, reference) in self.ledger.state.cases

    def problems(self, inspection_id: str, attributes: dict) -> list[str]:
        """Why these attribute values are not allowed by the inspection's questionnaire."""
        return self.ledger.questionnaire(inspection_id).attribute_problems(attributes)

    def save(self, inspection_id: str, reference: str, attributes: dict | None = None) -> Case:
        """Add a case, or change some of its attributes (others keep their values or defaults).

        A change that makes required questions apply to a complete case reopens it (its reason kept).
        """
        self.ledger.writable()
        questionnaire = self.ledger.questionnaire(inspection_id)
        reference = reference.strip() if isinstance(reference, str) else reference
        problem = reference_problem(reference)
        if problem:
            raise InvalidChange(problem)
        attributes = dict(attributes or {})
        problems = questionnaire.attribute_problems(attributes)
        if problems:
            raise InvalidChange(f"case {reference}: " + "; ".join(problems))
        existing = self.ledger.state.cases.get((inspection_id, reference))
        before = existing["attributes"] if existing else {}
        merged = questionnaire.case_attributes({**before, **attributes})
        if existing and before == merged:
            return as_case(existing)
        record = {"op": "case", "inspection": inspection_id, "reference": reference,
                  "attributes": merged, "at": now()}
        if existing is None:
            self.ledger.commit(record)
        else:
            with self.completions.kept_true(inspection_id, reference, attribute_change(questionnaire, before, merged)):
                self.ledger.commit(record)
        return self.get(inspection_id, reference)
