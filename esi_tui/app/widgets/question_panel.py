"""The current question: id, text, guidance (collapsible), answer options and note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Static

from esi_tui.app.marks import LABELS, mark
from esi_tui.core.conditions import describe
from esi_tui.core.questionnaire import Question, Questionnaire


class QuestionPanel(VerticalScroll):
    """Everything a reviewer needs to answer the highlighted question."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(id="question-head")
        with Collapsible(title="Guidance", collapsed=False, id="guidance"):
            yield Static(id="guidance-text")

    def on_mount(self) -> None:
        self._guidance_of: str | None = None

    def show(self, questionnaire: Questionnaire, question: Question | None, state: str,
             value: str | None, note: str, keys: dict[str, str]) -> None:
        """Show a question, the reviewer's answer and note; `keys` maps option key to its key.

        Two updates at most (each one re-lays the screen): the head, and the guidance when the
        question changes.
        """
        head = self.query_one("#question-head", Static)
        guidance = self.query_one("#guidance-text", Static)
        if question is None:
            head.update("No relevant question for this case.")
            guidance.update("")
            self._guidance_of = None
            return
        relevance = describe(question.applies_when, questionnaire.conditions)
        text = Text.assemble((question.id, "bold"), "  ", question.text, "\n",
                             (f"applies to: {relevance}", "dim italic"))
        if not question.required:
            text.append("  (optional)", style="dim italic")
        text.append("\n\n")
        for option in questionnaire.scales[question.scale].options:
            chosen = option.key == value
            key = keys.get(option.key, option.hotkey)
            text.append(f" {key} ", style="reverse bold" if chosen else "bold")
            text.append(f" {option.label}", style="bold underline" if chosen else "")
            text.append("   ")
        text.append("\n")
        text.append_text(Text.assemble("status: ", mark(state), " ", LABELS[state], "\n\n"))
        text.append_text(Text.assemble(("note: ", "bold"), note or ("(none — e or enter to write one)", "dim")))
        head.update(text)
        if self._guidance_of != question.id:
            self._guidance_of = question.id
            guidance.update(question.guidance or "No guidance for this question.")
