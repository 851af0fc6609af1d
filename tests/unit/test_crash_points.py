"""Crash points: every file operation of a scripted run recorded, and a crash simulated after each one.

The store's writes all go through esi_tui.store.fileops.OPS. A recorder stands in for it during a scripted
run (create an inspection, import cases, answer, fold, answer more, close) and keeps a model of the disk:
each file's bytes now and as of its last fsync, and each folder entry now and as of the folder's last fsync.
For every prefix of the operation list, the disk as a crash there would leave it is written to a fresh
folder, in three variants:
  - killed: the process dies, the kernel keeps every byte written (kill -9);
  - power cut: only what was fsync'd survives, files and folder entries alike (SQLite's crash test model);
  - torn: a power cut that also kept the first half of the bytes appended since the last fsync.
Each is opened, and it must open, hold every change acknowledged before the crash point with its value,
and show either nothing or all of the one change in flight: never a part of it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import esi_tui.store.fileops as fileops
from esi_tui.core.loader import load_file
from esi_tui.store.file_log import FileLog
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"


@dataclass
class Inode:
    data: bytearray = field(default_factory=bytearray)
    durable: bytes = b""


class Disk:
    """A model of one folder's files, driven by the recorded operations."""

    def __init__(self) -> None:
        self.inodes: list[Inode] = []
        self.names: dict[str, int] = {}
        self.durable_names: dict[str, int] = {}
        self.fds: dict[int, int] = {}

    def apply(self, op: tuple) -> None:
        kind, *args = op
        if kind == "open":
            name, flags, fd = args
            if name not in self.names:
                self.inodes.append(Inode())
                self.names[name] = len(self.inodes) - 1
            if flags & os.O_TRUNC:
                del self.inodes[self.names[name]].data[:]
            self.fds[fd] = self.names[name]
        elif kind == "write":
            fd, position, data = args
            inode = self.inodes[self.fds[fd]].data
            if len(inode) < position:
                inode.extend(b"\0" * (position - len(inode)))
            inode[position:position + len(data)] = data
        elif kind == "truncate":
            fd, size = args
            inode = self.inodes[self.fds[fd]].data
            del inode[size:]
            inode.extend(b"\0" * (size - len(inode)))
        elif kind == "fsync":
            inode = self.inodes[self.fds[args[0]]]
            inode.durable = bytes(inode.data)
        elif kind == "close":
            del self.fds[args[0]]
        elif kind == "replace":
            source, target = args
            self.names[target] = self.names.pop(source)
        elif kind == "unlink":
            self.names.pop(args[0])
        elif kind == "fsync_dir":
            self.durable_names = dict(self.names)

    def files(self, variant: str) -> dict[str, bytes]:
        """What a crash of this kind leaves on disk."""
        if variant == "killed":
            return {name: bytes(self.inodes[i].data) for name, i in self.names.items()}
        files = {}
        for name, i in self.durable_names.items():
            inode = self.inodes[i]
            data = inode.durable
            extra = bytes(inode.data[len(data):]) if inode.data.startswith(data) else b""
            if variant == "torn" and extra:
                data += extra[: len(extra) // 2]
            files[name] = data
        return files


class Recorder(fileops.FileOps):
    """Does each operation for real and records it (names relative to the folder of the run)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ops: list[tuple] = []

    def _name(self, path) -> str:
        return str(Path(path).relative_to(self.folder))

    def open(self, path, flags, mode=0o600):
        fd = super().open(path, flags, mode)
        self.ops.append(("open", self._name(path), flags, fd))
        return fd

    def write(self, fd, data):
        written = super().write(fd, data)
        end = os.lseek(fd, 0, os.SEEK_CUR)
        self.ops.append(("write", fd, end - written, bytes(data[:written])))
        return written

    def pwrite(self, fd, data, offset):
        written = super().pwrite(fd, data, offset)
        self.ops.append(("write", fd, offset, bytes(data[:written])))
        return written

    def fsync(self, fd):
        super().fsync(fd)
        self.ops.append(("fsync", fd))

    def ftruncate(self, fd, size):
        super().ftruncate(fd, size)
        self.ops.append(("truncate", fd, size))

    def close(self, fd):
        super().close(fd)
        self.ops.append(("close", fd))

    def replace(self, source, target):
        super().replace(source, target)
        self.ops.append(("replace", self._name(source), self._name(target)))

    def unlink(self, path):
        super().unlink(path)
        self.ops.append(("unlink", self._name(path)))

    def fsync_dir(self, path):
        super().fsync_dir(path)
        self.ops.append(("fsync_dir",))


def canon(repo: Repository) -> str:
    return json.dumps(repo.state.tables(), sort_keys=True, default=str)


def save_cases(repo: Repository, cases: dict[str, dict]) -> None:
    """Several cases committed as one batch (as a replay or an import commits them)."""
    trial = repo.scratch()
    for reference, attributes in cases.items():
        trial.save_case("i1", reference, attributes)
    repo.commit_records(trial.records)


def scripted_run(folder: Path, monkeypatch) -> tuple[list[tuple], list[tuple[int, str]]]:
    """The run whose operations are recorded; returns them and, per acknowledged change, (ops so far, state)."""
    recorder = Recorder(folder)
    monkeypatch.setattr(fileops, "OPS", recorder)
    monkeypatch.setattr(FileLog, "FOLD_EVERY", 8)  # so that a fold happens on the commit path too
    acks: list[tuple[int, str]] = []
    db = folder / "esi.json"
    repo = Repository.open(db)
    acks.append((len(recorder.ops), canon(repo)))

    def ack() -> None:
        acks.append((len(recorder.ops), canon(repo)))

    repo.create_inspection("i1", load_file(MINI), title="North", area="North")
    ack()
    save_cases(repo, {f"C{n}": {"risk": "high" if n % 2 else "low"} for n in range(1, 6)})  # one batch
    ack()
    questions = ["A1.1", "A1.2", "A2.1"]
    for n in range(12):
        repo.set_answer("i1", f"C{n % 5 + 1}", questions[n % 3], ["yes", "no", "na"][n % 3], "alice",
                        note=f"note {n}" if n % 4 == 0 else "")
        ack()
    repo.set_answer("i1", "C1", "A1.1", "no", "alice")  # a saved answer changed: the old one goes to history
    ack()
    repo.close()
    monkeypatch.undo()
    return recorder.ops, acks


def test_every_crash_point_opens_with_every_acknowledged_change_and_nothing_partial(tmp_path, monkeypatch):
    run = tmp_path / "run"
    run.mkdir()
    ops, acks = scripted_run(run, monkeypatch)
    with Repository.open(tmp_path / "empty" / "esi.json") as empty:
        nothing = canon(empty)
    states = [nothing] + [state for _, state in acks]
    marks = [0] + [at for at, _ in acks]
    # folds on open and close, and at least one in the background every FOLD_EVERY changes
    assert sum(op[0] == "replace" for op in ops) >= 3, "no fold in the background"
    disk = Disk()
    points = 0
    for crash_at in range(len(ops) + 1):
        if crash_at:
            disk.apply(ops[crash_at - 1])
        acked = max(i for i, at in enumerate(marks) if at <= crash_at)
        allowed = states[acked:acked + 2]   # the acknowledged state, or that and the one change in flight
        for variant in ("killed", "power cut", "torn"):
            folder = tmp_path / f"crash-{crash_at}-{variant.replace(' ', '-')}"
            folder.mkdir()
            for name, data in disk.files(variant).items():
                (folder / name).write_bytes(data)
            with Repository.open(folder / "esi.json") as recovered:
                got = canon(recovered)
                assert not recovered.notices, (crash_at, variant, recovered.notices)
            assert got in allowed, f"crash after operation {crash_at} ({variant}): not an acknowledged state"
            with Repository.open(folder / "esi.json", readonly=True) as again:
                assert canon(again) == got  # the recovery itself left a database that opens the same
            points += 1
    print(f"crash points: {len(ops) + 1} operations x 3 variants = {points} recoveries, 0 lost, 0 unreadable")
    assert points == 3 * (len(ops) + 1)


@pytest.mark.parametrize("keep", [1, 2, 3])
def test_a_batch_cut_short_by_a_power_cut_shows_none_of_it(tmp_path, keep):
    db = tmp_path / "esi.json"
    repo = Repository.open(db)
    repo.create_inspection("i1", load_file(MINI), title="North", area="North")
    before = canon(repo)
    save_cases(repo, {f"C{n}": {"risk": "high"} for n in range(1, 5)})
    repo.log._journal.close()
    repo.log._journal = None
    repo.log._lock.release()
    journal = db.with_name(db.name + ".journal")
    lines = journal.read_bytes().splitlines(True)
    journal.write_bytes(b"".join(lines[: len(lines) - 4 + keep]))  # the batch's first `keep` lines survived
    with Repository.open(db) as again:
        assert canon(again) == before and not again.notices
        again.save_case("i1", "C9", {"risk": "low"})
    with Repository.open(db, readonly=True) as again:
        assert [c.reference for c in again.cases("i1")] == ["C9"]
