"""User text made inert in Markdown: it reads as itself, never as markup, HTML or a link."""

from __future__ import annotations

import re

from esi_tui.core.text import shown_text

#: characters that make Markdown markup anywhere in a line (a link needs "[", so "(" and "!" alone are plain)
INLINE = frozenset("\\`*_[]|~")
#: what HTML would read as a tag or an entity, written as entities (a Markdown viewer shows them as typed)
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: a line that would start a list, a numbered list, a heading or a rule
LIST_START = re.compile(r"^(\s*)([-+=#]|\d+(?=[.)]))")


def md_text(text: str) -> str:
    """`text` as literal Markdown: HTML-ish and Markdown control characters escaped, control characters shown."""
    out = []
    for char in shown_text(text):
        if char in ENTITIES:
            out.append(ENTITIES[char])
        elif char in INLINE:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    match = LIST_START.match(escaped)
    if match:
        if match.group(2)[0].isdigit():
            end = match.end()
            return escaped[:end] + "\\" + escaped[end:]
        return escaped[:match.start(2)] + "\\" + escaped[match.start(2):]
    return escaped
