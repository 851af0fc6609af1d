"""A report in the shape of the published one: per criterion a score table and finding sentences."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from esi_tui.core.completion import cases_complete
from esi_tui.core.entities import Answer, Case, Inspection
from esi_tui.core.formatting import format_change, format_score
from esi_tui.core.markdown_text import md_text
from esi_tui.core.questionnaire import Criterion, Questionnaire
from esi_tui.core.ratings import criterion_score_text, question_score_text
from esi_tui.core.report_summary import (
    closing_line,
    in_cases,
    judgement,
    key_finding,
    period_text,
    report_title,
    reviewers_text,
    sample_text,
    status_text,
)
from esi_tui.core.stats import rating_text, wilson_interval
from esi_tui.core.tally import Counts, CriterionTally, TallyEngine
from esi_tui.core.tally_json import overall_of

if TYPE_CHECKING:
    from esi_tui.core.rollup import RollUp

REPORT_PREFIX = "report:"
GOOD_PRACTICE_PREFIX = "good practice:"
NOT_COMPARABLE_NOTE = ("Due to different questions being asked it is not possible to make a direct comparison "
                       "with the original score.")


@dataclass
class AreaScore:
    """One area's own figures for a criterion, in a regional report."""

    name: str
    baseline: float | None
    score: float | None
    shown: str
    comparable: bool
    rating: str | None
    counts: Counts
    interval: tuple[float, float] | None = None
    lowest: str = ""  # where key questions rate it: 'lowest A1, 40%'

    @property
    def rating_text(self) -> str:
        """'Inadequate (lowest A1, 40%)', the band alone, or an en dash."""
        return f"{self.rating or '–'} ({self.lowest})" if self.lowest else (self.rating or "–")

    @property
    def change(self) -> int | None:
        """The change from the area's own baseline in whole points, or None (also when not comparable)."""
        return change_points(self.score, self.baseline) if self.comparable else None


@dataclass
class CriterionReport:
    """What the report says about one criterion."""

    code: str
    title: str
    description: str
    baseline: float | None
    score: float | None
    change: float | None
    rating: str | None
    interval: tuple[float, float] | None
    counts: Counts
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    good_practice: list[str] = field(default_factory=list)
    shown: str = ""  # the score as shown: the number its band was given for
    comparable: bool = True
    rated_by: str = ""  # "rated by its lowest key question: C3, 64%" where key questions rate it
    prompt_findings: list[list[str]] = field(default_factory=list)  # the prompts under findings[i]
    areas: list[AreaScore] = field(default_factory=list)  # a regional report: each area's own figures
    closing: str = ""  # the closing judgement against the original inspection (one inspection's report)

    @property
    def change_text(self) -> str:
        """The change as printed: whole points, an en dash, or 'no direct comparison'."""
        return format_change(change_points(self.score, self.baseline), self.comparable)


@dataclass
class SectionReport:
    """A section heading and its criteria."""

    code: str
    title: str
    criteria: list[CriterionReport] = field(default_factory=list)
    key_findings: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The whole report, ready to render as Markdown or HTML."""

    title: str
    area: str
    questionnaire: str
    cases: int
    sections: list[SectionReport]
    show_intervals: bool = False
    withheld_notes: int = 0
    overall: str = ""  # "Overall rating: Good (8 points)", or "" without overall bands
    area_overall: list[tuple[str, str]] = field(default_factory=list)  # a regional report: per area
    provisional: bool = False
    status: str = ""  # "PROVISIONAL: 4 of 40 sampled cases complete; ..." or "Final: ..."
    period: str = ""  # when the case files were read
    reviewers: str = ""
    sample: str = ""  # "40 case files examined: 16 high risk of harm, ..."

    @property
    def regional(self) -> bool:
        """Whether the report rolls several areas up."""
        return any(item.areas for section in self.sections for item in section.criteria)


def whole(value: float) -> int:
    """A percentage rounded half up, as format_score shows it (87.5 → 88)."""
    return math.floor(round(value, 9) + 0.5)


def change_points(score: float | None, baseline: float | None) -> int | None:
    """The change as the reader can check it: shown score minus shown baseline, in whole points.

    Rounding the raw difference instead could disagree with the two figures printed beside it
    (62.5% against 50% is '63%' and '+12' with Python's round-half-to-even).
    """
    if score is None or baseline is None:
        return None
    return whole(score) - whole(baseline)


def interval_text(interval: tuple[float, float] | None) -> str:
    """'95% CI 64–97%' (for 14 of 16), or ''."""
    if interval is None:
        return ""
    return f"95% CI {whole(interval[0])}–{whole(interval[1])}%"


def finding(stem: str, counts: Counts, baseline: float | None, show_interval: bool, shown: str | None = None) -> str:
    """'<stem> in 12 of the 16 relevant cases (75%)', with the baseline where there is one; `shown` is the
    score as the questionnaire's rating rules show it (by default a whole percentage)."""
    positive, counted = counts.positive, counts.counted
    stem = stem.rstrip(". ")
    if counted == 0:
        if counts.unanswered:
            return f"{stem}: no relevant case has been answered yet."
        if counts.not_applicable:
            return f"{stem}: not applicable in any of the cases it could apply to."
        return f"{stem}: no case in the sample is relevant."
    score = counts.score
    details = [shown or format_score(score)]
    where = in_cases(positive, counted)
    if counted == 1 and not positive:
        details.insert(0, "0 of 1")
    change = change_points(score, baseline)
    if change is not None:
        unit = "point" if abs(change) == 1 else "points"
        details.append(f"original inspection {format_score(baseline)}, {format_change(change)} {unit}")
    if show_interval:
        details.append(interval_text(wilson_interval(positive, counted)))
    return f"{stem} {where} ({'; '.join(details)})."


def report_notes(answers: list[Answer], questionnaire: Questionnaire, redact: bool,
                 prefix: str = "") -> tuple[dict[str, list[tuple[str, str]]], int]:
    """Reviewers' `report:` and `good practice:` note lines per criterion (each after `prefix`), and how
    many were withheld because the report is redacted."""
    notes: dict[str, list[tuple[str, str]]] = {}
    withheld = 0
    for answer in answers:
        for line in (answer.note or "").splitlines():
            lowered = line.strip().lower()
            for kind, prefix_text in (("note", REPORT_PREFIX), ("good", GOOD_PRACTICE_PREFIX)):
                if lowered.startswith(prefix_text):
                    if redact:
                        withheld += 1
                    else:
                        code = questionnaire.question(answer.question).criterion
                        text = line.strip()[len(prefix_text):].strip()
                        notes.setdefault(code, []).append((kind, prefix + text))
    return notes, withheld


def criterion_report(questionnaire: Questionnaire, criterion: Criterion, tally: CriterionTally,
                     engine: TallyEngine | RollUp, show_intervals: bool) -> CriterionReport:
    """A criterion's score table, how it was rated, and a finding per question (prompts under their key question)."""
    rating = tally.rating
    item = CriterionReport(
        code=criterion.code, title=criterion.title, description=criterion.description,
        baseline=tally.baseline, score=tally.score, change=tally.change,
        # beside its interval a rating says when it is borderline, as the tallies screen and `tally --ci` do
        rating=rating_text(tally.band, tally.counts.positive, tally.counts.counted, questionnaire.bands)
        if show_intervals else tally.band,
        interval=wilson_interval(tally.counts.positive, tally.counts.counted) if show_intervals else None,
        counts=tally.counts, shown=criterion_score_text(questionnaire, tally.counts), comparable=tally.comparable,
        rated_by=rating.describe() if rating is not None and rating.rule == "lowest_question" else "",
    )
    for question in criterion.questions:
        counts = engine.question_counts(question.id)
        text = finding(question.finding or question.text, counts, engine.question_baseline.get(question.id),
                       show_intervals, question_score_text(questionnaire, question.id, counts))
        if question.prompt_of and item.findings:
            item.prompt_findings[-1].append(text)
            continue
        if not question.scored:
            text = text.removesuffix(".") + "; a prompt, not part of the score."
        item.findings.append(text)
        item.prompt_findings.append([])
    return item


def build_report(inspection: Inspection, questionnaire: Questionnaire, engine: TallyEngine,
                 answers: list[Answer], cases: int | list[Case], show_intervals: bool = False,
                 redact: bool = False, double_review: Iterable[str] = ()) -> Report:
    """Collect scores, findings and the reviewers' report notes per section and criterion; given the case
    records (and the double-review sample) also the report's state, its sample and its key findings."""
    notes, withheld = report_notes(answers, questionnaire, redact)
    sections: dict[str, SectionReport] = {}
    tallies = engine.criteria()
    for criterion, tally in zip(questionnaire.criteria, tallies):
        section_code = criterion.section or ""
        section = questionnaire.sections.get(section_code)
        if section_code not in sections:
            sections[section_code] = SectionReport(section_code, section.title if section else "")
        item = criterion_report(questionnaire, criterion, tally, engine, show_intervals)
        item.closing = closing_line(tally.score, tally.baseline, change_points(tally.score, tally.baseline),
                                    tally.comparable, tally.counts.counted)
        for kind, text in notes.get(criterion.code, []):
            (item.good_practice if kind == "good" else item.notes).append(text)
        sections[section_code].criteria.append(item)
        sections[section_code].key_findings.append(_key_finding(questionnaire, engine, item))
    records = cases if isinstance(cases, list) else []
    count = len(cases) if isinstance(cases, list) else cases
    provisional, status = status_text(count, cases_complete(records, double_review) if records else 0,
                                      engine.open_disagreements())
    return Report(title=report_title(inspection, questionnaire), area=inspection.area,
                  questionnaire=f"{questionnaire.title} ({questionnaire.id} v{questionnaire.version})",
                  cases=count, sections=list(sections.values()), show_intervals=show_intervals,
                  withheld_notes=withheld, overall=overall_of(engine, tallies).describe(),
                  provisional=provisional, status=status, period=period_text(inspection, answers),
                  reviewers=reviewers_text(answers), sample=sample_text(questionnaire, records) if records else "")


def _key_finding(questionnaire: Questionnaire, engine: TallyEngine, item: CriterionReport) -> str:
    """The criterion's line among its section's key findings."""
    scored = [(engine.question_counts(q.id), q) for q in questionnaire.criterion(item.code).questions
              if q.scored and not q.prompt_of]
    scored = [(c, q) for c, q in scored if c.counted and c.score is not None]
    weakest = min(scored, key=lambda cq: cq[0].score or 0.0, default=None) if len(scored) > 1 else None
    if weakest is not None and weakest[0].positive == weakest[0].counted:
        weakest = None  # every question met in every case: none was least often met
    words = ("no relevant case answered yet" if not item.counts.counted else
             judgement(change_points(item.score, item.baseline), item.comparable, item.baseline))
    return key_finding(item.code, item.title, item.shown or format_score(item.score), item.rating, words,
                       (f"{weakest[1].id} {weakest[1].text}", format_score(weakest[0].score)) if weakest else None)


def score_table(report: Report, item: CriterionReport) -> list[str]:
    """The criterion's score table in Markdown: one row, or a row per area and the region's."""
    ci = report.show_intervals
    header = "| | Original inspection | Now | Change | Rating |" + (" 95% CI |" if ci else "")
    rule = "|---|---|---|---|---|" + ("---|" if ci else "")
    if not item.areas:
        row = (f"| Score | {format_score(item.baseline)} | {item.shown or format_score(item.score)} | "
               f"{item.change_text} | {item.rating or '–'} |")
        if ci:
            row += f" {interval_text(item.interval) or '–'} |"
        return [header, rule, row]
    rows = [header.replace("| |", "| Area |", 1), rule]
    for area in item.areas:
        row = (f"| {md_text(area.name)} | {format_score(area.baseline)} | {area.shown} | "
               f"{format_change(area.change, area.comparable)} | {area.rating_text} |")
        rows.append(row + (f" {interval_text(area.interval) or '–'} |" if ci else ""))
    region = f"| **Region** | – | {item.shown} | – | {item.rating or '–'} |"
    rows.append(region + (f" {interval_text(item.interval) or '–'} |" if ci else ""))
    return rows


def not_comparable_notes(item: CriterionReport) -> list[str]:
    """The seed's note where the baseline cannot be compared, naming the areas in a regional report."""
    if not item.areas:
        return [] if item.comparable else [NOT_COMPARABLE_NOTE]
    lowered = NOT_COMPARABLE_NOTE[0].lower() + NOT_COMPARABLE_NOTE[1:]
    return [f"{area.name}: {lowered}" for area in item.areas if not area.comparable]


def render_markdown(report: Report) -> str:
    """The report as Markdown."""
    facts = [f"**Area:** {md_text(report.area)}"]
    if report.period:
        facts.append(f"**Dates:** {report.period}")
    if report.reviewers:
        facts.append(f"**Reviewers:** {md_text(report.reviewers)}")
    facts += [f"**Questionnaire:** {report.questionnaire}", f"**Cases in the sample:** {report.cases}"]
    if report.sample:
        facts.append(f"**Sample:** {report.sample}")
    if report.overall:
        facts.append(f"**{report.overall.replace(': ', ':** ', 1)}")
    lines = [f"# {md_text(report.title)}", ""]
    if report.provisional:
        lines += [f"> **{report.status.replace(': ', ':** ', 1)}", ""]
    lines += ["  \n".join(facts), ""]
    if report.status and not report.provisional:
        lines += [f"*{report.status}*", ""]
    if report.area_overall:
        lines += [f"- {md_text(name)}: {text.removeprefix('Overall rating: ')}"
                  for name, text in report.area_overall] + [""]
    for section in report.sections:
        if section.title:
            lines += [f"## Section {section.code}: {section.title}", ""]
        if section.key_findings:
            lines += ["**Key findings**", ""] + [f"- {text}" for text in section.key_findings] + [""]
        for item in section.criteria:
            lines += [f"### {item.code} {item.title}", ""]
            lines += score_table(report, item) + [""]
            notes = not_comparable_notes(item)
            lines += [f"*({md_text(note)})*" for note in notes] + ([""] if notes else [])
            if item.rated_by:
                lines += [f"{item.rated_by[0].upper()}{item.rated_by[1:]}.", ""]
            lines.append(f"Counted: {item.counts.positive} of {item.counts.counted} "
                         f"(not applicable {item.counts.not_applicable}, unanswered {item.counts.unanswered}).")
            lines.append("")
            if item.description:
                lines += ["*Description:*", "", f"*{item.description.strip()}*", ""]
            for text, prompts in zip(item.findings, item.prompt_findings or [[]] * len(item.findings)):
                lines.append(f"- {text}")
                lines += [f"  - {prompt}" for prompt in prompts]
            if item.closing:
                lines.append(f"- {item.closing}")
            lines.append("")
            if item.notes:
                lines += ["*From the reviewers' notes for the report:*", ""]
                lines += [line for text in item.notes for line in (f"> “{md_text(text)}”", ">")][:-1] + [""]
            for text in item.good_practice:
                lines += ["**GOOD PRACTICE EXAMPLE**", "", f"*{md_text(text)}*", ""]
    if report.withheld_notes:
        lines.append(f"_{report.withheld_notes} reviewer notes withheld (redacted report)._")
    return "\n".join(lines).rstrip() + "\n"
