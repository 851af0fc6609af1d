"""Faults a database file must survive or refuse clearly: bit flips in the journal, damaged lines, a stolen
or symlinked lock, symlinked journals and db paths, and what `check` and `repair` do about them."""

from __future__ import annotations

import json
import os
import random
import stat
import threading
from pathlib import Path

import pytest

from esi_tui import cli
from esi_tui.core.loader import load_file
from esi_tui.store.errors import StoreError
from esi_tui.store.file_log import FileLog
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
ANSWERS = [("C1", "A1.1", "yes"), ("C1", "A1.2", "no"), ("C2", "A1.1", "na")]


def canon(repo: Repository) -> str:
    return json.dumps(repo.state.tables(), sort_keys=True, default=str)


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def crash(repo: Repository) -> None:
    """Leave the repository as a killed process would: no fold, journal and lock let go."""
    repo.log._journal.close()
    repo.log._journal = None
    repo.log._lock.release()


@pytest.fixture
def built(tmp_path):
    """A database whose file holds an inspection and two cases, and whose journal holds three answers:
    (db, file bytes, journal bytes, the state after 0, 1, 2 and 3 of the answers)."""
    db = tmp_path / "esi.json"
    repo = Repository.open(db)
    repo.create_inspection("i1", load_file(MINI), title="North", area="North")
    repo.save_case("i1", "C1", {"risk": "high"})
    repo.save_case("i1", "C2", {"risk": "low", "level": 2})
    repo.fold()
    states = [canon(repo)]
    for case, question, value in ANSWERS:
        repo.set_answer("i1", case, question, value, "alice")
        states.append(canon(repo))
    crash(repo)
    return db, db.read_bytes(), journal_of(db).read_bytes(), states


def restore(db: Path, file: bytes, journal: bytes) -> None:
    for left in db.parent.glob(db.name + ".journal.*"):
        left.unlink()
    db.write_bytes(file)
    journal_of(db).write_bytes(journal)


def line_of(data: bytes, position: int) -> int:
    """The index (from 0) of the line the byte at `position` belongs to (its newline included)."""
    return data[:position].count(b"\n")


def outcome(db: Path, readonly: bool) -> tuple[str, str | None, list[str]]:
    """('refused', message, []) or ('opened', state, notices)."""
    try:
        repo = Repository.open(db, readonly=readonly)
    except StoreError as exc:
        return "refused", str(exc), []
    try:
        return "opened", canon(repo), repo.notices
    finally:
        repo.close()


def judge(db: Path, flipped: bytes, position: int, states: list[str], readonly: bool, tally: dict) -> None:
    """A flip is refused with a line naming the journal and repair, or its line and those after it are
    left out (set aside by a writer) with a notice; a state other than the true one is never shown silently."""
    kind, value, notices = outcome(db, readonly)
    damaged_line = line_of(flipped, position)
    if kind == "refused":
        assert str(journal_of(db)) in value and "repair" in value and "\n" not in value
        tally["refused"] += 1
        return
    assert notices, f"a flip at byte {position} was accepted silently"
    assert value == states[damaged_line], f"a flip at byte {position} gave a different state"
    assert len(notices) == 1 and str(journal_of(db)) in notices[0] and "\n" not in notices[0]
    if not readonly:
        aside = list(db.parent.glob(db.name + ".journal.damaged-*"))
        assert len(aside) == 1 and stat.S_IMODE(aside[0].stat().st_mode) == 0o600
        assert aside[0].read_bytes() == flipped[len(b"".join(flipped.splitlines(True)[:damaged_line])):]
        assert str(aside[0]) in notices[0]
    tally["set aside"] += 1


def test_no_bit_flip_in_a_journal_line_is_ever_accepted_silently(built):
    db, file, journal, states = built
    tally = {"refused": 0, "set aside": 0}
    rng = random.Random(10)
    # every byte of the journal with one bit flipped (the bit turns with the position), then random bits
    flips = [(p, 1 << (p % 8)) for p in range(len(journal))]
    flips += [(rng.randrange(len(journal)), 1 << rng.randrange(8)) for _ in range(300)]
    for position, bit in flips:
        flipped = bytearray(journal)
        flipped[position] ^= bit
        for readonly in (True, False):
            restore(db, file, bytes(flipped))
            judge(db, bytes(flipped), position, states, readonly, tally)
    print(f"bit flips: {len(flips)} x 2 opens, {tally}, 0 accepted silently")
    assert tally["refused"] and tally["set aside"]  # both paths were taken: the middle and the tail


def test_a_damaged_middle_line_is_refused_naming_the_file_and_line_and_nothing_changes(built):
    db, file, journal, _ = built
    lines = journal.splitlines(True)
    restore(db, file, lines[0] + lines[1].replace(b"yes", b"yes").replace(b'"no"', b'"na"') + lines[2])
    before = (db.read_bytes(), journal_of(db).read_bytes())
    for readonly in (False, True):
        with pytest.raises(StoreError) as refused:
            Repository.open(db, readonly=readonly)
        message = str(refused.value)
        assert message.startswith(f"{journal_of(db)}:2: damaged journal record") and "esi-tui repair" in message
    assert (db.read_bytes(), journal_of(db).read_bytes()) == before


def test_a_damaged_tail_is_set_aside_beside_the_database_and_said_in_one_line(built, capsys):
    db, file, journal, states = built
    lines = journal.splitlines(True)
    restore(db, file, lines[0] + b"garbage\n" + lines[2][:40] + b"\n")
    status = cli.main(["tally", "--db", str(db)])  # a reader leaves it out and says so, changing nothing
    err = capsys.readouterr().err.splitlines()
    assert status == 0 and any(line.startswith(f"esi-tui: {journal_of(db)}:2: the last 2 lines of the journal "
                                               "are damaged") for line in err)
    assert not list(db.parent.glob("esi.json.journal.damaged-*"))
    with Repository.open(db) as writer:
        notice = writer.notices
        assert canon(writer) == states[1]
    assert len(notice) == 1 and "the last 2 lines" in notice[0] and f"{journal_of(db)}:2" in notice[0]
    aside = next(db.parent.glob("esi.json.journal.damaged-*"))
    assert str(aside) in notice[0]
    assert aside.read_bytes() == b"garbage\n" + lines[2][:40] + b"\n"
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    with Repository.open(db) as again:
        assert canon(again) == states[1] and not again.notices
    assert aside.exists()  # never deleted


def test_a_journal_written_before_checksums_still_opens(built):
    db, file, journal, states = built
    legacy = b"".join(json.dumps({k: v for k, v in json.loads(line).items() if k != "crc"}).encode() + b"\n"
                      for line in journal.splitlines())
    header = json.loads(file)
    for doc in header["meta"].values():
        doc.pop("checks")
    restore(db, json.dumps(header).encode(), legacy)
    with Repository.open(db) as again:
        assert canon(again) == states[3]
        again.set_answer("i1", "C2", "A1.2", "yes", "alice")
    # once folded by this version, every journal line must carry its checksum
    assert json.loads(db.read_bytes())["meta"]["1"]["checks"] == "crc32"


# -- the lock ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_lock_file_deleted_or_replaced_under_a_writer_stops_it_and_lets_no_second_writer_in(built, how):
    db, file, journal, states = built
    lock = db.with_name("esi.json.lock")
    repo = Repository.open(db)
    assert canon(repo) == states[3]
    if how == "deleted":
        lock.unlink()
    else:
        other = db.with_name("other")
        other.write_text("{}")
        os.replace(other, lock)
    # a second writer does not get in while the first still runs
    with pytest.raises(StoreError) as second:
        Repository.open(db)
    assert "in use" in str(second.value)
    with pytest.raises(StoreError) as stopped:
        repo.set_answer("i1", "C2", "A1.2", "yes", "alice")
    message = str(stopped.value)
    assert message.startswith(f"{lock}: the lock file was") and "saving stopped" in message and "\n" not in message
    with pytest.raises(StoreError, match="saving stopped"):
        repo.set_answer("i1", "C2", "A1.2", "no", "alice")
    repo.close()  # does not fold: another writer may be in by now
    with Repository.open(db) as again:  # nothing acknowledged was lost, and the database opens
        assert canon(again) == states[3]


@pytest.mark.parametrize("name", ["esi.json.lock", "esi.json.journal"])
def test_a_symlinked_lock_or_journal_is_refused_and_its_target_untouched(built, name):
    db, file, journal, _ = built
    target = db.with_name("precious.txt")
    target.write_bytes(b"keep me\n")
    link = db.with_name(name)
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    for readonly in ([False, True] if name.endswith("journal") else [False]):
        with pytest.raises(StoreError) as refused:
            Repository.open(db, readonly=readonly)
        assert str(refused.value) == f"{link}: is a symbolic link; esi-tui does not follow links here (remove it)"
    assert target.read_bytes() == b"keep me\n" and link.is_symlink()


def test_a_symlink_loop_at_the_database_path_is_one_line(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(StoreError, match="a symbolic link that leads back to itself"):
        Repository.open(a)
    assert cli.main(["list", "--db", str(a)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "a symbolic link that leads back to itself" in err[0] and str(a) in err[0]


# -- check and repair ---------------------------------------------------------------------------------


def run(capsys, *argv) -> tuple[int, list[str], list[str]]:
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err.splitlines()


def test_check_says_healthy_then_names_each_damaged_line_and_repair_keeps_everything_before_it(built, capsys):
    db, file, journal, states = built
    restore(db, file, journal)
    assert run(capsys, "check", "--db", db) == (0, [f"{db}: healthy"], [])
    lines = journal.splitlines(True)
    damaged = lines[1][:-5] + b"x" + lines[1][-4:]
    restore(db, file, lines[0] + damaged + lines[2])
    status, out, err = run(capsys, "check", "--db", db)
    assert status == 1 and out == []
    assert err[0].startswith(f"esi-tui: {journal_of(db)}:2: damaged journal record")
    assert any("repair" in line for line in err)
    before = (db.read_bytes(), journal_of(db).read_bytes())
    assert run(capsys, "check", "--db", db)[0] == 1
    assert (db.read_bytes(), journal_of(db).read_bytes()) == before  # check changes nothing
    status, out, err = run(capsys, "repair", "--db", db)
    assert status == 0 and err == []
    dropped = next(db.parent.glob("esi.json.journal.dropped-*"))
    assert dropped.read_bytes() == damaged + lines[2]
    assert stat.S_IMODE(dropped.stat().st_mode) == 0o600
    assert "kept 1 journal record before" in out[0] and "the 2 lines" in out[0] and str(dropped) in out[0]
    assert out[1].startswith(f"{db}: opens")
    assert run(capsys, "check", "--db", db) == (0, [f"{db}: healthy"], [])
    with Repository.open(db) as again:
        assert canon(again) == states[1]
    assert run(capsys, "repair", "--db", db)[1] == [f"{db}: nothing to repair; it opens"]


def test_repair_stops_at_a_change_that_does_not_follow_and_refuses_a_damaged_database_file(built, capsys):
    db, file, journal, states = built
    lines = journal.splitlines(True)
    restore(db, file, lines[0] + lines[2])  # change 2 is missing: its checksum is fine, its place is not
    assert run(capsys, "check", "--db", db)[0] == 1
    status, out, _ = run(capsys, "repair", "--db", db)
    assert status == 0 and "kept 1 journal record before" in out[0]
    with Repository.open(db) as again:
        assert canon(again) == states[1]
    db.write_bytes(b"{not json")
    status, out, err = run(capsys, "repair", "--db", db)
    assert status == 1 and len(err) == 1 and "cannot mend the database file" in err[0]


def test_check_and_repair_refuse_a_postgresql_url_in_one_line(capsys):
    for command in ("check", "repair"):
        status, out, err = run(capsys, command, "--db", "postgresql://u:secret@localhost/esi")
        assert status == 1 and len(err) == 1 and "for a database file" in err[0] and "secret" not in err[0]


def test_repair_of_a_missing_database_creates_nothing(tmp_path, capsys):
    status, _, err = run(capsys, "repair", "--db", tmp_path / "none.json")
    assert status == 1 and err == [f"esi-tui: {tmp_path / 'none.json'}: no such database"]
    assert list(tmp_path.iterdir()) == []


def test_repair_of_a_database_in_use_is_refused(built, capsys):
    db, file, journal, _ = built
    restore(db, file, journal)
    with Repository.open(db):
        status, _, err = run(capsys, "repair", "--db", db)
    assert status == 1 and len(err) == 1 and "in use" in err[0]


# -- the fold ------------------------------------------------------------------------------------------


def test_a_fold_every_n_changes_runs_beside_the_caller_never_on_its_path(built, monkeypatch):
    db, file, journal, states = built
    held, started = threading.Event(), threading.Event()
    real = FileLog._write_tables

    def held_write(self, tables):
        if threading.current_thread() is not threading.main_thread():
            started.set()
            assert held.wait(30)   # the fold is held until the answers below have all been saved
        real(self, tables)

    monkeypatch.setattr(FileLog, "_write_tables", held_write)
    monkeypatch.setattr(FileLog, "FOLD_EVERY", 2)
    repo = Repository.open(db)
    for question in ("A1.2", "A1.3", "A2.1"):
        repo.set_answer("i1", "C2", question, "yes", "alice")   # returns while the fold is held
    assert started.wait(30), "no fold started"
    assert json.loads(db.read_bytes())["meta"]["1"]["last_seq"] < repo.log.seq  # not written yet
    held.set()
    repo.log.settle()
    assert repo.fold_error is None
    folded = json.loads(db.read_bytes())["meta"]["1"]["last_seq"]
    assert folded > 3 + 3  # the background fold wrote the state of the answers above (3 cases/inspection + 3)
    repo.set_answer("i1", "C1", "A1.3", "no", "alice")   # starts another fold ...
    repo.log.settle()   # ... which a killed process would not go on with; this one must not race the next
    crash(repo)   # killed after a background fold: the journal still holds what the file does, and more
    with Repository.open(db) as again:
        assert len(again.answers("i1")) == 3 + 4


def test_a_database_path_that_is_a_pipe_or_device_is_one_line_and_is_never_replaced(tmp_path: Path, capsys) -> None:
    """`--db /dev/null` once made the fold rename a file over /dev/null; a pipe stands in for the device here."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for argv in (["list", "--db", str(fifo)], ["new", "-q", "peer-review-quick", "--area", "X", "--db", str(fifo)],
                 ["merge", str(fifo), "--into", str(tmp_path / "into.json")]):
        assert cli.main(argv) != 0
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err and str(fifo) in err, err
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"]   # no lock, journal or temp beside it
