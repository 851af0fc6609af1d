"""Table cells shown as written: DataTable reads a plain str cell as Rich markup."""

from __future__ import annotations

from rich.text import Text


def cell(value: object) -> object:
    """A str as Text taken literally (a reason "see [notes]" lost its brackets, "a[/]" raised); others as given.

    One line, no wrap, as DataTable would make it; building it here also spares the table parsing markup
    in every cell of a 500-case sample.
    """
    if isinstance(value, str):
        return Text(value, no_wrap=True, end="")
    return value


def cells(values) -> list[object]:
    """`cell` of each value."""
    return [cell(value) for value in values]
