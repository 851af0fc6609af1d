"""Agreement between reviewers: percent agreement and Cohen's kappa per pair, criterion and question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.agreement import questionnaire_agreement
from esi_tui.core.summary import plural


class AgreementScreen(Screen):
    """How consistent the inspection is: every pair of reviewers who rated the same cases."""

    BINDINGS = [
        Binding("question_mark", "app.help", "Help", id="agreement.help", key_display="?"),
        Binding("escape", "back", "Back", id="agreement.back"),
    ]

    def __init__(self, session: InspectionSession):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agreement-summary")
        yield DataTable(id="agreement", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "agreement"
        # a blind double review is compared only once both reviewers have finished it (as in moderation)
        ratings = self.session.repo.ratings(self.session.id, leave_out=self.session.blind_reviews())
        rows = questionnaire_agreement(self.session.questionnaire, ratings)
        table = self.query_one(DataTable)
        for label in ("Reviewers", "Scope", "Items", "Agreed", "Kappa", "Meaning"):
            table.add_column(label)
        for row in rows:
            table.add_row(f"{row.reviewer_a} · {row.reviewer_b}", "all" if row.scope == "pair" else row.key,
                          str(row.items), f"{row.percent:.0f}%", "–" if row.kappa is None else f"{row.kappa:.2f}",
                          row.band)
        pairs = sum(row.scope == "pair" for row in rows)
        self.query_one("#agreement-summary", Static).update(
            f"{plural(pairs, 'pair')} of reviewers rated the same cases." if rows
            else "No case has been answered by two reviewers yet.")
        table.focus()

    def action_back(self) -> None:
        self.dismiss()
