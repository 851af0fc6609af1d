"""How far reviewers agree, per question, criterion and overall, for every pair and for all together.

The coefficients are in core.reliability; this module picks the items each row compares, and
says in one plain line what each figure means and where it is known to mislead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from esi_tui.core import reliability
from esi_tui.core.formatting import plural

# Landis and Koch (1977): the usual reading of kappa. Their table reads 0.81-1.00 almost perfect,
# 0.61-0.80 substantial, 0.41-0.60 moderate, 0.21-0.40 fair, 0.00-0.20 slight, below 0 poor: a band
# starts just above the previous one's top (0.805 is "almost perfect", 0.80 "substantial").
KAPPA_BANDS = ((0.80, "almost perfect"), (0.60, "substantial"), (0.40, "moderate"), (0.20, "fair"))
UNDEFINED = "undefined: no variation"
# Below this many shared cases every coefficient is too unsteady to defend on its own.
MIN_SHARED_CASES = 20
# When one answer makes up this share of the ratings compared, kappa-type coefficients can be low
# however well reviewers agree (Feinstein and Cicchetti 1990, "the kappa paradox").
HIGH_PREVALENCE = 0.80
# Two reviewers whose rates of one answer differ by this much differ in how readily they give it.
BIAS_GAP = 0.20
STATISTICS = (  # key, label, short column heading
    ("percent_agreement", "Percent agreement", "Agree"),
    ("cohen_kappa", "Cohen's kappa", "Kappa"),
    ("gwet_ac1", "Gwet's AC1", "AC1"),
    ("pabak", "PABAK", "PABAK"),
    ("krippendorff_alpha", "Krippendorff's alpha", "Alpha"),
    ("fleiss_kappa", "Fleiss' kappa", "Fleiss"),
)


def kappa_band(kappa: float | None) -> str:
    """The Landis and Koch reading of a kappa-type value (also used for AC1, PABAK and Fleiss)."""
    if kappa is None:
        return UNDEFINED
    # float noise must not move a value across a boundary: a kappa of exactly 0.6 can come out
    # as 0.6000000000000001 (3, 0, 2, 5 in a 2x2 table), and one of 0.2 as 0.20000000000000007
    kappa = round(kappa, 9)
    if kappa < 0:
        return "poor (worse than chance)"
    for above, label in KAPPA_BANDS:
        if kappa > above:
            return label
    return "slight"


def alpha_reading(alpha: float) -> str:
    """Krippendorff's own guidance (2004): rely on data from 0.800, draw tentative conclusions from 0.667."""
    alpha = round(alpha, 9)
    if alpha >= 0.8:
        return "reliable (0.800 or more)"
    if alpha >= 0.667:
        return "tentative conclusions only (0.667 to 0.800)"
    return "not reliable (below 0.667)"


def format_value(value: float | None) -> str:
    """A coefficient as shown in tables: two places, or an en dash when it is undefined."""
    return "–" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class AgreementRow:
    """Agreement of one group of reviewers (a pair, or all) over one scope's shared items."""

    group: str                      # "pair" or "all"
    reviewers: tuple[str, ...]
    scope: str                      # "overall", "criterion" or "question"
    key: str                        # "all questions", a criterion code or a question id
    cases: int                      # cases with an item rated by two or more of the group
    items: int                      # (case, question) items rated by two or more of the group
    ratings: int
    agreed: int                     # items on which every rating is the same
    answers: int                    # possible answers (the scales' options)
    scales: int                     # answer scales among the items
    percent: float | None
    kappa: float | None
    ac1: float | None
    pabak: float | None
    alpha: float | None
    fleiss: float | None            # None too where items have different numbers of raters
    raters: tuple[int, int]         # fewest and most ratings on an item
    top_answer: str
    top_share: float
    rates: tuple[tuple[str, float], ...] = ()   # pairs: each reviewer's rate of the top answer

    @property
    def label(self) -> str:
        """'ann · bob', or 'all (3)' for every reviewer together."""
        return " · ".join(self.reviewers) if self.group == "pair" else f"all ({len(self.reviewers)})"

    def value(self, key: str) -> float | None:
        """A statistic by its key (percent agreement as a fraction)."""
        return {"percent_agreement": None if self.percent is None else self.percent / 100,
                "cohen_kappa": self.kappa, "gwet_ac1": self.ac1, "pabak": self.pabak,
                "krippendorff_alpha": self.alpha, "fleiss_kappa": self.fleiss}[key]

    def cell(self, key: str) -> str:
        """A statistic as a table shows it ('85%', '0.70', '–')."""
        if key == "percent_agreement":
            return "–" if self.percent is None else f"{self.percent:.0f}%"
        return format_value(self.value(key))

    def readings(self) -> dict[str, str]:
        """A short plain reading of every statistic, or why it is not given."""
        n = self.items
        if self.group == "pair":
            agreement = f"same answer on {self.agreed} of {n} {'item' if n == 1 else 'items'}"
            kappa = (f"Landis and Koch: {kappa_band(self.kappa)}" if self.kappa is not None
                     else f"{UNDEFINED} (only '{self.top_answer}' given)")
        else:
            agreement = f"of answer pairs match; unanimous on {self.agreed} of {n}"
            kappa = "pairs only: see the pairs, or Fleiss"
        fleiss = f"Landis and Koch: {kappa_band(self.fleiss)}" if self.fleiss is not None else UNDEFINED
        if self.raters[0] != self.raters[1]:
            fleiss = f"not given: {self.raters[0]} to {self.raters[1]} raters an item; see alpha"
        return {
            "percent_agreement": agreement,
            "cohen_kappa": kappa,
            "gwet_ac1": f"{kappa_band(self.ac1)}; copes with a dominant answer" if self.ac1 is not None
            else UNDEFINED,
            "pabak": f"{kappa_band(self.pabak)}; prevalence and bias removed" if self.pabak is not None
            else UNDEFINED,
            "krippendorff_alpha": alpha_reading(self.alpha) if self.alpha is not None
            else f"{UNDEFINED} (every answer '{self.top_answer}')",
            "fleiss_kappa": fleiss,
        }

    def flagged(self) -> list[tuple[str, str]]:
        """(short tag, plain warning) wherever a figure of this row is known to mislead."""
        found = []
        if self.cases < MIN_SHARED_CASES:
            found.append(("few cases", (f"only {plural(self.cases, 'shared case')} (under {MIN_SHARED_CASES}): "
                                       "every figure is rough")))
        if self.top_share >= HIGH_PREVALENCE and self.items > 1:
            share = f"{self.top_share:.0%}"
            found.append((f"{share} '{self.top_answer}'",
                          (f"{share} '{self.top_answer}': kappa, alpha, Fleiss run low (the kappa "
                          "paradox); read AC1, PABAK")))
        if len(self.rates) == 2 and abs(self.rates[0][1] - self.rates[1][1]) >= BIAS_GAP:
            (a, ra), (b, rb) = self.rates
            found.append(("bias", f"bias: {a} '{self.top_answer}' on {ra:.0%}, {b} on {rb:.0%}; it raises kappa"))
        return found

    def warnings(self) -> list[str]:
        """Where a figure of this row is known to mislead, in plain words."""
        return [text for _, text in self.flagged()]

    def tags(self) -> list[str]:
        """The warnings as short tags for a table column."""
        return [tag for tag, _ in self.flagged()]

    def as_dict(self) -> dict:
        """JSON-ready form: counts, every statistic (4 places), its reading, and the warnings."""
        def rounded(value: float | None, places: int = 4) -> float | None:
            return None if value is None else round(value, places)

        return {
            "group": self.group, "reviewers": list(self.reviewers), "scope": self.scope, "key": self.key,
            "cases": self.cases, "items": self.items, "ratings": self.ratings, "agreed": self.agreed,
            "possible_answers": self.answers, "raters_per_item": list(self.raters),
            "most_common_answer": {"answer": self.top_answer, "share": rounded(self.top_share)},
            "percent_agreement": rounded(self.percent, 1),
            "cohen_kappa": rounded(self.kappa), "gwet_ac1": rounded(self.ac1), "pabak": rounded(self.pabak),
            "krippendorff_alpha": rounded(self.alpha),
            "fleiss_kappa": rounded(self.fleiss),
            "readings": self.readings(), "warnings": self.warnings(),
        }


def measure(group: str, reviewers: Sequence[str], scope: str, key: str,
            items: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[str]]]) -> AgreementRow:
    """One row from its items: (case, [(reviewer, answer), ...] rated by two or more, possible answers)."""
    units = [tuple(answer for _, answer in rated) for _, rated, _ in items]
    possible = [tuple(options) for _, _, options in items]
    counts = Counter(answer for unit in units for answer in unit)
    top_answer, top_count = max(counts.items(), key=lambda kv: (kv[1], str(kv[0])))
    ratings = sum(counts.values())
    pairs = [(dict(rated)[reviewers[0]], dict(rated)[reviewers[1]]) for _, rated, _ in items] if group == "pair" else []
    rates: tuple[tuple[str, float], ...] = ()
    if pairs:
        rates = tuple((name, sum(p[i] == top_answer for p in pairs) / len(pairs))
                      for i, name in enumerate(reviewers[:2]))
    percent = reliability.percent_agreement(units)
    fewest, most = reliability.raters_per_unit(units) or (0, 0)
    return AgreementRow(
        group=group, reviewers=tuple(reviewers), scope=scope, key=key,
        cases=len({case for case, _, _ in items}), items=len(items), ratings=ratings,
        agreed=sum(len(set(unit)) == 1 for unit in units),
        answers=len(reliability.categories_of(units, [a for options in dict.fromkeys(possible) for a in options])),
        percent=None if percent is None else 100.0 * percent,
        kappa=reliability.cohen_kappa(pairs) if pairs else None,
        ac1=reliability.gwet_ac1(units, unit_categories=possible),
        pabak=reliability.pabak(units, unit_categories=possible),
        alpha=reliability.krippendorff_alpha(units),
        scales=len(set(possible)),
        fleiss=reliability.fleiss_kappa(units) if fewest == most else None,
        raters=(fewest, most), top_answer=str(top_answer), top_share=top_count / ratings, rates=rates,
    )


def agreement_table(
    ratings: Mapping[tuple[str, str], Mapping[str, str]], criterion_of: Mapping[str, str],
    question_order: list[str], options_of: Mapping[str, Sequence[str]] | None = None,
) -> list[AgreementRow]:
    """Rows overall, per criterion and per question, for all reviewers together (when there are three
    or more) and then for every pair.

    `ratings` maps (case, question) to {reviewer: option key}; a row compares only the items two or
    more of its reviewers answered (both, for a pair). `options_of` gives each question's possible
    answers (its scale's option keys; default: the answers seen).
    """
    reviewers = sorted({r for answers in ratings.values() for r in answers})
    order = {qid: i for i, qid in enumerate(question_order)}
    groups: list[tuple[str, tuple[str, ...]]] = [("all", tuple(reviewers))] if len(reviewers) >= 3 else []
    groups += [("pair", pair) for pair in combinations(reviewers, 2)]
    rows: list[AgreementRow] = []
    ordered = sorted(ratings.items(), key=lambda kv: (order.get(kv[0][1], len(order)), kv[0]))
    for group, members in groups:
        by_question: dict[str, list] = {}
        for (case, qid), answers in ordered:
            rated = [(name, answers[name]) for name in members if name in answers]
            if len(rated) >= 2 and (group == "all" or len(rated) == len(members)):
                options = tuple(options_of.get(qid, ())) if options_of else ()
                by_question.setdefault(qid, []).append((case, rated, options))
        if not by_question:
            continue
        every = [item for qid in by_question for item in by_question[qid]]
        rows.append(measure(group, members, "overall", "all questions", every))
        for code in dict.fromkeys(criterion_of[q] for q in question_order):
            items = [item for qid in question_order if criterion_of[qid] == code for item in by_question.get(qid, [])]
            if items:
                rows.append(measure(group, members, "criterion", code, items))
        for qid in question_order:
            if qid in by_question:
                rows.append(measure(group, members, "question", qid, by_question[qid]))
    return rows


def disagreements(ratings: Mapping[tuple[str, str], Mapping[str, str]]) -> list[tuple[str, str]]:
    """(case, question) items where reviewers gave different answers."""
    return [item for item, answers in ratings.items() if len(set(answers.values())) > 1]


def questionnaire_agreement(questionnaire, ratings: Mapping[tuple[str, str], Mapping[str, str]]) -> list[AgreementRow]:
    """`agreement_table` in the questionnaire's order, each question's scale giving its possible answers."""
    questions = questionnaire.questions
    return agreement_table(ratings, {q.id: q.criterion for q in questions}, [q.id for q in questions],
                           {q.id: [o.key for o in questionnaire.scale_of(q.id).options] for q in questions})


# the former home of Cohen's kappa; kept so that callers need not change
cohen_kappa = reliability.cohen_kappa
