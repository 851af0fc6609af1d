"""When a case is complete, and what a reviewer has left to do on it: one rule for every screen and store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import NOT_RELEVANT, UNANSWERED

#: double-review cases stay blind until this many reviewers have finished them
BLIND_UNTIL = 2


def relevant(states: Mapping[str, str]) -> list[str]:
    """The questions that apply to the case, in questionnaire order."""
    return [qid for qid, state in states.items() if state != NOT_RELEVANT]


def progress(states: Mapping[str, str]) -> tuple[int, int]:
    """(answered, relevant) questions of one case in one view."""
    applying = [state for state in states.values() if state != NOT_RELEVANT]
    return sum(state != UNANSWERED for state in applying), len(applying)


def first_open(states: Mapping[str, str], after: str | None = None) -> str | None:
    """The first relevant unanswered question (after `after`, wrapping round), or None."""
    order = relevant(states)
    if after in order:
        index = order.index(after) + 1
        order = order[index:] + order[:index]
    return next((qid for qid in order if states[qid] == UNANSWERED), None)


def missing_required(questionnaire: Questionnaire, states: Mapping[str, str]) -> list[str]:
    """Required questions that apply and are unanswered: what stands between a case and complete."""
    return [q.id for q in questionnaire.questions if q.required and states.get(q.id) == UNANSWERED]


def is_blind(in_sample: bool, completed_by: Iterable[str]) -> bool:
    """Whether a case's reviewers must not see each other's work yet: a double review not finished by two."""
    return in_sample and len(set(completed_by)) < BLIND_UNTIL


def reviewers_needed(in_sample: bool) -> int:
    """How many reviewers must finish a case: two for a double review, else one."""
    return BLIND_UNTIL if in_sample else 1


def team_complete(in_sample: bool, completed_by: Iterable[str], complete: bool = False) -> bool:
    """Whether the team has finished a case: marked complete for everyone, or finished by as many
    reviewers as it needs."""
    finished = set(completed_by)
    return (complete and not finished) or len(finished) >= reviewers_needed(in_sample)


def cases_complete(cases: Iterable, sample: Iterable[str]) -> int:
    """How many of an inspection's cases the team has finished (team_complete), as every screen, `list` and
    the report count them; `cases` are records with reference, completed_by and complete."""
    drawn = set(sample)
    return sum(team_complete(case.reference in drawn, case.completed_by, case.complete) for case in cases)


def double_review_state(in_sample: bool, completed_by: Iterable[str]) -> str:
    """A double review's state in words, for every screen that shows it ('' when the case is not in the sample)."""
    if not in_sample:
        return ""
    finished = len(set(completed_by))
    if finished >= BLIND_UNTIL:
        return "both finished · not blind"
    return f"blind · {finished} of {BLIND_UNTIL} finished"


def completion_problem(questionnaire: Questionnaire, reference: str, states: Mapping[str, str],
                       who: str | None) -> str | None:
    """Why a case cannot be marked complete (by `who`, or for everyone), or None when it can."""
    missing = missing_required(questionnaire, states)
    if not missing:
        return None
    shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
    by = f" by {who}" if who else ""
    count = f"{len(missing)} required question" + ("" if len(missing) == 1 else "s")
    return f"case {reference} cannot be marked complete{by}: {count} unanswered ({shown})"


def reopen_reason(before: Mapping[str, str], after: Mapping[str, str], questionnaire: Questionnaire,
                  cause: str, touched: str | None = None) -> str:
    """Why a complete case is complete no more, for the notice and the journal: what now applies or is open.

    `cause` says what changed ("risk of harm changed to high"); `touched` is the question it changed, if any.
    """
    missing = missing_required(questionnaire, after)
    if missing == [touched]:
        return cause
    newly = [qid for qid in missing if before.get(qid) == NOT_RELEVANT]
    if newly:
        count = f"{len(newly)} question" + (" now applies" if len(newly) == 1 else "s now apply")
        return f"{count} after {cause}"
    shown = ", ".join(missing[:4]) + (" …" if len(missing) > 4 else "")
    return f"{shown} {'is' if len(missing) == 1 else 'are'} unanswered after {cause}"
