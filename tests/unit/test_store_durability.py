"""Durability of the store against real processes: kill -9 at random moments, and two writers.

A child process (tests/helpers/store_writer.py) writes answers, case changes and notes and logs
an "ack" line after each Repository call returns, i.e. after the user was told "saved". The
parent kills it with SIGKILL and checks that every acknowledged change is in the database.
"""

from __future__ import annotations

import getpass
import json
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from esi_tui.store.errors import InvalidChange, ReadOnly, StoreLocked
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
WRITER = HERE.parent / "helpers" / "store_writer.py"
MINI = HERE.parent / "fixtures" / "mini.toml"
INSPECTION = "insp"
ABSENT = None  # the model's value for "no answer stored"


# -- a model of what the writer was told is saved -------------------------------------------------


class Acked:
    """What the database must hold: the writers' acknowledged changes, replayed in order."""

    def __init__(self) -> None:
        self.inspection = False
        self.cases: dict[str, dict] = {}
        self.answers: dict[tuple, tuple] = {}
        self.history: dict[tuple, list[tuple]] = {}
        self.acks = 0
        self.ready = False

    @staticmethod
    def key(line: dict) -> tuple:
        return line["case"], line["question"], line["reviewer"]

    @staticmethod
    def state(value, note) -> tuple | None:
        return ABSENT if value is None and not note else (value, note or "")

    def apply(self, line: dict) -> None:
        """One change, as acknowledged (or as found applied, for the one in flight)."""
        if line["kind"] == "inspection":
            self.inspection = True
        elif line["kind"] == "case":
            self.cases[line["case"]] = dict(line["attributes"])
        else:
            key = self.key(line)
            old, new = self.answers.get(key), self.state(line["value"], line["note"])
            if old == new:
                return  # saving the same answer again changes nothing
            if old is not ABSENT:
                self.history.setdefault(key, []).append(old)
            if new is ABSENT:
                self.answers.pop(key, None)
            else:
                self.answers[key] = new

    def replay(self, lines: list[dict]) -> dict | None:
        """Apply every ack; return the change that was started but not acknowledged, if any."""
        pending = None
        for line in lines:
            if line["t"] == "ready":
                self.ready = True
            elif line["t"] == "intent":
                pending = line
            elif line["t"] == "ack":
                self.apply(line)
                self.acks += 1
                pending = None
        return pending

    def settle(self, pending: dict | None, repo: Repository) -> None:
        """The change in flight when the writer died may or may not be saved; take what is there."""
        if pending is None:
            return
        if pending["kind"] == "inspection":
            if repo.has_inspection(INSPECTION):
                self.apply(pending)
        elif pending["kind"] == "case":
            if repo.has_case(INSPECTION, pending["case"]):
                stored = repo.case(INSPECTION, pending["case"]).attributes
                if stored == pending["attributes"]:
                    self.apply({**pending, "attributes": stored})
        else:
            stored = repo.answer(INSPECTION, pending["case"], pending["question"], pending["reviewer"])
            found = self.state(stored.value, stored.note) if stored else ABSENT
            if found == self.state(pending["value"], pending["note"]):
                self.apply(pending)

    def check(self, repo: Repository, where: str) -> None:
        """The database holds exactly the acknowledged state, history included."""
        assert repo.has_inspection(INSPECTION) == self.inspection, where
        if not self.inspection:
            return
        cases = {c.reference: c.attributes for c in repo.cases(INSPECTION)}
        assert cases == self.cases, f"{where}: case attributes differ"
        answers = {(a.case, a.question, a.reviewer): (a.value, a.note) for a in repo.answers(INSPECTION)}
        lost = {k: v for k, v in self.answers.items() if answers.get(k) != v}
        assert not lost, f"{where}: acknowledged answers lost or changed: {sorted(lost.items())[:5]}"
        extra = {k: v for k, v in answers.items() if k not in self.answers}
        assert not extra, f"{where}: answers nobody saved: {sorted(extra.items())[:5]}"
        history: dict[tuple, list[tuple]] = {}
        for doc in repo.history(INSPECTION):
            key = (doc["case"], doc["question"], doc["reviewer"])
            history.setdefault(key, []).append((doc["value"], doc["note"] or ""))
        assert history == self.history, f"{where}: the history of earlier answers differs"


def read_log(path: Path) -> list[dict]:
    """The complete lines of a writer's log (a line cut by the kill is not an ack)."""
    if not path.exists():
        return []
    data = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in data.split("\n")[:-1] if line]


def start_writer(db: Path, log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(MINI), str(log), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def wait_for(predicate, timeout: float, what: str, poll: float = 0.005) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(poll)


def wait_for_fold(log: Path, proc: subprocess.Popen, timeout: float) -> bool:
    """Poll the log until the writer starts a fold after it opened the database."""
    deadline = time.monotonic() + timeout
    seen_ready, offset, buffer = False, 0, b""
    with open(log, "ab"):
        pass
    with open(log, "rb") as handle:
        while time.monotonic() < deadline and proc.poll() is None:
            handle.seek(offset)
            chunk = handle.read()
            offset += len(chunk)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                seen_ready = seen_ready or b'"t": "ready"' in line
                if seen_ready and b'"t": "fold"' in line:
                    return True
            time.sleep(0.0005)
    return False


# -- kill -9 at random moments --------------------------------------------------------------------

ROUNDS = 36


def test_kill_9_at_random_moments_keeps_every_acknowledged_answer(tmp_path):
    rng = random.Random(20050612)
    db = tmp_path / "store" / "esi.json"
    acked = Acked()
    killed_in_fold = killed_with_temp_left = 0
    for round_ in range(ROUNDS):
        log = tmp_path / f"writer-{round_}.log"
        proc = start_writer(db, log, "--seed", str(1000 + round_), "--fold-every", "50", "--wait", "5")
        if round_ % 3 == 2:
            # aim at a fold (the atomic rewrite of the TinyDB file), then a little later
            wait_for_fold(log, proc, timeout=5)
            time.sleep(rng.uniform(0, 0.004))
        else:
            time.sleep(rng.uniform(0.05, 0.6))
        proc.kill()
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL, (
            f"round {round_}: the writer failed before it was killed:\n{err.decode(errors='replace')}")

        lines = read_log(log)
        markers = [line["t"] for line in lines if line["t"] in ("fold", "folded")]
        killed_in_fold += bool(markers) and markers[-1] == "fold"
        killed_with_temp_left += any(p.name.endswith(".tmp") for p in db.parent.iterdir())
        pending = acked.replay(lines)

        where = f"after kill {round_ + 1}"
        if acked.ready:
            # the TinyDB file is whole, valid JSON after every kill (it is only ever replaced)
            data = json.loads(db.read_bytes())
            assert isinstance(data, dict) and data["meta"]["1"]["format"] == 1, where
        # the database opens: alternately read-only (as found) and as a writer (which folds)
        if round_ % 2 == 0:
            repo = Repository.open(db, readonly=True) if db.exists() else None
        else:
            repo = Repository.open(db)
        if repo is not None:
            acked.settle(pending, repo)
            acked.check(repo, where)
            repo.close()

    # the final state also survives a clean open and close
    with Repository.open(db) as repo:
        acked.check(repo, "at the end")
    # the test proved something only if the writers got real work done between the kills
    replaced = sum(map(len, acked.history.values()))
    print(f"\n{ROUNDS} kills, {acked.acks} acknowledged changes ({len(acked.answers)} answers, {replaced} "
          f"replaced), {killed_in_fold} kills during a fold, {killed_with_temp_left} left a temporary file")
    assert acked.acks >= 300 and len(acked.answers) >= 30 and replaced >= 30
    assert killed_in_fold >= 3, f"only {killed_in_fold} kills landed during a fold"


# -- two processes on one database ----------------------------------------------------------------


def test_second_writer_is_told_who_holds_the_database_and_no_answer_is_lost(tmp_path):
    db = tmp_path / "shared.json"
    hold = tmp_path / "release-a"
    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"
    count_a, count_b = 120, 80
    # a large FOLD_EVERY: most of A's answers are still only in the journal when B looks
    a = start_writer(db, log_a, "--reviewer", "alice", "--seed", "1", "--count", str(count_a),
                     "--fold-every", "1000", "--hold-file", str(hold))
    b = None
    try:
        def changes_made(log: Path) -> int:
            return sum(1 for line in read_log(log) if line["t"] == "ack" and line["kind"] != "inspection")

        wait_for(lambda: changes_made(log_a) == count_a or a.poll() is not None, 30, "writer A")
        assert a.poll() is None, a.communicate()[1].decode(errors="replace")
        pid_a = next(line["pid"] for line in read_log(log_a) if line["t"] == "ready")
        acked_a = Acked()
        assert acked_a.replay(read_log(log_a)) is None

        # a second writer is refused, with a message naming who holds the database
        with pytest.raises(StoreLocked) as refused:
            Repository.open(db)
        message = str(refused.value)
        assert str(db) in message
        assert f"pid {pid_a}" in message
        assert getpass.getuser() in message
        assert socket.gethostname() in message
        assert "read-only" in message
        started = time.monotonic()
        with pytest.raises(StoreLocked):
            Repository.open(db, wait=0.3)
        assert time.monotonic() - started >= 0.3

        # ... and may open it read-only, seeing everything A saved so far (mostly unfolded)
        on_disk = json.loads(db.read_bytes())
        assert len(on_disk.get("answers", {})) < len(acked_a.answers), "A's answers were all folded already"
        assert (db.parent / "shared.json.journal").stat().st_size > 0
        with Repository.open(db, readonly=True) as viewer:
            acked_a.check(viewer, "read-only view while A writes")
            with pytest.raises(ReadOnly):
                viewer.set_answer(INSPECTION, viewer.cases(INSPECTION)[0].reference, "A1.1", "yes", "carol")

        # another reviewer waits for A to finish, then saves answers of their own
        b = start_writer(db, log_b, "--reviewer", "bob", "--seed", "2", "--count", str(count_b),
                         "--fold-every", "1000", "--wait", "30")
        time.sleep(0.7)
        assert b.poll() is None, b.communicate()[1].decode(errors="replace")
        assert not any(line["t"] == "ready" for line in read_log(log_b)), "B wrote while A held the database"

        hold.touch()
        _, err_a = a.communicate(timeout=30)
        assert a.returncode == 0, err_a.decode(errors="replace")
        _, err_b = b.communicate(timeout=30)
        assert b.returncode == 0, err_b.decode(errors="replace")
    finally:
        for proc in (a, b):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.communicate()

    lines_a, lines_b = read_log(log_a), read_log(log_b)
    done_a = next(line["ts"] for line in lines_a if line["t"] == "done")
    ready_b = next(line["ts"] for line in lines_b if line["t"] == "ready")
    assert ready_b >= done_a, "B opened the database before A closed it"

    acked = Acked()
    assert acked.replay(lines_a) is None and acked.replay(lines_b) is None
    with Repository.open(db) as repo:
        acked.check(repo, "after both writers")
        reviewers = {a.reviewer for a in repo.answers(INSPECTION)}
        assert reviewers == {"alice", "bob"}
        assert len(acked.answers) > 40
        with pytest.raises(InvalidChange):
            repo.set_answer(INSPECTION, "no-such-case", "A1.1", "yes", "bob")
