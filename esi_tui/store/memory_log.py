"""A change log in memory: where a script or a merge is tried (a dry run) before anything is saved."""

from __future__ import annotations

from esi_tui.store.errors import StoreError
from esi_tui.store.state import Change, State


class MemoryLog:
    """Applies changes to a copy of a database's state and keeps them, to be committed for real or dropped."""

    readonly = False
    fold_error: StoreError | None = None

    def __init__(self, state: State | None = None, seq: int = 0, name: str = "(dry run)"):
        self.state = state if state is not None else State()
        self.name = name
        self.path = None
        self.seq = seq
        self.records: list[dict] = []

    def commit(self, record: dict) -> Change:
        """Apply one change to the copy and keep it."""
        return self.commit_many([record])[0]

    def commit_many(self, records: list[dict], done=None) -> list[Change]:
        """Apply changes to the copy, in order, and keep them."""
        changes = []
        for record in records:
            self.seq += 1
            record = {**record, "seq": self.seq}
            change = self.state.apply(record)
            assert change is not None, record["op"]
            self.records.append(record)
            changes.append(change)
        if done is not None:
            done(len(records))
        return changes

    def fold(self) -> None:
        """Nothing to write: a dry run keeps its changes until they are committed elsewhere."""

    def close(self) -> None:
        """Nothing to release."""
