"""The case's questions grouped by criterion, each with its status mark."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from esi_tui.app.marks import mark
from esi_tui.core.questionnaire import Questionnaire

HEADER_PREFIX = "criterion:"


class QuestionList(OptionList):
    """Questions of one case; not-relevant ones are greyed out and skipped by the cursor."""

    def build(self, questionnaire: Questionnaire, states: dict[str, str], kept: set[str]) -> None:
        """Show every question with its state; `kept` are answers kept though no longer relevant."""
        options: list[Option] = []
        for criterion in questionnaire.criteria:
            options.append(Option(Text(f"{criterion.code} {criterion.title}", style="bold"),
                                  id=HEADER_PREFIX + criterion.code, disabled=True))
            for question in criterion.questions:
                state = states[question.id]
                options.append(Option(self.prompt(question.id, question.text, state, question.id in kept),
                                      id=question.id, disabled=state == "not_relevant"))
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        self.set_options(options)
        if highlighted:
            self.select(highlighted)

    @staticmethod
    def prompt(qid: str, text: str, state: str, kept: bool) -> Text:
        """One line: mark, id, text (dimmed when not relevant)."""
        line = Text.assemble(" ", mark(state), " ", (qid, "bold"), " ", text)
        if state == "not_relevant":
            line = Text.assemble("   ", (qid, "dim"), " ", (text, "dim"))
            if kept:
                line.append(" (answer kept, not counted)", style="dim italic")
        line.no_wrap = True
        line.overflow = "ellipsis"
        return line

    def update_state(self, qid: str, text: str, state: str, kept: bool) -> None:
        """Redraw one question's line (and enable or disable it)."""
        self.replace_option_prompt(qid, self.prompt(qid, text, state, kept))
        disabled = state == "not_relevant"
        if self.get_option(qid).disabled != disabled:
            current = self.highlighted
            (self.disable_option if disabled else self.enable_option)(qid)
            if not disabled and current is not None:
                self.highlighted = current

    def select(self, qid: str) -> None:
        """Move the cursor to a question."""
        self.highlighted = self.get_option_index(qid)

    @property
    def current(self) -> str | None:
        """The id of the highlighted question, or None."""
        option = self.highlighted_option
        if option is None or option.id is None or option.id.startswith(HEADER_PREFIX):
            return None
        return option.id
