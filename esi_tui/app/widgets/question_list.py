"""The case's questions grouped by criterion, each with its status mark."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from esi_tui.app.marks import STYLE_CLASSES, NamedStyles, mark
from esi_tui.app.widgets.text_line import FrameStyle, LineStrips
from esi_tui.core.questionnaire import Questionnaire

HEADER = "header"
QUESTION = "question"
NOTE_MARK = "✎"  # the reviewer wrote a note on the question
#: what a question's line shows besides its state: (noted, why it does not apply, the others' answers)
Extras = tuple[bool, str, Text | None] | None
NO_EXTRAS: tuple[bool, str, Text | None] = (False, "", None)


class QuestionList(ScrollView, can_focus=True):
    """Questions of one case; not-relevant ones are greyed out and skipped by the cursor.

    A prompt (a question with `scored = false` and a key question) is indented under its key question,
    with its own id and mark: it is answered like any question but does not count towards the score.

    It draws its own lines, so an answer repaints the two lines that changed (the answered
    question's mark and the cursor's new line), not every visible line of the list.
    """

    DEFAULT_CSS = """
    QuestionList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .question-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .question-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .question-list--disabled {
            color: $text-disabled;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"question-list--highlighted", "question-list--disabled", *STYLE_CLASSES}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Next question", id="questions.down", show=False),
        Binding("up", "cursor_up", "Previous question", id="questions.up", show=False),
        Binding("home", "first", "First question", id="questions.first", show=False),
        Binding("end", "last", "Last question", id="questions.last", show=False),
        Binding("pagedown", "page_down", "A page down", id="questions.page_down", show=False),
        Binding("pageup", "page_up", "A page up", id="questions.page_up", show=False),
        Binding("enter", "select", "Edit the question's note", id="questions.select", show=False),
    ]

    class QuestionMessage(Message):
        """Something happened to one question of the list."""

        def __init__(self, question_list: QuestionList, question: str) -> None:
            super().__init__()
            self.question_list = question_list
            self.question = question

        @property
        def control(self) -> QuestionList:
            return self.question_list

    class Highlighted(QuestionMessage):
        """The cursor moved to another question."""

    class Selected(QuestionMessage):
        """Enter was pressed on a question."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[tuple[str, str]] = []  # (HEADER, criterion code) or (QUESTION, question id)
        self._index: dict[str, int] = {}  # question id -> line
        self._texts: dict[str, Text] = {}  # line text of each criterion code and question id
        self._enabled: dict[str, bool] = {}
        self._indented: set[str] = set()  # prompts, drawn under their key question
        self._cursor: int | None = None
        #: the named styles of marks, from esi.tcss
        self.mark_styles = NamedStyles(self)
        self._frame_styles = FrameStyle(self._styles_now)
        self._strips = LineStrips()

    def notify_style_update(self) -> None:
        self.mark_styles.forget()  # a theme or CSS change: resolve the marks' styles again
        super().notify_style_update()

    def forget(self) -> None:
        """Resolve the marks' styles afresh (a new theme); the next build makes every line again."""
        self.mark_styles.forget()

    # -- content ---------------------------------------------------------------------------

    def build(self, questionnaire: Questionnaire, states: dict[str, str], kept: set[str],
              extras: dict[str, Extras] | None = None) -> None:
        """Show every question with its state; `kept` are answers kept though no longer relevant; `extras`
        what a line shows besides (a note marker, why it does not apply, the other reviewers' answers)."""
        current = self.current
        extras = extras or {}
        self._lines, self._index, self._texts, self._enabled = [], {}, {}, {}
        self._strips.clear()
        self._indented = {q.id for q in questionnaire.questions if q.prompt_of}
        for criterion in questionnaire.criteria:
            self._lines.append((HEADER, criterion.code))
            self._texts[criterion.code] = Text(f"{criterion.code} {criterion.title}", style="bold")
            for question in criterion.questions:
                state = states[question.id]
                self._index[question.id] = len(self._lines)
                self._lines.append((QUESTION, question.id))
                self._texts[question.id] = self.prompt(question.id, question.text, state, question.id in kept,
                                                       indent=question.id in self._indented,
                                                       extras=extras.get(question.id, NO_EXTRAS))
                self._enabled[question.id] = state != "not_relevant"
        self._cursor = None
        self.virtual_size = Size(0, len(self._lines))
        self.refresh()
        if current is not None and self._enabled.get(current):
            self.select(current)

    def prompt(self, qid: str, text: str, state: str, kept: bool, indent: bool = False,
               extras: Extras = None) -> Text:
        """One line: mark, id, note marker, the others' answers, text (dimmed, after why, when not relevant);
        a prompt indented under its key question."""
        noted, reason, others = extras or NO_EXTRAS
        margin = "    " if indent else " "
        if state == "not_relevant":
            line = Text.assemble(margin, "  ", (qid, "dim"), " ")
            if reason:
                line.append(f"({reason}) ", style="dim italic")
            line.append(text, style="dim")
            if kept:
                line.append(" (answer kept, not counted)", style="dim italic")
        else:
            line = Text.assemble(margin, mark(state, self.mark_styles), " ", (qid, "bold"))
            if noted:
                line.append(f" {NOTE_MARK}", style=self.mark_styles("muted"))
            if others is not None:
                line.append(" ")
                line.append_text(others)
            line.append(" ")
            line.append(text)
        line.no_wrap = True
        line.overflow = "ellipsis"
        return line

    def update_state(self, qid: str, text: str, state: str, kept: bool, extras: Extras = None) -> None:
        """Redraw one question's line (and enable or disable it)."""
        self._texts[qid] = self.prompt(qid, text, state, kept, indent=qid in self._indented, extras=extras)
        self._enabled[qid] = state != "not_relevant"
        self.refresh_line(self._index[qid])
        if self._cursor == self._index[qid] and not self._enabled[qid] and not self._move(1):
            self._move(-1)

    def is_enabled(self, qid: str) -> bool:
        """Whether the cursor can stop on this question (it is relevant to the case)."""
        return self._enabled[qid]

    def line_text(self, qid: str) -> str:
        """The plain text of a question's line, as drawn (before cutting to the width)."""
        return self._texts[qid].plain

    # -- the cursor ------------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        """The id of the highlighted question, or None."""
        if self._cursor is None:
            return None
        return self._lines[self._cursor][1]

    def select(self, qid: str) -> bool:
        """Move the cursor to a question; a question that does not apply is refused (False)."""
        if qid not in self._index or not self._enabled[qid]:
            return False
        self._set_cursor(self._index[qid])
        return True

    def _set_cursor(self, line: int | None) -> None:
        if line == self._cursor:
            return
        previous, self._cursor = self._cursor, line
        for changed in (previous, line):
            if changed is not None:
                self.refresh_line(changed)
        if line is not None:
            self._keep_visible(line)
            self.post_message(self.Highlighted(self, self._lines[line][1]))

    def _keep_visible(self, line: int) -> None:
        """Scroll so the cursor's line is in view, with its criterion's heading when they fit together."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        heading = next(n for n in range(line, -1, -1) if self._lines[n][0] == HEADER)
        first = heading if line - heading < height else line
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def _enabled_lines(self) -> list[int]:
        return [i for i, (kind, key) in enumerate(self._lines) if kind == QUESTION and self._enabled[key]]

    def _move(self, step: int) -> bool:
        """Move to the next (step 1) or previous (-1) question that applies; False at the end."""
        start = self._cursor if self._cursor is not None else (-1 if step > 0 else len(self._lines))
        line = start + step
        while 0 <= line < len(self._lines):
            kind, key = self._lines[line]
            if kind == QUESTION and self._enabled[key]:
                self._set_cursor(line)
                return True
            line += step
        return False

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        lines = self._enabled_lines()
        if lines:
            self._set_cursor(lines[0])

    def action_last(self) -> None:
        lines = self._enabled_lines()
        if lines:
            self._set_cursor(lines[-1])

    def _page(self, step: int) -> None:
        lines = self._enabled_lines()
        if not lines:
            return
        target = (self._cursor if self._cursor is not None else lines[0]) + step * max(
            1, self.scrollable_content_region.height - 1)
        if step > 0:
            self._set_cursor(next((n for n in lines if n >= target), lines[-1]))
        else:
            self._set_cursor(next((n for n in reversed(lines) if n <= target), lines[0]))

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    class Refused(QuestionMessage):
        """A question that does not apply was clicked (the screen says why)."""

    def on_click(self, event: events.Click) -> None:
        """A click highlights the question under the pointer (one that does not apply says why)."""
        line = self.scroll_offset.y + event.y
        if 0 <= line < len(self._lines):
            kind, key = self._lines[line]
            if kind == QUESTION and self._enabled[key]:
                self._set_cursor(line)
            elif kind == QUESTION:
                self.post_message(self.Refused(self, key))

    # -- drawing ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        if self._cursor is not None:
            self._keep_visible(self._cursor)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _styles_now(self) -> tuple[Style, Style, Style]:
        base = self.rich_style
        return (base, base + self.get_component_rich_style("question-list--highlighted"),
                base + self.get_component_rich_style("question-list--disabled"))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_styles.reset()  # worked out once for the lines of this frame, if it draws any
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        line = scroll_y + y
        base, highlighted, disabled = self._frame_styles()
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, base)
        kind, key = self._lines[line]
        style = base
        if line == self._cursor:
            style = highlighted
        elif kind == QUESTION and not self._enabled[key]:
            style = disabled
        return self._strips.strip(key, self._texts[key], width, style, self.app.console)
