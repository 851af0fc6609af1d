"""A writer on a PostgreSQL database killed with kill -9 at random moments: every change it was told is
saved is on the server (it commits before it says so), and the next writer is not held up by the
transaction the killed one left open."""

from __future__ import annotations

import random
import signal
import sys
import time
from pathlib import Path

import pytest

from esi_tui.store.repository import Repository

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_store_durability import Acked, read_log, start_writer

pytestmark = pytest.mark.slow

ROUNDS = 14


def test_kill_9_mid_change_loses_nothing_acknowledged(tmp_path, pg_url):
    rng = random.Random(20261202)
    acked = Acked()
    for round_ in range(ROUNDS):
        log = tmp_path / f"writer-{round_}.log"
        proc = start_writer(pg_url, log, "--seed", str(500 + round_))  # type: ignore[arg-type]
        started = time.monotonic()
        while not (log.exists() and '"ready"' in log.read_text()):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() - started < 30, "the writer did not open the database"
            time.sleep(0.005)
        time.sleep(rng.uniform(0.02, 0.5))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL, f"round {round_}: the writer failed first:\n{err.decode()}"
        pending = acked.replay(read_log(log))
        # alternately read-only (as found) and as a writer (which takes the change lock the dead one held)
        with Repository.open(pg_url, readonly=round_ % 2 == 0) as repo:
            acked.settle(pending, repo)
            acked.check(repo, f"after kill {round_ + 1}")
    replaced = sum(map(len, acked.history.values()))
    print(f"\n{ROUNDS} kills, {acked.acks} acknowledged changes, {len(acked.answers)} answers, {replaced} replaced")
    assert acked.acks >= 150 and len(acked.answers) >= 20 and replaced >= 10
