"""The inspections in the database: open one, or create one without leaving the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from esi_tui.app.cells import cells
from esi_tui.app.notices import unbound_key
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.completion import cases_complete
from esi_tui.core.loader import QuestionnaireError
from esi_tui.core.parsing import InputError, parse_baseline_text
from esi_tui.store.catalog import find_questionnaire, questionnaire_files
from esi_tui.store.errors import StoreError

if TYPE_CHECKING:
    from esi_tui.app.app import EsiApp


class InspectionsScreen(Screen):
    """Every inspection with its area, questionnaire, cases and progress."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="inspections.open"),
        Binding("n", "new", "New inspection", id="inspections.new"),
        Binding("D", "delete", "Delete", id="inspections.delete"),
        Binding("question_mark", "app.help", "Help", id="inspections.help", key_display="?"),
        Binding("q", "app.quit", "Quit", id="inspections.quit"),
    ]

    def on_key(self, event: events.Key) -> None:
        """A key that does nothing here says so in one line."""
        unbound_key(self, event)

    @property
    def esi(self) -> EsiApp:
        """The app, as esi-tui's own (its repository, session and navigation)."""
        return cast("EsiApp", self.app)
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="inspections-hint")
        yield DataTable(id="inspections", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "inspections"
        table = self.query_one(DataTable)
        # the questionnaire last: on a narrow terminal it is the column to lose, not the progress
        for label in ("Inspection", "Area", "Cases", "Complete", "Answers", "Questionnaire"):
            table.add_column(label, key=label.lower())
        table.focus()

    def on_screen_resume(self) -> None:
        """Load the list each time it is shown, and only then: started with --inspection, the app opens the
        cases over it, and counting every inspection's answers for a list nobody sees cost seconds."""
        if self.app.screen is self:
            self.reload()

    def reload(self) -> None:
        """Rebuild the table from the repository."""
        repo = self.esi.repo
        table = self.query_one(DataTable)
        table.clear()
        for inspection in repo.inspections():
            cases = repo.cases(inspection.id)
            # finished by the team, as the cases screen's team view counts it (a double review needs two)
            complete = cases_complete(cases, repo.settings(inspection.id)["double_review"])
            table.add_row(*cells([inspection.id, inspection.area, str(len(cases)), f"{complete} of {len(cases)}",
                                  f"{repo.answer_count(inspection.id):,}",
                                  f"{inspection.questionnaire_id} v{inspection.questionnaire_version}"]),
                          key=inspection.id)
        hint = "No inspection yet: press n to create one." if table.row_count == 0 else ""
        hint_line = self.query_one("#inspections-hint", Static)
        hint_line.update(hint)
        hint_line.display = bool(hint)  # an empty hint took three blank lines above the table
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "delete") and self.is_mounted and self.query_one(DataTable).row_count == 0:
            return None
        if action in ("new", "delete") and self.esi.repo.readonly:
            return None
        return True

    @on(DataTable.RowSelected, "#inspections")
    def _selected(self) -> None:
        self.action_open()

    def action_delete(self) -> None:
        """Delete the highlighted inspection and everything of it, once y confirms (naming it and its counts)."""
        from rich.text import Text

        from esi_tui.app.screens.confirm import ConfirmScreen
        from esi_tui.core.contents import describe_contents

        table = self.query_one(DataTable)
        if not table.row_count:
            return
        inspection = self.esi.repo.inspection(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        held = describe_contents(self.esi.repo.inspection_contents(inspection.id))
        message = Text.assemble(
            (inspection.id, "bold"), f" — {inspection.title}, {inspection.area}, "
            f"{inspection.questionnaire_id} v{inspection.questionnaire_version}\n", (held, "bold"), "\n\n",
            "It is deleted for good: the app cannot undo it (esi-tui export -o copy.jsonl first keeps a copy), "
            "and a merge will not bring it back.")

        def delete(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.esi.delete_inspection(inspection.id)
            except StoreError as exc:
                self.notify(str(exc), title="Not deleted", severity="error", timeout=10)
                return
            self.reload()
            self.notify(f"Inspection {inspection.id} deleted ({held}).", timeout=6)

        self.app.push_screen(ConfirmScreen(f"Delete inspection {inspection.id}?", message,
                                           hint="y deletes it · n or escape keeps it", enter_confirms=False), delete)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.esi.open_inspection(str(key))

    def action_new(self) -> None:
        from esi_tui.app.screens.forms import InspectionForm

        choices = []
        for path in questionnaire_files():
            try:
                questionnaire = find_questionnaire(str(path))
            except QuestionnaireError:
                continue
            choices.append((f"{questionnaire.title} ({questionnaire.id} v{questionnaire.version})", str(path)))
        self.app.push_screen(InspectionForm(choices, self.create), self._created)

    def create(self, values: dict) -> str | None:
        """Create the inspection from the form; returns a problem to show, or None."""
        try:
            questionnaire = find_questionnaire(values["questionnaire"])
            baseline, question_baseline = parse_baseline_text(values["baseline"], questionnaire)
            self.esi.repo.create_inspection(values["id"], questionnaire, area=values["area"],
                                            baseline=baseline, question_baseline=question_baseline)
        except (InputError, QuestionnaireError) as exc:
            return "; ".join(exc.problems)
        except StoreError as exc:
            return str(exc)
        return None

    def _created(self, values: dict | None) -> None:
        if values is not None:
            self.reload()
            self.notify(f"Inspection {values['id']} created.")
            self.esi.open_inspection(values["id"])
