"""A full disk, told honestly: saved work is never reported lost, part-applied input says how much."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from esi_tui.cli import main
from esi_tui.store import close_notices
from esi_tui.store import folding as folding_module
from esi_tui.store.repository import Repository

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "tests" / "helpers" / "disk_full.py"
QUESTIONS = ["B1.2", "B2.1", "B3.1", "B3.2", "B3.3", "B3.4", "C2.1", "C2.2", "C2.3", "C2.6", "C2.7", "C3.1", "C5.1"]


def _script(path: Path, cases: int) -> int:
    """A replay script of an inspection, `cases` cases and 13 answers each; returns its number of lines."""
    records: list[dict] = [{"type": "inspection", "id": "i1", "questionnaire": "esi-2005-followup"}]
    for n in range(cases):
        records.append({"type": "case", "reference": f"C{n:03}", "attributes": {"risk_of_harm": "low"}})
        records += [{"type": "answer", "case": f"C{n:03}", "question": q, "value": "yes" if (n + i) % 3 else "no",
                     "reviewer": "ann", "at": "2026-01-02T03:04:05Z"} for i, q in enumerate(QUESTIONS)]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return len(records)


def _run(mode: str, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(HOOK), mode, *argv], capture_output=True, text=True, env=env,
                          timeout=300)


def _answers(db: Path) -> dict:
    with Repository.open(db, readonly=True) as repo:
        return {key: doc["value"] for key, doc in repo.state.answers.items()}


def test_a_replay_whose_journal_is_saved_but_whose_fold_fails_exits_0_with_a_warning(tmp_path: Path) -> None:
    script, db = tmp_path / "s.jsonl", tmp_path / "db.json"
    _script(script, 15)   # 211 lines
    assert main(["new", "-q", "peer-review-quick", "--area", "Elsewhere", "--db", str(db), "--reviewer", "ann"]) == 0
    done = _run("fold", "replay", str(script), "--db", str(db), "--quiet", "--reviewer", "ann")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    warning = [line for line in done.stderr.splitlines() if line.startswith("esi-tui: warning:")]
    assert len(warning) == 1 and "No space left on device" in warning[0] and "nothing is lost" in warning[0]
    assert not [line for line in done.stderr.splitlines() if line.startswith("esi-tui:") and "warning" not in line]
    assert len(_answers(db)) == 15 * 13   # every line was saved, as the exit status says


def test_a_replay_cut_short_by_a_full_disk_says_how_much_and_running_it_again_completes_it(tmp_path: Path) -> None:
    script, db, clean = tmp_path / "s.jsonl", tmp_path / "db.json", tmp_path / "clean.json"
    lines = _script(script, 100)   # 1401 lines: three journal batches of about 125 kB each (checksummed lines)
    cut = _run("journal-after:180000", "replay", str(script), "--db", str(db), "--quiet", "--reviewer", "ann")
    assert cut.returncode == 1
    assert "Traceback" not in cut.stderr and "internal error" not in cut.stderr
    message = cut.stderr.strip().splitlines()[0]
    found = re.search(r"No space left on device.*; (\d+) of (\d+) lines of .* were applied and are saved: run the "
                      r"same replay again to apply the rest", message)
    assert found, cut.stderr
    applied, total = int(found[1]), int(found[2])
    assert total == lines and 0 < applied < total
    assert len(_answers(db)) >= (applied - 1) * 13 // 14   # what it says is saved is saved
    again = _run("none", "replay", str(script), "--db", str(db), "--quiet", "--reviewer", "ann")
    assert again.returncode == 0, again.stderr
    assert main(["replay", str(script), "--db", str(clean), "--quiet", "--reviewer", "ann"]) == 0
    assert _answers(db) == _answers(clean)
    with Repository.open(db, readonly=True) as repo:
        assert not repo.history("i1")   # the second run replaced nothing: the applied lines were held
    before = db.read_bytes()
    assert _run("none", "replay", str(script), "--db", str(db), "--quiet", "--reviewer", "ann").returncode == 0
    assert db.read_bytes() == before


def test_a_merge_cut_short_by_a_full_disk_says_how_much_and_running_it_again_completes_it(tmp_path: Path) -> None:
    script, source, target = tmp_path / "s.jsonl", tmp_path / "src.json", tmp_path / "into.json"
    _script(script, 100)
    assert main(["replay", str(script), "--db", str(source), "--quiet", "--reviewer", "ann"]) == 0
    cut = _run("journal-after:180000", "merge", str(source), "--into", str(target))
    assert cut.returncode == 1 and "Traceback" not in cut.stderr
    found = re.search(r"(\d+) of (\d+) changes of the merge are saved: run the same merge again", cut.stderr)
    assert found and 0 < int(found[1]) < int(found[2]), cut.stderr
    assert _run("none", "merge", str(source), "--into", str(target)).returncode == 0
    assert _answers(target) == _answers(source)


def test_closing_on_a_full_disk_after_everything_was_saved_is_not_a_failure(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "db.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "ann"]) == 0
    repo = Repository.open(db)
    repo.set_answer("hampshire-demo", "H001", "B1.2", "no", "ann", note="saved before the disk filled")

    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folding_module, "replace_file", full)
    close_notices.take()
    repo.close()   # the app's quit: no exception, a warning for the command line
    warnings = close_notices.take()
    assert len(warnings) == 1 and "nothing is lost" in warnings[0]
    monkeypatch.undo()
    answer = Repository.open(db, readonly=True).answer("hampshire-demo", "H001", "B1.2", "ann")
    assert answer is not None and (answer.value, answer.note) == ("no", "saved before the disk filled")


def test_the_first_error_is_the_one_shown_not_a_later_close_error(tmp_path: Path) -> None:
    script, db = tmp_path / "s.jsonl", tmp_path / "db.json"
    _script(script, 15)
    assert main(["replay", str(script), "--db", str(db), "--quiet", "--reviewer", "ann"]) == 0
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"type": "answer", "case": "C000", "question": "B1.2", "value": "no",
                                "reviewer": "bob"}) + "\n")
    # the journal is full: the answer cannot be saved, and the fold at close cannot write either
    cut = _run("journal-after:0", "replay", str(more), "--db", str(db), "--quiet", "--reviewer", "ann")
    assert cut.returncode == 1
    first = cut.stderr.splitlines()[0]
    assert first.startswith("esi-tui: ") and "could not save" in first and "0 of 1 lines" in first, cut.stderr
    assert ("C000", "B1.2", "bob") not in {k[1:] for k in _answers(db)}


def test_quitting_the_app_on_a_full_disk_after_saving_reports_no_failure(tmp_path: Path) -> None:
    mode = "fold"
    db = tmp_path / "db.json"
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "ann"]) == 0
    code = ("import sys, asyncio\n"
            f"sys.path.insert(0, {str(HOOK.parent)!r})\n"
            "import disk_full\n"
            "from esi_tui.app.factory import create_app\n"
            f"app = create_app({str(db)!r}, reviewer='ann', inspection='hampshire-demo')\n"
            "async def go():\n"
            "    async with app.run_test(size=(100, 30)) as pilot:\n"
            "        await pilot.pause()\n"
            "        await pilot.press('enter')\n"
            "        await pilot.pause()\n"
            "        await pilot.press('y')\n"
            "        await pilot.pause()\n"
            f"        disk_full.install({mode!r})\n"
            "        await pilot.press('q')\n"
            "asyncio.run(go())\n"
            "print('exit', app.return_code)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip().endswith(("exit 0", "exit None")), done.stdout
    with Repository.open(db, readonly=True) as repo:
        assert [key for key in repo.state.answers if key[3] == "ann"]   # the answer given before quitting
