"""The sample: every case with its key attributes, reviewers, progress and status, as mine or the team's."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from esi_tui.app.cells import cells
from esi_tui.app.notices import notice, unbound_key, withdraw
from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.case_facts import attribute_value
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.store.errors import StoreError

SORTS = ("reference", "progress", "status")
KEY_ATTRIBUTES = 4
STATUS_RANK = {"in progress": 0, "not started": 1, "complete": 2}
QUESTION_NOTE, CASE_NOTE = "✎", "✉"   # the markers of notes on a case's questions and on the whole case

if TYPE_CHECKING:
    from esi_tui.app.app import EsiApp


class CasesScreen(Screen):
    """The inspection's cases; enter opens the review."""

    BINDINGS = [
        Binding("enter", "open_case", "Review", id="cases.open"),
        Binding("slash", "filter", "Filter", id="cases.filter", key_display="/"),
        Binding("s", "sort", "Sort", id="cases.sort"),
        Binding("a", "add_case", "Add", id="cases.add", tooltip="add a case"),
        Binding("e", "edit_case", "Edit", id="cases.edit", tooltip="edit the case's attributes"),
        Binding("t", "app.tallies", "Tallies", id="cases.tallies"),
        Binding("m", "app.moderation", "Moderation", id="cases.moderation"),
        Binding("v", "toggle_view", "Mine/team", id="cases.view"),
        Binding("d", "double_review", "Double review", id="cases.double_review", show=False),
        Binding("question_mark", "app.help", "Help", id="cases.help", key_display="?"),
        Binding("escape", "back", "Back", id="cases.back"),
    ]

    def on_key(self, event: events.Key) -> None:
        """A key that does nothing here says so in one line."""
        unbound_key(self, event)

    @property
    def esi(self) -> EsiApp:
        """The app, as esi-tui's own (its repository, session and navigation)."""
        return cast("EsiApp", self.app)
    def __init__(self, session: InspectionSession):
        super().__init__()
        self.session = session
        self.sort_by = "reference"
        self.filter_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: reference or attribute value (enter keeps it, escape clears)",
                    id="case-filter", classes="hidden")
        yield Static(id="cases-view")
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.inspection.area} · {self.session.id}"
        table = self.query_one(DataTable)
        attributes = list(self.session.questionnaire.attributes.values())[:KEY_ATTRIBUTES]
        # progress and status next to the reference: wide attribute columns must not push them out of sight
        table.add_column("Case", key="reference")
        table.add_column("Progress", key="progress")
        table.add_column("Status", key="status")
        table.add_column("Double review", key="double")
        # who is on it and who has finished before the attributes: a lead reads it at 100 columns
        table.add_column("Reviewers", key="reviewers")
        for attribute in attributes:
            table.add_column(attribute.label.split(" (")[0], key=f"attr-{attribute.name}")
        self.reload()
        self._just_mounted = True
        table.focus()
        self._to_first_open()

    @property
    def team(self) -> bool:
        """Whether the table shows the team's progress (else this reviewer's own)."""
        return self.session.cases_view == "team"

    def _to_first_open(self) -> None:
        """Put the cursor on the first case not finished (by me, or by the team in the team's view)."""
        table = self.query_one(DataTable)
        for row in range(table.row_count):
            status = table.get_cell_at(Coordinate(row, 2))
            if str(status) != "complete":
                table.move_cursor(row=row)
                return

    def on_screen_resume(self) -> None:
        if getattr(self, "_just_mounted", False):
            self._just_mounted = False  # the first resume follows on_mount, which has just loaded
            return
        self.reload()

    @property
    def order(self) -> list[str]:
        """References as listed now (filtered and sorted), for next/previous case in the review."""
        table = self.query_one(DataTable)
        return [str(table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value) for row in range(table.row_count)]

    def rows(self) -> list[tuple]:
        """Rows after filter and sort: (reference, case cell, progress, status, double review, reviewers,
        attributes..., share done), each as I have worked the case or, in the team's view, as the team has."""
        reviewers = self.session.reviewers_by_case()
        blind = self.session.blind_reviews()
        notes = self.session.notes_by_case(self.team)
        names = list(self.session.questionnaire.attributes)[:KEY_ATTRIBUTES]
        rows = []
        for case in self.session.cases():
            reference = case.reference
            if self.team:
                team = self.session.team_progress(reference)
                answered, relevant, status = team.answered, team.relevant, team.status
                who = ", ".join(f"{r.reviewer} ✔" if r.finished else f"{r.reviewer} {r.answered}/{r.relevant}"
                                for r in team.reviewers) or "–"
                if reference in blind:
                    who = f"(blind) {who}"
            else:
                answered, relevant = self.session.progress(reference)
                status = ("complete" if self.session.is_complete(case)
                          else "not started" if answered == 0 else "in progress")
                who = ", ".join(reviewers.get(reference, [])) or "–"
                if reference in blind:  # a blind review does not say who else is on it
                    mine = self.session.reviewer in reviewers.get(reference, [])
                    who = f"{self.session.reviewer} (blind)" if mine else "(blind)"
            double = self.session.double_review_state(reference) or "–"
            cells = [attribute_value(case.attributes.get(n)) for n in names]
            text = " ".join([reference, *cells, status, double, who]).lower()
            if self.filter_text and not all(word in text for word in self.filter_text.lower().split()):
                continue
            question_notes, case_notes = notes.get(reference, (0, 0))
            marks = (f" {QUESTION_NOTE}{question_notes if question_notes > 1 else ''}" if question_notes else "") + (
                f" {CASE_NOTE}" if case_notes else "")
            rows.append((reference, reference + marks, f"{answered} of {relevant}", status, double, who, *cells,
                         answered / relevant if relevant else 1.0))
        if self.sort_by == "progress":
            rows.sort(key=lambda r: cast(float, r[-1]))
        elif self.sort_by == "status":
            rows.sort(key=lambda r: STATUS_RANK[str(r[3])])
        return rows

    def show_view(self) -> None:
        """The line above the table: whose progress it shows, and the key that switches."""
        line = Text.assemble(("Progress: ", "bold"), no_wrap=True, overflow="ellipsis")
        for view, label in (("mine", "mine"), ("team", "team (every reviewer)")):
            chosen = self.session.cases_view == view
            line.append(f" {'●' if chosen else '○'} {label} ", style="bold reverse" if chosen else "dim")
            line.append(" ")
        line.append("v switches", style="dim")
        self.query_one("#cases-view", Static).update(line)

    def reload(self) -> None:
        """Rebuild the table, keeping the cursor on the same case."""
        table = self.query_one(DataTable)
        current = self.current
        table.clear()
        for row in self.rows():
            table.add_row(*cells(row[1:-1]), key=row[0])
        self.show_view()
        if current is not None and current in self.order:
            table.move_cursor(row=self.order.index(current))
        self.refresh_bindings()

    @property
    def current(self) -> str | None:
        """The reference under the cursor, or None for an empty table."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_case", "edit_case") and self.is_mounted and self.current is None:
            return None
        if action in ("add_case", "edit_case", "double_review") and self.session.repo.readonly:
            return None
        return True

    def action_open_case(self) -> None:
        from esi_tui.app.screens.review import review_screen_class

        if self.current is not None:
            screen = review_screen_class(self.session.questionnaire)(self.session, self.current, self.order)
            self.app.push_screen(screen)

    @on(DataTable.RowSelected, "#cases")
    def _row_selected(self) -> None:
        self.action_open_case()

    def action_filter(self) -> None:
        box = self.query_one("#case-filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#case-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.reload()

    @on(Input.Submitted, "#case-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()
        if not self.filter_text:
            self.query_one("#case-filter").add_class("hidden")

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        notice(self, f"Sorted by {self.sort_by}.", timeout=2, topic="sort")
        self.reload()

    def action_toggle_view(self) -> None:
        """Show my own progress, or the team's (every reviewer's answers and who has finished)."""
        self.session.cases_view = "mine" if self.team else "team"
        self.reload()
        whose = "the team's: every reviewer's answers and who finished" if self.team else "yours alone"
        notice(self, f"Progress shown: {whose}.", timeout=3, topic="view")

    def action_add_case(self) -> None:
        from esi_tui.app.screens.forms import CaseForm

        existing = {c.reference for c in self.session.cases()}
        self.app.push_screen(CaseForm(self.session.questionnaire, existing=existing), self._save_case)

    def action_edit_case(self) -> None:
        from esi_tui.app.screens.forms import CaseForm

        if self.current is None:
            return
        case = self.session.case(self.current)
        self.app.push_screen(CaseForm(self.session.questionnaire, case.reference, case.attributes), self._save_case)

    def _save_case(self, result: tuple[str, dict] | None) -> None:
        if result is None:
            return
        reference, attributes = result
        try:
            self.session.save_case(reference, attributes)
        except StoreError as exc:
            self.notify(str(exc), title="Case not saved", severity="error", timeout=10)
            return
        self.reload()
        if reference in self.order:
            self.query_one(DataTable).move_cursor(row=self.order.index(reference))
        self.notify(f"Case {reference} saved.", timeout=2)

    def action_double_review(self) -> None:
        """Mark the highlighted case for blind double review, or take it out of the sample; both ask first."""
        from esi_tui.app.screens.confirm import ConfirmScreen

        reference = self.current
        if reference is None:
            return
        marked = self.session.is_double_review(reference)
        if not marked:
            title = f"Mark {reference} for blind double review?"
            message = (f"A second reviewer answers {reference} without seeing the first one's answers, notes or "
                       "marks, and the tallies leave the other's answers out until both have finished it. "
                       "This changes the inspection for the whole team; d again takes it out.")
        else:
            title = f"Take {reference} out of the double-review sample?"
            message = (f"{reference} is {self.session.double_review_state(reference)}. Taken out, its reviewers' "
                       "answers are no longer blind to each other and count at once, as for any case. "
                       "d again puts it back.")

        def decided(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                if marked:
                    self.session.unmark_double_review(reference)
                else:
                    self.session.mark_double_review(reference)
            except StoreError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            done = "taken out of the double-review sample" if marked else "marked for blind double review"
            notice(self, f"{reference} {done} (d again {'puts it back' if marked else 'takes it out'}).",
                   topic="double")
            self.reload()

        self.app.push_screen(ConfirmScreen(title, message), decided)

    def on_screen_suspend(self) -> None:
        withdraw(self, "sort", "view", "double")

    def action_back(self) -> None:
        box = self.query_one("#case-filter", Input)
        if self.focused is box or self.filter_text:
            box.value = ""
            box.add_class("hidden")
            self.query_one(DataTable).focus()
            return
        if len(self.app.screen_stack) > 2:
            self.dismiss()
        else:
            self.esi.show_inspections()
