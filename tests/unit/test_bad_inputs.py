"""Inputs the fault campaign found reaching "internal error" or let through: each refused with one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esi_tui.cli import main


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    return db


def _one_line_error(capsys: pytest.CaptureFixture[str], *parts: str) -> str:
    out, err = capsys.readouterr()
    err = out + err  # validate prints its findings on stdout, the others on stderr
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    for part in parts:
        assert part in err, err
    return err


WRONG_TYPES = [
    ("answers", "value", 5),
    ("answers", "note", ["a"]),
    ("cases", "attributes", ["risk_of_harm", "high"]),
    ("cases", "completed_by", None),
    ("cases", "complete", "yes"),
    ("inspections", "baseline", "B1=54"),
    ("inspections", "area", 7),
    ("inspections", "id", 3),
]


@pytest.mark.parametrize(("table", "field", "value"), WRONG_TYPES, ids=[f"{t}.{f}" for t, f, _ in WRONG_TYPES])
@pytest.mark.parametrize("command", [["tally"], ["report"], ["export"], ["list"], ["agreement"]])
def test_a_valid_json_database_with_a_wrong_field_type_is_one_line_naming_the_file_and_record(
        demo_db: Path, capsys, table: str, field: str, value: object, command: list[str]) -> None:
    data = json.loads(demo_db.read_text())
    first = next(iter(data[table]))
    data[table][first][field] = value
    demo_db.write_text(json.dumps(data))
    before = demo_db.read_bytes()
    capsys.readouterr()
    assert main(["--read-only", *command, "--db", str(demo_db)]) == 1
    _one_line_error(capsys, str(demo_db), f"damaged record 1 of {table}", field)
    assert main([*command, "--db", str(demo_db)]) == 1   # a writer too, and the file stays as it was
    _one_line_error(capsys, str(demo_db), field)
    assert demo_db.read_bytes() == before


SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "esi-2005-followup.toml"


@pytest.mark.parametrize("text", ['id = "x"\nversion = ' + "9" * 5000, "title = " + "[" * 5000 + "]" * 5000],
                         ids=["5000-digit integer", "nested 5000 deep"])
def test_a_questionnaire_or_baseline_with_a_huge_integer_or_deep_nesting_is_one_line(
        tmp_path: Path, capsys, text: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    assert main(["validate", str(bad)]) == 1
    _one_line_error(capsys, str(bad), "TOML syntax error")
    db = tmp_path / "new.json"
    assert main(["new", "-q", str(bad), "--area", "X", "--db", str(db)]) == 1
    _one_line_error(capsys, str(bad))
    assert main(["new", "-q", "esi-2005-followup", "--area", "X", "--db", str(db), "--baseline", str(bad)]) == 1
    _one_line_error(capsys, str(bad), "TOML syntax error")
    assert not db.exists()


def test_a_5000_digit_integer_in_a_replay_line_is_one_line_and_nothing_is_applied(demo_db: Path, tmp_path: Path,
                                                                                   capsys) -> None:
    script = tmp_path / "s.jsonl"
    script.write_text('{"type": "case", "reference": "Z1", "attributes": {"mappa_level": ' + "9" * 5000 + "}}\n")
    before = demo_db.read_bytes()
    assert main(["replay", str(script), "--db", str(demo_db), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{script}:1: malformed JSON: a number has too many digits" in err and "Traceback" not in err
    assert demo_db.read_bytes() == before


def test_a_replay_questionnaire_is_a_catalogue_id_never_a_path(demo_db: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "elsewhere" / "esi-2005-followup.toml"
    copy.parent.mkdir()
    copy.write_text(SHIPPED.read_text())
    script = tmp_path / "s.jsonl"
    for ref in (str(SHIPPED), str(copy), "../questionnaires/esi-2005-followup.toml"):
        script.write_text(json.dumps({"type": "inspection", "id": "i2", "questionnaire": ref}) + "\n")
        before = demo_db.read_bytes()
        assert main(["replay", str(script), "--db", str(demo_db), "--quiet"]) == 1
        err = capsys.readouterr().err
        assert f"{script}:1: unknown questionnaire" in err, err
        assert demo_db.read_bytes() == before
    # an id is found in a folder named with --questionnaires
    script.write_text(json.dumps({"type": "inspection", "id": "i2", "questionnaire": "esi-2005-followup"}) + "\n")
    assert main(["replay", str(script), "--db", str(demo_db), "--quiet",
                 "--questionnaires", str(copy.parent)]) == 0


def test_a_moderation_withdrawal_keeps_its_reason_and_who_withdrew_through_export_replay_and_merge(
        tmp_path: Path, capsys) -> None:
    script = tmp_path / "w.jsonl"
    script.write_text("\n".join(json.dumps(r) for r in [
        {"type": "inspection", "id": "i1", "questionnaire": "esi-2005-followup"},
        {"type": "case", "reference": "C1", "attributes": {"risk_of_harm": "high"}},
        {"type": "answer", "case": "C1", "question": "B1.2", "value": "yes", "reviewer": "ann"},
        {"type": "moderation", "case": "C1", "question": "B1.2", "value": "no", "moderator": "mod", "reason": "agreed"},
        {"type": "moderation", "case": "C1", "question": "B1.2", "value": None, "moderator": "lead",
         "reason": "wrong case file"}]) + "\n")
    first, again, merged = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    assert main(["replay", str(script), "--db", str(first), "--quiet", "--reviewer", "ann"]) == 0
    exported = tmp_path / "e.jsonl"
    assert main(["export", "--db", str(first), "-o", str(exported)]) == 0
    assert main(["replay", str(exported), "--db", str(again), "--quiet", "--reviewer", "ann"]) == 0
    assert main(["merge", str(first), "--into", str(merged)]) == 0
    for db in (first, again, merged):
        capsys.readouterr()
        assert main(["export", "--db", str(db)]) == 0
        records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        withdrawal = [r for r in records if r["type"] == "moderation" and r["value"] is None]
        assert len(withdrawal) == 1 and withdrawal[0]["reason"] == "wrong case file", (db, records)
        assert withdrawal[0]["moderator"] == "lead"
    assert main(["export", "--db", str(first), "--redact"]) == 0
    assert "wrong case file" not in capsys.readouterr().out


INJECTIONS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click me](javascript:alert(1))",
              "![pixel](http://tracker.example/p.png)", "**loud** _and_ `code` ~~gone~~", "| a | b |",
              "&lt;already an entity&gt;", "- a list of its own", "# a heading", "1. numbered", "a \\*star\\*"]


def test_the_markdown_report_escapes_html_and_markdown_in_notes_title_and_area(tmp_path: Path, capsys) -> None:
    from markdown_it import MarkdownIt

    records = [{"type": "inspection", "id": "i1", "questionnaire": "esi-2005-followup",
                "title": "<b>Title</b> *x*", "area": "[Area](http://x)"},
               {"type": "case", "reference": "C1", "attributes": {"risk_of_harm": "high"}}]
    questions = ["B1.1", "B1.2", "B1.4", "B1.5", "B2.1", "B3.1", "B3.2", "B3.3", "B3.4", "C2.1", "C2.2"]
    for question, text in zip(questions, INJECTIONS):
        kind = "good practice" if question == "B1.2" else "report"
        records.append({"type": "answer", "case": "C1", "question": question, "value": "yes",
                        "note": f"{kind}: {text}"})
    script = tmp_path / "s.jsonl"
    script.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    db = tmp_path / "db.json"
    assert main(["replay", str(script), "--db", str(db), "--quiet", "--reviewer", "ann"]) == 0
    capsys.readouterr()
    assert main(["report", "--db", str(db)]) == 0
    markdown = capsys.readouterr().out
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)
    for tag in ("<script", "<img", "<a ", "<b>", "<code>", "<s>", "<del>", "<h1>a heading", "<ol"):
        assert tag not in html, tag
    assert "<strong>loud</strong>" not in html and "<em>x</em>" not in html
    # each reads as the reviewer typed it
    for text in INJECTIONS[:3] + ["**loud** _and_ `code` ~~gone~~", "- a list of its own", "a \\*star\\*"]:
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html, text
    assert "&lt;b&gt;Title&lt;/b&gt; *x*" in html and "[Area](http://x)" in html


@pytest.mark.parametrize("argv", [["--read-only", "tally", "--db", "{loop}"], ["tally", "--db", "{loop}"],
                                  ["new", "-q", "esi-2005-followup", "--area", "X", "--db", "{loop}"],
                                  ["merge", "{db}", "--into", "{loop}"],
                                  ["sample", "{loop}", "--size", "2", "-o", "{loop}"],
                                  ["export", "--db", "{db}", "-o", "{loop}/x"]])
def test_a_symlink_loop_is_one_line_never_internal_error(demo_db: Path, tmp_path: Path, capsys, argv) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    capsys.readouterr()
    assert main([a.format(loop=loop, db=demo_db) for a in argv]) == 1
    _one_line_error(capsys, str(loop))
    assert loop.is_symlink()
