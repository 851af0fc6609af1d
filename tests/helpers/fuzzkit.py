"""What the fuzzers share: the CLI run in this process, and the promises every run must keep."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from esi_tui.cli import main

#: bounded for CI: deterministic (the same examples every run), no deadline (a shared machine is slow)
FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

#: JSON values of every kind, small and nested, with the odd huge or awkward one
SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.integers(10**30, 10**40)
           | st.floats(allow_nan=False) | st.text(max_size=20)
           | st.sampled_from(["", "\x00", "\x1b[31m", "\ud800", "yes", "no", "na", "H001", "B1.2", "hampshire-demo"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=3), max_leaves=8)
#: text as a command line can carry it: any bytes, decoded the way Python decodes argv (surrogateescape)
ARGV_TEXT = (st.binary(max_size=12).map(os.fsdecode) | st.text(max_size=12)
             | st.sampled_from(["", "-", "--", "\x1b[2J", "H001", "hampshire-demo", "Ann", "..", "/"]))


def run(argv: list[str]) -> tuple[int, str, str]:
    """`esi-tui ARGV` in this process: (exit status, stdout, stderr); an argparse refusal is status 2."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, out: str = "") -> None:
    """No traceback and no last-resort message, whatever the input; a failure says why (validate on stdout)."""
    for text in (err, out):
        assert "Traceback" not in text, text
        assert "internal error" not in text, text
    if code not in (0, 3):
        assert (err + out).strip(), "a failure must say why"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes (lock files aside, which only say who holds them, and empty
    journals, which any writer's open creates and which hold no change)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock") and not (p.name.endswith(".journal")
                                                                     and p.stat().st_size == 0)}


def empty_folder(folder: Path) -> Path:
    """`folder`, emptied (each example starts from nothing)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def fresh_copy(source: Path, folder: Path) -> Path:
    """A copy of a database file in an emptied folder."""
    target = empty_folder(folder) / source.name
    shutil.copyfile(source, target)
    return target
