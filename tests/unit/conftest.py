"""Fixtures the unit tests share: `run` calls the CLI in this process and returns (status, stdout, stderr)."""

from __future__ import annotations

from pathlib import Path

import pytest

from esi_tui import cli


@pytest.fixture
def run(capsys):
    """`run("tally", "--db", path)`: the exit status and what the command printed, as a user sees it."""
    def runner(*argv: str | Path) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return runner
