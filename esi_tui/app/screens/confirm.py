"""A modal yes-or-no question, asked before something that cannot be taken back quietly."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from esi_tui.app.notices import notice
from esi_tui.app.widgets.key_footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Ask before doing something; y or enter confirms (True), n or escape cancels (False).

    With `enter_confirms=False` (deleting what cannot be had back) only y confirms."""

    BINDINGS = [
        Binding("y", "confirm", "Yes, go ahead", id="confirm.yes"),
        Binding("enter", "confirm_enter", "Yes (where enter may confirm)", id="confirm.enter", show=False),
        Binding("n,escape", "cancel", "No, cancel", id="confirm.no"),
    ]

    def __init__(self, title: str, message: str | Text, hint: str = "y or enter confirms · n or escape cancels",
                 enter_confirms: bool = True):
        super().__init__()
        self.question = title
        self.message = message
        self.hint = hint
        self.enter_confirms = enter_confirms

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(self.question, id="confirm-title")
            yield Static(self.message, id="confirm-message")
            yield Label(self.hint, id="confirm-hint")
        yield KeyFooter()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_confirm_enter(self) -> None:
        if self.enter_confirms:
            self.dismiss(True)
        else:
            self.app.bell()
            notice(self, "Only y confirms this one (n or escape cancels).", topic="confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
