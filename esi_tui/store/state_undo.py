"""Taking a change back out of the in-memory state exactly (order included), for a commit the server refused."""

from __future__ import annotations

from collections.abc import Callable

from esi_tui.store.state import State

_MISSING = object()


def _entry(table: dict, key, reorders: bool) -> Callable[[], None]:
    """How to put one entry of `table` back; `reorders`: the change may remove or move it (keep the order)."""
    old = table.get(key, _MISSING)
    # the order is kept only when it can change: a removed or moved entry must come back where it was
    order = list(table) if reorders and old is not _MISSING else None

    def restore() -> None:
        if old is _MISSING:
            table.pop(key, None)
        elif order is None or (key in table and list(table) == order):
            table[key] = old
        else:
            items = {k: (old if k == key else table[k]) for k in order}
            table.clear()
            table.update(items)

    return restore


def remember(state: State, record: dict) -> Callable[[], None]:
    """Before `state.apply(record)`: a function that undoes what it will do."""
    op = record["op"]
    history = len(state.history)
    steps: list[Callable[[], None]] = []
    if op == "inspection":
        steps.append(_entry(state.inspections, record["record"]["id"], False))
    elif op == "settings":
        steps.append(_entry(state.inspections, record["inspection"], False))
    elif op == "case":
        steps.append(_entry(state.cases, (record["inspection"], record["reference"]), False))
    elif op == "answer":
        key = (record["inspection"], record["case"], record["question"], record["reviewer"])
        old = state.answers.get(key)
        # an answer cleared is removed; a note-only one that gets a value moves to the end
        moves = old is not None and ((record["value"] is None and not record.get("note"))
                                     or (old.get("value") is None and record["value"] is not None))
        steps.append(_entry(state.answers, key, moves))
        steps.append(_entry(state._by_case, key[:2], False))
    elif op == "moderation":
        key3 = (record["inspection"], record["case"], record["question"])
        steps.append(_entry(state.moderations, key3, record.get("value") is None))
    elif op == "note":
        steps.append(_entry(state.notes, (record["inspection"], record["case"], record["reviewer"]),
                            not record.get("note")))

    def undo() -> None:
        for step in steps:
            step()
        del state.history[history:]

    return undo
