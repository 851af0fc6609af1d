"""Bring another database's inspections, cases and answers into this one without losing any."""

from __future__ import annotations

from dataclasses import dataclass, field

from esi_tui.store.repository import Repository


@dataclass
class MergeReport:
    """What a merge brought in, and what it refused to overwrite (one line each)."""

    source: str
    inspections: int = 0
    cases: int = 0
    answers_added: int = 0
    answers_updated: int = 0
    kept_in_history: int = 0
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the merge changed anything."""
        return bool(self.inspections or self.cases or self.answers_added or self.answers_updated
                    or self.kept_in_history)


def merge_into(target: Repository, source: Repository, name: str) -> MergeReport:
    """Merge `source` into `target`: later answers win, earlier ones go to history; twice changes nothing."""
    report = MergeReport(name)
    for inspection in source.inspections():
        if not target.has_inspection(inspection.id):
            target.create_inspection(inspection.id, source.questionnaire(inspection.id), title=inspection.title,
                                     area=inspection.area, baseline=inspection.baseline,
                                     question_baseline=inspection.question_baseline)
            report.inspections += 1
        elif target.inspection(inspection.id).questionnaire_hash != inspection.questionnaire_hash:
            report.conflicts.append(
                f"{name}: inspection {inspection.id} uses a different version of {inspection.questionnaire_id} "
                "here; nothing of it was merged")
            continue
        _merge_inspection(target, source, inspection.id, report)
    return report


def _merge_inspection(target: Repository, source: Repository, inspection_id: str, report: MergeReport) -> None:
    name = report.source
    double = source.settings(inspection_id)["double_review"]
    if set(double) - set(target.settings(inspection_id)["double_review"]):
        for reference in double:
            if not target.has_case(inspection_id, reference):
                target.save_case(inspection_id, reference, source.case(inspection_id, reference).attributes)
        target.mark_double_review(inspection_id, double)
    for case in source.cases(inspection_id):
        if not target.has_case(inspection_id, case.reference):
            target.save_case(inspection_id, case.reference, case.attributes)
            report.cases += 1
        else:
            mine = target.case(inspection_id, case.reference).attributes
            differing = sorted(k for k in set(mine) | set(case.attributes) if mine.get(k) != case.attributes.get(k))
            if differing:
                detail = ", ".join(f"{k}: {mine.get(k)!r} here, {case.attributes.get(k)!r} there" for k in differing)
                report.conflicts.append(f"{name}: case {case.reference} of {inspection_id}: attributes differ "
                                        f"({detail}); kept this database's")
        for reviewer in case.completed_by:
            target.set_complete(inspection_id, case.reference, True, reviewer=reviewer)
        if case.complete and not case.completed_by:
            target.set_complete(inspection_id, case.reference, True)
    for answer in source.answers(inspection_id):
        mine = target.answer(inspection_id, answer.case, answer.question, answer.reviewer)
        if mine is None:
            target.set_answer(inspection_id, answer.case, answer.question, answer.value, answer.reviewer,
                              note=answer.note, at=answer.at)
            report.answers_added += 1
        elif (mine.value, mine.note) == (answer.value, answer.note):
            continue
        elif (answer.at, answer.value or "") > (mine.at, mine.value or ""):
            target.set_answer(inspection_id, answer.case, answer.question, answer.value, answer.reviewer,
                              note=answer.note, at=answer.at)
            report.answers_updated += 1
        else:
            before = len(target.history(inspection_id, answer.case, answer.question))
            target.add_history({"inspection": inspection_id, "case": answer.case, "question": answer.question,
                                "reviewer": answer.reviewer, "value": answer.value, "note": answer.note,
                                "at": answer.at, "replaced_at": mine.at})
            report.kept_in_history += len(target.history(inspection_id, answer.case, answer.question)) - before
    for record in source.history(inspection_id):
        before = len(target.state.history)
        target.add_history(record)
        report.kept_in_history += len(target.state.history) - before
    for moderation in source.moderations(inspection_id):
        mine = target.moderation(inspection_id, moderation.case, moderation.question)
        if mine is None or (moderation.at, moderation.value) > (mine.at, mine.value):
            target.moderate(inspection_id, moderation.case, moderation.question, moderation.value,
                            moderation.moderator, moderation.reason, at=moderation.at)
    for note in source.case_notes(inspection_id):
        mine = target.case_note(inspection_id, note["case"], note["reviewer"])
        if not mine:
            target.set_case_note(inspection_id, note["case"], note["reviewer"], note["note"], at=note["at"])
        elif mine != note["note"]:
            report.conflicts.append(f"{name}: case {note['case']}: {note['reviewer']}'s case note differs; "
                                    "kept this database's")
