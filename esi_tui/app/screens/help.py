"""Help: every key of every screen, generated from the bindings, and a short how-to."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from esi_tui.app.widgets.key_footer import KeyFooter

HOW_TO = Path(__file__).resolve().parent.parent / "help.md"


def binding_rows(bindings: list[Binding], keymap: dict[str, str], display) -> list[str]:
    """Markdown table rows for bindings, showing remapped keys where the keymap changes them."""
    rows = []
    for binding in bindings:
        if not binding.description:
            continue
        keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
        shown = ", ".join(display(Binding(k.strip(), binding.action, key_display=binding.key_display
                                          if keys == binding.key and "," not in keys else None))
                          for k in keys.split(","))
        rows.append(f"| `{shown}` | {binding.description} | `{binding.id or ''}` |")
    return rows


class HelpScreen(Screen):
    """The keys of each screen and how to review a case."""

    BINDINGS = [Binding("escape,q,question_mark", "back", "Back", id="help.back")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        yield Header()
        from rich.markdown import Markdown

        # one widget drawing Rich's Markdown: Textual's Markdown widget made one widget per cell of the key
        # tables, and showing the help again laid all of them out again (half a second or more)
        with VerticalScroll(id="help-scroll"):
            yield Static(Markdown(self.document()), id="help-text")
        yield KeyFooter()

    def document(self) -> str:
        """The help as Markdown: key tables per screen, then the how-to."""
        keymap = getattr(self.app, "keymap_overrides", {})
        parts = ["# esi-tui keys"]
        for title, bindings in self.sections:
            rows = binding_rows(bindings, keymap, self.app.get_key_display)
            if rows:
                parts += [f"\n### {title}\n", "| key | does | id (for the keymap) |", "|---|---|---|", *rows]
        parts.append("\n" + HOW_TO.read_text(encoding="utf-8"))
        return "\n".join(parts)

    def on_mount(self) -> None:
        self.sub_title = "help"
        self.query_one("#help-scroll").focus()

    def action_back(self) -> None:
        self.dismiss()
