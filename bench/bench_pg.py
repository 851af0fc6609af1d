"""The shared PostgreSQL store: one save against a bare INSERT+COMMIT, writers at once, and live updates.

    python bench/bench_pg.py [--samples N] [--seconds S] [--propagations N]

A throwaway server (the tests' own: initdb + pg_ctl, Unix socket in its folder, fsync on) holds the bench
inspection: 500 cases x 29 questions, 14,500 answers. (a) `Repository.set_answer` on it (catch up under
the change lock, INSERT, NOTIFY, COMMIT: durable before it returns) is timed against a bare INSERT +
COMMIT of a journal-sized row over the same socket, interleaved, and against the same save on a TinyDB
file; (b) 1, 4 and 16 processes save answers of their own reviewers for S seconds each, started
together: answers per second; (c) one save to another app's redraw: a headless app (Pilot) shows a
case; another connection saves an answer to it; the time from the save returning to the app's screen
having redrawn it (its show_change returned; Textual paints on its next frame, at most 1/60 s later).
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from pathlib import Path

import benchlib as bl
import pglib

HERE = Path(__file__).resolve()


def child_writer(url: str, seconds: float, reviewer: str, start: str) -> None:
    """One of the concurrent writers: save answers as fast as it can for `seconds`; print how many."""
    from esi_tui.store.repository import Repository

    q = bl.questionnaire()
    rng = random.Random(reviewer)
    pairs = bl.all_pairs(q, bl.cases(q))
    repo = Repository.open(url)
    print("ready", flush=True)
    while not Path(start).exists():
        time.sleep(0.001)
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        ref, qid = rng.choice(pairs)
        current = repo.answer(bl.INSPECTION, ref, qid, reviewer)
        repo.set_answer(bl.INSPECTION, ref, qid, bl.answer_value(q, qid, rng, current.value if current else None),
                        reviewer)
        done += 1
    repo.close()
    print(f"done {done}", flush=True)


def saves(url: str, file_db: Path, samples: int) -> tuple[dict, dict, dict]:
    """(save on the server, bare INSERT+COMMIT, save on a TinyDB file), interleaved."""
    import json

    from esi_tui.store.pg_log import connect
    from esi_tui.store.repository import Repository

    q = bl.questionnaire()
    rng = random.Random(3)
    pairs = bl.all_pairs(q, bl.cases(q))
    repo, on_file = Repository.open(url), Repository.open(file_db)
    bare = connect(url)
    bare.execute("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, record json NOT NULL)")
    bare.autocommit = False
    row = json.loads(bl.journal_line())
    ours, floor, files = [], [], []
    for n in range(samples + 5):
        ref, qid = rng.choice(pairs)
        current = repo.answer(bl.INSPECTION, ref, qid, bl.REVIEWER)
        value = bl.answer_value(q, qid, rng, avoid=current.value if current else None)   # always a change
        t0 = time.perf_counter()
        repo.set_answer(bl.INSPECTION, ref, qid, value, bl.REVIEWER)
        t1 = time.perf_counter()
        bare.execute("INSERT INTO bench_floor (record) VALUES (%s)", (json.dumps(row),))
        bare.commit()
        t2 = time.perf_counter()
        on_file.set_answer(bl.INSPECTION, ref, qid, value, bl.REVIEWER)
        t3 = time.perf_counter()
        if n >= 5:
            ours.append(t1 - t0)
            floor.append(t2 - t1)
            files.append(t3 - t2)
    repo.close()
    on_file.close()
    bare.close()
    return bl.summary(ours), bl.summary(floor), bl.summary(files)


def throughput(url: str, writers: int, seconds: float, tmp: Path) -> float:
    """Answers saved per second by `writers` processes at once."""
    start = tmp / f"start-{writers}"
    env = bl.isolated_env(tmp)
    procs = [subprocess.Popen([sys.executable, str(HERE), "--child-writer", url, str(seconds), f"w{writers}-{n}",
                               str(start)], stdout=subprocess.PIPE, text=True, env=env) for n in range(writers)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    start.touch()
    total = 0
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 120)
        total += int(out.split()[-1])
    return total / seconds


async def propagation(url: str, count: int) -> dict:
    """From another connection's save returning to this app's screen having redrawn it."""
    from esi_tui.app.factory import create_app
    from esi_tui.app.screens.review import ReviewScreen
    from esi_tui.store.repository import Repository

    q = bl.questionnaire()
    rng = random.Random(5)
    app = create_app(url, "viewer", bl.INSPECTION, config_path=Path("/nonexistent/esi-bench.toml"))
    shown: list[float] = []
    original = app.show_external

    def timed(change) -> None:
        original(change)
        shown.append(time.perf_counter())

    app.show_external = timed  # type: ignore[method-assign]
    samples = []
    writer = Repository.open(url)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            await pilot.pause(0.05)
        reference = app.screen.reference
        questions = [question.id for question in q.questions]
        for n in range(count + 3):
            qid = questions[n % len(questions)]
            before = len(shown)
            current = writer.answer(bl.INSPECTION, reference, qid, "bob")
            value = bl.answer_value(q, qid, rng, avoid=current.value if current else None)  # always a change
            writer.set_answer(bl.INSPECTION, reference, qid, value, "bob")
            saved = time.perf_counter()
            deadline = saved + 5
            while len(shown) == before and time.perf_counter() < deadline:
                await asyncio.sleep(0.0005)
            if len(shown) > before and n >= 3:
                samples.append(shown[before] - saved)
    writer.close()
    return bl.summary(samples)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-writer":
        child_writer(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5])
        return
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=500, help="saves timed, and as many bare commits (default 500)")
    p.add_argument("--seconds", type=float, default=5.0, help="how long each throughput run lasts (default 5)")
    p.add_argument("--propagations", type=int, default=100, help="saves seen by the other app (default 100)")
    args = p.parse_args()
    with bl.workdir(args) as tmp:
        info = bl.header("bench_pg: the shared PostgreSQL store", args, tmp)
        report = bl.Report("bench_pg", info)
        server = pglib.start_server()
        try:
            url = pglib.database(server, "bench")
            records = pglib.inspection_records()
            pglib.copy_records(url, records)
            file_db = tmp / "bench.json"
            from esi_tui.store.repository import Repository

            with bl.no_fsync(), Repository.open(file_db) as repo:
                repo.commit_records(records)
            print(f"server in {server.root}; {len(records):,} records (14,500 answers) on it and in {file_db.name}\n")

            ours, floor, files = saves(url, file_db, args.samples)
            print("(a) one save")
            report.figure("save one answer (14,500 stored): median / p95", f"{bl.ms(ours['median'])} / "
                          f"{bl.ms(ours['p95'])}", "save", ours["median"])
            report.figure("bare INSERT + COMMIT over the same socket: median / p95", f"{bl.ms(floor['median'])} / "
                          f"{bl.ms(floor['p95'])}", "floor", floor["median"])
            ratio = ours["median"] / floor["median"]
            report.figure("save / bare INSERT+COMMIT (medians; p95s)",
                          f"{ratio:.2f}x ({ours['p95'] / floor['p95']:.2f}x)", "ratio", ratio)
            report.figure("the same save on a TinyDB file (fsync'd journal): median / p95",
                          f"{bl.ms(files['median'])} / {bl.ms(files['p95'])}", "file_save", files["median"])
            report.check("save / bare INSERT+COMMIT, medians", ratio, 3.0, f"{ratio:.2f}x", "<= 3x")

            print("(b) writers at once (each its own reviewer, one process each)")
            rates = {}
            for writers in (1, 4, 16):
                rates[writers] = throughput(url, writers, args.seconds, tmp)
                report.figure(f"{writers} writer{'s' if writers > 1 else ''} at once: answers saved per second",
                              f"{rates[writers]:,.0f}/s", f"writers_{writers}", rates[writers])
            report.figure("16 writers / 1 writer (throughput)", f"{rates[16] / rates[1]:.2f}x", "scale",
                          rates[16] / rates[1])

            print("(c) a save seen by another app")
            seen = asyncio.run(propagation(url, args.propagations))
            report.figure("save returned -> the other app's screen redrawn: median / p95",
                          f"{bl.ms(seen['median'], 1)} / {bl.ms(seen['p95'], 1)} (n={seen['n']})", "propagation",
                          seen["median"])
            report.check("propagation p95", seen["p95"], 1.0, bl.ms(seen["p95"], 1), "<= 1 s (the issue's 'within a "
                         "second')")
        finally:
            server.remove()
        report.emit()


if __name__ == "__main__":
    main()
