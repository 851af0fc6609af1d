"""How far two reviewers agree: percent agreement and Cohen's kappa, per question, criterion and pair."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Mapping

# Landis and Koch (1977): the usual reading of kappa. Their table reads 0.81-1.00 almost perfect,
# 0.61-0.80 substantial, 0.41-0.60 moderate, 0.21-0.40 fair, 0.00-0.20 slight, below 0 poor: a band
# starts just above the previous one's top (0.805 is "almost perfect", 0.80 "substantial").
KAPPA_BANDS = ((0.80, "almost perfect"), (0.60, "substantial"), (0.40, "moderate"), (0.20, "fair"))


def cohen_kappa(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Cohen's kappa for (rater A, rater B) labels; None when chance agreement is total (no variation)."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def kappa_band(kappa: float | None) -> str:
    """The Landis and Koch reading of a kappa value."""
    if kappa is None:
        return "undefined (one answer only)"
    # float noise must not move a value across a boundary: a kappa of exactly 0.6 can come out
    # as 0.6000000000000001 (3, 0, 2, 5 in a 2x2 table), and one of 0.2 as 0.20000000000000007
    kappa = round(kappa, 9)
    if kappa < 0:
        return "poor (worse than chance)"
    for above, label in KAPPA_BANDS:
        if kappa > above:
            return label
    return "slight"


@dataclass(frozen=True)
class Agreement:
    """Agreement between two reviewers over the items both rated."""

    scope: str
    key: str
    reviewer_a: str
    reviewer_b: str
    items: int
    agreed: int
    kappa: float | None

    @property
    def percent(self) -> float | None:
        """Percent of shared items answered the same way."""
        return 100.0 * self.agreed / self.items if self.items else None

    @property
    def band(self) -> str:
        """The kappa's meaning band."""
        return kappa_band(self.kappa)

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {"scope": self.scope, "key": self.key, "reviewers": [self.reviewer_a, self.reviewer_b],
                "items": self.items, "agreed": self.agreed,
                "percent": None if self.percent is None else round(self.percent, 1),
                "kappa": None if self.kappa is None else round(self.kappa, 3), "band": self.band}


def _measure(scope: str, key: str, a: str, b: str, pairs: list[tuple[str, str]]) -> Agreement:
    return Agreement(scope, key, a, b, len(pairs), sum(x == y for x, y in pairs), cohen_kappa(pairs))


def agreement_table(
    ratings: Mapping[tuple[str, str], Mapping[str, str]], criterion_of: Mapping[str, str],
    question_order: list[str],
) -> list[Agreement]:
    """Per question, per criterion and overall for every pair of reviewers who rated the same items.

    `ratings` maps (case, question) to {reviewer: option key}; only items both reviewers of a pair
    answered count.
    """
    reviewers = sorted({r for answers in ratings.values() for r in answers})
    rows: list[Agreement] = []
    for a, b in combinations(reviewers, 2):
        shared = {item: (answers[a], answers[b]) for item, answers in ratings.items() if a in answers and b in answers}
        if not shared:
            continue
        by_question: dict[str, list[tuple[str, str]]] = {}
        by_criterion: dict[str, list[tuple[str, str]]] = {}
        for (_, qid), pair in shared.items():
            by_question.setdefault(qid, []).append(pair)
            by_criterion.setdefault(criterion_of[qid], []).append(pair)
        rows.append(_measure("pair", "all questions", a, b, list(shared.values())))
        for code in dict.fromkeys(criterion_of[q] for q in question_order):
            if code in by_criterion:
                rows.append(_measure("criterion", code, a, b, by_criterion[code]))
        for qid in question_order:
            if qid in by_question:
                rows.append(_measure("question", qid, a, b, by_question[qid]))
    return rows


def disagreements(ratings: Mapping[tuple[str, str], Mapping[str, str]]) -> list[tuple[str, str]]:
    """(case, question) items where reviewers gave different answers."""
    return [item for item, answers in ratings.items() if len(set(answers.values())) > 1]


def questionnaire_agreement(questionnaire, ratings: Mapping[tuple[str, str], Mapping[str, str]]) -> list[Agreement]:
    """`agreement_table` in the questionnaire's order of criteria and questions."""
    questions = questionnaire.questions
    return agreement_table(ratings, {q.id: q.criterion for q in questions}, [q.id for q in questions])
