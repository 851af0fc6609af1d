"""The README states only what is true: its Quick start, its commands, its keys and its CSV columns
are checked against the parser, the registry of screens and `import-cases --columns`."""

from __future__ import annotations

import re
from pathlib import Path

from esi_tui import cli
from esi_tui.app.registry import screens

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> str:
    return README[README.index("## Quick start"):README.index("## Commands")]


def test_quick_start_makes_a_virtual_environment_first_then_the_two_commands_word_for_word():
    text = quick_start()
    blocks = re.findall(r"```sh\n(.*?)\n```", text, re.S)
    assert blocks == ["pip install . && esi-tui demo", "pip install -e '.[test]' && pytest"]
    venv = text.index("python3 -m venv .venv && . .venv/bin/activate")
    assert venv < text.index("```sh")
    assert text[:venv].count("\n") == text[:text.index("Make a virtual environment")].count("\n")  # one line


def test_every_command_is_in_the_commands_table():
    parser = cli.build_parser()
    commands = next(a for a in parser._subparsers._group_actions).choices  # argparse has no public way
    table = README[README.index("## Commands"):README.index("## Questionnaires")]
    for name in commands:
        assert f"`esi-tui {name}" in table, name
    assert "`esi-tui delete-inspection ID [--yes]`" in table


def test_the_keys_the_readme_names_are_the_apps():
    keys = {(entry.title, binding.key, binding.id) for entry in screens() for binding in entry.bindings()}
    for screen, key, binding_id in [("Cases", "v", "cases.view"), ("Review", "r", "review.others"),
                                    ("Inspections", "D", "inspections.delete"), ("Cases", "d", "cases.double_review"),
                                    ("Review", "C", "review.reopen"), ("Review", "w", "review.case_note"),
                                    ("Review", "left_square_bracket", "review.previous_case"),
                                    ("Review", "ctrl+g", "review.guidance")]:
        assert (screen, key, binding_id) in keys
    assert "`v` switches between your own progress and the team's" in README
    assert "`r` shows the other\nreviewers' answers" in README
    assert "`D` deletes the\nhighlighted inspection" in README


def test_the_csv_columns_are_what_import_cases_columns_prints(capsys, tmp_path):
    db = tmp_path / "esi.json"
    assert cli.main(["new", "-q", "esi-2005-followup", "--area", "X", "--id", "x", "--db", str(db)]) == 0
    capsys.readouterr()
    assert cli.main(["import-cases", "--columns", "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert printed in README
    for value in ("very_high (very high)", "community_order (community order)"):
        assert value in printed


def test_developer_detail_lives_in_docs():
    development = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    for heading in ("## Benchmarks", "## How it is built", "## House rules"):
        assert heading in development and heading not in README
    assert "[docs/development.md](docs/development.md)" in README
    assert "(../bench/README.md)" in development and (ROOT / "bench" / "README.md").exists()
