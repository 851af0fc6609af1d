"""The type of every stored field, checked as a database is read: a wrong type is one line naming the record."""

from __future__ import annotations

from collections.abc import Callable

from esi_tui.store.errors import StoreError

Check = Callable[[object], bool]


def _text(value: object) -> bool:
    return isinstance(value, str)


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _flag(value: object) -> bool:
    return isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _scores(value: object) -> bool:
    return isinstance(value, dict) and all(_number(v) for v in value.values())


def _counts(value: object) -> bool:
    return isinstance(value, dict) and all(_whole(v) for v in value.values())


def _attributes(value: object) -> bool:
    return isinstance(value, dict) and all(v is None or isinstance(v, (str, int, float, bool)) for v in value.values())


def _completion(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(entry, dict) and _flag(entry.get("complete", False)) and _text_or_none(entry.get("at"))
        and _text_or_none(entry.get("reason")) for entry in value.values())


def _settings(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    kinds: dict[str, Check] = {"double_review": _texts, "double_review_seed": _whole,
                               "double_review_share": _number, "disagreement_policy": _text}
    return all(check(value[key]) for key, check in kinds.items() if key in value)


#: what each field of each table must hold (a field left out of a record is the required check's business)
SHAPES: dict[str, dict[str, tuple[Check, str]]] = {
    "inspections": {
        **{f: (_text, "text") for f in ("id", "title", "area", "questionnaire_id", "questionnaire_version",
                                        "questionnaire_hash", "questionnaire_source", "created")},
        "baseline": (_scores, "a table of scores"), "question_baseline": (_scores, "a table of scores"),
        "not_comparable": (_texts, "a list of criterion codes"), "settings": (_settings, "team settings"),
    },
    "cases": {
        "inspection": (_text, "text"), "reference": (_text, "text"), "created": (_text, "text"),
        "attributes": (_attributes, "a table of attribute values"), "complete": (_flag, "true or false"),
        "completed_by": (_texts, "a list of names"), "completion": (_completion, "completion marks"),
    },
    "answers": {
        **{f: (_text, "text") for f in ("inspection", "case", "question", "reviewer")},
        **{f: (_text_or_none, "text or null") for f in ("value", "note", "at")},
    },
    "history": {
        **{f: (_text, "text") for f in ("inspection", "case")},
        **{f: (_text_or_none, "text or null") for f in ("question", "reviewer", "value", "note", "at",
                                                       "replaced_at", "kind", "moderator", "reason",
                                                       "withdrawn_by", "withdrawal_reason")},
    },
    "moderations": {
        **{f: (_text, "text") for f in ("inspection", "case", "question", "value")},
        **{f: (_text_or_none, "text or null") for f in ("reason", "moderator", "at")},
    },
    "notes": {**{f: (_text, "text") for f in ("inspection", "case", "reviewer", "note")},
              "at": (_text_or_none, "text or null")},
    "deleted": {**{f: (_text, "text") for f in ("id", "at", "title", "area", "questionnaire_id")},
                "counts": (_counts, "a table of counts")},
}
#: the fields that say which record it is, in messages
NAMING = ("id", "inspection", "reference", "case", "question", "reviewer")


class DamagedRecord(StoreError):
    """A stored record whose field holds the wrong kind of value (the caller adds the file's name)."""


def shape_problem(table: str, doc: object) -> str | None:
    """What is wrong with the types of one stored record, or None."""
    if not isinstance(doc, dict):
        return "is not a record"
    for name, (check, kind) in SHAPES.get(table, {}).items():
        if name in doc and not check(doc[name]):
            return f"{name} must be {kind}, not {type(doc[name]).__name__}"
    return None


def named(doc: object) -> str:
    """The fields that identify a record, for a message (only short text ones)."""
    if not isinstance(doc, dict):
        return ""
    shown = [f"{key} {doc[key]!r}" for key in NAMING if isinstance(doc.get(key), str) and len(doc[key]) <= 64]
    return f" ({', '.join(shown)})" if shown else ""


def check_tables(tables: dict[str, list]) -> None:
    """Refuse the first record of any table whose fields hold the wrong kind of value."""
    for table, docs in tables.items():
        for number, doc in enumerate(docs, start=1):
            problem = shape_problem(table, doc)
            if problem:
                raise DamagedRecord(f"damaged record {number} of {table}{named(doc)}: {problem}; "
                                    "the database was left as it is")
