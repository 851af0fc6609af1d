"""The house rules, checked by machine on every run: ruff, mypy with no errors, the import-linter
contracts (core pure, only the store on disk, only the app on Textual), and small modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "esi_tui"
MAX_LINES = 400


def tool(name: str) -> str:
    """The tool installed beside this Python (the test extra installs them); fails loudly when missing."""
    found = Path(sys.executable).with_name(name)
    path = str(found) if found.exists() else shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' installs it")
    return path


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = run(tool("ruff"), "check", "esi_tui", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_error_in_the_package():
    result = run(tool("mypy"))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


def test_the_import_contracts_are_kept():
    result = run(tool("lint-imports"))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") >= 4


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): count for path in PACKAGE.rglob("*.py")
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these by what they hold: {long}"
