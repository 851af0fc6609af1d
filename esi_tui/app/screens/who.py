"""Who is reviewing: asked first in a browser tab (`esi-tui serve` without --reviewer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from esi_tui.core.text import name_problem


class WhoScreen(ModalScreen[str]):
    """A name, checked as a reviewer's name must be, before anything is shown or saved."""

    def compose(self) -> ComposeResult:
        with Vertical(id="who-dialog"):
            yield Label("Who is reviewing? Your name is saved with every answer you give here.", id="who-title")
            yield Input(placeholder="your name, e.g. jb", id="who-name")
            yield Label("", id="who-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        problem = name_problem(name, "the reviewer's name") if name else "give your name first"
        if problem:
            self.query_one("#who-error", Label).update(problem)
            return
        self.dismiss(name)
