"""A report in the shape of the published one: per criterion a score table and finding sentences."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from esi_tui.core.entities import Answer, Inspection
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.stats import wilson_interval
from esi_tui.core.summary import format_change, format_score
from esi_tui.core.tally import Counts, TallyEngine

REPORT_PREFIX = "report:"
GOOD_PRACTICE_PREFIX = "good practice:"


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


@dataclass
class SectionReport:
    """A section heading and its criteria."""

    code: str
    title: str
    criteria: list[CriterionReport] = field(default_factory=list)


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


def finding(stem: str, counts: Counts, baseline: float | None, show_interval: bool) -> str:
    """'<stem> in 12 of the 16 relevant cases (75%)', with the baseline where there is one."""
    positive, counted = counts.positive, counts.counted
    stem = stem.rstrip(". ")
    if counted == 0:
        if counts.unanswered:
            return f"{stem}: no relevant case has been answered yet."
        if counts.not_applicable:
            return f"{stem}: not applicable in any of the cases it could apply to."
        return f"{stem}: no case in the sample is relevant."
    score = counts.score
    details = [format_score(score)]
    if counted == 1:
        where = "in the one relevant case" if positive else "in none of the relevant cases"
        if not positive:
            details.insert(0, "0 of 1")
    elif positive == counted:
        where = f"in all {counted} relevant cases"
    elif positive == 0:
        where = f"in none of the {counted} relevant cases"
    else:
        where = f"in {positive} of the {counted} relevant cases"
    change = change_points(score, baseline)
    if change is not None:
        unit = "point" if abs(change) == 1 else "points"
        details.append(f"original inspection {format_score(baseline)}, {format_change(change)} {unit}")
    if show_interval:
        details.append(interval_text(wilson_interval(positive, counted)))
    return f"{stem} {where} ({'; '.join(details)})."


def build_report(inspection: Inspection, questionnaire: Questionnaire, engine: TallyEngine,
                 answers: list[Answer], cases: int, show_intervals: bool = False,
                 redact: bool = False) -> Report:
    """Collect scores, findings and the reviewers' report notes per section and criterion."""
    notes: dict[str, list[tuple[str, str]]] = {}
    withheld = 0
    for answer in answers:
        for line in (answer.note or "").splitlines():
            lowered = line.strip().lower()
            for kind, prefix in (("note", REPORT_PREFIX), ("good", GOOD_PRACTICE_PREFIX)):
                if lowered.startswith(prefix):
                    if redact:
                        withheld += 1
                    else:
                        code = questionnaire.question(answer.question).criterion
                        notes.setdefault(code, []).append((kind, line.strip()[len(prefix):].strip()))
    sections: dict[str, SectionReport] = {}
    for criterion in questionnaire.criteria:
        section_code = criterion.section or ""
        section = questionnaire.sections.get(section_code)
        if section_code not in sections:
            sections[section_code] = SectionReport(section_code, section.title if section else "")
        tally = engine.criterion(criterion.code)
        item = CriterionReport(
            code=criterion.code, title=criterion.title, description=criterion.description,
            baseline=tally.baseline, score=tally.score, change=tally.change, rating=tally.band,
            interval=wilson_interval(tally.counts.positive, tally.counts.counted) if show_intervals else None,
            counts=tally.counts,
        )
        for question in criterion.questions:
            counts = engine.question_counts(question.id)
            stem = question.finding or question.text
            item.findings.append(finding(stem, counts, engine.question_baseline.get(question.id), show_intervals))
        for kind, text in notes.get(criterion.code, []):
            (item.good_practice if kind == "good" else item.notes).append(text)
        sections[section_code].criteria.append(item)
    return Report(title=inspection.title, area=inspection.area,
                  questionnaire=f"{questionnaire.title} ({questionnaire.id} v{questionnaire.version})",
                  cases=cases, sections=list(sections.values()), show_intervals=show_intervals,
                  withheld_notes=withheld)


def render_markdown(report: Report) -> str:
    """The report as Markdown."""
    lines = [f"# {report.title}", "", f"**Area:** {report.area}  ", f"**Questionnaire:** {report.questionnaire}  ",
             f"**Cases in the sample:** {report.cases}", ""]
    for section in report.sections:
        if section.title:
            lines += [f"## Section {section.code}: {section.title}", ""]
        for item in section.criteria:
            lines += [f"### {item.code} {item.title}", ""]
            header = "| | Original inspection | Now | Change | Rating |"
            row = (f"| Score | {format_score(item.baseline)} | {format_score(item.score)} | "
                   f"{format_change(change_points(item.score, item.baseline))} | {item.rating or '–'} |")
            if report.show_intervals:
                header += " 95% CI |"
                row += f" {interval_text(item.interval) or '–'} |"
            lines += [header, "|---|---|---|---|---|" + ("---|" if report.show_intervals else ""), row, ""]
            lines.append(f"Counted: {item.counts.positive} of {item.counts.counted} "
                         f"(not applicable {item.counts.not_applicable}, unanswered {item.counts.unanswered}).")
            lines.append("")
            if item.description:
                lines += ["*Description:*", "", f"*{item.description.strip()}*", ""]
            lines += [f"- {text}" for text in item.findings] + [""]
            lines += [f"- {text}" for text in item.notes] + ([""] if item.notes else [])
            for text in item.good_practice:
                lines += ["**GOOD PRACTICE EXAMPLE**", "", f"*{text}*", ""]
    if report.withheld_notes:
        lines.append(f"_{report.withheld_notes} reviewer notes withheld (redacted report)._")
    return "\n".join(lines).rstrip() + "\n"
