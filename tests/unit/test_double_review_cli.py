"""`esi-tui double-review`: marks named cases or a seeded random share, and says which."""

from __future__ import annotations

from pathlib import Path

from esi_tui.cli import main
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.store.repository import Repository


def test_a_seeded_share_is_recorded_and_repeatable(tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    build_demo(first, "ann")
    build_demo(second, "ann")
    assert main(["double-review", "--db", str(first), "--share", "0.2", "--seed", "7"]) == 0
    assert main(["double-review", "--db", str(second), "--share", "0.2", "--seed", "7"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[1].replace(str(second), str(first))
    assert "6 cases for blind double review" in out[0] and "seed 7" in out[0]
    with Repository.open(first, readonly=True) as repo:
        settings = repo.settings(DEMO_INSPECTION)
    assert settings["double_review_seed"] == 7 and len(settings["double_review"]) == 6


def test_named_cases_and_a_missing_choice(tmp_path: Path, capsys) -> None:
    db = tmp_path / "a.json"
    build_demo(db, "ann")
    assert main(["double-review", "--db", str(db), "--cases", "H002,H005"]) == 0
    with Repository.open(db, readonly=True) as repo:
        assert repo.settings(DEMO_INSPECTION)["double_review"] == ["H002", "H005"]
    assert main(["double-review", "--db", str(db)]) == 1
    assert "name cases with --cases" in capsys.readouterr().err
    assert main(["double-review", "--db", str(db), "--cases", "NOPE"]) == 1
    assert "has no case 'NOPE'" in capsys.readouterr().err
