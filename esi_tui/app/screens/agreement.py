"""Agreement between reviewers: every coefficient per scope, one group of reviewers at a time."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from esi_tui.app.marks import STYLE_CLASSES, styles_of
from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.agreement import STATISTICS, AgreementRow, questionnaire_agreement
from esi_tui.core.formatting import plural

# The table's coefficients; the kappa column holds Cohen's for a pair and Fleiss' for all reviewers,
# so that the table fits 60 columns. The detail under it gives every figure with its reading.
COLUMNS = ("percent_agreement", "kappa", "gwet_ac1", "pabak", "krippendorff_alpha")
SHORT = {key: short for key, _, short in STATISTICS}


class AgreementTable(DataTable):
    """The table of one group's rows; it keeps the highlighted row in view as the detail under it grows."""

    def on_resize(self) -> None:
        self.move_cursor(row=self.cursor_row)


class AgreementScreen(Screen):
    """How consistent the inspection is: one group of reviewers (all, or a pair) at a time."""

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "next_group", "Next reviewers", id="agreement.group"),
        Binding("question_mark", "app.help", "Help", id="agreement.help", key_display="?"),
        Binding("escape", "back", "Back", id="agreement.back"),
    ]

    def __init__(self, session: InspectionSession):
        super().__init__()
        self.session = session
        self.rows: list[AgreementRow] = []
        self.groups: list[tuple[str, ...]] = []
        self.group = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agreement-summary")
        yield AgreementTable(id="agreement", cursor_type="row", zebra_stripes=True)
        yield Static(id="agreement-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "agreement"
        # a blind double review is compared only once both reviewers have finished it (as in moderation)
        ratings = self.session.repo.ratings(self.session.id, leave_out=self.session.blind_reviews())
        self.rows = questionnaire_agreement(self.session.questionnaire, ratings)
        self.groups = list(dict.fromkeys(row.reviewers for row in self.rows))
        self.show_group()
        self.query_one(DataTable).focus()

    def shown(self) -> list[AgreementRow]:
        """The rows of the group on screen."""
        if not self.groups:
            return []
        members = self.groups[self.group]
        return [row for row in self.rows if row.reviewers == members]

    def show_group(self) -> None:
        """Fill the table with the current group's rows and say which group it is."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        rows = self.shown()
        summary = self.query_one("#agreement-summary", Static)
        if not rows:
            summary.update("No case has been answered by two reviewers yet.")
            self.query_one("#agreement-detail", Static).update("")
            return
        first = rows[0]
        kappa = "Kappa" if first.group == "pair" else "Fleiss"
        table.add_column("Scope", key="scope")
        for key in COLUMNS:
            table.add_column(kappa if key == "kappa" else SHORT[key], key=key)
        for row in rows:
            label = "all" if row.scope == "overall" else (row.key if row.scope == "criterion" else f"  {row.key}")
            scope = Text(label + (" !" if row.tags() else ""), style="bold" if row.scope != "question" else "")
            table.add_row(scope, *(Text(self.cell(row, key), justify="right") for key in COLUMNS),
                          key=f"{row.scope}:{row.key}")
        who = first.label if first.group == "pair" else f"all {len(first.reviewers)} together"
        summary.update(Text.assemble(("Reviewers: ", "bold"), who,
                                     f"  ({self.group + 1} of {len(self.groups)}, g: next)"))
        self.show_detail(0)

    @staticmethod
    def cell(row: AgreementRow, key: str) -> str:
        if key == "kappa":
            return row.cell("cohen_kappa" if row.group == "pair" else "fleiss_kappa")
        return row.cell(key)

    def show_detail(self, index: int) -> None:
        """Every figure of one row with its plain reading, then its warnings."""
        rows = self.shown()
        if not 0 <= index < len(rows):
            return
        row = rows[index]
        scope = "all questions" if row.scope == "overall" else row.key
        by = "both" if row.group == "pair" else "two or more"
        title = Text.assemble((f"{scope} · {row.label}", "bold"),
                              f": {plural(row.cases, 'case')}, {plural(row.items, 'item')} rated by {by}")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(ratio=1)
        readings = row.readings()
        for key, _, short in STATISTICS:
            grid.add_row(Text(short, style="bold"), row.cell(key), readings[key])
        warnings = Table.grid(padding=(0, 1))
        warnings.add_column(no_wrap=True)
        warnings.add_column(ratio=1)
        for text in row.warnings():
            styles = styles_of(self)
            warnings.add_row(Text("!", style=styles("unanswered")), Text(text, style=styles("warning")))
        self.query_one("#agreement-detail", Static).update(Group(title, grid, warnings))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def action_next_group(self) -> None:
        if len(self.groups) > 1:
            self.group = (self.group + 1) % len(self.groups)
            self.show_group()

    def action_back(self) -> None:
        self.dismiss()
