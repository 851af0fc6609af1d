"""The sample: every case with its key attributes, reviewers, progress and status."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input

from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.case_facts import attribute_value
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.store.errors import StoreError

SORTS = ("reference", "progress", "status")
KEY_ATTRIBUTES = 4

if TYPE_CHECKING:
    from esi_tui.app.app import EsiApp


class CasesScreen(Screen):
    """The inspection's cases; enter opens the review."""

    BINDINGS = [
        Binding("enter", "open_case", "Review", id="cases.open"),
        Binding("slash", "filter", "Filter", id="cases.filter", key_display="/"),
        Binding("s", "sort", "Sort", id="cases.sort"),
        Binding("a", "add_case", "Add case", id="cases.add"),
        Binding("e", "edit_case", "Edit case", id="cases.edit"),
        Binding("t", "app.tallies", "Tallies", id="cases.tallies"),
        Binding("m", "app.moderation", "Moderation", id="cases.moderation"),
        Binding("d", "double_review", "Double review", id="cases.double_review", show=False),
        Binding("question_mark", "app.help", "Help", id="cases.help", key_display="?"),
        Binding("escape", "back", "Back", id="cases.back"),
    ]


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
        for attribute in attributes:
            table.add_column(attribute.label.split(" (")[0], key=f"attr-{attribute.name}")
        table.add_column("Reviewers", key="reviewers")
        self.reload()
        self._just_mounted = True
        table.focus()
        first_open = next((c.reference for c in self.session.cases() if not self.session.is_complete(c)), None)
        if first_open in self.order:
            table.move_cursor(row=self.order.index(first_open))

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

    def rows(self) -> list[tuple]:  # (reference, progress, status, *cells, who, share done)
        """Rows after filter and sort: (reference, progress, status, attributes..., reviewers, share done)."""
        reviewers = self.session.reviewers_by_case()
        double = set(self.session.repo.settings(self.session.id)["double_review"])
        blind = self.session.blind_reviews()
        names = list(self.session.questionnaire.attributes)[:KEY_ATTRIBUTES]
        rows = []
        for case in self.session.cases():
            answered, relevant = self.session.progress(case.reference)
            status = ("complete" if self.session.is_complete(case)
                      else "not started" if answered == 0 else "in progress")
            if case.reference in double:
                status += " ·2"
            cells = [attribute_value(case.attributes.get(n)) for n in names]
            text = " ".join([case.reference, *cells, status]).lower()
            if self.filter_text and not all(word in text for word in self.filter_text.lower().split()):
                continue
            who = ", ".join(reviewers.get(case.reference, [])) or "–"
            if case.reference in blind:  # a blind review does not say who else is on it
                mine = self.session.reviewer in reviewers.get(case.reference, [])
                who = f"{self.session.reviewer} (blind)" if mine else "(blind)"
            rows.append((case.reference, f"{answered} of {relevant}", status, *cells, who,
                         answered / relevant if relevant else 1.0))
        if self.sort_by == "progress":
            rows.sort(key=lambda r: cast(float, r[-1]))
        elif self.sort_by == "status":
            rank = {"in progress": 0, "not started": 1, "complete": 2}
            rows.sort(key=lambda r: rank[str(r[2]).removesuffix(" ·2")])
        return rows

    def reload(self) -> None:
        """Rebuild the table, keeping the cursor on the same case."""
        table = self.query_one(DataTable)
        current = self.current
        table.clear()
        for row in self.rows():
            table.add_row(*row[:-1], key=row[0])
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
        self.notify(f"Sorted by {self.sort_by}.", timeout=2)
        self.reload()

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
        """Mark the highlighted case for blind double review (a marked case stays marked)."""
        if self.current is None:
            return
        settings = self.session.repo.settings(self.session.id)
        marked = list(settings["double_review"])
        if self.current in marked:
            self.notify(f"{self.current} is already in the double-review sample.")
            return
        self.session.mark_double_review(self.current)
        self.notify(f"{self.current} marked for blind double review.")
        self.reload()

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
