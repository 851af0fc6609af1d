"""Bring another database's inspections, cases and answers into this one without losing any."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from esi_tui.core.entities import Moderation
from esi_tui.core.times import moment
from esi_tui.store.errors import InvalidChange
from esi_tui.store.merge_completion import merge_completion
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
    completions: int = 0
    completion_times: int = 0
    moderations: int = 0
    withdrawn: int = 0
    notes: int = 0
    settings: int = 0
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the merge changed anything."""
        return bool(self.inspections or self.cases or self.answers_added or self.answers_updated
                    or self.kept_in_history or self.completions or self.completion_times or self.moderations
                    or self.withdrawn or self.notes or self.settings)


def merge_into(target: Repository, source: Repository, name: str) -> MergeReport:
    """Merge `source` into `target`: later answers win, earlier ones go to history; twice changes nothing."""
    report = MergeReport(name)
    deleted = target.deleted_inspections()
    for inspection in source.inspections():
        created = False
        if not target.has_inspection(inspection.id) and inspection.id in deleted:
            report.conflicts.append(
                f"{name}: inspection {inspection.id} was deleted here ({deleted[inspection.id]['at']}); nothing "
                "of it was merged (to bring it back, create it again with that id, then merge)")
            continue
        if not target.has_inspection(inspection.id):
            target.create_inspection(inspection.id, source.questionnaire(inspection.id), title=inspection.title,
                                     area=inspection.area, baseline=inspection.baseline,
                                     question_baseline=inspection.question_baseline,
                                     not_comparable=inspection.not_comparable)
            report.inspections += 1
            created = True
        else:
            mine = target.inspection(inspection.id)
            if mine.questionnaire_hash != inspection.questionnaire_hash:
                report.conflicts.append(
                    f"{name}: inspection {inspection.id} uses {inspection.questionnaire_id} version "
                    f"{inspection.questionnaire_version or '?'} there but {mine.questionnaire_id} version "
                    f"{mine.questionnaire_version or '?'} here (the definitions differ); nothing of it was merged")
                continue
        try:
            _merge_inspection(target, source, inspection.id, report)
            _merge_settings(target, source, inspection.id, report, created)
        except InvalidChange as exc:
            raise InvalidChange(f"{name}: inspection {inspection.id}: {exc}; nothing was merged") from None
    return report


def _merge_inspection(target: Repository, source: Repository, inspection_id: str, report: MergeReport) -> None:
    name = report.source
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
    # what each side has replaced (or withdrawn), as it was before this merge
    theirs_seen, mine_seen = _replaced(source, inspection_id), _replaced(target, inspection_id)
    _merge_answers(target, source, inspection_id, report, theirs_seen, mine_seen)
    # moderations before the other's history, so that a withdrawal's record is not kept twice
    _merge_moderations(target, source, inspection_id, report, theirs_seen, mine_seen)
    for record in source.history(inspection_id):
        report.kept_in_history += target.add_history(record)
    for note in source.case_notes(inspection_id):
        note_here = target.case_note(inspection_id, note["case"], note["reviewer"])
        if not note_here:
            target.set_case_note(inspection_id, note["case"], note["reviewer"], note["note"], at=note["at"])
            report.notes += 1
        elif note_here != note["note"]:
            report.conflicts.append(f"{name}: case {note['case']}: {note['reviewer']}'s case note differs; "
                                    "kept this database's")
    # who finished each case last: the answers it was finished with are merged by now
    for case in source.cases(inspection_id):
        try:
            changed, retimed = merge_completion(target, source, inspection_id, case.reference)
        except InvalidChange as exc:
            report.conflicts.append(f"{name}: {exc} here, though it is complete there; left open")
            continue
        report.completions += changed
        report.completion_times += retimed


def _merge_answers(target: Repository, source: Repository, inspection_id: str, report: MergeReport,
                   theirs_seen: set[tuple], mine_seen: set[tuple]) -> None:
    """Later answers (or clearings) win, earlier ones go to history; versions given apart are reported."""
    mine_cleared = _cleared(target, inspection_id)
    for answer in source.answers(inspection_id):
        mine = target.answer(inspection_id, answer.case, answer.question, answer.reviewer)
        if mine is None and _answer_version(answer) in mine_seen:
            continue    # cleared (or replaced, then cleared) here after it was given
        if mine is None:
            cleared = _clearing(answer, mine_cleared.get(_answer_item(answer)))
            if cleared is None or _answer_key(answer) > _answer_key(cleared):
                target.set_answer(inspection_id, answer.case, answer.question, answer.value, answer.reviewer,
                                  note=answer.note, at=answer.at)
                report.answers_added += 1
            else:       # cleared here later, without having seen it
                report.conflicts.append(_answer_difference(report.source, inspection_id, cleared, answer))
                _keep_answer(target, inspection_id, answer, cleared.at, report)
            continue
        if (mine.value, mine.note) == (answer.value, answer.note):
            continue
        if _answer_version(mine) not in theirs_seen and _answer_version(answer) not in mine_seen:
            report.conflicts.append(_answer_difference(report.source, inspection_id, mine, answer))
        if _answer_key(answer) > _answer_key(mine):
            target.set_answer(inspection_id, answer.case, answer.question, answer.value, answer.reviewer,
                              note=answer.note, at=answer.at)
            report.answers_updated += 1
        else:
            _keep_answer(target, inspection_id, answer, mine.at, report)
    for item, at in _cleared(source, inspection_id).items():
        if item[0] != "answer" or source.answer(inspection_id, *item[1:]) is not None:
            continue
        mine = target.answer(inspection_id, *item[1:])
        if mine is None:
            continue
        if _answer_version(mine) in theirs_seen:        # cleared there after it was given
            at = _replaced_at(source, inspection_id, _answer_version(mine), at)
        elif _answer_key(mine) > _answer_key(_clearing(mine, at)):
            continue    # given here after it was cleared there
        else:           # cleared there later, without having seen it
            report.conflicts.append(_answer_difference(report.source, inspection_id, mine, _clearing(mine, at)))
        target.set_answer(inspection_id, mine.case, mine.question, None, mine.reviewer, note="", at=at)
        report.answers_updated += 1


def _keep_answer(target: Repository, inspection_id: str, answer, replaced_at: str, report: MergeReport) -> None:
    """Keep another database's answer in history, as replaced at `replaced_at`."""
    report.kept_in_history += target.add_history({"inspection": inspection_id, "case": answer.case,
                                                  "question": answer.question,
                        "reviewer": answer.reviewer, "value": answer.value, "note": answer.note,
                        "at": answer.at, "replaced_at": replaced_at})


def _merge_moderations(target: Repository, source: Repository, inspection_id: str, report: MergeReport,
                       theirs_seen: set[tuple], mine_seen: set[tuple]) -> None:
    """The later moderation (or withdrawal) wins; one withdrawn on either side stays withdrawn."""
    mine_cleared = _cleared(target, inspection_id)
    for moderation in source.moderations(inspection_id):
        mine = target.moderation(inspection_id, moderation.case, moderation.question)
        if mine is None and _moderation_version(moderation) in mine_seen:
            continue    # withdrawn here after it was made
        withdrawn = _clearing(moderation, mine_cleared.get(_moderation_item(moderation))) if mine is None else None
        if withdrawn is not None and _moderation_key(moderation) < _moderation_key(withdrawn):
            # withdrawn here later, without having seen it
            report.conflicts.append(_moderation_difference(report.source, inspection_id, withdrawn, moderation))
            _keep_moderation(target, inspection_id, moderation, withdrawn.at, report)
        elif mine is None or _moderation_key(moderation) > _moderation_key(mine):
            if target.moderate(inspection_id, moderation.case, moderation.question, moderation.value,
                               moderation.moderator, moderation.reason, at=moderation.at) != mine:
                report.moderations += 1
        elif (mine.value, mine.reason) != (moderation.value, moderation.reason):
            # the earlier moderated answer is kept in history, as an answer replaced here would be
            _keep_moderation(target, inspection_id, moderation, mine.at, report)
        if (mine is not None and (mine.value, mine.reason) != (moderation.value, moderation.reason)
                and _moderation_version(mine) not in theirs_seen and _moderation_version(moderation) not in mine_seen):
            report.conflicts.append(_moderation_difference(report.source, inspection_id, mine, moderation))
    for item, at in _cleared(source, inspection_id).items():
        if item[0] != "moderation" or source.moderation(inspection_id, *item[1:]) is not None:
            continue
        mine = target.moderation(inspection_id, *item[1:])
        if mine is None:
            continue
        if _moderation_version(mine) in theirs_seen:    # withdrawn there after it was made
            at = _replaced_at(source, inspection_id, _moderation_version(mine), at)
        elif _moderation_key(mine) > _moderation_key(_clearing(mine, at)):
            continue    # made here after it was withdrawn there
        else:           # withdrawn there later, without having seen it
            report.conflicts.append(_moderation_difference(report.source, inspection_id, mine,
                                                           _clearing(mine, at)))
        by, why = _withdrawal(source, inspection_id, item[1], item[2], at)
        target.moderate(inspection_id, mine.case, mine.question, None, by or mine.moderator, why, at=at)
        report.withdrawn += 1


def _withdrawal(source: Repository, inspection_id: str, case: str, question: str, at: str | None) -> tuple[str, str]:
    """Who withdrew a moderation in `source` at `at`, and why (empty when it does not say)."""
    for record in source.history(inspection_id, case, question):
        if record.get("kind") == "moderation" and record.get("replaced_at") == at and record.get("withdrawn_by"):
            return record["withdrawn_by"], record.get("withdrawal_reason") or ""
    return "", ""


def _keep_moderation(target: Repository, inspection_id: str, moderation, replaced_at: str,
                     report: MergeReport) -> None:
    """Keep another database's moderation in history, as replaced at `replaced_at`."""
    report.kept_in_history += target.add_history({"inspection": inspection_id, "case": moderation.case,
                                                  "question": moderation.question,
                        "value": moderation.value, "reason": moderation.reason, "moderator": moderation.moderator,
                        "at": moderation.at, "kind": "moderation", "replaced_at": replaced_at})


def _merge_settings(target: Repository, source: Repository, inspection_id: str, report: MergeReport,
                    created: bool) -> None:
    """Double-review marks are joined; the sample's seed and the policy are taken when this database has none."""
    name = report.source
    theirs, mine = source.settings(inspection_id), target.settings(inspection_id)
    missing = [reference for reference in theirs["double_review"] if reference not in mine["double_review"]]
    if missing:
        target.mark_double_review(inspection_id, missing)
        report.settings += 1
    adopt: dict = {}
    if "double_review_seed" in theirs:
        if "double_review_seed" not in mine:
            adopt["double_review_seed"] = theirs["double_review_seed"]
            adopt["double_review_share"] = theirs.get("double_review_share")
        elif (mine["double_review_seed"], mine.get("double_review_share")) != (
                theirs["double_review_seed"], theirs.get("double_review_share")):
            report.conflicts.append(
                f"{name}: inspection {inspection_id}: the double-review sample was drawn with seed "
                f"{theirs['double_review_seed']} (share {theirs.get('double_review_share')}) there and seed "
                f"{mine['double_review_seed']} (share {mine.get('double_review_share')}) here; both samples are "
                "marked, this database's seed is kept")
    if theirs["disagreement_policy"] != mine["disagreement_policy"]:
        if created:
            adopt["disagreement_policy"] = theirs["disagreement_policy"]
        else:
            report.conflicts.append(
                f"{name}: inspection {inspection_id}: disagreement policy is {theirs['disagreement_policy']!r} "
                f"there, {mine['disagreement_policy']!r} here; kept this database's")
    if adopt and target.adopt_settings(inspection_id, adopt):
        report.settings += 1


def _answer_key(answer) -> tuple:
    """Which of two versions of one reviewer's answer is the later (ties broken by content, so that
    merging A into B and B into A keep the same one)."""
    return moment(answer.at), answer.value or "", answer.note or ""


def _moderation_key(moderation) -> tuple:
    return moment(moderation.at), moderation.value or "", moderation.reason or ""


def _answer_version(answer) -> tuple:
    return ("answer", answer.case, answer.question, answer.reviewer, answer.value, answer.note or "",
            answer.at or "")


def _moderation_version(moderation) -> tuple:
    return ("moderation", moderation.case, moderation.question, moderation.value, moderation.reason or "",
            moderation.moderator or "", moderation.at or "")


def _record_version(record: dict) -> tuple:
    """A history record as the version of an answer (or moderation) it keeps."""
    if record.get("kind") == "moderation":
        return ("moderation", record.get("case"), record.get("question"), record.get("value"),
                record.get("reason") or "", record.get("moderator") or "", record.get("at") or "")
    return ("answer", record.get("case"), record.get("question"), record.get("reviewer"), record.get("value"),
            record.get("note") or "", record.get("at") or "")


def _replaced(repo: Repository, inspection_id: str) -> set[tuple]:
    """Every version of an answer or moderation that this database has seen replaced or withdrawn."""
    return {_record_version(record) for record in repo.history(inspection_id)}


def _answer_item(answer) -> tuple:
    return ("answer", answer.case, answer.question, answer.reviewer)


def _moderation_item(moderation) -> tuple:
    return ("moderation", moderation.case, moderation.question)


def _cleared(repo: Repository, inspection_id: str) -> dict[tuple, str]:
    """When each answer or moderation with history was last replaced (its clearing, if none is held now)."""
    latest: dict[tuple, str] = {}
    for record in repo.history(inspection_id):
        item = (("moderation", record.get("case"), record.get("question")) if record.get("kind") == "moderation"
                else ("answer", record.get("case"), record.get("question"), record.get("reviewer")))
        at = record.get("replaced_at") or ""
        if item not in latest or moment(at) > moment(latest[item]):
            latest[item] = at
    return latest


def _clearing(held, at: str | None):
    """An answer (or moderation) cleared (withdrawn) at `at`, as a version to weigh against the other's."""
    if at is None:
        return None
    return replace(held, value=None, at=at, **{"reason" if isinstance(held, Moderation) else "note": ""})


def _replaced_at(repo: Repository, inspection_id: str, version: tuple, otherwise: str) -> str:
    """When this database replaced (or cleared) the version; `otherwise` if its record has no time."""
    for record in repo.history(inspection_id):
        if _record_version(record) == version and record.get("replaced_at"):
            return record["replaced_at"]
    return otherwise


def _shown(value: str | None) -> str:
    return "no answer" if value is None else repr(value)


def _answer_difference(name: str, inspection_id: str, mine, theirs) -> str:
    """One reviewer's two answers (or an answer and a clearing) to one question, neither after seeing the other."""
    later = theirs if _answer_key(theirs) > _answer_key(mine) else mine

    def given(answer, where: str) -> str:
        said = "cleared the answer" if answer.value is None and not answer.note else f"answered {_shown(answer.value)}"
        return f"{said} {where} ({answer.at})"

    if any(answer.value is None and not answer.note for answer in (mine, theirs)):
        what = (f"{mine.reviewer} {given(mine, 'here')} and {given(theirs, 'there')}; "
                f"kept the later, {_shown(later.value)}")
    elif mine.value != theirs.value:
        what = (f"{mine.reviewer} answered {_shown(mine.value)} here ({mine.at}) and {_shown(theirs.value)} "
                f"there ({theirs.at}); kept the later, {_shown(later.value)}")
    else:
        what = (f"{mine.reviewer} answered {_shown(mine.value)} with a different note here ({mine.at}) and "
                f"there ({theirs.at}); kept the later note")
    return f"{name}: case {mine.case} of {inspection_id}, question {mine.question}: {what}, the other in history"


def _moderation_difference(name: str, inspection_id: str, mine, theirs) -> str:
    """Two moderations (or a moderation and a withdrawal) of one question, neither made after seeing the other."""
    later = theirs if _moderation_key(theirs) > _moderation_key(mine) else mine
    where = f"{name}: case {mine.case} of {inspection_id}, question {mine.question}"

    def shown(moderation) -> str:
        return f"{_shown(moderation.value)} by {moderation.moderator} ({moderation.reason!r}, {moderation.at})"

    if mine.value is None or theirs.value is None:
        def said(moderation, here: str) -> str:
            return (f"withdrawn {here} ({moderation.at})" if moderation.value is None
                    else f"moderated to {shown(moderation)} {here}")

        kept = "withdrawn" if later.value is None else f"{_shown(later.value)} by {later.moderator}"
        return (f"{where}: {said(mine, 'here')} and {said(theirs, 'there')}; kept the later, {kept}, "
                "the other in history")
    return (f"{where}: moderated to {shown(mine)} here and to {shown(theirs)} there; kept the later, "
            f"{_shown(later.value)} by {later.moderator}, the other in history")
