"""Loader checks for the rating fields: `[rating]`, bands' points, `[[overall_bands]]`, prompts.

Each problem is one line, like every other check of the loader; nothing here raises on bad input.
"""

from __future__ import annotations

from esi_tui.core.checks import Reporter, is_int, join, kind, shown
from esi_tui.core.questionnaire import (
    CRITERION_RULES,
    ROUNDINGS,
    Band,
    Criterion,
    OverallBand,
    Question,
    RatingRules,
)

BAND_KEYS = {"min", "label", "points"}
RATING_KEYS = {"criterion_rule", "rounding"}
OVERALL_BAND_KEYS = {"min_points", "label"}


def _names(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]


class RatingChecks(Reporter):
    """The rating rules of a questionnaire, read while collecting problems."""

    def bands(self, data: dict) -> tuple[Band, ...]:
        result: list[Band] = []
        for index, raw in enumerate(self.items(data, "bands", "bands", required=False), 1):
            path = f"bands[{index}]"
            self.unknown_keys(raw, BAND_KEYS, path)
            title = self.string(raw, "label", path)
            points = raw.get("points")
            if points is not None and not is_int(points):
                self.problem(join(path, "points"), f"must be a whole number, not {kind(points)}")
                points = None
            low = raw.get("min")
            if low is None:
                self.problem(join(path, "min"), "missing field")
            elif not isinstance(low, (int, float)) or isinstance(low, bool):
                self.problem(join(path, "min"), f"must be a number, not {kind(low)}")
            elif not 0 <= low <= 100:
                self.problem(join(path, "min"), f"must be a percentage from 0 to 100, not {low}")
            elif any(b.min == low for b in result):
                self.problem(join(path, "min"), f"another band also starts at {low}")
            else:
                result.append(Band(float(low), title, points))
        return tuple(result)

    def rating(self, data: dict) -> RatingRules:
        """The `[rating]` table; the defaults (pooled, no rounding) when it is left out."""
        raw = data.get("rating", {})
        if not isinstance(raw, dict):
            self.problem("rating", f"must be a table ([rating]), not {kind(raw)}")
            return RatingRules()
        self.unknown_keys(raw, RATING_KEYS, "rating")
        values = {}
        for key, allowed, what in (("criterion_rule", CRITERION_RULES, "rule"), ("rounding", ROUNDINGS, "rounding")):
            if key not in raw:
                continue
            value = self.string(raw, key, "rating")
            if value and value not in allowed:
                self.problem(join("rating", key), f"unknown {what} {value!r} ({_names(allowed)})")
            elif value:
                values[key] = value
        return RatingRules(**values)

    def overall_bands(self, data: dict) -> tuple[OverallBand, ...]:
        result: list[OverallBand] = []
        for index, raw in enumerate(self.items(data, "overall_bands", "overall_bands", required=False), 1):
            path = f"overall_bands[{index}]"
            self.unknown_keys(raw, OVERALL_BAND_KEYS, path)
            title = self.string(raw, "label", path)
            low = raw.get("min_points")
            if low is None:
                self.problem(join(path, "min_points"), "missing field")
            elif not is_int(low):
                self.problem(join(path, "min_points"), f"must be a whole number, not {kind(low)}")
            elif any(b.min_points == low for b in result):
                self.problem(join(path, "min_points"), f"another overall band also starts at {low}")
            elif title:
                result.append(OverallBand(low, title))
        return tuple(result)

    def overall_needs(self, bands: tuple[Band, ...], overall: tuple[OverallBand, ...],
                      criteria: list[Criterion]) -> None:
        """What an overall rating needs: bands with points, one from 0%, and sums the bands can reach.

        Call it only when the bands and overall bands were read without a problem."""
        if not overall:
            return
        if not bands:
            self.problem("overall_bands", "an overall rating sums the points of each criterion's band, "
                                          "but the questionnaire has no [[bands]]")
            return
        missing = [f"bands[{i}] ({b.label})" for i, b in enumerate(bands, 1) if b.points is None]
        if missing:
            verb = "has" if len(missing) == 1 else "have"
            self.problem("overall_bands", f"an overall rating needs points on every band; "
                                          f"{', '.join(missing)} {verb} none")
            return
        lowest_band = min(bands, key=lambda b: b.min)
        if lowest_band.min > 0:
            self.problem("overall_bands", f"a criterion scoring under {lowest_band.min:g}% has no band, so the "
                                          "inspection would have no overall rating; add a band with min = 0")
        count = len(criteria)
        low = count * min(b.points or 0 for b in bands)
        high = count * max(b.points or 0 for b in bands)
        if min(b.min_points for b in overall) > low:
            self.problem("overall_bands", f"no overall band covers {low} points, the sum when every criterion "
                                          f"is in its lowest band; add one with min_points = {low}")
        for index, band in enumerate(overall, 1):
            if band.min_points > high:
                self.problem(join(f"overall_bands[{index}]", "min_points"),
                             f"{band.min_points} can never be reached ({count} criteria make {high} points at most)")

    # -- prompts ------------------------------------------------------------------------------

    def prompt_fields(self, raw: dict, path: str) -> tuple[bool, str]:
        """A question's `scored` and `prompt_of`, as given (True and "" when left out or wrong)."""
        scored = raw.get("scored", True)
        if not isinstance(scored, bool):
            self.problem(join(path, "scored"), f"must be true or false, not {kind(scored)}")
            scored = None
        prompt_of = ""
        if "prompt_of" in raw:
            prompt_of = self.string(raw, "prompt_of", path)
            if prompt_of and scored is True:
                self.problem(join(path, "prompt_of"), "only a prompt has a key question: add scored = false")
                prompt_of = ""
        return scored is not False, prompt_of

    def prompts(self, criteria: list[Criterion]) -> None:
        """Each prompt names a key question of its own criterion, just above it; each criterion has one."""
        where = {q.id: c.code for c in criteria for q in c.questions}
        for criterion in criteria:
            questions = criterion.questions
            if questions and not any(q.scored for q in questions):
                self.problem(f"criteria {shown(criterion.code)}", "a criterion needs at least one scored "
                                                                   "question (every question here has scored = false)")
            for position, question in enumerate(questions):
                if question.prompt_of:
                    self._prompt(criterion, questions, position, question, where)

    def _prompt(self, criterion: Criterion, questions: tuple[Question, ...], position: int,
                question: Question, where: dict[str, str]) -> None:
        path = join(f"criteria {shown(criterion.code)}", f"question {shown(question.id)}", "prompt_of")
        target = question.prompt_of
        index = next((i for i, q in enumerate(questions) if q.id == target), None)
        if target == question.id:
            self.problem(path, "a prompt cannot be its own key question")
        elif index is None and target in where:
            self.problem(path, f"{target!r} is a question of criterion {where[target]}; a prompt's key "
                               f"question is in its own criterion ({criterion.code})")
        elif index is None:
            self.problem(path, f"unknown question {target!r}")
        elif not questions[index].scored:
            self.problem(path, f"{target!r} is a prompt itself; prompt_of names a key question (a scored one)")
        elif index > position or any(q.prompt_of != target for q in questions[index + 1:position]):
            self.problem(path, f"must come after its key question {target} and {target}'s other prompts, "
                               "to be shown under it")
