"""What is done with a journal's damaged tail: a copy beside the database (0600, never deleted), and one line."""

from __future__ import annotations

import time
from pathlib import Path

from esi_tui.store import fileops
from esi_tui.store.errors import StoreError


def aside_path(path: Path, kind: str) -> Path:
    """A fresh name beside `path` for bytes set aside: `NAME.KIND-20261202T041500Z` (then -2, -3...)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    candidate = path.with_name(f"{path.name}.{kind}-{stamp}")
    number = 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = path.with_name(f"{path.name}.{kind}-{stamp}-{number}")
    return candidate


def keep_aside(path: Path, data: bytes, kind: str) -> Path:
    """Write `data` to a new file beside `path`, durably; returns its name."""
    target = aside_path(path, kind)
    try:
        fileops.write_new(target, data)
    except OSError as exc:
        raise StoreError(f"{target}: could not set the damaged records aside: {exc.strerror}; "
                         "nothing was changed") from None
    return target


def lines(count: int) -> str:
    """'1 line' or 'N lines'."""
    return f"{count} line" if count == 1 else f"{count} lines"
