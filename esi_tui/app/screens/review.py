"""The review screen: answer one case's questions by key while the tallies move."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Header

from esi_tui.app.notices import is_said, notice, unbound_key, withdraw
from esi_tui.app.screens.review_notes import ReviewNotes
from esi_tui.app.screens.review_team import ReviewTeam
from esi_tui.app.session import InspectionSession
from esi_tui.app.widgets.case_facts import CaseFacts
from esi_tui.app.widgets.key_footer import KeyFooter
from esi_tui.app.widgets.question_list import Extras, QuestionList
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.app.widgets.tally_panel import TallyPanel
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import NOT_RELEVANT
from esi_tui.store.errors import InvalidChange, StoreError

WRITE_ACTIONS = {"answer", "undo", "edit_note", "complete", "reopen", "case_note"}
#: notices about the case on screen, withdrawn when another case is shown
CASE_TOPICS = ("incomplete", "all-answered", "key", "not-relevant", "others", "complete")


class ReviewScreen(ReviewNotes, ReviewTeam, Screen):
    """One case: its facts, its questions with marks, the current question and the live tallies."""

    BINDINGS = [
        Binding("j", "next_question", "Next", id="review.next", show=False),
        Binding("k", "previous_question", "Prev", id="review.previous", show=False),
        Binding("u,ctrl+z", "undo", "Undo", id="review.undo"),
        Binding("e", "edit_note", "Note", id="review.note"),
        Binding("g", "first_unanswered", "First open", id="review.first_unanswered", show=False),
        Binding("right_square_bracket", "next_case", "Next case", id="review.next_case", key_display="]"),
        Binding("left_square_bracket", "previous_case", "Prev case", id="review.previous_case",
                key_display="[", show=False),
        Binding("c", "complete", "Done", id="review.complete", tooltip="mark the case complete"),
        Binding("C", "reopen", "Reopen case", id="review.reopen", show=False),
        Binding("w", "case_note", "Case note", id="review.case_note"),
        Binding("r", "others", "Other reviewers", id="review.others",
                tooltip="the other reviewers' answers and notes and the agreed answer, once the case is not blind"),
        Binding("ctrl+g", "toggle_guidance", "Guidance", id="review.guidance", show=False),
        Binding("ctrl+down", "scroll_guidance(3)", "Scroll question down", id="review.scroll_down", show=False),
        Binding("ctrl+up", "scroll_guidance(-3)", "Scroll question up", id="review.scroll_up", show=False),
        Binding("t", "app.tallies", "Tallies", id="review.tallies", show=False),
        Binding("question_mark", "app.help", "Help", id="review.help", key_display="?"),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    #: "case H001" in the header; a new case redraws the header's line, not the whole screen (Screen's own
    #: sub_title repaints every line of it, which made ] cost three answers)
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)

    def __init__(self, session: InspectionSession, reference: str, order: list[str] | None = None):
        super().__init__()
        self.session = session
        self.reference = reference
        # what is on screen now, so a key press redraws only what changed (each redraw re-lays the screen)
        self._drawn: dict[str, tuple[str, bool, Extras]] = {}
        self._shown: tuple | None = None
        self._bindings_key: tuple | None = None
        self.order = order or [c.reference for c in session.cases()]
        #: the last change: (what it was, whether it was saved), shown in the case's facts
        self.saved: tuple[str, bool] | None = None
        self.init_team()

    def compose(self) -> ComposeResult:
        yield Header()
        yield CaseFacts(id="case-facts")
        yield QuestionList(id="questions")
        yield QuestionPanel(id="question-panel")
        yield TallyPanel(id="tally-panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load_case(self.reference)
        self.query_one(QuestionList).focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme) -> None:
        """A new theme: every line drawn again in its colours (the widgets keep lines they drew)."""
        for widget in (self.questions, self.query_one(QuestionPanel), self.query_one(CaseFacts),
                       self.query_one(TallyPanel)):
            widget.forget()
        self._shown = None
        self.load_case(self.reference, self.questions.current)

    # -- drawing ---------------------------------------------------------------------------

    @property
    def questions(self) -> QuestionList:
        """The question list widget."""
        return self.query_one(QuestionList)

    def load_case(self, reference: str, question: str | None = None) -> None:
        """Show a case, landing on `question` or else its first unanswered relevant question."""
        if reference != self.reference:
            withdraw(self, *CASE_TOPICS)
        self.reference = reference
        self.sub_title = f"case {reference}"
        self.load_team(reference)
        states = self._states()
        kept = self._kept(states)
        extras = self.extras(states)
        self.questions.build(self.session.questionnaire, states, kept, extras)
        self._drawn = {qid: (state, qid in kept, extras.get(qid)) for qid, state in states.items()}
        self._shown = None
        target = question if question and self.session.relevant(reference, question) else None
        target = target or self.session.first_unanswered(reference)
        if target is None:
            relevant = self.session.relevant_questions(reference)
            target = relevant[0] if relevant else None
        if target is not None:
            self.questions.select(target)
        self.refresh_case()

    def _states(self) -> dict[str, str]:
        return self.session.own_states(self.reference)

    def _kept(self, states: dict[str, str]) -> set[str]:
        return {qid for qid, state in states.items()
                if state == NOT_RELEVANT and self.session.answer_value(self.reference, qid) is not None}

    def refresh_case(self) -> None:
        """Redraw marks, facts, the question panel and the tallies after a change."""
        states = self._states()
        kept = self._kept(states)
        extras = self.extras(states)
        for question in self.session.questionnaire.questions:
            drawn = (states[question.id], question.id in kept, extras.get(question.id))
            if self._drawn.get(question.id) != drawn:
                self.questions.update_state(question.id, question.text, *drawn)
                self._drawn[question.id] = drawn
        answered, relevant = self.session.progress(self.reference)
        position = (self.order.index(self.reference) + 1 if self.reference in self.order else 0, len(self.order))
        case = self.session.case(self.reference)
        self.query_one(CaseFacts).show(self.session.questionnaire, case, answered, relevant, position,
                                       complete=self.session.is_complete(case),
                                       double_review=self.session.double_review_state(self.reference),
                                       saved=self.saved)
        self.show_question()
        self.withdraw_stale()
        panel = self.query_one(TallyPanel)
        if self.session.blind(self.reference):
            panel.show_blind(self.reference)
        else:
            panel.show(self.session.engine, self.session.open_disagreements())
        self.update_footer()

    def update_footer(self) -> None:
        """Refresh the footer's keys only when what check_action decides has changed.

        Each refresh rebuilds the footer, which costs more than everything else a key press does.
        """
        qid = self.questions.current
        key = (self.session.questionnaire.scale_of(qid).id if qid else None, bool(self.session.undo_stack),
               self.session.repo.readonly, len(self.order) > 1, self.others_apply)
        if key != self._bindings_key:
            self._bindings_key = key
            self.refresh_bindings()

    def show_question(self) -> None:
        """Show the highlighted question in the panel (unless it is already shown as it is)."""
        qid = self.questions.current
        questionnaire = self.session.questionnaire
        question = questionnaire.question(qid) if qid else None
        state = self.session.state(self.reference, qid) if qid else NOT_RELEVANT
        value = self.session.answer_value(self.reference, qid) if qid else None
        note = self.session.note(self.reference, qid) if qid else ""
        team, hint = self.team_text(qid, value) if qid else (None, "")
        shown = (self.reference, qid, state, value, note, team.plain if team is not None else None, hint)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one(QuestionPanel).show(questionnaire, question, state, value, note,
                                           getattr(self.app, "answer_keys", {}), team, hint)

    @on(QuestionList.Highlighted)
    def _highlighted(self) -> None:
        self.show_question()
        self.update_footer()
        if is_said(self, "key"):
            withdraw(self, "key")

    @on(QuestionList.Refused)
    def _refused(self, event: QuestionList.Refused) -> None:
        self.say_why_not(event.question)

    def on_key(self, event: events.Key) -> None:
        """A key that does nothing here says so in one line, and the place is kept (bindings run after
        this handler, so it only looks: an answer key of the question's scale returns at once)."""
        char = event.character
        if not char or not char.isprintable() or char == " ":
            return
        qid = self.questions.current
        if qid is not None and char in self.scale_keys(qid):
            return
        if self.active_bindings.get(event.key) is None and self.wrong_scale(char):
            return
        if self.active_bindings.get(event.key) is None and self.others_key(event.key):
            self.action_others()  # out of the footer here: it says why it shows nothing
            return
        unbound_key(self, event)

    def on_resize(self) -> None:
        # after the refresh: the screen's height class (-short below 24 lines) is set by then
        self.call_after_refresh(self.query_one(CaseFacts).redraw)

    @on(QuestionList.Selected)
    def _selected(self) -> None:
        self.action_edit_note()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide answer keys the current question's scale lacks; grey out writes when read-only."""
        if action == "answer":
            qid = self.questions.current if self.is_mounted else None
            if qid is None:
                return None
            if self.session.questionnaire.scale_of(qid).by_hotkey(str(parameters[0])) is None:
                return False
        if action in WRITE_ACTIONS and self.session.repo.readonly:
            return None
        if action == "undo" and not self.session.undo_stack:
            return None
        if action in ("next_case", "previous_case") and len(self.order) < 2:
            return None
        if action == "others":
            return self.others_apply
        return True

    def action_next_question(self) -> None:
        self.questions.action_cursor_down()

    def action_previous_question(self) -> None:
        self.questions.action_cursor_up()

    def action_answer(self, hotkey: str) -> None:
        """Save the option bound to `hotkey` for the current question and move on."""
        qid = self.questions.current
        if qid is None:
            self.app.bell()
            return
        option = self.session.questionnaire.scale_of(qid).by_hotkey(hotkey)
        if option is None:
            self.wrong_scale(hotkey)
            return
        try:
            self.session.answer(self.reference, qid, option.key)
        except StoreError as exc:
            self.not_saved(f"{qid} {option.label}", exc)
            return
        self.saved = (f"{qid} saved", True)
        following = self.session.first_unanswered(self.reference, after=qid)
        if following is not None:
            self.questions.select(following)
        self.refresh_case()
        if following is None:
            notice(self, "Every relevant question is answered: c marks the case complete.", title=self.reference,
                   topic="all-answered")

    def not_saved(self, what: str, exc: StoreError) -> None:
        """Say loudly that a change was not saved: in the case's facts until the next change, and a notice."""
        self.saved = (what, False)
        self.refresh_case()
        self.notify(str(exc), title="Not saved", severity="error", timeout=10)

    def action_undo(self) -> None:
        """Put back the last changed answer as it was."""
        try:
            change = self.session.undo()
        except StoreError as exc:
            self.not_saved("undo", exc)
            return
        if change is None:
            notice(self, "Nothing to undo.", topic="undo")
            return
        self.saved = (f"{change.question} put back", True)
        if change.case != self.reference:
            self.load_case(change.case, change.question)
        else:
            self.questions.select(change.question)
            self.refresh_case()
        self.notify(f"Undone: {change.case} {change.question}", timeout=2)

    def action_first_unanswered(self) -> None:
        """Jump to the case's first unanswered relevant question."""
        target = self.session.first_unanswered(self.reference)
        if target is None:
            self.notify("No unanswered question in this case.")
        else:
            self.questions.select(target)

    def action_next_case(self) -> None:
        self._step_case(1)

    def action_previous_case(self) -> None:
        self._step_case(-1)

    def _step_case(self, step: int) -> None:
        if self.reference not in self.order:
            return
        index = (self.order.index(self.reference) + step) % len(self.order)
        self.load_case(self.order[index])

    def action_complete(self) -> None:
        """Mark the case complete; the store refuses (and says which questions are open) while it is not."""
        if self.session.is_complete(self.reference):
            self.notify(f"{self.reference} is already complete; shift+c reopens it.")
            return
        try:
            self.session.set_complete(self.reference, True)
        except InvalidChange as exc:
            notice(self, str(exc).removeprefix(f"case {self.reference} cannot be marked complete by "
                                               f"{self.session.reviewer}: "),
                   title="Not complete yet", severity="warning", timeout=8, topic="incomplete")
            return
        except StoreError as exc:
            self.not_saved("marking it complete", exc)
            return
        self.saved = ("marked complete", True)
        withdraw(self, "incomplete", "all-answered", f"reopened:{self.reference}")
        following = "] opens the next case; " if len(self.order) > 1 else ""
        notice(self, f"{self.reference} marked complete. {following}esc goes back, ctrl+q quits.", topic="complete")
        self.refresh_case()

    def action_reopen(self) -> None:
        """Reopen a case marked complete."""
        if self.session.is_complete(self.reference):
            try:
                self.session.set_complete(self.reference, False)
            except StoreError as exc:
                self.not_saved("reopening it", exc)
                return
            self.saved = ("reopened", True)
            withdraw(self, "complete")
            notice(self, f"{self.reference} reopened.", topic="complete")
            self.refresh_case()

    def action_scroll_guidance(self, lines: int) -> None:
        """Scroll the question panel (long guidance on a small terminal)."""
        panel = self.query_one(QuestionPanel)
        panel.scroll_to(y=panel.scroll_y + lines, animate=False)

    def action_toggle_guidance(self) -> None:
        """Show or hide the guidance under the current question."""
        self.query_one(QuestionPanel).toggle_guidance()

    def action_back(self) -> None:
        withdraw(self, *CASE_TOPICS)
        self.dismiss()

    def jump_to_question(self, qid: str, quiet: bool = False) -> None:
        """Highlight a question if it applies to this case as this reviewer answered it (palette, replay)."""
        if not self.session.relevant(self.reference, qid):
            if not quiet:
                self.say_why_not(qid)
            return
        self.questions.select(qid)

    def show_change(self, change: tuple) -> None:
        """Show a change made elsewhere (a live replay, a teammate): marks, facts, others' answers, tallies."""
        if self.is_mounted:
            self.load_team(self.reference)
            self.refresh_case()


_CLASSES: dict[tuple[str, tuple], type[ReviewScreen]] = {}


def review_screen_class(questionnaire: Questionnaire) -> type[ReviewScreen]:
    """A ReviewScreen whose bindings include this questionnaire's answer keys (shown in the footer)."""
    labels: dict[str, list[str]] = {}
    ids: dict[str, str] = {}
    for scale in questionnaire.scales.values():
        for option in scale.options:
            label = "N/A" if option.counts_as == "not_applicable" else option.label
            if label not in labels.setdefault(option.hotkey, []):
                labels[option.hotkey].append(label)
            ids.setdefault(option.hotkey, f"answer.{option.key}")
    key = (questionnaire.content_hash, tuple(sorted(labels)))
    if key not in _CLASSES:
        answer_bindings = [
            Binding(hotkey, f"answer({hotkey!r})", "/".join(names), id=ids[hotkey])
            for hotkey, names in labels.items()
        ]
        _CLASSES[key] = type("ReviewScreen", (ReviewScreen,),
                             {"BINDINGS": answer_bindings + ReviewScreen.BINDINGS, "__module__": __name__},
                             inherit_bindings=False)
    return _CLASSES[key]
