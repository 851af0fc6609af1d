"""Parse TOML text for every file the app reads, with one clear line for each way it can be bad."""

from __future__ import annotations

import re
import tomllib

TOML_POSITION = re.compile(r"^(?P<what>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.DOTALL)
TOML_AT_END = " (at end of document)"


class TomlProblem(ValueError):
    """TOML text that cannot be read; the message is one line naming the file (and where in it)."""


def syntax_error(name: str, text: str, message: str) -> str:
    """`FILE:LINE:COLUMN: TOML syntax error: what`, from tomllib's message."""
    match = TOML_POSITION.match(message)
    if match:
        line, col, what = match["line"], match["col"], match["what"]
    elif message.endswith(TOML_AT_END):
        line, col = text.count("\n") + 1, len(text) - text.rfind("\n")
        what = message[: -len(TOML_AT_END)] + " at end of file"
    else:
        return f"{name}: TOML syntax error: {message}"
    return f"{name}:{line}:{col}: TOML syntax error: {what}"


def parse_toml(text: str, name: str) -> dict:
    """The TOML document's tables; TomlProblem for a syntax error, deep nesting or a huge number."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlProblem(syntax_error(name, text, str(exc))) from None
    except RecursionError:
        raise TomlProblem(f"{name}: TOML syntax error: values nested too deeply") from None
    except ValueError:  # the only other one: an integer of more digits than Python converts (4300)
        raise TomlProblem(f"{name}: TOML syntax error: a number has too many digits") from None
