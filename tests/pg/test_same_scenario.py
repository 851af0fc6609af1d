"""One scenario, two stores: the same CLI commands on a TinyDB file and on a PostgreSQL database give
the same `tally --json`, `export` (every format), `report` (both formats), `agreement` and `compare`,
byte for byte: the same records, the same engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION

pytestmark = pytest.mark.slow

INSPECTION = DEMO_INSPECTION
T = "2005-03-0{}T{:02d}:00:00Z"


def team_records() -> list[dict]:
    """A second and third reviewer, a moderation, case notes, the dispute policy, completions, a clearing."""
    records: list[dict] = [
        {"type": "settings", "inspection": INSPECTION, "disagreement_policy": "dispute"},
        {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.2", "value": "no",
         "reviewer": "mk", "note": "plan too thin", "at": T.format(2, 9)},
        {"type": "answer", "inspection": INSPECTION, "case": "H001", "question": "B1.1", "value": "yes",
         "reviewer": "mk", "at": T.format(2, 10)},
        {"type": "answer", "inspection": INSPECTION, "case": "H002", "question": "B1.1", "value": "no",
         "reviewer": "zz", "at": T.format(2, 11)},
        {"type": "answer", "inspection": INSPECTION, "case": "H002", "question": "B1.1", "value": None,
         "reviewer": "zz", "at": T.format(2, 12)},
        {"type": "moderation", "inspection": INSPECTION, "case": "H001", "question": "B1.2", "value": "yes",
         "moderator": "lead", "reason": "plan found, dated day four", "at": T.format(3, 9)},
        {"type": "case_note", "inspection": INSPECTION, "case": "H003", "reviewer": "mk",
         "note": "look at the MAPPA minutes ✓", "at": T.format(3, 10)},
        {"type": "case", "inspection": INSPECTION, "reference": "H031",
         "attributes": {"risk_of_harm": "high", "child_protection": True}},
    ]
    return records


def run(*argv: str | Path) -> int:
    return cli.main([str(a) for a in argv])


def scenario(db: str, folder: Path, capsys) -> dict[str, str]:
    """The scenario on `db`; every output compared, by name."""
    demo = folder / "demo.jsonl"
    team = folder / "team.jsonl"
    assert run("replay", demo, "--db", db, "--quiet") == 0
    assert run("replay", team, "--db", db, "--quiet", "--reviewer", "jb") == 0
    assert run("double-review", "--cases", "H004,H005", "--db", db) == 0
    capsys.readouterr()
    # bob's laptop keeps the first-answer policy: a difference to look at (exit 3), reported the same way
    assert run("merge", folder / "bob.json", "--into", db) == 3
    outputs = {"merge": capsys.readouterr().err}
    for name, argv in {
        "tally": ["tally", "--json", "--ci"],
        "tally-only-mk": ["tally", "--json", "--only-reviewer", "mk"],
        "tally-where": ["tally", "--json", "--where", "risk_of_harm=high,very_high"],
        "export-jsonl": ["export"],
        "export-csv": ["export", "--format", "csv"],
        "export-json": ["export", "--format", "json"],
        "export-redacted": ["export", "--redact"],
        "report-md": ["report", "--ci"],
        "report-html": ["report", "--format", "html"],
        "agreement": ["agreement", "--json"],
        "compare": ["compare", "--json"],
    }.items():
        assert run(*argv, "--db", db, "--inspection", INSPECTION) == 0, name
        outputs[name] = capsys.readouterr().out
    return outputs


def test_the_same_scenario_gives_the_same_outputs_on_both_stores(tmp_path, pg_url, capsys):
    folder = tmp_path / "inputs"
    folder.mkdir()
    source = tmp_path / "source.json"
    build_demo(source, "jb")
    assert run("export", "--db", source, "-o", folder / "demo.jsonl") == 0
    (folder / "team.jsonl").write_text("".join(json.dumps(r) + "\n" for r in team_records()), encoding="utf-8")
    # bob's own database: the demo's inspection and one answer given on his laptop
    bob = folder / "bob.json"
    assert run("replay", folder / "demo.jsonl", "--db", bob, "--quiet") == 0
    assert run("replay", "--db", bob, "--quiet", "--reviewer", "bob", _script(tmp_path, [
        {"type": "answer", "inspection": INSPECTION, "case": "H006", "question": "B1.1", "value": "yes",
         "at": T.format(4, 9)}])) == 0
    capsys.readouterr()

    on_file = scenario(str(tmp_path / "team.json"), folder, capsys)
    on_server = scenario(pg_url, folder, capsys)
    for name in on_file:
        assert on_server[name] == on_file[name], f"{name} differs between the stores"
    # the comparison compared something: the team's records are in the outputs
    assert "plan found, dated day four" in on_file["export-jsonl"] and '"bob"' in on_file["export-jsonl"]
    assert "H031" in on_file["export-csv"] and "dispute" in on_file["export-jsonl"]
    assert json.loads(on_file["tally"])["criteria"][0]["positive"] > 0


def _script(folder: Path, records: list[dict]) -> Path:
    path = folder / f"script-{len(list(folder.glob('script-*')))}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
