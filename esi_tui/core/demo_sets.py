"""Demo inspections per questionnaire: the 2005 follow-up, today's public protection method, any other.

Each is fictional: cases with plausible attribute mixes and part of them answered, so the tallies,
ratings and the overall rating move at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from esi_tui.core import demo
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import NOT_RELEVANT, TallyEngine

ESI_QUESTIONNAIRE = "esi-2005-followup"
HMIP_QUESTIONNAIRE = "hmip-public-protection-2025"
#: how often a key question's prompts are met, per standard: public protection work is often weak
HMIP_PROMPT_RATE = {"2.1": 0.78, "2.2": 0.7, "2.3": 0.66, "2.4": 0.6}


@dataclass
class DemoSet:
    """What a demo inspection is made of."""

    inspection: str
    title: str
    area: str
    cases: Callable[[Questionnaire], list[tuple[str, dict]]]
    answers: Callable[[Questionnaire, list[tuple[str, dict]]], list[tuple[str, str, str]]]
    baseline: Mapping[str, float] = field(default_factory=dict)
    question_baseline: Mapping[str, float] = field(default_factory=dict)


def hmip_cases(questionnaire: Questionnaire, count: int = 30, seed: int = 2025) -> list[tuple[str, dict]]:
    """Fictional public protection cases: mostly medium and high risk of serious harm, and about one in
    six on post-sentence supervision only or a licence of eight weeks or less (the adjusted questions)."""
    rng = random.Random(seed)
    cases = []
    for number in range(1, count + 1):
        kind = rng.choices(["core", "pss", "short"], weights=[10, 1, 1])[0]
        given = {
            "risk_of_serious_harm": rng.choices(["low", "medium", "high", "very_high"], weights=[1, 5, 4, 1])[0],
            "post_sentence_supervision_only": kind == "pss",
            "licence_eight_weeks_or_less": kind == "short",
            "mappa_level": rng.choices([0, 1, 2, 3], weights=[6, 3, 1, 0.3])[0],
            "domestic_abuse": rng.random() < 0.45,
            "child_safeguarding": rng.random() < 0.3,
        }
        given = {k: v for k, v in given.items() if k in questionnaire.attributes}
        cases.append((f"P{number:03d}", questionnaire.case_attributes(given)))
    return cases


def hmip_answers(questionnaire: Questionnaire, cases: list[tuple[str, dict]], answered_share: float = 0.6,
                 seed: int = 2025) -> list[tuple[str, str, str]]:
    """(case, question, option key): prompts answered at their standard's rate, and each key question
    judged from its prompts (sufficient when most are met), as an inspector would."""
    rng = random.Random(seed + 1)
    engine = TallyEngine(questionnaire)
    answers: list[tuple[str, str, str]] = []
    fully = int(len(cases) * answered_share)
    for index, (reference, attributes) in enumerate(cases[: fully + 1]):
        engine.set_case(reference, attributes)
        given: dict[str, str] = {}
        planned: list[str] = []
        for question in questionnaire.questions:
            if engine.state(reference, question.id) == NOT_RELEVANT or question.prompt_of:
                continue
            rate = HMIP_PROMPT_RATE.get(question.criterion, 0.7)
            prompts = [p for p in questionnaire.prompts(question.id)
                       if engine.state(reference, p) != NOT_RELEVANT]
            for prompt in prompts:
                given[prompt] = "yes" if rng.random() < rate else "no"
            met = sum(given[p] == "yes" for p in prompts)
            judged = met * 2 > len(prompts) if prompts else rng.random() < rate
            given[question.id] = "yes" if judged and rng.random() > 0.05 else "no"
            planned += [question.id, *prompts]
        if index == fully:
            planned = planned[: len(planned) // 2]  # the last case is half done
        for qid in planned:
            engine.set_answer(reference, qid, "demo", given[qid])
            answers.append((reference, qid, given[qid]))
    return answers


def demo_set(questionnaire: Questionnaire) -> DemoSet:
    """The demo inspection for a questionnaire (the generic one for a questionnaire without its own)."""
    if questionnaire.id == ESI_QUESTIONNAIRE:
        return DemoSet(demo.DEMO_INSPECTION, "Effective Supervision Inspection follow-up (demo)", demo.DEMO_AREA,
                       demo.demo_cases, demo.demo_answers, demo.DEMO_BASELINE, demo.DEMO_QUESTION_BASELINE)
    if questionnaire.id == HMIP_QUESTIONNAIRE:
        return DemoSet("wessex-pp-demo", "Dynamic inspection of public protection (demo)",
                       "Wessex PDU (fictional demo)", hmip_cases, hmip_answers)
    return DemoSet(f"{questionnaire.id}-demo", f"{questionnaire.title} (demo)", "Fictional area (demo)",
                   demo.demo_cases, demo.demo_answers)
