"""What the review shows besides the reviewer's own answers: the other reviewers' answers and notes and the
agreed answer (r, once the case is not blind), note markers, why a greyed question does not apply, an
answer for every key, and notices withdrawn once they stop being true."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from esi_tui.app.notices import is_said, notice, withdraw
from esi_tui.app.widgets.question_list import Extras
from esi_tui.app.widgets.team_answers import Others, full_text, short_line
from esi_tui.core.conditions import answer_dependencies, describe
from esi_tui.core.tally import NOT_RELEVANT

if TYPE_CHECKING:
    from esi_tui.app.session import InspectionSession
    from esi_tui.app.widgets.question_list import QuestionList


class ReviewTeam:
    """The review screen's team view and its answers to keys (a mixin of ReviewScreen)."""

    session: InspectionSession
    reference: str

    if TYPE_CHECKING:
        @property
        def questions(self) -> QuestionList: ...

        def refresh_case(self) -> None: ...

    def init_team(self) -> None:
        self.show_others = False
        #: whether r has something to show on this case (it is not blind, and someone else answered)
        self.others_apply = False
        self._others: Others = {}
        self._others_count = 0
        self._noted: set[str] = set()
        self._reasons: dict[str, str] = {}
        self._scale_keys: dict[str, set[str]] = {}
        questionnaire = self.session.questionnaire
        # greyed questions whose reason reads answers: their reason can change while they stay greyed
        self._reads_answers = {q.id for q in questionnaire.questions
                               if answer_dependencies(q.applies_when, questionnaire.conditions)}

    def load_team(self, reference: str) -> None:
        """What a case shows besides my answers: my note markers and, unless it is blind, the others' work."""
        self._noted = self.session.noted(reference)
        self._reasons = {}
        blind = self.session.blind(reference)
        self._others = {} if blind else self.session.others(reference)
        self._others_count = 0 if blind else len({name for answers in self._others.values()
                                                 for name, value, _ in answers if value is not None})
        self.others_apply = not blind and bool(self._others_count or any(
            self.session.agreed(reference, q) for q in self.session.questionnaire.question_ids))

    def noted_changed(self, qid: str, noted: bool) -> None:
        """My note on a question was written (or emptied)."""
        if noted:
            self._noted.add(qid)
        else:
            self._noted.discard(qid)

    def extras(self, states: dict[str, str]) -> dict[str, Extras]:
        """What each question's line shows besides its state (only the lines that show something)."""
        found: dict[str, Extras] = {}
        team = self.show_others and not self.session.blind(self.reference)
        styles = self.questions.mark_styles
        questionnaire, reference = self.session.questionnaire, self.reference
        for qid, state in states.items():
            reason = self._reason(qid) if state == NOT_RELEVANT else ""
            others = (short_line(questionnaire, qid, self._others, self.session.agreed(reference, qid),
                                 self.session.disagree(reference, qid), styles) if team else None)
            if reason or others is not None or qid in self._noted:
                found[qid] = (qid in self._noted, reason, others)
        return found

    def _reason(self, qid: str) -> str:
        if qid not in self._reasons or qid in self._reads_answers:
            self._reasons[qid] = self.session.why_not(self.reference, qid)
        return self._reasons[qid]

    def team_text(self, qid: str, mine: str | None) -> tuple[Text | None, str]:
        """The panel's part on the other reviewers: their answers (r on), or a hint that there are some."""
        blind = self.session.blind(self.reference)
        if self.show_others and not blind:
            return full_text(self.session.questionnaire, qid, mine, self._others,
                             self.session.agreed(self.reference, qid), self.session.disagree(self.reference, qid),
                             self.questions.mark_styles), ""
        if blind and self.show_others:
            return None, (f"The other reviewer's answers stay hidden: double review "
                          f"{self.session.double_review_state(self.reference)}.")
        if self._others_count:
            whose = "the other reviewer's answers" if self._others_count == 1 else \
                f"the {self._others_count} other reviewers' answers"
            return None, f"r shows {whose} and the agreed answer."
        return None, ""

    def action_others(self) -> None:
        """Show or hide the other reviewers' answers and notes and the agreed answer beside each question."""
        if self.session.blind(self.reference):
            notice(self, f"{self.reference} is under blind double review "
                         f"({self.session.double_review_state(self.reference)}): the other reviewer's answers "
                         "stay hidden until both have finished it.", topic="others")
            return
        self.show_others = not self.show_others
        withdraw(self, "others")
        if self.show_others and not self._others_count and not any(
                self.session.agreed(self.reference, q) for q in self.session.questionnaire.question_ids):
            notice(self, f"Nobody else has answered {self.reference} yet.", topic="others")
        self.refresh_case()

    def others_key(self, key: str) -> bool:
        """Whether `key` is the key of r (others' answers), as the keymap has it: where r has nothing to show
        it is out of the footer, and pressing it still says why."""
        keys = getattr(self.questions.app, "keymap_overrides", {}).get("review.others", "r")
        return key in {k.strip() for k in keys.split(",")}

    def scale_keys(self, qid: str) -> set[str]:
        """The keys that answer a question (its scale's hotkeys, as remapped)."""
        scale = self.session.questionnaire.scale_of(qid)
        keys = self._scale_keys.get(scale.id)
        if keys is None:
            remapped = getattr(self.questions.app, "answer_keys", {})
            keys = self._scale_keys[scale.id] = {remapped.get(o.key, o.hotkey) for o in scale.options}
        return keys

    def wrong_scale(self, character: str) -> bool:
        """An answer key of another scale: say which keys the highlighted question takes (True), the cursor
        staying where it is."""
        qid = self.questions.current
        if qid is None:
            return False
        remapped = getattr(self.questions.app, "answer_keys", {})
        scale = self.session.questionnaire.scale_of(qid)
        keys = [remapped.get(option.key, option.hotkey) for option in scale.options]
        answer_keys = {remapped.get(o.key, o.hotkey) for s in self.session.questionnaire.scales.values()
                       for o in s.options}
        if character not in answer_keys or character in keys:
            return False
        notice(self, f"{qid} is answered with {' / '.join(keys)}", severity="warning", timeout=4, topic="key")
        return True

    def say_why_not(self, qid: str) -> None:
        """Say why a question does not apply to this case, in the questionnaire's own words."""
        questionnaire = self.session.questionnaire
        why = self.session.why_not(self.reference, qid)
        wanted = describe(questionnaire.question(qid).applies_when, questionnaire.conditions, questionnaire)
        notice(self, f"{qid} does not apply to {self.reference}" + (f" ({why})" if why else "")
               + f": it is asked where {wanted}.", topic="not-relevant")

    def withdraw_stale(self) -> None:
        """Take back notices that stopped being true (cheap: asked only while one is on screen)."""
        if is_said(self.questions, "incomplete") and not self.session.missing_required(self.reference):
            withdraw(self.questions, "incomplete")
        if is_said(self.questions, "all-answered") and (self.session.is_complete(self.reference)
                                                       or self.session.first_unanswered(self.reference)):
            withdraw(self.questions, "all-answered")
