"""Small modal prompts: choose an answer option, give a reason."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from esi_tui.core.questionnaire import Scale


class PickAnswerScreen(ModalScreen[str | None]):
    """Choose one option of a scale (its key, or enter on it), or escape to cancel."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, scale: Scale):
        super().__init__()
        self.scale = scale

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-dialog"):
            yield Label("Which answer is the agreed one? (its key, or enter; escape cancels)")
            yield OptionList(*(Option(f"{o.hotkey}  {o.label}", id=o.key) for o in self.scale.options),
                             id="pick-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: events.Key) -> None:
        """The key shown next to an option picks it, as it answers a question in the review."""
        option = self.scale.by_hotkey(event.character) if event.character else None
        if option is not None:
            event.stop()
            self.dismiss(option.key)

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
            yield Label("", id="reason-error")

    def unsaved(self) -> str:
        """The reason typed so far, if any."""
        return f"The reason for {self.what}" if self.is_mounted and self.query_one(Input).value.strip() else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:  # the reason is the record of why: a moderation without one explains nothing
            self.query_one("#reason-error", Label).update("A reason is needed (escape cancels).")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
