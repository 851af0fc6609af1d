"""The other reviewers' answers beside each question of the review, once the case is not blind: a short
form for the question list (their marks, the agreed answer, ≠ where they disagree) and the full one, with
their notes, for the question panel."""

from __future__ import annotations

from rich.text import Text

from esi_tui.app.marks import Styles, mark
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import UNANSWERED

DISAGREE = "≠"
#: (reviewer, answer or None, note) of each other reviewer, per question
Others = dict[str, list[tuple[str, str | None, str]]]
#: (value, moderator, reason) of a question's agreed answer
Agreed = tuple[str, str, str] | None


def state_of(questionnaire: Questionnaire, qid: str, value: str | None) -> str:
    """The mark state of an answer value (unanswered for a note without an answer)."""
    option = questionnaire.scale_of(qid).option(value) if value is not None else None
    return option.counts_as if option else UNANSWERED


def label_of(questionnaire: Questionnaire, qid: str, value: str | None) -> str:
    """An answer's label ('Yes'), or 'no answer'."""
    option = questionnaire.scale_of(qid).option(value) if value is not None else None
    return option.label if option else ("no answer" if value is None else value)


def short_line(questionnaire: Questionnaire, qid: str, others: Others, agreed: Agreed, disagree: bool,
               styles: Styles) -> Text | None:
    """'≠ ann ✘✎ · bob ✔ · agreed ✘' for the question list; None when nobody else answered and none agreed."""
    theirs = others.get(qid, [])
    if not theirs and agreed is None and not disagree:
        return None
    line = Text()
    if disagree and agreed is None:
        line.append(f"{DISAGREE} ", style=styles("flag"))
    for number, (reviewer, value, note) in enumerate(theirs):
        if number:
            line.append(" · ", style="dim")
        line.append(f"{reviewer} ", style="italic")
        line.append_text(mark(state_of(questionnaire, qid, value), styles))
        if note:
            line.append("✎", style=styles("muted"))
    if agreed is not None:
        line.append(" · " if theirs else "")
        line.append("agreed ", style="bold")
        line.append_text(mark(state_of(questionnaire, qid, agreed[0]), styles))
    line.append(" │", style="dim")
    return line


def full_text(questionnaire: Questionnaire, qid: str, mine: str | None, others: Others, agreed: Agreed,
              disagree: bool, styles: Styles) -> Text:
    """Every other reviewer's answer and note, the agreed answer and whether they disagree, for the panel."""
    text = Text()
    theirs = others.get(qid, [])
    if not theirs:
        text.append("No other reviewer has answered this question.\n", style="dim")
    for reviewer, value, note in theirs:
        text.append(f"{reviewer}: ", style="bold")
        text.append_text(mark(state_of(questionnaire, qid, value), styles))
        text.append(f" {label_of(questionnaire, qid, value)}")
        text.append(f" — “{note}”\n" if note else "\n", style="italic")
    if agreed is not None:
        value, moderator, reason = agreed
        text.append("agreed answer: ", style="bold")
        text.append_text(mark(state_of(questionnaire, qid, value), styles))
        text.append(f" {label_of(questionnaire, qid, value)}")
        text.append(f" — {moderator}" if moderator else "", style="italic")
        text.append(f": “{reason}”" if reason else "", style="italic")
        text.append("\n")
    elif disagree:
        text.append(f"{DISAGREE} reviewers disagree", style=styles("flag"))
        text.append(f" (yours: {label_of(questionnaire, qid, mine)}); not moderated yet: m on the cases "
                    "screen lists every disagreement\n")
    return text
