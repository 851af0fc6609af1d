"""Turn any error into the one line a user reads."""

from __future__ import annotations

from esi_tui.core.loader import QuestionnaireError
from esi_tui.core.parsing import InputError
from esi_tui.store.errors import StoreError


class UsageError(Exception):
    """A command used in a way that cannot work (e.g. which inspection is meant is unclear)."""


def describe_error(exc: BaseException) -> tuple[str, bool]:
    """The message for an error and whether it is an expected one (not a bug)."""
    if isinstance(exc, QuestionnaireError):
        return "\n".join(exc.problems), True
    if isinstance(exc, InputError):
        return "\n".join(exc.problems), True
    if isinstance(exc, (StoreError, UsageError)):
        return str(exc), True
    if isinstance(exc, OSError):
        name = f"{exc.filename}: " if exc.filename else ""
        return f"{name}{exc.strerror or exc}", True
    return (f"internal error: {type(exc).__name__}: {exc} "
            "(please report it; ESI_TUI_DEBUG=1 shows the details)"), False
