"""An error shown in the app's own window: what a terminal would print, for a browser tab that has no terminal."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static


class ErrorPage(App[int]):
    """One message and how to close; the process exits non-zero like the command would have."""

    CSS_PATH = "esi.tcss"
    TITLE = "esi-tui"

    def __init__(self, message: str, status: int = 1):
        super().__init__()
        self.message = message
        self.status = status

    def compose(self) -> ComposeResult:
        with Vertical(id="error-page"):
            yield Label("esi-tui could not start", id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Label("Fix this and reload the page. Enter, escape or ctrl+q closes.", id="error-hint")

    def on_key(self, event: events.Key) -> None:
        # a page with one thing to do has no bindings to list: these keys all close it
        if event.key in ("enter", "escape", "ctrl+q"):
            self.exit(self.status)
