"""Modal forms that only offer valid values: a case's attributes, a new inspection."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.questionnaire import Questionnaire


class FormScreen(ModalScreen):
    """What both forms share: an error line, Save and Cancel buttons, escape to cancel."""

    def form_end(self, save_label: str) -> ComposeResult:
        """The error line and the buttons, at the end of the form's dialog."""
        yield Label("", id="form-error")
        with Horizontal(classes="form-buttons"):
            yield Button(f"{save_label} (ctrl+s)", variant="primary", id="save")
            yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        # focusing the first field scrolls the dialog by a line when it does not quite fit, which
        # hid its title ('Add a case') at 100x30: start at the top (the first field is in view there)
        dialog = self.query_one("#form-dialog", VerticalScroll)
        self.call_after_refresh(dialog.scroll_home, animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def show_error(self, message: str) -> None:
        """Say why the form cannot be saved, keeping what was typed (the line is below the fields)."""
        error = self.query_one("#form-error", Label)
        error.update(message)
        self.call_after_refresh(error.scroll_visible, animate=False)

    def action_save(self) -> None:
        """Check the fields and dismiss with the values (each form says how)."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def unsaved(self) -> str:
        """What would be lost by quitting now ('' when nothing was typed or changed)."""
        return ""


class CaseForm(FormScreen):
    """Add a case or edit its attributes; choices come from the questionnaire."""

    # Start in the first field one can type in (the reference when adding, else the first attribute),
    # not on the scrolling dialog, so typing goes straight into the form.
    AUTO_FOCUS = "Input, Select, Checkbox"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, questionnaire: Questionnaire, reference: str = "", attributes: dict | None = None,
                 existing: set[str] | None = None, suggested: str = ""):
        super().__init__()
        self.questionnaire = questionnaire
        self.reference = reference
        self.suggested = suggested
        self.attributes = questionnaire.case_attributes(attributes or {})
        self.existing = existing or set()

    def compose(self) -> ComposeResult:
        editing = bool(self.reference)
        with VerticalScroll(id="form-dialog"):
            yield Label("Edit case" if editing else "Add a case", classes="form-title")
            yield Label("Reference")
            yield Input(self.reference or self.suggested, id="reference", disabled=editing, placeholder="e.g. H031")
            for name, attribute in self.questionnaire.attributes.items():
                value = self.attributes[name]
                if attribute.type == "bool":
                    yield Checkbox(attribute.label, bool(value), id=f"attr-{name}")
                    continue
                yield Label(attribute.label)
                if attribute.type == "choice":
                    yield Select([(v.replace("_", " "), v) for v in attribute.values], value=value,
                                 allow_blank=False, id=f"attr-{name}")
                else:
                    low = attribute.min if attribute.min is not None else 0
                    high = attribute.max if attribute.max is not None else low + 10
                    yield Select([(str(v), v) for v in range(low, high + 1)], value=value,
                                 allow_blank=False, id=f"attr-{name}")
            yield from self.form_end("Save")
        yield KeyFooter()

    def unsaved(self) -> str:
        """The case's changes, if the form holds any."""
        if not self.is_mounted:
            return ""
        changed = self.query_one("#reference", Input).value != (self.reference or self.suggested) or any(
            self.query_one(f"#attr-{name}", Select | Checkbox).value != value  # type: ignore[arg-type]
            for name, value in self.attributes.items())
        return ("The changes to case " + self.reference if self.reference else "The new case") if changed else ""

    def action_save(self) -> None:
        reference = self.query_one("#reference", Input).value.strip()
        if not reference:
            self.show_error("A case needs a reference.")
            return
        if not self.reference and reference in self.existing:
            self.show_error(f"Case {reference} already exists.")
            return
        values = {}
        for name in self.questionnaire.attributes:
            widget = self.query_one(f"#attr-{name}", Select | Checkbox)   # type: ignore[arg-type]
            values[name] = widget.value
        self.dismiss((reference, values))


class InspectionForm(FormScreen):
    """Create an inspection: id, area, questionnaire and an optional baseline."""

    AUTO_FOCUS = "Input, Select"
    BINDINGS = [
        Binding("ctrl+s", "save", "Create", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, questionnaires: list[tuple[str, str]], create: Callable[[dict], str | None]):
        super().__init__()
        self.questionnaires = questionnaires
        self.create = create

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog"):
            yield Label("New inspection", classes="form-title")
            yield Label("Area")
            yield Input(id="area", placeholder="e.g. Hampshire")
            yield Label("Inspection id (letters, digits, -)")
            yield Input(id="inspection-id", placeholder="e.g. hampshire-2026", restrict=r"[A-Za-z0-9._-]*")
            yield Label("Questionnaire")
            yield Select(self.questionnaires, allow_blank=False, id="questionnaire")
            yield Label("Baseline (optional), e.g. B1=54,B2=64")
            yield Input(id="baseline", placeholder="B1=54,B2=64,B3=55")
            yield from self.form_end("Create")
        yield KeyFooter()

    def unsaved(self) -> str:
        """The new inspection, once anything is typed into it."""
        typed = self.is_mounted and any(self.query_one(f"#{name}", Input).value.strip()
                                        for name in ("area", "inspection-id", "baseline"))
        return "The new inspection" if typed else ""

    def action_save(self) -> None:
        area = self.query_one("#area", Input).value.strip()
        inspection_id = self.query_one("#inspection-id", Input).value.strip()
        if not area or not inspection_id:
            self.show_error("Area and inspection id are both needed.")
            return
        values = {"area": area, "id": inspection_id,
                  "questionnaire": self.query_one("#questionnaire", Select).value,
                  "baseline": self.query_one("#baseline", Input).value.strip()}
        problem = self.create(values)
        if problem:
            self.show_error(problem)
        else:
            self.dismiss(values)
