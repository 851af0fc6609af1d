"""The database's contents in memory, and how each journaled change alters them."""

from __future__ import annotations

from esi_tui.core.times import moment
from esi_tui.store.record_shapes import check_tables, shape_problem

#: the table whose record a change names (see State._check)
_CHANGED_TABLE = {"inspection": "inspections", "settings": "inspections", "case": "cases", "answer": "answers",
                  "moderation": "moderations", "note": "notes", "history": "history"}
TABLES = ("inspections", "cases", "answers", "history", "moderations", "notes", "deleted")
REQUIRED = {
    "inspections": ("id", "questionnaire_id", "questionnaire_source"),
    "cases": ("inspection", "reference", "attributes"),
    "answers": ("inspection", "case", "question", "reviewer"),
    "history": ("inspection", "case"),
    "moderations": ("inspection", "case", "question", "value"),
    "notes": ("inspection", "case", "reviewer", "note"),
    "deleted": ("id", "at"),
}
ANSWER_FIELDS = ("inspection", "case", "question", "reviewer", "value", "note", "at")
MODERATION_FIELDS = ("inspection", "case", "question", "value", "reason", "moderator", "at")
#: what one change altered: its kind ("answer", "case", ...) and the key of what it altered
Change = tuple[str, ...]
#: the key of the case-wide completion mark in a case's `completion` (the others are reviewers' names)
CASE_WIDE = ""


def completion_of(doc: dict) -> dict[str, tuple[bool, str]]:
    """Each reviewer's completion of a case, and under CASE_WIDE its case-wide mark: (complete, when; "" not known)."""
    finished = doc.get("completed_by", [])
    stored = doc.get("completion") or {}

    def at(key: str, state: bool) -> str:
        entry = stored.get(key)
        return entry.get("at") or "" if isinstance(entry, dict) and entry.get("complete") == state else ""

    states = {name: (True, at(name, True)) for name in finished}
    states.update({name: (False, at(name, False)) for name in stored if name and name not in finished})
    complete = bool(doc.get("complete", False))
    if CASE_WIDE in stored:
        marked = bool(stored[CASE_WIDE].get("complete"))
        states[CASE_WIDE] = (marked, at(CASE_WIDE, marked))
    elif complete != bool(finished):
        states[CASE_WIDE] = (complete, "")     # marked (or reopened) for everyone, at a time not known
    return states


def completion_key(complete: bool, at: str) -> tuple:
    """A sort key for completion states: the later wins; at one known time reopened, at unknown times complete."""
    # reopened at a tie keeps a blind double review blind; complete among times not known is as before
    when = moment(at)
    return when, complete if when[0] == 0 else not complete


class State:
    """Inspections, cases, answers, history, moderations and case notes, indexed for lookups."""

    def __init__(self) -> None:
        self.inspections: dict[str, dict] = {}
        self.cases: dict[tuple[str, str], dict] = {}
        self.answers: dict[tuple[str, str, str, str], dict] = {}
        self.history: list[dict] = []
        self.moderations: dict[tuple[str, str, str], dict] = {}
        self.notes: dict[tuple[str, str, str], dict] = {}
        #: inspections deleted from this database, by id: what a merge must not bring back
        self.deleted: dict[str, dict] = {}
        # each case's answer keys in the order of `answers` (tuples: a copy may share them)
        self._by_case: dict[tuple[str, str], tuple[tuple[str, str, str, str], ...]] = {}

    def case_answers(self, inspection_id: str, reference: str) -> list[dict]:
        """One case's stored answers, in the order they were given (cheap: no scan of every answer)."""
        return [self.answers[key] for key in self._by_case.get((inspection_id, reference), ())]

    def _index(self, key: tuple[str, str, str, str], present: bool) -> None:
        case = key[:2]
        old = self._by_case.get(case, ())
        if present and key not in old:     # the usual change: a new answer joins the end (cheap on a big load)
            self._by_case[case] = old + (key,)
            return
        keys = tuple(k for k in old if k != key) + ((key,) if present else ())
        if keys:
            self._by_case[case] = keys
        else:
            self._by_case.pop(case, None)

    def load(self, tables: dict[str, list[dict]]) -> None:
        """Fill the state from the TinyDB tables (DamagedRecord, KeyError or TypeError when a record is damaged)."""
        check_tables(tables)
        for name, docs in tables.items():
            for doc in docs:
                missing = [key for key in REQUIRED[name] if key not in doc]
                if missing:
                    raise KeyError(missing[0])
        for doc in tables.get("inspections", []):
            if not isinstance(doc["questionnaire_source"], str):
                raise TypeError("questionnaire_source")
            self.inspections[doc["id"]] = dict(doc)
        for doc in tables.get("cases", []):
            if not isinstance(doc["attributes"], dict):
                raise TypeError("attributes")
            if not all(isinstance(entry, dict) for entry in (doc.get("completion") or {}).values()):
                raise TypeError("completion")
            self.cases[(doc["inspection"], doc["reference"])] = dict(doc)
        by_case: dict[tuple[str, str], list] = {}
        for doc in tables.get("answers", []):
            key = (doc["inspection"], doc["case"], doc["question"], doc["reviewer"])
            self.answers[key] = dict(doc)
            by_case.setdefault(key[:2], []).append(key)
        self._by_case = {case: tuple(keys) for case, keys in by_case.items()}
        self.history = [dict(doc) for doc in tables.get("history", [])]
        for doc in tables.get("moderations", []):
            self.moderations[(doc["inspection"], doc["case"], doc["question"])] = dict(doc)
        for doc in tables.get("notes", []):
            self.notes[(doc["inspection"], doc["case"], doc["reviewer"])] = dict(doc)
        for doc in tables.get("deleted", []):
            self.deleted[doc["id"]] = dict(doc)

    def tables(self) -> dict[str, list[dict]]:
        """Every table's documents, for writing the TinyDB file."""
        return {"inspections": list(self.inspections.values()), "cases": list(self.cases.values()),
                "answers": list(self.answers.values()), "history": list(self.history),
                "moderations": list(self.moderations.values()), "notes": list(self.notes.values()),
                "deleted": list(self.deleted.values())}

    def copy(self) -> State:
        """A copy to try changes on (a dry run): changes replace documents, never edit them in place."""
        other = State()
        other.inspections = dict(self.inspections)
        other.cases = dict(self.cases)
        other.answers = dict(self.answers)
        other.history = list(self.history)
        other.moderations = dict(self.moderations)
        other.notes = dict(self.notes)
        other.deleted = dict(self.deleted)
        other._by_case = dict(self._by_case)
        return other

    def apply(self, record: dict) -> Change | None:
        """Apply one change and say what it changed; None for a change this version does not know."""
        handler = getattr(self, f"_apply_{record['op']}", None)
        if handler is None:
            return None
        change = handler(record)
        self._check(change)
        return change

    def _check(self, change: Change) -> None:
        """Refuse (TypeError) a change that left a record holding the wrong kind of value (a damaged journal)."""
        kind, key = change[0], tuple(change[1:])
        table = _CHANGED_TABLE.get(kind)
        if table is None:
            return
        if table == "history":
            doc = self.history[-1] if self.history else None
        elif table == "inspections":
            doc = self.inspections.get(key[0])
        else:   # only the one record the change names is looked up: this runs on every save
            doc = getattr(self, table).get(key)
        if doc is not None:
            problem = shape_problem(table, doc)
            if problem:
                raise TypeError(problem)

    def _apply_inspection(self, record: dict) -> Change:
        self.inspections[record["record"]["id"]] = dict(record["record"])
        self.deleted.pop(record["record"]["id"], None)   # made again: a merge may bring its records in
        return ("inspection", record["record"]["id"])

    def _apply_delete_inspection(self, record: dict) -> Change:
        """An inspection and everything of it gone (its cases, answers, history, moderations, case notes);
        what it was is kept by id, so that a merge does not bring it back."""
        inspection_id = record["inspection"]
        old = self.inspections.pop(inspection_id)
        self.cases = {key: doc for key, doc in self.cases.items() if key[0] != inspection_id}
        self.answers = {key: doc for key, doc in self.answers.items() if key[0] != inspection_id}
        self._by_case = {key: keys for key, keys in self._by_case.items() if key[0] != inspection_id}
        self.history = [doc for doc in self.history if doc.get("inspection") != inspection_id]
        self.moderations = {key: doc for key, doc in self.moderations.items() if key[0] != inspection_id}
        self.notes = {key: doc for key, doc in self.notes.items() if key[0] != inspection_id}
        self.deleted[inspection_id] = {"id": inspection_id, "at": record["at"], "title": old.get("title", ""),
                                       "area": old.get("area", ""),
                                       "questionnaire_id": old.get("questionnaire_id", ""),
                                       "counts": dict(record.get("counts") or {})}
        return ("inspection_deleted", inspection_id)

    def _apply_settings(self, record: dict) -> Change:
        old = self.inspections[record["inspection"]]
        # copied: the record (and the list a caller passed in) must not share lists with the state
        changes = {k: list(v) if isinstance(v, list) else v for k, v in record["settings"].items()}
        self.inspections[record["inspection"]] = {**old, "settings": {**old.get("settings", {}), **changes}}
        return ("settings", record["inspection"])

    def _apply_case(self, record: dict) -> Change:
        key = (record["inspection"], record["reference"])
        old = self.cases.get(key, {})
        completed = list(old.get("completed_by", []))
        # when each reviewer's completion (and the case-wide mark) last changed: what a merge weighs
        completion = {name: dict(entry) for name, entry in (old.get("completion") or {}).items()}
        reviewer = record.get("reviewer")
        if reviewer and "complete" in record:
            if record["complete"] and reviewer not in completed:
                completed.append(reviewer)
            elif not record["complete"] and reviewer in completed:
                completed.remove(reviewer)
            complete = bool(completed)
        else:
            complete = record.get("complete", old.get("complete", False))
        if "complete" in record:
            entry = {"complete": bool(record["complete"]), "at": record.get("at") or ""}
            if record.get("reason"):
                entry["reason"] = record["reason"]      # why the store reopened it (its completeness ended)
            completion[reviewer or CASE_WIDE] = entry
        doc = {
            "inspection": record["inspection"], "reference": record["reference"],
            "attributes": record["attributes"], "created": old.get("created", record["at"]),
            "complete": complete, "completed_by": completed,
        }
        if completion:
            doc["completion"] = completion
        self.cases[key] = doc
        return ("case", record["inspection"], record["reference"])

    def _apply_answer(self, record: dict) -> Change:
        key = (record["inspection"], record["case"], record["question"], record["reviewer"])
        old = self.answers.get(key)
        if old is not None:
            self.history.append({**old, "replaced_at": record["at"]})
        if record["value"] is None and not record.get("note"):
            self.answers.pop(key, None)
            self._index(key, False)
        else:
            if old is not None and old.get("value") is None and record["value"] is not None:
                # A note-only answer that now gets a value joins the other reviewers' answers at the
                # end, as it does in a live TallyEngine: the "first" reviewer's answer (policy
                # "first") must not depend on whether the tallies were rebuilt from the database.
                del self.answers[key]
                self._index(key, False)
            if key not in self.answers:
                self._index(key, True)
            self.answers[key] = {f: record.get(f) for f in ANSWER_FIELDS}
        return ("answer", *key)

    def _apply_history(self, record: dict) -> Change:
        if record["record"] not in self.history:
            self.history.append(dict(record["record"]))
        return ("history", record["record"].get("inspection", ""))

    def _apply_moderation(self, record: dict) -> Change:
        key = (record["inspection"], record["case"], record["question"])
        old = self.moderations.get(key)
        if old is not None:
            replaced = {**old, "kind": "moderation", "replaced_at": record["at"]}
            if record["value"] is None:  # withdrawn: who withdrew it and why are kept with what was withdrawn
                replaced.update({"withdrawn_by": record.get("moderator") or "",
                                 "withdrawal_reason": record.get("reason") or ""})
            self.history.append(replaced)
        if record["value"] is None:
            self.moderations.pop(key, None)
        else:
            self.moderations[key] = {f: record.get(f) for f in MODERATION_FIELDS}
        return ("moderation", *key)

    def _apply_note(self, record: dict) -> Change:
        key = (record["inspection"], record["case"], record["reviewer"])
        if record["note"]:
            self.notes[key] = {f: record[f] for f in ("inspection", "case", "reviewer", "note", "at")}
        else:
            self.notes.pop(key, None)
        return ("note", *key)
