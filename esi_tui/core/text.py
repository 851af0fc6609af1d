"""Which text can be saved: references, names and notes checked once, for every way in."""

from __future__ import annotations

import unicodedata

#: the longest text each kind of field may hold
LIMITS = {"reference": 64, "name": 64, "note": 20_000, "reason": 2_000, "title": 200, "id": 64}
#: fields that may hold several lines (tabs and newlines are fine there)
MULTILINE = {"note", "reason"}


def _bad_character(text: str, multiline: bool) -> tuple[int, str] | None:
    """The first character that cannot be saved or shown safely: (position, why)."""
    for index, char in enumerate(text):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return index, f"a character that is not valid text (a lone surrogate \\u{code:04x})"
        if multiline and char in "\n\t":
            continue
        if unicodedata.category(char) == "Cc":
            return index, f"a control character (\\x{code:02x})" if code < 0x100 else "a control character"
    return None


def text_problem(value: object, what: str, kind: str = "note") -> str | None:
    """What is wrong with a text field (`kind`: reference, name, note, reason, title, id), or None.

    Lone surrogates (what a non-UTF-8 name or path decodes to) cannot be written as UTF-8; control
    characters such as NUL and ESC would reach a terminal or a report; and every field has a length
    limit, so that a 1 MB cell gets a clear line instead of a slow store.
    """
    if not isinstance(value, str):
        return f"{what} must be a string"
    limit = LIMITS[kind]
    if len(value) > limit:
        return f"{what} is {len(value):,} characters long; at most {limit:,} are allowed"
    bad = _bad_character(value, kind in MULTILINE)
    if bad is not None:
        return f"{what} holds {bad[1]} at character {bad[0] + 1}"
    return None


def name_problem(value: object, what: str = "reviewer") -> str | None:
    """What is wrong with a person's name (a reviewer, a moderator), or None."""
    problem = text_problem(value, what, "name")
    if problem:
        return problem
    assert isinstance(value, str)
    if not value.strip():
        return f"{what} must not be empty"
    return None


def reference_problem(value: object, what: str = "reference") -> str | None:
    """What is wrong with a case reference, or None."""
    problem = text_problem(value, what, "reference")
    if problem:
        return problem
    assert isinstance(value, str)
    if not value.strip():
        return f"{what} must not be empty"
    if value != value.strip():
        return f"{what} {value!r} must not start or end with spaces"
    return None


def shown_text(value: str) -> str:
    """Text with anything unsafe for a terminal replaced, for messages about text that was refused."""
    return "".join(char if char.isprintable() else "\ufffd" for char in value)
