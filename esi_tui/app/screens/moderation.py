"""Moderation: every case and question where reviewers disagree, and one key to settle each."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from esi_tui.app.cells import cells
from esi_tui.app.marks import STYLE_CLASSES, styles_of
from esi_tui.app.notices import unbound_key
from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.core.formatting import plural
from esi_tui.store.errors import StoreError

ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th")


def label(scale, value: str | None) -> str:
    """An option's label ('Yes'), or the raw value when the scale does not know it."""
    option = scale.option(value) if value is not None else None
    return option.label if option else str(value)


class ModerationScreen(Screen):
    """Disagreements side by side; pick a reviewer's answer (1-9) or record another (o), with a reason."""

    COMPONENT_CLASSES: ClassVar[set[str]] = STYLE_CLASSES
    BINDINGS = [
        *(Binding(str(n), f"pick({n})", f"Take {ORDINALS[n - 1]}", id=f"moderation.pick{n}", show=n <= 2)
          for n in range(1, 10)),
        Binding("o", "other", "Other answer", id="moderation.other"),
        Binding("delete,backspace", "withdraw", "Withdraw", id="moderation.withdraw"),
        Binding("p", "policy", "Policy", id="moderation.policy"),
        Binding("question_mark", "app.help", "Help", id="moderation.help", key_display="?"),
        Binding("escape", "back", "Back", id="moderation.back"),
    ]

    def on_key(self, event: events.Key) -> None:
        """A key that does nothing here says so in one line."""
        unbound_key(self, event)

    def __init__(self, session: InspectionSession):
        super().__init__()
        self.session = session
        self.items: list[tuple[str, str, list]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="moderation-policy")
        yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)
        yield Static(id="moderation-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "moderation"
        table = self.query_one(DataTable)
        for label in ("Case", "Question", "Answers", "Moderated", "Reason"):
            table.add_column(label, key=label.lower())
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Rebuild the list of disagreements, keeping the cursor where it was."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.items = self.session.disagreements()
        for case, qid, answers in self.items:
            moderation = self.session.repo.moderation(self.session.id, case, qid)
            scale = self.session.questionnaire.scale_of(qid)
            shown = " · ".join(f"{n}:{a.reviewer}={label(scale, a.value)}" for n, a in enumerate(answers, start=1))
            table.add_row(*cells([case, qid, shown,
                                  label(scale, moderation.value) if moderation
                                  else Text("open", style=styles_of(self)("unanswered")),
                                  moderation.reason if moderation else ""]), key=f"{case}|{qid}")
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
        policy = self.session.repo.settings(self.session.id)["disagreement_policy"]
        open_count = sum(self.session.repo.moderation(self.session.id, c, q) is None for c, q, _ in self.items)
        meaning = ("the first reviewer's answer counts" if policy == "first"
                   else "left out of the score and shown as in dispute")
        self.query_one("#moderation-policy", Static).update(Text.assemble(
            (f"{plural(len(self.items), 'disagreement')}, {open_count} open. ", "bold"),
            f"Until moderated: {meaning} (p changes this)."))
        self.show_detail()
        self.refresh_bindings()

    @property
    def current(self) -> tuple[str, str, list] | None:
        """The highlighted disagreement."""
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        """Show the highlighted disagreement's answers and notes side by side."""
        item = self.current
        detail = self.query_one("#moderation-detail", Static)
        self.refresh_bindings()  # withdraw applies only to a row with an agreed answer
        if item is None:
            detail.update("No disagreements: every case answered by two reviewers got the same answers.")
            return
        case, qid, answers = item
        question = self.session.questionnaire.question(qid)
        text = Text.assemble((f"{case} {qid} ", "bold"), question.text, "\n")
        scale = self.session.questionnaire.scales[question.scale]
        for number, answer in enumerate(answers, start=1):
            option = scale.option(answer.value)
            text.append(f"{number}  {answer.reviewer}: ", style="bold")
            text.append(option.label if option else str(answer.value))
            text.append(f"  — {answer.note}\n" if answer.note else "\n", style="italic")
        detail.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "other", "withdraw", "policy") and self.session.repo.readonly:
            return None
        if action in ("pick", "other", "withdraw") and self.is_mounted:
            item = self.current
            if item is None:
                return None
            if action == "pick" and int(str(parameters[0])) > len(item[2]):
                return False
            if action == "withdraw" and self.session.repo.moderation(self.session.id, item[0], item[1]) is None:
                return None  # nothing agreed yet on this row: nothing to withdraw
        return True

    def action_pick(self, number: int) -> None:
        """Take the Nth reviewer's answer as the agreed one."""
        item = self.current
        if item is not None and number <= len(item[2]):
            self._ask_reason(item[0], item[1], item[2][number - 1].value)

    def action_other(self) -> None:
        """Record an answer neither reviewer gave."""
        from esi_tui.app.screens.pick import PickAnswerScreen

        item = self.current
        if item is None:
            return
        scale = self.session.questionnaire.scale_of(item[1])
        def picked(value: str | None) -> None:
            if value:
                self._ask_reason(item[0], item[1], value)

        self.app.push_screen(PickAnswerScreen(scale), picked)

    def _ask_reason(self, case: str, qid: str, value: str) -> None:
        from esi_tui.app.screens.pick import ReasonScreen

        def save(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.session.moderate(case, qid, value, reason)
            except StoreError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            self.notify(f"{case} {qid}: agreed answer {value}.", timeout=3)
            self.reload()

        self.app.push_screen(ReasonScreen(f"{case} {qid} → {value}"), save)

    def action_withdraw(self) -> None:
        """Withdraw the moderated answer of the highlighted disagreement, once confirmed."""
        from esi_tui.app.screens.confirm import ConfirmScreen

        item = self.current
        moderation = self.session.repo.moderation(self.session.id, item[0], item[1]) if item else None
        if moderation is None or item is None:
            return
        case, qid = item[0], item[1]
        scale = self.session.questionnaire.scale_of(qid)
        policy = self.session.repo.settings(self.session.id)["disagreement_policy"]
        counts = ("the first reviewer's answer will count" if policy == "first"
                  else "it will be left out of the score and shown as in dispute")
        message = Text.assemble(
            (f"{case} {qid}", "bold"), " — agreed answer ",
            (label(scale, moderation.value), "bold"),
            f", by {moderation.moderator}" if moderation.moderator else "",
            f": “{moderation.reason}”" if moderation.reason else "", "\n\n",
            f"Withdrawing it changes the published tallies: until moderated again, {counts}.")

        def withdraw(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.session.moderate(case, qid, None, "")
            except StoreError as exc:
                self.notify(str(exc), title="Not withdrawn", severity="error", timeout=10)
                return
            self.notify(f"{case} {qid}: agreed answer withdrawn.", timeout=3)
            self.reload()

        self.app.push_screen(ConfirmScreen("Withdraw this moderation?", message), withdraw)

    def action_policy(self) -> None:
        """Switch how unmoderated disagreements count (first reviewer's answer, or in dispute), once confirmed:
        it changes the tallies of the whole team; p again switches back."""
        from esi_tui.app.screens.confirm import ConfirmScreen

        current = self.session.repo.settings(self.session.id)["disagreement_policy"]
        wanted = "dispute" if current == "first" else "first"
        open_count = self.session.open_disagreements()
        meaning = {"first": "the first reviewer's answer counts",
                   "dispute": "they are left out of the score and shown as in dispute"}
        message = Text.assemble(
            f"Until a disagreement is moderated, {meaning[current]} now. After the change, ",
            (meaning[wanted], "bold"), ".\n\n",
            f"This changes the tallies and the report for the whole team ({plural(open_count, 'open disagreement')} "
            "now); p again switches back.")

        def switch(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.session.set_policy(wanted)
            except StoreError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            self.notify(f"Disagreement policy: {wanted} ({meaning[wanted]}); p switches back.", timeout=4)
            self.reload()

        title = "Count disagreements as in dispute?" if wanted == "dispute" else "Count the first reviewer's answer?"
        self.app.push_screen(ConfirmScreen(title, message), switch)

    def action_back(self) -> None:
        self.dismiss()
