"""The case's facts at the top of the review: reference, attributes, progress, status, and whether the last
change was saved."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from esi_tui.app.marks import STYLE_CLASSES, NamedStyles
from esi_tui.core.entities import Case
from esi_tui.core.questionnaire import Questionnaire


def attribute_value(value: object) -> str:
    """An attribute value as a reviewer reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


class CaseFacts(Static):
    """Two lines of facts about the case under review; one line on a short terminal (60x20), where the
    attributes follow the status on the same line, shortened to their labels' first words."""

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        #: the named styles from esi.tcss (each lookup costs more than drawing the line)
        self.named = NamedStyles(self)

    def show(self, questionnaire: Questionnaire, case: Case, answered: int, relevant: int,
             position: tuple[int, int], complete: bool = False, double_review: str = "",
             saved: tuple[str, bool] | None = None) -> None:
        """Draw the facts of `case` as this reviewer has it (complete or not, the double review's state in
        words) and `saved`: (what the last change was, whether it was saved)."""
        short = self.is_attached and self.screen.has_class("-short")
        key = (case.reference, tuple(case.attributes.items()), answered, relevant, position, complete,
               double_review, saved, short)
        previous = getattr(self, "_drawn", None)
        self._shown = (questionnaire, case, answered, relevant, position, complete, double_review, saved)
        if key == previous:
            return
        # the same case's facts keep their lines: no need to lay the screen out again
        layout = previous is None or previous[:2] != key[:2] or previous[-1] != short
        self._drawn = key
        styles = self.named
        if short:   # one line: every word counts
            status = ("complete ✔", styles("done")) if complete else (
                f"{answered} of {relevant}", styles("warning") if answered < relevant else styles("good"))
            line = Text.assemble((case.reference, "bold reverse"), f" {position[0]}/{position[1]} · ", status)
        else:
            status = ("complete ✔", styles("done")) if complete else (
                (f"{answered} of {relevant} answered", styles("warning")) if answered < relevant
                else (f"all {relevant} answered — c marks it complete", styles("good")))
            line = Text.assemble(("Case ", "bold"), (case.reference, "bold reverse"),
                                 f"  {position[0]} of {position[1]}  ", status)
        if double_review:
            line.append(f" · double review: {double_review}" if short else f"  · double review: {double_review}",
                        style=styles("blind"))
        if saved is not None:
            what, ok = saved
            line.append(" " if short else "  ")
            if ok:
                line.append("✓" if short else f"✓ {what}", style=styles("muted"))
            else:
                line.append(f" ✘ NOT SAVED: {what} ", style=styles("alarm"))
        parts = []
        for name, attribute in questionnaire.attributes.items():
            value = case.attributes.get(name)
            if attribute.type == "bool" and not value:
                continue
            label = attribute.label.split(" (")[0] if short else attribute.label
            parts.append(f"{label}: {attribute_value(value)}")
        line.append(" · " if short else "\n")
        line.append(" · ".join(parts), style="italic")
        # each line cut at the edge, never wrapped: a wrapped status line would push the facts out of sight
        line.no_wrap = True
        line.overflow = "ellipsis"
        self.update(line, layout=layout)

    def notify_style_update(self) -> None:
        self.named.forget()  # a theme or CSS change: resolve the named styles again
        super().notify_style_update()

    def redraw(self) -> None:
        """Draw again after a resize (one line below the height breakpoint, two above); cheap when unchanged."""
        shown = getattr(self, "_shown", None)
        if shown is not None:
            self.show(*shown)
