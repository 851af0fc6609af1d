"""Test helpers that do a reviewer's work: answer every question a case still needs, then finish it.

The store refuses to mark a case complete while a required question that applies is unanswered, so
tests that need a finished case finish it the way a reviewer would.
"""

from __future__ import annotations

import json

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import NOT_RELEVANT, UNANSWERED, TallyEngine


def positive(questionnaire: Questionnaire, qid: str) -> str:
    """The first option of the question's scale that counts as positive (else its first option)."""
    options = questionnaire.scale_of(qid).options
    return next((o.key for o in options if o.counts_as == "positive"), options[0].key)


def open_questions(questionnaire: Questionnaire, attributes: dict, answers: dict[str, str]) -> list[str]:
    """The questions that apply to a case with these attributes and answers and are not answered yet."""
    engine = TallyEngine(questionnaire, reviewer="r")
    engine.set_case("c", attributes)
    for qid, value in answers.items():
        engine.set_answer("c", qid, "r", value)
    return [qid for qid, state in engine.case_states("c").items() if state == UNANSWERED]


def fill(repo, inspection: str, reference: str, reviewer: str, value=positive) -> list[str]:
    """Answer every question that applies to the case and that `reviewer` has not answered; the ids answered."""
    questionnaire = repo.questionnaire(inspection)
    done: list[str] = []
    while True:
        answers = {a.question: a.value for a in repo.answers(inspection, reference)
                   if a.reviewer == reviewer and a.value is not None}
        todo = open_questions(questionnaire, repo.case(inspection, reference).attributes, answers)
        if not todo:
            return done
        for qid in todo:
            repo.set_answer(inspection, reference, qid, value(questionnaire, qid), reviewer)
            done.append(qid)


def finish(repo, inspection: str, reference: str, reviewer: str | None, **complete):
    """Answer what the case still needs (as `reviewer`, or 'filler' for the mark for everyone), then mark it."""
    fill(repo, inspection, reference, reviewer or "filler")
    return repo.set_complete(inspection, reference, True, reviewer=reviewer, **complete)


def answer_lines(questionnaire: Questionnaire, inspection: str, reference: str, attributes: dict,
                 reviewer: str | None = None, answered: dict[str, str] | None = None) -> list[str]:
    """Replay script lines answering every question that applies to a case with these attributes and is
    not among the `answered` ones (question to value) already."""
    answers: dict[str, str] = dict(answered or {})
    lines = []
    while todo := open_questions(questionnaire, attributes, answers):
        for qid in todo:
            answers[qid] = positive(questionnaire, qid)
            record = {"type": "answer", "inspection": inspection, "case": reference, "question": qid,
                      "value": answers[qid]}
            if reviewer:
                record["reviewer"] = reviewer
            lines.append(json.dumps(record))
    return lines


__all__ = ["NOT_RELEVANT", "answer_lines", "fill", "finish", "open_questions", "positive"]
