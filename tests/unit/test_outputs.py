"""Every -o output: exclusive temp beside the target, 0600, renamed into place, errors naming the file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from esi_tui.cli import main
from esi_tui.store import outputs
from esi_tui.store.outputs import OutputError, remove_stale_outputs, write_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "db" / "demo.json"
    db.parent.mkdir()
    assert main(["demo", "--db", str(db), "--no-open", "--reviewer", "Ann"]) == 0
    return db


def test_write_file_is_private_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        target = tmp_path / "out.txt"
        target.write_text("old")
        os.chmod(target, 0o644)
        write_file(target, b"new text")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new text"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_link_planted_at_every_predictable_temp_name_receives_nothing(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    target = tmp_path / "export.jsonl"
    # the old predictable names, and ours with this pid (the random part cannot be guessed)
    for name in (f".{target.name}.{os.getpid()}.tmp", f"{outputs.PREFIX}{os.getpid()}.{target.name}.{outputs.SUFFIX}"):
        (tmp_path / name).symlink_to(victim)
    write_file(target, b"personal data")
    assert victim.read_text() == "untouched"
    assert target.read_bytes() == b"personal data" and not target.is_symlink()


def test_export_and_report_and_sample_write_through_the_safe_path(demo_db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    out = tmp_path / "o"
    out.mkdir()
    for name in ("e.jsonl", "r.md", "s.csv"):
        (out / f".{name}.{os.getpid()}.tmp").symlink_to(victim)
    assert main(["export", "--db", str(demo_db), "-o", str(out / "e.jsonl")]) == 0
    assert main(["report", "--db", str(demo_db), "-o", str(out / "r.md")]) == 0
    caseload = tmp_path / "caseload.csv"
    caseload.write_text("reference\n" + "".join(f"C{i}\n" for i in range(20)))
    assert main(["sample", str(caseload), "--size", "5", "--seed", "1", "-o", str(out / "s.csv")]) == 0
    assert victim.read_text() == "untouched"
    for name in ("e.jsonl", "r.md", "s.csv"):
        assert (out / name).stat().st_mode & 0o777 == 0o600
        assert (out / name).read_text()


def test_a_stale_temp_of_a_killed_run_is_cleaned_on_the_next_run(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / f"{outputs.PREFIX}{pid}.out.txt.abc123{outputs.SUFFIX}"
    stale.write_text("half an export of a killed run")
    live = tmp_path / f"{outputs.PREFIX}{os.getpid()}.other.txt.xyz{outputs.SUFFIX}"
    live.write_text("a write still going on")
    someone_elses = tmp_path / "notes.part"
    someone_elses.write_text("not ours")
    write_file(tmp_path / "out.txt", b"x")
    assert not stale.exists()
    assert live.exists() and someone_elses.exists()


def test_a_killed_export_leaves_only_a_temp_the_next_run_removes(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code = ("import os, sys, time\n"
            "from esi_tui.store import outputs\n"
            "real = os.fsync\n"
            "def slow(fd):\n"
            "    print('writing', flush=True); time.sleep(60)\n"
            "os.fsync = slow\n"
            "from esi_tui.cli import main\n"
            f"main(['export', '--db', {str(demo_db)!r}, '-o', {str(out / 'e.jsonl')!r}])\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    left = list(out.iterdir())
    assert len(left) == 1 and left[0].name.startswith(outputs.PREFIX)
    assert left[0].stat().st_mode & 0o777 == 0o600
    remove_stale_outputs(out)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "under-a-file"])
def test_every_output_error_is_one_line_naming_the_file(demo_db: Path, tmp_path: Path, where: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    if where == "missing-folder":
        target = tmp_path / "nowhere" / "e.jsonl"
    elif where == "a-folder":
        target = tmp_path / "a-folder"
        target.mkdir()
    else:
        (tmp_path / "plain").write_text("a file, not a folder")
        target = tmp_path / "plain" / "e.jsonl"
    for command in (["export"], ["report"]):
        capsys.readouterr()
        assert main([*command, "--db", str(demo_db), "-o", str(target)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(target) in err, err
        assert "Traceback" not in err and "internal error" not in err


def test_disk_full_on_an_output_names_it_and_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "report.md"
    target.write_text("the old report")

    def full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "write", full)
    with pytest.raises(OutputError, match=r"report\.md: could not write: No space left on device"):
        write_file(target, b"new")
    assert target.read_text() == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_temp_that_was_a_link_is_never_followed_when_cleaning(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / f"{outputs.PREFIX}999999999.x{outputs.SUFFIX}"
    link.symlink_to(victim)
    remove_stale_outputs(tmp_path)
    assert victim.read_text() == "keep"


def test_a_killed_merge_leaves_no_personal_data_outside_the_target_folder(demo_db: Path, tmp_path: Path) -> None:
    scratch, home, into = tmp_path / "tmp", tmp_path / "home", tmp_path / "into"
    for folder in (scratch, home, into):
        folder.mkdir()
    target = into / "merged.json"
    code = ("import os, time\n"
            "real = os.fsync\n"
            "def slow(fd):\n"
            "    print('saving', flush=True); time.sleep(60)\n"
            "os.fsync = slow\n"
            "from esi_tui.cli import main\n"
            f"main(['merge', {str(demo_db)!r}, '--into', {str(target)!r}])\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch), "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache")}
    before = {p for p in tmp_path.rglob("*")}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline() == "saving\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p.parent == into for p in created), sorted(map(str, created))
    assert list(scratch.iterdir()) == [] and list(home.iterdir()) == []
    assert main(["merge", str(demo_db), "--into", str(target)]) == 0   # the next run completes it


def test_an_output_to_a_pipe_or_device_is_written_into_it_never_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` or a named pipe: the data goes in and the special file stays (a rename would replace it)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, b"the whole export\n")
    reader.join(timeout=10)
    assert got == [b"the whole export\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name != "pipe"]   # no temp left beside it
