"""Merging who finished a case and its case-wide mark: per reviewer, and for the mark, the later change wins."""

from __future__ import annotations

from esi_tui.core.times import moment
from esi_tui.store.repository import Repository
from esi_tui.store.state import CASE_WIDE, completion_key

#: a reviewer who never finished the case (nor reopened it)
NEVER = (False, "")


def merge_completion(target: Repository, source: Repository, inspection_id: str, reference: str
                     ) -> tuple[bool, bool]:
    """Take each completion from whichever side changed it later: (case state changed, only times changed)."""
    before = target.case(inspection_id, reference)
    mine, theirs = target.completion(inspection_id, reference), source.completion(inspection_id, reference)
    applied = False
    for name in sorted((set(mine) | set(theirs)) - {CASE_WIDE}):
        held, other = mine.get(name, NEVER), theirs.get(name, NEVER)
        if completion_key(*other) > completion_key(*held):
            target.set_complete(inspection_id, reference, other[0], reviewer=name, at=other[1])
            applied = True
    held_mark, other_mark = mine.get(CASE_WIDE), theirs.get(CASE_WIDE)
    taken = other_mark is not None and (held_mark is None or completion_key(*other_mark) > completion_key(*held_mark))
    mark = other_mark if taken else held_mark
    if (applied or taken) and mark is not None:
        # a reviewer's change leaves the case complete while anyone has finished it; a case-wide mark
        # later than every reviewer's change decides instead (as it would have, made in one database)
        merged = target.completion(inspection_id, reference)
        case = target.case(inspection_id, reference)
        changes = [at for name, (_, at) in merged.items() if name != CASE_WIDE]
        if not changes or completion_key(*mark) >= completion_key(bool(case.completed_by), max(changes, key=moment)):
            target.set_complete(inspection_id, reference, mark[0], at=mark[1])
    after = target.case(inspection_id, reference)
    changed = (after.complete, after.completed_by) != (before.complete, before.completed_by)
    return changed, not changed and target.completion(inspection_id, reference) != mine
