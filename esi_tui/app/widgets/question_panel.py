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
        yield Static(id="question-text")
        yield Static(id="question-options")
        yield Static(id="question-note")
        with Collapsible(title="Guidance", collapsed=False, id="guidance"):
            yield Static(id="guidance-text")

    def show(self, questionnaire: Questionnaire, question: Question | None, state: str,
             value: str | None, note: str, keys: dict[str, str]) -> None:
        """Show a question, the reviewer's answer and note; `keys` maps option key to its key."""
        if question is None:
            self.query_one("#question-text", Static).update("No relevant question for this case.")
            self.query_one("#question-options", Static).update("")
            self.query_one("#question-note", Static).update("")
            self.query_one("#guidance-text", Static).update("")
            return
        relevance = describe(question.applies_when, questionnaire.conditions)
        title = Text.assemble((question.id, "bold"), "  ", question.text, "\n",
                              (f"applies to: {relevance}", "dim italic"))
        if not question.required:
            title.append("  (optional)", style="dim italic")
        self.query_one("#question-text", Static).update(title)
        options = Text()
        for option in questionnaire.scales[question.scale].options:
            chosen = option.key == value
            key = keys.get(option.key, option.hotkey)
            options.append(f" {key} ", style="reverse bold" if chosen else "bold")
            options.append(f" {option.label}", style="bold underline" if chosen else "")
            options.append("   ")
        options.append("\n")
        options.append_text(Text.assemble("status: ", mark(state), " ", LABELS[state]))
        self.query_one("#question-options", Static).update(options)
        note_text = Text.assemble(("note: ", "bold"), note or ("(none — e or enter to write one)", "dim"))
        self.query_one("#question-note", Static).update(note_text)
        self.query_one("#guidance-text", Static).update(question.guidance or "No guidance for this question.")
