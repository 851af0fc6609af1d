"""The case's facts at the top of the review: reference, attributes, progress, status, and whether the last
change was saved."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from esi_tui.app.marks import STYLE_CLASSES, NamedStyles
from esi_tui.app.widgets.text_line import FrameStyle, LineStrips
from esi_tui.core.entities import Case
from esi_tui.core.questionnaire import Questionnaire


def attribute_value(value: object) -> str:
    """An attribute value as a reviewer reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


class CaseFacts(Widget):
    """Two lines of facts about the case under review; one line on a short terminal (60x20), where the
    attributes follow the status on the same line, shortened to their labels' first words.

    It draws its own lines, each cut at the edge with an ellipsis and never wrapped (a wrapped status line
    would push the attributes out of sight): an answer repaints the status line, not the attributes.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        #: the named styles from esi.tcss (each lookup costs more than drawing the line)
        self.named = NamedStyles(self)
        self._lines: list[Text] = []
        self._strips = LineStrips()
        self._frame_style = FrameStyle(lambda: self.rich_style)
        self._drawn: tuple | None = None
        self._shown: tuple | None = None

    def show(self, questionnaire: Questionnaire, case: Case, answered: int, relevant: int,
             position: tuple[int, int], complete: bool = False, double_review: str = "",
             saved: tuple[str, bool] | None = None) -> None:
        """Draw the facts of `case` as this reviewer has it (complete or not, the double review's state in
        words) and `saved`: (what the last change was, whether it was saved)."""
        short = self.is_attached and self.screen.has_class("-short")
        key = (case.reference, tuple(case.attributes.items()), answered, relevant, position, complete,
               double_review, saved, short)
        self._shown = (questionnaire, case, answered, relevant, position, complete, double_review, saved)
        if key == self._drawn:
            return
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
        facts = Text(" · ".join(parts), style="italic")
        if short:
            line.append(" · ")
            line.append_text(facts)
        self._set_lines([line] if short else [line, facts])

    def _set_lines(self, lines: list[Text]) -> None:
        """Take the new lines, keeping an unchanged line's Text (and so its strip) and repainting only the
        lines that changed; only a change in their number lays the screen out again."""
        old = self._lines
        lines = [before if before == after else after for before, after in zip(old, lines)] + lines[len(old):]
        self._lines = lines
        if len(old) != len(lines):
            self.refresh(layout=True)
            return
        width = self.content_size.width
        changed = [Region(0, y, width, 1) for y, (before, after) in enumerate(zip(old, lines)) if before is not after]
        if changed:
            self.refresh(*changed)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style.reset()  # worked out once for the lines of this frame, if it draws any
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        style = self._frame_style()
        if y >= len(self._lines):
            return Strip.blank(width, style)
        return self._strips.strip(y, self._lines[y], width, style, self.app.console)

    def notify_style_update(self) -> None:
        self.named.forget()  # a theme or CSS change: resolve the named styles again
        super().notify_style_update()

    def forget(self) -> None:
        """Draw everything afresh at the next show (a new theme: the kept lines hold the old colours)."""
        self.named.forget()
        self._drawn = None
        self._strips.clear()

    def redraw(self) -> None:
        """Draw again after a resize (one line below the height breakpoint, two above); cheap when unchanged."""
        if self._shown is not None:
            self.show(*self._shown)
