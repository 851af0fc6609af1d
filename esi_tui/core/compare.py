"""Areas side by side: per criterion and question each area's score, X of Y, rating, change and interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from esi_tui.core.formatting import NO_COMPARISON, format_change, round_half_up, x_of_y
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.ratings import (
    OverallRating,
    criterion_score_text,
    question_band,
    question_score_text,
)
from esi_tui.core.report import change_points
from esi_tui.core.rollup import RollUp
from esi_tui.core.stats import wilson_interval
from esi_tui.core.tally import Counts, TallyEngine
from esi_tui.core.tally_json import overall_of

CRITERION, QUESTION, PROMPT = "criterion", "question", "prompt"


@dataclass(frozen=True)
class Cell:
    """One area's figures for one criterion or question."""

    score: str
    x_of_y: str
    rating: str
    change: str
    interval: str
    rated_by: str = ""
    counts: Counts = field(default_factory=Counts)

    def lines(self, interval: bool = True) -> list[str]:
        """The cell as short lines: score and X of Y, rating, change, the key question that rated it
        (lowest_question), and the interval; those with nothing to say are left out."""
        lowest = self.rated_by.replace("rated by its lowest key question: ", "lowest ")
        parts = [f"{self.score}  {self.x_of_y}", self.rating, self.change, lowest,
                 self.interval if interval else ""]
        return [part for part in parts if part]


@dataclass
class Row:
    """A criterion or question with a cell per area (and the region last, when there are several)."""

    key: str
    label: str
    kind: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Comparison:
    """The comparison of areas (inspections of one questionnaire), ready to draw."""

    questionnaire: Questionnaire
    headings: list[str]
    rows: list[Row]
    overall: list[OverallRating]
    region: bool


def interval_cell(counts: Counts) -> str:
    """'95% CI 64–96%' for 14 of 16, or ''."""
    interval = wilson_interval(counts.positive, counts.counted)
    if interval is None:
        return ""
    return f"95% CI {round_half_up(interval[0])}–{round_half_up(interval[1])}%"


def _change(score: float | None, baseline: float | None, comparable: bool) -> str:
    if not comparable:
        return NO_COMPARISON
    points = change_points(score, baseline)
    if points is None:
        return ""
    return f"{format_change(points)} on {round_half_up(baseline)}%" if baseline is not None else ""


def compare(questionnaire: Questionnaire, areas: Sequence[tuple[str, TallyEngine]]) -> Comparison:
    """Each area's tallies side by side, with the region (their roll-up) as the last column when there
    are several."""
    sources: list[tuple[str, TallyEngine | RollUp]] = list(areas)
    region = len(areas) > 1
    if region:
        sources.append(("Region", RollUp(questionnaire, [engine for _, engine in areas])))
    tallies = [(name, source, source.criteria()) for name, source in sources]
    rows: list[Row] = []
    for index, criterion in enumerate(questionnaire.criteria):
        row = Row(criterion.code, f"{criterion.code} {criterion.title}", CRITERION)
        for _, _source, criteria in tallies:
            tally = criteria[index]
            rating = tally.rating
            rated_by = rating.describe() if rating and rating.question is not None else ""
            row.cells.append(Cell(criterion_score_text(questionnaire, tally.counts), x_of_y(tally.counts),
                                  tally.band or "", _change(tally.score, tally.baseline, tally.comparable),
                                  interval_cell(tally.counts), rated_by, tally.counts))
        rows.append(row)
        for question in criterion.questions:
            kind = QUESTION if question.scored else PROMPT
            row = Row(question.id, f"{question.id} {question.text}", kind)
            for _, source, _ in tallies:
                counts = source.question_counts(question.id)
                baseline = source.question_baseline.get(question.id)
                row.cells.append(Cell(question_score_text(questionnaire, question.id, counts), x_of_y(counts),
                                      question_band(questionnaire, question.id, counts) or "",
                                      _change(counts.score, baseline, True), interval_cell(counts), "", counts))
            rows.append(row)
    overall = [overall_of(source, criteria) for _, source, criteria in tallies]
    return Comparison(questionnaire, [name for name, _ in sources], rows, overall, region)
