"""The one way in to an inspection database: a facade over its parts (inspections, cases and their
completion, answers, team records), which all change it through one ledger of journaled changes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from esi_tui.core.entities import Answer, Case, Inspection, Moderation
from esi_tui.core.inspection_state import CaseRecord, InspectionState, sees
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.core.tally import TallyEngine
from esi_tui.store import close_notices
from esi_tui.store.answers import Answers
from esi_tui.store.cases import Cases
from esi_tui.store.completions import Completions, Reopened
from esi_tui.store.errors import StoreError
from esi_tui.store.file_log import FileLog
from esi_tui.store.inspections import Inspections
from esi_tui.store.ledger import ChangeLog, Ledger, Listener
from esi_tui.store.location import Database, is_server, resolved_file, shown
from esi_tui.store.memory_log import MemoryLog
from esi_tui.store.record_shapes import DamagedRecord
from esi_tui.store.team import Team

Method = TypeVar("Method", bound=Callable)


def _write(method: Method) -> Method:
    """A write is one ledger operation: on a shared store, checked and committed under the server's lock."""
    @functools.wraps(method)
    def write(self, *args, **kwargs):
        with self.ledger.operation():
            return method(self, *args, **kwargs)
    return write  # type: ignore[return-value]


class Repository:
    """Inspections, cases, answers and team records of one database, each change checked, then made durable."""

    def __init__(self, log: ChangeLog):
        self.log = log
        self.ledger = Ledger(log)
        self._inspections = Inspections(self.ledger)
        self._completions = Completions(self.ledger)
        self._cases = Cases(self.ledger, self._completions)
        self._answers = Answers(self.ledger, self._completions)
        self._team = Team(self.ledger, self._completions)

    # -- opening, closing, dry runs ----------------------------------------------------------

    @classmethod
    def open(cls, path: Database, *, readonly: bool = False, wait: float = 0.0,
             scope: Iterable[str] | None = None) -> Repository:
        """Open (creating when absent) a database file, or a PostgreSQL database named by URL; `wait`
        seconds for another writer of a file to finish; `scope`: load only these inspections (a server)."""
        try:
            if is_server(path):
                from esi_tui.store.pg_log import PgLog

                log: ChangeLog = PgLog.open(str(path), readonly=readonly, scope=scope)
            else:
                log = FileLog.open(resolved_file(Path(path)), readonly=readonly, wait=wait)
        except DamagedRecord as exc:
            raise StoreError(f"{shown(path)}: {exc}") from None
        repo = cls(log)
        if not readonly:
            try:
                repo.reconcile_completions()
            except BaseException:
                repo.close()
                raise
        return repo

    @classmethod
    def in_memory(cls, name: str = "(in memory)") -> Repository:
        """An empty database that lives in memory only (an exported script turned into a merge source)."""
        return cls(MemoryLog(name=name))

    def scratch(self) -> Repository:
        """A copy to try changes on: what they would do, and the records to commit here if they succeed."""
        other = Repository(MemoryLog(self.ledger.state.copy(), self.log.seq, name=self.log.name))
        self.ledger.share_questionnaires(other.ledger)
        return other

    @property
    def records(self) -> list[dict]:
        """The changes made so far on a scratch copy (empty for a database file)."""
        return list(getattr(self.log, "records", []))

    def commit_records(self, records: list[dict], done=None) -> None:
        """Make changes tried on a scratch copy here, in order (a replay or a merge that passed its dry run)."""
        self.ledger.commit_many([{k: v for k, v in record.items() if k != "seq"} for record in records], done)

    def subscribe(self, listener: Listener) -> None:
        """Hear of every change made through this repository (the app's views keep current this way)."""
        self.ledger.subscribe(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop hearing of changes."""
        self.ledger.unsubscribe(listener)

    @property
    def path(self) -> Path:
        """The database file (for a scratch copy, the file it was copied from)."""
        return Path(self.log.name) if getattr(self.log, "path", None) is None else self.log.path  # type: ignore

    @property
    def name(self) -> str:
        """What messages call this database."""
        return self.log.name

    @property
    def readonly(self) -> bool:
        """Whether changes are refused (opened read-only)."""
        return self.log.readonly

    @property
    def notices(self) -> list[str]:
        """What opening the database found and did that the user should hear of (a damaged tail set aside)."""
        return list(getattr(self.log, "notices", []))

    @property
    def fold_error(self) -> StoreError | None:
        """The error of the last fold that failed (the changes stayed safe in the journal), or None."""
        return self.log.fold_error

    @property
    def state(self):
        """The database's contents (for the store's own code and tests; screens use the methods)."""
        return self.ledger.state

    def fold(self) -> None:
        """Write the journal's changes into the database file now."""
        self.log.fold()

    def close(self) -> None:
        """Fold the journal into the database file and let other writers in.

        Every change was saved (fsync'd in the journal, or committed on the server) before its caller
        heard of it, so a fold that fails here (a full disk) loses nothing: it is a warning kept for the
        command line, never an error that would make saved work look lost or hide the error that came first.
        """
        try:
            self.log.close()
        except StoreError as exc:
            close_notices.add(f"{exc} (nothing is lost: every change was saved before this, and is read back "
                              "the next time the database is opened)")

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- inspections -------------------------------------------------------------------------

    def inspections(self) -> list[Inspection]:
        """Every inspection in the database, oldest first."""
        return self._inspections.all()

    def inspection(self, inspection_id: str) -> Inspection:
        """One inspection; InvalidChange when there is none with this id."""
        return self._inspections.get(inspection_id)

    def has_inspection(self, inspection_id: str) -> bool:
        """Whether an inspection with this id exists."""
        return self._inspections.has(inspection_id)

    @_write
    def create_inspection(self, inspection_id: str, questionnaire: Questionnaire, **details) -> Inspection:
        """A new inspection that keeps its own copy of the questionnaire (title, area, baselines)."""
        return self._inspections.create(inspection_id, questionnaire, **details)

    def questionnaire(self, inspection_id: str) -> Questionnaire:
        """The definition recorded with the inspection (not today's file, which may have changed)."""
        return self.ledger.questionnaire(inspection_id)

    def inspection_contents(self, inspection_id: str) -> dict[str, int]:
        """How much an inspection holds: cases, answers, reviewers, moderations and case notes."""
        return self._inspections.contents(inspection_id)

    def delete_inspection(self, inspection_id: str) -> dict[str, int]:
        """Delete an inspection with everything of it (a journaled change); returns what it held."""
        return self._inspections.delete(inspection_id)

    def deleted_inspections(self) -> dict[str, dict]:
        """Inspections deleted from this database (a merge does not bring them back), by id."""
        return self._inspections.deleted()

    # -- cases and their completion ------------------------------------------------------------

    def cases(self, inspection_id: str) -> list[Case]:
        """The inspection's cases in the order they were added."""
        return self._cases.all(inspection_id)

    def case(self, inspection_id: str, reference: str) -> Case:
        """One case; InvalidChange when the inspection has no such case."""
        return self._cases.get(inspection_id, reference)

    def has_case(self, inspection_id: str, reference: str) -> bool:
        """Whether the inspection has a case with this reference."""
        return self._cases.has(inspection_id, reference)

    def case_problems(self, inspection_id: str, attributes: dict) -> list[str]:
        """Why these attribute values are not allowed by the inspection's questionnaire."""
        return self._cases.problems(inspection_id, attributes)

    @_write
    def save_case(self, inspection_id: str, reference: str, attributes: dict | None = None) -> Case:
        """Add a case, or change some of its attributes (a complete case they reopen says why)."""
        return self._cases.save(inspection_id, reference, attributes)

    @_write
    def set_complete(self, inspection_id: str, reference: str, complete: bool = True,
                     reviewer: str | None = None, at: str | None = None) -> Case:
        """Mark a case complete (refused while required questions are open) or reopen it."""
        return self._completions.set_complete(inspection_id, reference, complete, reviewer, at)

    def completion_problem(self, inspection_id: str, reference: str, reviewer: str | None) -> str | None:
        """Why the case cannot be marked complete by `reviewer` (None: for everyone) now, or None."""
        return self._completions.problem(inspection_id, reference, reviewer)

    def completion(self, inspection_id: str, reference: str) -> dict[str, tuple[bool, str]]:
        """Per reviewer who finished (or reopened) the case, and under "" case-wide: (complete, when)."""
        return self._completions.completion(inspection_id, reference)

    def reopen_reason(self, inspection_id: str, reference: str, reviewer: str | None) -> str:
        """Why the store reopened this completion when a change left the case incomplete ('' if it did not)."""
        return self._completions.reopen_reason(inspection_id, reference, reviewer)

    @_write
    def reconcile_completions(self) -> list[Reopened]:
        """Reopen every completion whose case has required questions open."""
        return self._completions.reconcile_all()

    # -- answers ---------------------------------------------------------------------------

    def answers(self, inspection_id: str, case: str | None = None) -> list[Answer]:
        """Current answers of an inspection (or of one case), in the order they were first given."""
        return self._answers.all(inspection_id, case)

    def answer(self, inspection_id: str, case: str, question: str, reviewer: str) -> Answer | None:
        """One reviewer's current answer, or None."""
        return self._answers.get(inspection_id, case, question, reviewer)

    def answer_count(self, inspection_id: str) -> int:
        """How many answers an inspection holds."""
        return self._answers.count(inspection_id)

    def ratings(self, inspection_id: str, leave_out: set[str] | frozenset[str] = frozenset()
                ) -> dict[tuple[str, str], dict[str, str]]:
        """(case, question) to {reviewer: answer} for every answered item, except the cases left out."""
        return self._answers.ratings(inspection_id, leave_out)

    def reviewers_by_case(self, inspection_id: str) -> dict[str, list[str]]:
        """Who has answered something, per case."""
        return self._answers.reviewers_by_case(inspection_id)

    def history(self, inspection_id: str, case: str | None = None, question: str | None = None) -> list[dict]:
        """Earlier versions of answers and moderations, each with the time it was replaced."""
        return self._answers.history(inspection_id, case, question)

    @_write
    def set_answer(self, inspection_id: str, case: str, question: str, value: str | None, reviewer: str,
                   note: str | None = None, at: str | None = None) -> Answer | None:
        """Save one answer (None clears it); `note=None` keeps the note. Returns what is now stored."""
        return self._answers.save(inspection_id, case, question, value, reviewer, note, at)

    # -- team records --------------------------------------------------------------------------

    def settings(self, inspection_id: str) -> dict:
        """The inspection's team settings: double review sample and disagreement policy."""
        return self._team.settings(inspection_id)

    @_write
    def adopt_settings(self, inspection_id: str, settings: dict) -> dict:
        """Record team settings; only what differs is saved. Returns what changed."""
        return self._team.adopt_settings(inspection_id, settings)

    @_write
    def set_disagreement_policy(self, inspection_id: str, policy: str) -> None:
        """How tallies count an unmoderated disagreement: the first reviewer's answer, or in dispute."""
        self._team.set_disagreement_policy(inspection_id, policy)

    @_write
    def mark_double_review(self, inspection_id: str, references: list[str] | None = None,
                           share: float | None = None, seed: int | None = None) -> list[str]:
        """Mark cases for blind double review: named ones, or a random share with a recorded seed."""
        return self._team.mark_double_review(inspection_id, references, share, seed)

    @_write
    def unmark_double_review(self, inspection_id: str, reference: str) -> None:
        """Take a case out of the blind double-review sample."""
        self._team.unmark_double_review(inspection_id, reference)

    def is_double_review(self, inspection_id: str, reference: str) -> bool:
        """Whether a case is in the blind double-review sample."""
        return self._team.is_double_review(inspection_id, reference)

    def blind_cases(self, inspection_id: str) -> set[str]:
        """Double-review cases not yet finished by two reviewers: still blind."""
        return self._team.blind_cases(inspection_id)

    def blind_for(self, inspection_id: str, reference: str, reviewer: str | None = None) -> bool:
        """Whether the case's reviewers must not yet see each other's answers."""
        return self._team.blind_for(inspection_id, reference, reviewer)

    def moderations(self, inspection_id: str) -> list[Moderation]:
        """Every moderated (agreed) answer of an inspection."""
        return self._team.moderations(inspection_id)

    def moderation(self, inspection_id: str, case: str, question: str) -> Moderation | None:
        """The moderated answer of one case and question, or None."""
        return self._team.moderation(inspection_id, case, question)

    @_write
    def moderate(self, inspection_id: str, case: str, question: str, value: str | None, moderator: str,
                 reason: str = "", at: str | None = None) -> Moderation | None:
        """Record the agreed answer (None withdraws it); the earlier one is kept in history."""
        return self._team.moderate(inspection_id, case, question, value, moderator, reason, at)

    def case_note(self, inspection_id: str, case: str, reviewer: str) -> str:
        """A reviewer's note on a whole case."""
        return self._team.case_note(inspection_id, case, reviewer)

    def case_notes(self, inspection_id: str) -> list[dict]:
        """Every case note of an inspection."""
        return self._team.case_notes(inspection_id)

    @_write
    def set_case_note(self, inspection_id: str, case: str, reviewer: str, note: str, at: str | None = None) -> None:
        """Save (or with '' remove) a reviewer's note on a case."""
        self._team.set_case_note(inspection_id, case, reviewer, note, at)

    @_write
    def add_history(self, record: dict) -> bool:
        """Keep an earlier version of an answer (from a merged database) unless it is already kept."""
        return self._team.add_history(record)

    # -- the state as a person sees it ---------------------------------------------------------

    def tally(self, inspection_id: str, *, viewer: str | None = None, **options) -> TallyEngine:
        """A tally engine loaded with the inspection's cases and answers.

        With `viewer`, other reviewers' answers on cases blind to the viewer (a double review not
        yet finished by both) are left out, so the counts cannot give them away.
        """
        inspection = self.inspection(inspection_id)
        options.setdefault("policy", self.settings(inspection_id)["disagreement_policy"])
        rows = self._answers.rows(inspection_id)
        if viewer is not None:
            blind = self.blind_cases(inspection_id)
            rows = (row for row in rows if sees(viewer, row[2], row[0] in blind))
        return TallyEngine.build(
            self.questionnaire(inspection_id),
            ((c.reference, c.attributes) for c in self.cases(inspection_id)),
            rows,
            ((m.case, m.question, m.value) for m in self.moderations(inspection_id)),
            baseline=inspection.baseline, question_baseline=inspection.question_baseline,
            not_comparable=inspection.not_comparable, **options,
        )

    def inspection_state(self, inspection_id: str, viewer: str) -> InspectionState:
        """The inspection as `viewer` sees it: the counted view and their own, kept current by the caller."""
        inspection = self.inspection(inspection_id)
        settings = self.settings(inspection_id)
        return InspectionState.build(
            self.questionnaire(inspection_id), viewer, self.case_records(inspection_id),
            self._answers.rows(inspection_id),
            ((m.case, m.question, m.value) for m in self.moderations(inspection_id)),
            policy=settings["disagreement_policy"], sample=settings["double_review"],
            baseline=inspection.baseline, question_baseline=inspection.question_baseline,
            not_comparable=inspection.not_comparable)

    def case_records(self, inspection_id: str) -> list[CaseRecord]:
        """Each case as the state engine needs it."""
        return [self.case_record(inspection_id, c.reference) for c in self.cases(inspection_id)]

    def case_record(self, inspection_id: str, reference: str) -> CaseRecord:
        """One case as the state engine needs it."""
        case = self.case(inspection_id, reference)
        return CaseRecord(case.reference, case.attributes, case.completed_by, case.complete)
