"""A modal yes-or-no question, asked before something that cannot be taken back quietly."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from esi_tui.app.widgets.key_footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something; y or enter confirms (True), n or escape cancels (False)."""

    BINDINGS = [
        Binding("y,enter", "confirm", "Yes, go ahead", id="confirm.yes"),
        Binding("n,escape", "cancel", "No, cancel", id="confirm.no"),
    ]

    def __init__(self, title: str, message: str | Text, hint: str = "y or enter confirms · n or escape cancels"):
        super().__init__()
        self.question = title
        self.message = message
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(self.question, id="confirm-title")
            yield Static(self.message, id="confirm-message")
            yield Label(self.hint, id="confirm-hint")
        yield KeyFooter()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
