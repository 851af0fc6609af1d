"""What the repository's parts share: the change log, who listens to changes, and each inspection's definition."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from esi_tui.core.loader import QuestionnaireError, loads
from esi_tui.core.questionnaire import Questionnaire
from esi_tui.store.errors import ReadOnly, StoreError, UnknownCase, UnknownInspection
from esi_tui.store.state import Change, State

Listener = Callable[[Change], None]


class ChangeLog(Protocol):
    """Where changes are made durable and applied: a database file (FileLog), a dry run (MemoryLog) or a
    PostgreSQL server (PgLog, which also has `begin`, `end`, `abort` and `receive`: see Ledger.operation)."""

    state: State
    readonly: bool
    fold_error: StoreError | None

    @property
    def name(self) -> str: ...

    @property
    def seq(self) -> int: ...

    def commit(self, record: dict) -> Change: ...

    def commit_many(self, records: list[dict], done=None) -> list[Change]: ...

    def fold(self) -> None: ...

    def close(self) -> None: ...


class Ledger:
    """The one path every change takes: the log makes it durable and applies it, then listeners hear of it."""

    def __init__(self, log: ChangeLog):
        self.log = log
        self._listeners: list[Listener] = []
        self._questionnaires: dict[str, Questionnaire] = {}
        self._depth = 0

    @contextmanager
    def operation(self) -> Iterator[None]:
        """One write, checked and committed as a whole: on a shared store it holds the server's change
        lock, catching up first (so its checks see the others' changes) and committing at the end; a
        commit the server refused is taken back out of memory and the listeners hear of it again."""
        begin = getattr(self.log, "begin", None)
        if self._depth or begin is None:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._changed(begin())
        self._depth = 1
        try:
            yield
            self.log.end()  # type: ignore[attr-defined]
        except BaseException:
            self._changed(self.log.abort())  # type: ignore[attr-defined]
            raise
        finally:
            self._depth = 0

    def receive(self, rows: list) -> list[Change]:
        """Apply changes another process committed (a shared store's feed), then tell the listeners."""
        changes = self.log.receive(rows)  # type: ignore[attr-defined]
        self._changed(changes)
        return changes

    @property
    def state(self) -> State:
        """The database's contents now."""
        return self.log.state

    def commit(self, record: dict) -> Change:
        """Make one change (durable first), then tell the listeners what it changed."""
        change = self.log.commit(record)
        self._changed([change])
        return change

    def commit_many(self, records: list[dict], done=None) -> list[Change]:
        """Make many changes in order (a replay, a merge), then tell the listeners."""
        try:
            changes = self.log.commit_many(records, done)
        finally:
            self._questionnaires.clear()
        self._changed(changes)
        return changes

    def _changed(self, changes: list[Change]) -> None:
        for change in changes:
            if change[0] == "inspection":
                self._questionnaires.pop(change[1], None)
            for listener in list(self._listeners):
                listener(change)

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(change)` after every change made through this ledger."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop telling `listener` about changes."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def writable(self) -> None:
        """Refuse a change at once on a database opened read-only (before checking what it would do)."""
        if self.log.readonly:
            raise ReadOnly(f"{self.log.name}: opened read-only; the change was not saved")

    # -- lookups every part needs ------------------------------------------------------------

    def inspection_doc(self, inspection_id: str) -> dict:
        """The stored inspection; UnknownInspection when there is none with this id."""
        try:
            return self.state.inspections[inspection_id]
        except KeyError:
            known = ", ".join(self.state.inspections) or "none"
            raise UnknownInspection(inspection_id, f"no inspection {inspection_id!r} in {self.log.name} "
                                                   f"(known: {known})") from None

    def case_doc(self, inspection_id: str, reference: str) -> dict:
        """The stored case; UnknownCase when the inspection has no such case."""
        self.inspection_doc(inspection_id)
        try:
            return self.state.cases[(inspection_id, reference)]
        except KeyError:
            raise UnknownCase(reference, f"inspection {inspection_id!r} has no case {reference!r}") from None

    def questionnaire(self, inspection_id: str) -> Questionnaire:
        """The definition recorded with the inspection (not today's file, which may have changed)."""
        if inspection_id not in self._questionnaires:
            doc = self.inspection_doc(inspection_id)
            try:
                self._questionnaires[inspection_id] = loads(doc["questionnaire_source"], name=doc["questionnaire_id"])
            except QuestionnaireError as exc:
                raise StoreError(f"{self.log.name}: inspection {inspection_id}: recorded questionnaire is damaged: "
                                 f"{exc.problems[0]}") from None
        return self._questionnaires[inspection_id]

    def share_questionnaires(self, other: Ledger) -> None:
        """Let a dry run reuse the definitions already loaded here (they are read-only)."""
        other._questionnaires = dict(self._questionnaires)
