"""The regional report: several areas' inspections of one questionnaire, rolled up, each area beside the region."""

from __future__ import annotations

from dataclasses import dataclass

from esi_tui.core.entities import Answer, Inspection
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.ratings import criterion_score_text
from esi_tui.core.report import (
    AreaScore,
    Report,
    SectionReport,
    criterion_report,
    report_notes,
)
from esi_tui.core.rollup import RollUp
from esi_tui.core.stats import wilson_interval
from esi_tui.core.tally import TallyEngine
from esi_tui.core.tally_json import overall_of


@dataclass
class AreaInput:
    """What the regional report needs of one area: its inspection, tallies, answers and sample size."""

    inspection: Inspection
    engine: TallyEngine
    answers: list[Answer]
    cases: int

    @property
    def name(self) -> str:
        """'Hampshire (hants-2026)', or the id when the area is not recorded."""
        area = self.inspection.area
        return f"{area} ({self.inspection.id})" if area else self.inspection.id


def build_regional_report(questionnaire: Questionnaire, areas: list[AreaInput], show_intervals: bool = False,
                          redact: bool = False) -> Report:
    """Per criterion the region's summed score and rating with each area's own (and its own change); findings
    from the region's counts; every area's report notes, each marked with its area."""
    region = RollUp(questionnaire, [area.engine for area in areas])
    notes: dict[str, list[tuple[str, str]]] = {}
    withheld = 0
    for area in areas:
        found, count = report_notes(area.answers, questionnaire, redact,
                                    prefix=f"({area.inspection.area or area.inspection.id}) ")
        withheld += count
        for code, items in found.items():
            notes.setdefault(code, []).extend(items)
    area_tallies = [(area, area.engine.criteria()) for area in areas]
    tallies = region.criteria()
    sections: dict[str, SectionReport] = {}
    for index, (criterion, tally) in enumerate(zip(questionnaire.criteria, tallies)):
        section_code = criterion.section or ""
        section = questionnaire.sections.get(section_code)
        if section_code not in sections:
            sections[section_code] = SectionReport(section_code, section.title if section else "")
        item = criterion_report(questionnaire, criterion, tally, region, show_intervals)
        for area, criteria in area_tallies:
            own = criteria[index]
            rating = own.rating
            lowest = (f"lowest {rating.question}, {rating.basis_text()}"
                      if rating is not None and rating.question is not None else "")
            item.areas.append(AreaScore(
                area.name, own.baseline, own.score, criterion_score_text(questionnaire, own.counts), own.comparable,
                own.band, own.counts,
                wilson_interval(own.counts.positive, own.counts.counted) if show_intervals else None, lowest))
        for kind, text in notes.get(criterion.code, []):
            (item.good_practice if kind == "good" else item.notes).append(text)
        sections[section_code].criteria.append(item)
    return Report(
        title=f"{questionnaire.title}: regional report", area=", ".join(area.name for area in areas),
        questionnaire=f"{questionnaire.title} ({questionnaire.id} v{questionnaire.version})",
        cases=sum(area.cases for area in areas), sections=list(sections.values()), show_intervals=show_intervals,
        withheld_notes=withheld, overall=overall_of(region, tallies).describe(),
        area_overall=[(area.name, overall_of(area.engine, criteria).describe()) for area, criteria in area_tallies
                      if overall_of(area.engine, criteria).rated],
    )
