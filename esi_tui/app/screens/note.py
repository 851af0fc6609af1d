"""A modal note editor: multi-line, saved when you leave it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from esi_tui.app.widgets.key_footer import KeyFooter


class NoteScreen(ModalScreen[str | None]):
    """Edit a note on one answer; escape or ctrl+s saves it, ctrl+c leaves it as it was."""

    BINDINGS = [
        Binding("escape,ctrl+s", "save", "Save and close", id="note.save"),
        Binding("ctrl+c", "cancel", "Discard changes", id="note.cancel"),
    ]

    def __init__(self, title: str, text: str):
        super().__init__()
        self.note_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(f"Note on {self.note_title}", id="note-title")
            yield TextArea(self.text, id="note-text", soft_wrap=True)
            yield Label("escape or ctrl+s saves · ctrl+c discards", id="note-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def unsaved(self) -> str:
        """The note's changes, if any (leaving with escape saves them; quitting would not)."""
        changed = self.is_mounted and self.query_one(TextArea).text.rstrip() != self.text.rstrip()
        return f"The note on {self.note_title}" if changed else ""

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.rstrip())

    def action_cancel(self) -> None:
        self.dismiss(None)
