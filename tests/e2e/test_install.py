"""A non-editable install finds the shipped questionnaires from a folder outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_installed_package_creates_an_inspection_from_a_shipped_questionnaire(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "ESI_TUI_DB": "", "PYTHONPATH": ""}
    esi = env_dir / "bin" / "esi-tui"
    created = subprocess.run(
        [str(esi), "new", "--questionnaire", "esi-2005-followup", "--area", "Hampshire", "--id", "h-2005",
         "--baseline", "B1=54,B2=64", "--db", "inspection.json"],
        cwd=outside, capture_output=True, text=True, env=env, timeout=120,
    )
    assert created.returncode == 0, created.stderr
    assert "created inspection h-2005" in created.stdout
    tally = subprocess.run([str(esi), "tally", "--json", "--db", "inspection.json"],
                           cwd=outside, capture_output=True, text=True, env=env, timeout=120)
    assert tally.returncode == 0, tally.stderr
    document = json.loads(tally.stdout)
    assert [c["code"] for c in document["criteria"]] == ["B1", "B2", "B3", "C2", "C3", "C5"]
    assert document["criteria"][0]["baseline"] == 54
    where = subprocess.run([str(python), "-c", "import esi_tui, sys; print(esi_tui.__file__)"],
                           cwd=outside, capture_output=True, text=True, env=env, timeout=60)
    assert str(env_dir) in where.stdout, "the test must use the installed copy, not the checkout"
    assert sys.prefix not in where.stdout
