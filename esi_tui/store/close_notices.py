"""What closing a database could not do although nothing was lost, kept for the command line to show once."""

from __future__ import annotations

_pending: list[str] = []


def add(text: str) -> None:
    """Keep a warning to show after the command (a fold that failed while every change was already saved)."""
    _pending.append(text)


def take() -> list[str]:
    """The warnings kept so far, in order; they are forgotten once taken."""
    taken = list(_pending)
    _pending.clear()
    return taken
