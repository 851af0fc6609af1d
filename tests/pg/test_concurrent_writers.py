"""Many writers on one PostgreSQL database at once: nothing acknowledged is lost, one case's attributes
changed by everyone end as the server's last change, and every process holds exactly the state the
server's order gives (the same records applied in the same order)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pg_writer import INSPECTION, ordered_digest

from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.pg_log import PgLog, connect, fetch_after
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

WRITER = Path(__file__).resolve().parents[1] / "helpers" / "pg_writer.py"
WRITERS = 4
CHANGES = 60


def prepare(url: str, cases: int = 12) -> None:
    with Repository.open(url) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"), area="Team")
        for number in range(1, cases + 1):
            repo.save_case(INSPECTION, f"H{number:03d}", {"risk_of_harm": "medium"})


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def state_at(url: str, seq: int) -> str:
    """The ordered digest of the state the server's records up to `seq` give, applied in the server's order."""
    log = PgLog(url, readonly=True)
    conn = connect(url)
    try:
        log.receive([row for row in fetch_after(conn, 0, None) if row[0] <= seq])
    finally:
        conn.close()
    return ordered_digest(Repository(log))


def test_concurrent_writers_lose_nothing_and_agree_on_the_order(tmp_path, pg_url):
    prepare(pg_url)
    start = tmp_path / "start"
    logs = [tmp_path / f"writer-{n}.log" for n in range(WRITERS)]
    procs = [subprocess.Popen([sys.executable, str(WRITER), pg_url, str(log), "--reviewer", f"r{n}",
                               "--count", str(CHANGES), "--seed", str(n), "--case-share", "0.2",
                               "--start", str(start)], stderr=subprocess.PIPE)
             for n, log in enumerate(logs)]
    deadline = time.monotonic() + 60
    while not all(log.exists() and any(line["t"] == "ready" for line in read(log)) for log in logs):
        assert time.monotonic() < deadline, "the writers did not get ready"
        assert all(p.poll() is None for p in procs), [p.stderr.read().decode() for p in procs if p.poll()]
        time.sleep(0.02)
    start.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()

    acks = [[line for line in read(log) if line["t"] == "ack"] for log in logs]
    assert all(len(mine) == CHANGES for mine in acks)
    with Repository.open(pg_url, readonly=True) as repo:
        # every reviewer's last acknowledged answer is what the database holds
        for mine in acks:
            last: dict[tuple, str | None] = {}
            for ack in mine:
                if ack["kind"] == "answer":
                    last[(ack["case"], ack["question"], ack["reviewer"])] = ack["value"]
            for (case, question, reviewer), value in last.items():
                stored = repo.answer(INSPECTION, case, question, reviewer)
                assert (stored.value if stored else None) == value, (case, question, reviewer)
        # the contended case ends as the change the server took last says
        case_acks = sorted((ack for mine in acks for ack in mine if ack["kind"] == "case"), key=lambda a: a["seq"])
        assert len({json.dumps(a["set"]) for a in case_acks}) > 1
        final = repo.case(INSPECTION, "H001").attributes
        assert {k: final[k] for k in case_acks[-1]["set"]} == case_acks[-1]["set"]
        for ack in case_acks:   # each writer's change was in place when its save returned
            assert {k: ack["stored"][k] for k in ack["set"]} == ack["set"]
        final_seq = repo.log.seq
    # the writers really ran at the same time: their changes interleave in the server's order
    ranges = [(mine[0]["seq"], mine[-1]["seq"]) for mine in acks]
    assert sum(1 for a in ranges for b in ranges if a != b and a[0] < b[1] and b[0] < a[1]) >= 2, ranges
    # each writer's memory is what the server's order gives at the point it reached
    digests = [next(line for line in read(log) if line["t"] == "digest") for log in logs]
    for line in digests:
        assert line["sha"] == state_at(pg_url, line["seq"]), f"a writer's state at {line['seq']} differs"
    assert max(line["seq"] for line in digests) == final_seq
