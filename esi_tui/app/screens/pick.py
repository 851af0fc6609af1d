"""Small modal prompts: choose an answer option, give a reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from esi_tui.core.questionnaire import Scale


class PickAnswerScreen(ModalScreen[str | None]):
    """Choose one option of a scale (enter), or escape to cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, scale: Scale):
        super().__init__()
        self.scale = scale

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-dialog"):
            yield Label("Which answer is the agreed one?")
            yield OptionList(*(Option(f"{o.hotkey}  {o.label}", id=o.key) for o in self.scale.options),
                             id="pick-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(ModalScreen[str | None]):
    """Ask for the reason behind a decision; enter confirms, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, what: str):
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-dialog"):
            yield Label(f"Reason for {self.what} (enter to save, escape to cancel)")
            yield Input(placeholder="e.g. plan was late: the review date is after day five", id="reason")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
