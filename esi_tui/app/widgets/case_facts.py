"""The case's facts at the top of the review: reference, attributes, progress, status."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from esi_tui.app.marks import STYLE_CLASSES, styles_of
from esi_tui.core.entities import Case
from esi_tui.core.questionnaire import Questionnaire


def attribute_value(value: object) -> str:
    """An attribute value as a reviewer reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


class CaseFacts(Static):
    """One or two lines of facts about the case under review."""

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES

    def show(self, questionnaire: Questionnaire, case: Case, answered: int, relevant: int,
             position: tuple[int, int], complete: bool = False, double_review: bool = False) -> None:
        """Draw the facts of `case` as this reviewer has it (complete or not, double review)."""
        key = (case.reference, tuple(case.attributes.items()), answered, relevant, position, complete, double_review)
        previous = getattr(self, "_drawn", None)
        if key == previous:
            return
        # the same case's facts keep their lines: no need to lay the screen out again
        layout = previous is None or previous[:2] != key[:2]
        self._drawn = key
        styles = styles_of(self)
        status = ("complete ✔", styles("done")) if complete else (
            (f"{answered} of {relevant} answered", styles("warning")) if answered < relevant
            else (f"all {relevant} answered — c marks it complete", styles("good")))
        line = Text.assemble(("Case ", "bold"), (case.reference, "bold reverse"),
                             f"  {position[0]} of {position[1]}  ", status,
                             ("  · blind double review", styles("blind")) if double_review else "", "\n")
        parts = []
        for name, attribute in questionnaire.attributes.items():
            value = case.attributes.get(name)
            if attribute.type == "bool" and not value:
                continue
            parts.append(f"{attribute.label}: {attribute_value(value)}")
        line.append(" · ".join(parts), style="italic")
        self.update(line, layout=layout)
