"""Areas side by side: every inspection of one questionnaire, a column each and the region summed."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.compare import CRITERION, PROMPT, Comparison, compare
from esi_tui.store.repository import Repository

ITEM_WIDTH = 34
CELL_WIDTH = 24


class CompareScreen(Screen):
    """Per criterion and question, each area's score and X of Y, rating and change from its own baseline,
    and the 95% Wilson interval; the region (the areas summed, rated by the same rules) is the last column."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", id="compare.help", key_display="?"),
        Binding("escape", "back", "Back", id="compare.back"),
    ]

    def __init__(self, repo: Repository, inspections: list[str], viewer: str | None = None):
        super().__init__()
        self.repo = repo
        self.inspections = inspections
        self.viewer = viewer

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="compare-summary")
        yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "areas side by side"
        self.reload()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def comparison(self) -> Comparison:
        """The comparison of the inspections, each counted as this reviewer may see it (blind cases left out)."""
        areas = []
        for inspection_id in self.inspections:
            inspection = self.repo.inspection(inspection_id)
            name = f"{inspection.area} ({inspection.id})" if inspection.area else inspection.id
            areas.append((name, self.repo.tally(inspection_id, viewer=self.viewer)))
        return compare(self.repo.questionnaire(self.inspections[0]), areas)

    def reload(self) -> None:
        """Draw the table again from the stored answers."""
        comparison = self.comparison()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Item", key="Item", width=ITEM_WIDTH)
        for index, heading in enumerate(comparison.headings):
            table.add_column(heading, key=f"area-{index}", width=CELL_WIDTH)
        for item in comparison.rows:
            margin = "" if item.kind == CRITERION else ("      " if item.kind == PROMPT else "  ")
            label = Text(margin + item.label, style="bold" if item.kind == CRITERION else "",
                         overflow="ellipsis", no_wrap=True)
            texts = [cell.lines() for cell in item.cells]
            height = max(len(lines) for lines in texts)
            table.add_row(label, *[Text("\n".join(lines), no_wrap=True, overflow="ellipsis") for lines in texts],
                          height=height, key=item.key)
        if any(o.rated for o in comparison.overall):
            table.add_row(Text("Overall rating", style="bold"),
                          *[Text(o.describe().removeprefix("Overall rating: ")) for o in comparison.overall],
                          height=2, key="overall")
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        summary = Text.assemble(("Areas: ", "bold"), str(len(self.inspections)), ("  ·  Questionnaire: ", "bold"),
                                f"{comparison.questionnaire.title} ({comparison.questionnaire.id} "
                                f"v{comparison.questionnaire.version})")
        if comparison.region:
            summary.append("  ·  the region is the areas' counts summed, rated by the same rules", style="dim")
        self.query_one("#compare-summary", Static).update(summary)

    def action_back(self) -> None:
        self.dismiss()
