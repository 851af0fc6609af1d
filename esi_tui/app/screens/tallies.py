"""Full tallies per criterion and question, with filters and a chart of original against now."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from esi_tui.app.marks import STYLE_CLASSES, bar, change_text, score_text, styles_of
from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.formatting import NO_COMPARISON, interval_cell, x_of_y
from esi_tui.core.parsing import InputError, parse_where
from esi_tui.core.ratings import (
    by_key_question,
    criterion_score_text,
    question_band,
    question_score_text,
)
from esi_tui.core.stats import rating_text
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import overall_of

ITEM_MIN_WIDTH = 18  # below this the item column is cut to it, and the numbers scroll
SCROLLBAR_WIDTH = 4  # two vertical scrollbars (the table's own and the scroll around table and chart)


def cell_width(cell: object) -> int:
    """The columns a cell's text takes on screen."""
    return cell.cell_len if isinstance(cell, Text) else Text(str(cell)).cell_len


class TalliesScreen(Screen):
    """The table per criterion and question ('14 of 16, 88%') with baseline and change.

    Prompts are indented under their key question; where key questions rate their criterion
    (lowest_question) a column says which one did, and the overall rating is on the filter line.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "next_reviewer", "Reviewer", id="tallies.reviewer"),
        Binding("f", "filter", "Filter cases", id="tallies.filter"),
        Binding("v", "compare", "Compare areas", id="tallies.compare"),
        Binding("m", "app.moderation", "Moderation", id="tallies.moderation"),
        Binding("a", "app.agreement", "Agreement", id="tallies.agreement"),
        Binding("c", "toggle_ci", "95% CI", id="tallies.ci"),
        Binding("question_mark", "app.help", "Help", id="tallies.help", key_display="?"),
        Binding("escape", "back", "Back", id="tallies.back"),
    ]

    def __init__(self, session: InspectionSession):
        super().__init__()
        self.session = session
        self.reviewer: str | None = None
        self.where = ""
        self.ci = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tally-filters")
        yield Input(placeholder="cases where, e.g. risk_of_harm=high,very_high;child_protection=true "
                                "(enter applies, empty clears)", id="tally-where", classes="hidden")
        with VerticalScroll(id="tally-scroll"):
            yield DataTable(id="tally-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="tally-chart")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "tallies"
        self.reload()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        # back from moderation (an agreed answer, the disagreement policy) or from the review
        self.reload()

    def _labels(self) -> list[str]:
        # the rating straight after the change: at 80 columns the counts behind it scroll out of sight first
        rated_by = ["Rated by"] if by_key_question(self.session.questionnaire) else []
        return ["Item", "X of Y", "Score", *(("95% CI",) if self.ci else ()), "Base", "Change", "Rating", *rated_by,
                "N/A", "Open", "Not rel."]

    def _add_columns(self, table: DataTable, rows: list[tuple[list, str]]) -> None:
        """The columns; the item's text gets every column the numbers leave free (measured from the rows),
        so the numbers stay on screen and no name is cut while columns stay empty."""
        labels = self._labels()
        widths = [max([len(label)] + [cell_width(cells[n]) for cells, _ in rows])
                  for n, label in enumerate(labels)]
        padding = 2 * table.cell_padding
        numbers = sum(width + padding for width in widths[1:]) + padding + SCROLLBAR_WIDTH
        item_width = max(ITEM_MIN_WIDTH, min(widths[0], self.app.size.width - numbers))
        for label, width in zip(labels, widths):
            table.add_column(label, key=label, width=item_width if label == "Item" else width)

    def engine(self) -> TallyEngine:
        """The live engine, or a filtered one built for the current filters."""
        if self.reviewer is None and not self.where:
            return self.session.engine
        case_filter = parse_where(self.where, self.session.questionnaire) if self.where else None
        return self.session.repo.tally(self.session.id, reviewer=self.reviewer, case_filter=case_filter,
                                       viewer=self.session.reviewer)

    def reload(self) -> None:
        """Redraw the table, the chart and the filter line."""
        engine = self.engine()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        rows: list[tuple[list, str]] = []
        questionnaire = self.session.questionnaire
        bands = questionnaire.bands
        lowest = by_key_question(questionnaire)
        tallies = engine.criteria()
        styles = styles_of(self)
        for tally in tallies:
            counts = tally.counts
            rated_by = [self._rated_by(tally)] if lowest else []
            change_cell = (change_text(tally.change, styles) if tally.comparable
                           else Text(NO_COMPARISON, style="italic"))
            ci = [interval_cell(counts)] if self.ci else []
            rating = (rating_text(tally.band, counts.positive, counts.counted, bands) if self.ci else tally.band)
            rows.append(([Text(f"{tally.code} {tally.title}", style="bold", overflow="ellipsis", no_wrap=True),
                          x_of_y(counts), self._score(criterion_score_text(questionnaire, counts)), *ci,
                          score_text(tally.baseline), change_cell, rating or "", *rated_by,
                          str(counts.not_applicable), str(counts.unanswered), str(counts.not_relevant)], tally.code))
            for qid, qcounts, baseline in tally.questions:
                change = None if qcounts.score is None or baseline is None else qcounts.score - baseline
                question = questionnaire.question(qid)
                margin = "      " if question.prompt_of else "  "
                rating = (question_band(questionnaire, qid, qcounts) or "") if question.scored else "prompt"
                ci = [interval_cell(qcounts)] if self.ci else []
                rows.append(([Text(f"{margin}{qid} {question.text}", overflow="ellipsis", no_wrap=True),
                              x_of_y(qcounts), self._score(question_score_text(questionnaire, qid, qcounts)), *ci,
                              score_text(baseline), change_text(change, styles),
                              Text(rating, style="dim" if not question.scored else ""), *([""] if lowest else []),
                              str(qcounts.not_applicable), str(qcounts.unanswered), str(qcounts.not_relevant)], qid))
        self._add_columns(table, rows)
        for cells, key in rows:
            table.add_row(*cells, key=key)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#tally-chart", Static).update(self.chart(engine))
        # the disagreement policy decides what counts where reviewers disagree and nobody moderated yet
        who = self.reviewer or ("every reviewer (moderated, else first answer)" if engine.policy == "first"
                                else "every reviewer (moderated; disputes left out)")
        where = self.where or "every case"
        line = Text.assemble(("Counting: ", "bold"), who, ("  ·  Cases: ", "bold"), where)
        disputed = sum(tally.counts.in_dispute for tally in tallies)
        if disputed:
            line.append_text(Text.assemble(("  ·  In dispute: ", "bold"), (str(disputed), styles_of(self)("warning"))))
        if self.ci:
            line.append_text(Text.assemble(("  ·  95% CI: ", "bold"), "Wilson; borderline: it reaches another band"))
        overall = overall_of(engine, tallies).describe()
        if overall:
            line.append_text(Text.assemble("  ·  ", (overall, "bold")))
        self.query_one("#tally-filters", Static).update(line)

    @staticmethod
    def _rated_by(tally) -> str:
        """'lowest: C3, 71%': the key question whose score rated the criterion, or '–' while none has one."""
        rating = tally.rating
        if rating is None or rating.question is None:
            return "–"
        return f"lowest: {rating.question}, {rating.basis_text()}"

    @staticmethod
    def _score(text: str) -> Text:
        """A score as the rating rules show it (bold), or a dim dash."""
        return Text(text, style="dim" if text == "–" else "bold")

    def chart(self, engine: TallyEngine) -> Table:
        """Bars of the original inspection against now, per criterion."""
        chart = Table(title="Original inspection against now", title_justify="left", box=None,
                      show_header=False, padding=(0, 1))
        chart.add_column(no_wrap=True)
        chart.add_column(no_wrap=True)
        chart.add_column(no_wrap=True)
        chart.add_column(justify="right", no_wrap=True)
        for tally in engine.criteria():
            chart.add_row(Text(tally.code, style="bold"), "original", bar(tally.baseline, 30, styles_of(self)),
                          score_text(tally.baseline))
            chart.add_row("", "now", bar(tally.score, 30, styles_of(self)),
                          TalliesScreen._score(criterion_score_text(engine.questionnaire, tally.counts)))
        return chart

    def others(self) -> list[str]:
        """The other inspections in the database on the same questionnaire (id and version): the areas to compare."""
        mine = self.session.inspection
        return [i.id for i in self.session.repo.inspections() if i.id != mine.id
                and (i.questionnaire_id, i.questionnaire_version) == (mine.questionnaire_id,
                                                                      mine.questionnaire_version)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the comparison only when another area has an inspection of this questionnaire."""
        if action == "compare":
            return bool(self.others())
        return True

    def action_compare(self) -> None:
        from esi_tui.app.screens.compare import CompareScreen

        others = self.others()
        if not others:
            self.notify("No other inspection of this questionnaire in the database to compare with.")
            return
        self.app.push_screen(CompareScreen(self.session.repo, [self.session.id, *others], self.session.reviewer))

    def action_next_reviewer(self) -> None:
        reviewers = sorted({a.reviewer for a in self.session.repo.answers(self.session.id)})
        options: list[str | None] = [None, *reviewers]
        self.reviewer = options[(options.index(self.reviewer) + 1) % len(options)] if self.reviewer in options else None
        self.reload()

    def action_toggle_ci(self) -> None:
        """Show or hide each score's 95% Wilson interval, and which ratings are borderline."""
        self.ci = not self.ci
        self.reload()

    def action_filter(self) -> None:
        box = self.query_one("#tally-where", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Submitted, "#tally-where")
    def _where(self, event: Input.Submitted) -> None:
        try:
            if event.value.strip():
                parse_where(event.value, self.session.questionnaire)
        except InputError as exc:
            self.notify("; ".join(exc.problems), title="Filter not applied", severity="error")
            return
        self.where = event.value.strip()
        if not self.where:
            event.input.add_class("hidden")
        self.query_one(DataTable).focus()
        self.reload()

    def action_back(self) -> None:
        box = self.query_one("#tally-where", Input)
        if self.focused is box:
            if not self.where:
                box.add_class("hidden")
            self.query_one(DataTable).focus()
            return
        self.dismiss()
