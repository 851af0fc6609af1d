"""A fictional demo sample: 30 cases with part of them answered, so tallies move at once."""

from __future__ import annotations

import random

from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import NOT_RELEVANT, TallyEngine

DEMO_INSPECTION = "hampshire-demo"
DEMO_AREA = "Hampshire (fictional demo)"
# The original inspection's published scores (seed report) as the baseline.
DEMO_BASELINE = {"B1": 54, "B2": 64, "B3": 55, "C2": 70, "C3": 81, "C5": 63}
DEMO_QUESTION_BASELINE = {"B1.1": 50, "B1.2": 42, "C2.1": 40, "C2.2": 35, "C5.1": 63, "C5.3": 40, "C5.8": 56}
# How often a reviewer answers positively, per criterion, roughly as in the follow-up report.
POSITIVE_RATE = {"B1": 0.83, "B2": 0.9, "B3": 0.7, "C2": 0.8, "C3": 0.97, "C5": 0.9}


def demo_cases(questionnaire: Questionnaire, count: int = 30, seed: int = 2005) -> list[tuple[str, dict]]:
    """Fictional cases with plausible attribute mixes (about half high risk of harm)."""
    rng = random.Random(seed)
    cases = []
    for number in range(1, count + 1):
        given: dict[str, object] = {}
        for name, attribute in questionnaire.attributes.items():
            if name == "risk_of_harm" and attribute.type == "choice":
                given[name] = rng.choices(attribute.values, weights=[2, 3, 4, 1][: len(attribute.values)])[0]
            elif name == "mappa_level" and attribute.type == "int":
                given[name] = rng.choices([0, 1, 2, 3], weights=[6, 2, 1, 1])[0]
            elif attribute.type == "bool":
                given[name] = rng.random() < 0.3
            elif attribute.type == "choice":
                given[name] = rng.choice(attribute.values)
            elif attribute.type == "int":
                low = attribute.min if attribute.min is not None else 0
                high = attribute.max if attribute.max is not None else low + 3
                given[name] = rng.randint(low, high)
        cases.append((f"H{number:03d}", questionnaire.case_attributes(given)))
    return cases


def demo_answers(
    questionnaire: Questionnaire, cases: list[tuple[str, dict]], answered_share: float = 0.6, seed: int = 2005
) -> list[tuple[str, str, str]]:
    """(case, question, option key) answers: most of the first cases done, the rest untouched."""
    rng = random.Random(seed + 1)
    engine = TallyEngine(questionnaire)
    answers = []
    fully = int(len(cases) * answered_share)
    for index, (reference, attributes) in enumerate(cases):
        engine.set_case(reference, attributes)
        if index > fully:
            break
        for question in questionnaire.questions:
            if index == fully and rng.random() < 0.5:
                break
            if engine.state(reference, question.id) == NOT_RELEVANT:
                continue
            options = questionnaire.scales[question.scale].options
            roll = rng.random()
            rate = POSITIVE_RATE.get(question.criterion, 0.8)
            wanted = "not_applicable" if roll > 0.97 else ("positive" if roll < rate else "negative")
            choices = [o for o in options if o.counts_as == wanted] or list(options)
            key = rng.choice(choices).key
            engine.set_answer(reference, question.id, "demo", key)
            answers.append((reference, question.id, key))
    return answers
