"""The current question: id, text, answer options, note and (hideable) guidance."""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from esi_tui.app.marks import LABELS, STYLE_CLASSES, NamedStyles, mark
from esi_tui.app.widgets.text_line import FrameStyle, LineStrips
from esi_tui.core.conditions import describe
from esi_tui.core.questionnaire import Question, Questionnaire

HEIGHT_STEP = 16
WRAP_CACHE = 512  # wrapped question and guidance parts kept (a few questionnaires' worth)


class QuestionPanel(ScrollView):
    """Everything a reviewer needs to answer the highlighted question.

    It draws its own lines: a new question changes what is drawn but, most of the time, not the
    panel's scrollable height, so an answer key does not make the whole screen lay itself out
    again (which costs more than everything else a key press does).
    """

    can_focus = False
    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.guidance_shown = True
        self._last: tuple | None = None
        self._wrapped: list[Text] = []
        self._strips = LineStrips()  # a line's strip is kept while it shows the same wrapped Text
        self._width = 0
        self._composed_narrow = False
        #: the named styles of marks, from esi.tcss
        self.mark_styles = NamedStyles(self)
        self._frame_style = FrameStyle(lambda: self.rich_style)
        self._parts: list[tuple[Hashable | None, Text]] = []
        self._wrap_cache: dict[tuple[Hashable, int], list[Text]] = {}

    def show(self, questionnaire: Questionnaire, question: Question | None, state: str,
             value: str | None, note: str, keys: dict[str, str], team: Text | None = None, hint: str = "") -> None:
        """Show a question, the reviewer's answer and note; `keys` maps option key to its key; `team` the
        other reviewers' answers (shown with r), or else a `hint` that there are some."""
        self._last = (questionnaire, question, state, value, note, keys, team, hint)
        self._composed_narrow = self._narrow()
        if question is None:
            self._parts = [(None, Text("No relevant question for this case."))]
        else:
            self._parts = self.compose_parts(questionnaire, question, state, value, note, keys, team, hint)
        self.scroll_to(y=0, animate=False)
        self.render_text()

    @property
    def text(self) -> Text:
        """Everything the panel shows, unwrapped (for the palette and the tests; drawing uses the parts)."""
        return Text("\n").join(part for _, part in self._parts)

    def compose_parts(self, questionnaire: Questionnaire, question: Question, state: str,
                      value: str | None, note: str, keys: dict[str, str], team: Text | None = None,
                      hint: str = "") -> list[tuple[Hashable | None, Text]]:
        """The panel's content as whole lines in three parts, joined by newlines: the question, what the
        reviewer has given it, the guidance. Each is wrapped once for each width (keyed): the first and last
        never change for a question, and most questions of a case share the middle (unanswered, no note)."""
        narrow = self._narrow()
        relevance = describe(question.applies_when, questionnaire.conditions, questionnaire)
        head = Text.assemble((question.id, "bold"), "  ", question.text, "\n",
                             (f"applies to: {relevance}", "dim italic"))
        if not question.required:
            head.append("  (optional)", style="dim italic")
        # a narrow terminal stacks the panels and leaves this one a few lines: no blank line before
        # the answer keys there, or they fall below its fold at 80x24
        middle = Text("" if narrow else "\n")
        for option in questionnaire.scales[question.scale].options:
            chosen = option.key == value
            key = keys.get(option.key, option.hotkey)
            middle.append(f" {key} ", style="reverse bold" if chosen else "bold")
            middle.append(f" {option.label}", style="bold underline" if chosen else "")
            middle.append("   ")
        middle.append("\n")
        middle.append_text(Text.assemble("status: ", mark(state, self.mark_styles), " ", LABELS[state], "\n\n"))
        middle.append_text(Text.assemble(("note: ", "bold"), note or ("(none — e or enter to write one)", "dim")))
        middle.append("\n")
        if team is not None:
            middle.append("\nOther reviewers", style="bold")
            middle.append("  r hides them\n", style="dim")
            middle.append_text(team)
        elif hint:
            middle.append("\n" + hint + "\n", style="dim italic")
        if self.guidance_shown:
            guidance = Text.assemble(("▼ Guidance", "bold"), ("  ctrl+g hides it\n", "dim"),
                                     (question.guidance or "No guidance for this question.", "dim"))
        else:
            guidance = Text.assemble(("▶ Guidance", "bold"), ("  ctrl+g shows it", "dim"))
        # what the middle shows, as a key: most questions of a case show the same one (unanswered, no note)
        scale = questionnaire.scales[question.scale]
        middle_key = ("middle", scale, value, state, note, tuple(sorted(keys.items())), narrow, hint,
                      (team.plain, tuple(team.spans)) if team is not None else None)
        return [(("head", question.id, relevance, question.text, question.required), head), (middle_key, middle),
                (("guidance", question.id, self.guidance_shown, question.guidance), guidance)]

    def notify_style_update(self) -> None:
        self.mark_styles.forget()  # a theme or CSS change: resolve the marks' styles again
        self._wrap_cache.clear()  # and wrap again: the kept lines hold the old styles
        super().notify_style_update()

    def forget(self) -> None:
        """Wrap and draw everything afresh at the next show (a new theme: the kept lines hold the old colours)."""
        self.mark_styles.forget()
        self._wrap_cache.clear()
        self._strips.clear()

    def toggle_guidance(self) -> None:
        """Show or hide the guidance under the question."""
        self.guidance_shown = not self.guidance_shown
        if self._last is not None:
            self.show(*self._last)

    def render_text(self) -> None:
        """Wrap the text to the panel's width; lines are turned into strips only when drawn.

        The scroll height grows in steps, so most new questions leave it as it is.
        """
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        before = self._wrapped
        self._wrapped = [line for key, part in self._parts for line in self._wrap(key, part, width)]
        height = max(self.size.height, -(-len(self._wrapped) // HEIGHT_STEP) * HEIGHT_STEP)
        if self.virtual_size != Size(width, height) or width != self._width:
            self._width = width
            self.virtual_size = Size(width, height)
            self.refresh()
            return
        # the next question mostly shares the answer keys, note and guidance heading lines with
        # this one: repaint only the lines that differ
        # (only the rows in view: a region below the panel would repaint the tallies under it too)
        top = self.scroll_offset.y
        shown = range(top, min(top + self.size.height, max(len(before), len(self._wrapped))))
        changed = [index for index in shown
                   if index >= len(before) or index >= len(self._wrapped) or before[index] != self._wrapped[index]]
        if changed:
            self.refresh(*(Region(0, index - top, width, 1) for index in changed))

    def _wrap(self, key: Hashable | None, part: Text, width: int) -> list[Text]:
        """A part's lines at `width`; a keyed part is wrapped once for each width."""
        if key is None:
            return list(part.wrap(self.app.console, width))
        found = self._wrap_cache.get((key, width))
        if found is None:
            if len(self._wrap_cache) > WRAP_CACHE:
                self._wrap_cache.clear()
            found = self._wrap_cache[(key, width)] = list(part.wrap(self.app.console, width))
        return found

    def _narrow(self) -> bool:
        return self.is_attached and self.screen.has_class("-narrow")

    def on_resize(self) -> None:
        if self._last is not None and self._narrow() != self._composed_narrow:
            self.show(*self._last)  # crossed the breakpoint: the spacing changes
        else:
            self.render_text()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style.reset()  # worked out once for the lines of this frame, if it draws any
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        style = self._frame_style()
        if index >= len(self._wrapped):
            return Strip.blank(width, style)
        # wrapped to the width: the panel never scrolls sideways, and the kept strip is drawn as it is
        strip = self._strips.strip(index, self._wrapped[index], width, style, self.app.console)
        return strip if scroll_x == 0 else strip.crop_extend(scroll_x, scroll_x + width, style)
