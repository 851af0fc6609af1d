"""Replay of a 14,500-answer script (500 cases x 29 questions) into a fresh database.

    python bench/bench_replay.py [--runs N]

The script is generated with esi_tui.core.export.script_lines (an inspection record, 500 case
records, an answer for every question of every case: relevance does not matter for storage).
It is replayed by a child process running esi_tui.cli.main(['replay', SCRIPT, '--db', DB,
'--quiet']); its wall time is taken from the parent, and the child also reports the time spent
inside cli.main. The floor, measured in the same run: json.loads of every line plus appending the
records to a plain in-memory list. Peak memory: ru_maxrss of the child (RUSAGE_CHILDREN; the
replay children are the only children this script starts).
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import benchlib as bl

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from esi_tui.cli import main
t1 = time.perf_counter()
status = main(["replay", sys.argv[1], "--db", sys.argv[2], "--quiet", "--reviewer", "bench"])
t2 = time.perf_counter()
print(json.dumps({"status": status, "import": t1 - t0, "main": t2 - t1}))
"""

PROFILE_CHILD = r"""
import cProfile, pstats, sys
from esi_tui.cli import main
profile = cProfile.Profile()
profile.enable()
main(["replay", sys.argv[1], "--db", sys.argv[2], "--quiet", "--reviewer", "bench"])
profile.disable()
pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
"""


def write_script(path: Path) -> int:
    from esi_tui.core.entities import Answer, Case, Inspection
    from esi_tui.core.export import script_lines

    q = bl.questionnaire()
    case_list = bl.cases(q)
    rng = random.Random(21)
    inspection = Inspection(bl.INSPECTION, "Bench inspection", "Benchshire", q.id, q.version, q.content_hash)
    cases = [Case(bl.INSPECTION, ref, attributes) for ref, attributes in case_list]
    answers = [Answer(bl.INSPECTION, ref, qid, bl.REVIEWER, bl.answer_value(q, qid, rng), "",
                      f"2005-01-{10 + i % 20:02d}T09:{i % 60:02d}:00Z")
               for i, (ref, qid) in enumerate(bl.all_pairs(q, case_list))]
    lines = script_lines(inspection, q, cases, answers)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(answers)


def parse_floor(path: Path) -> float:
    t0 = time.perf_counter()
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            records.append(json.loads(line))
    return time.perf_counter() - t0


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=2, help="replays timed, each into a fresh database (default 2)")
    p.add_argument("--profile", action="store_true", help="also replay once under cProfile and print the top")
    args = p.parse_args()
    with bl.workdir(args) as tmp:
        info = bl.header("bench_replay: replay of 14,500 answers", args, tmp)
        report = bl.Report("bench_replay", info)
        env = bl.isolated_env(tmp)
        script = tmp / "script.jsonl"
        answers = write_script(script)
        lines = sum(1 for _ in open(script, encoding="utf-8"))
        print(f"script: {lines:,} lines ({answers:,} answers), {script.stat().st_size / 1e6:.1f} MB\n")

        floors = [parse_floor(script) for _ in range(5)]
        floor = statistics.median(floors)
        fsync = bl.Floor(tmp / "fsync-floor.jsonl")
        try:
            fsync_before = statistics.median(fsync() for _ in range(200))
        finally:
            fsync.close()

        walls, mains, imports = [], [], []
        for run in range(args.runs):
            db = tmp / f"replay-{run}.json"
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", CHILD, str(script), str(db)], env=env,
                                  capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if done.returncode != 0:
                raise SystemExit(f"replay child failed ({done.returncode}):\n{done.stderr}")
            child = json.loads(done.stdout.strip().splitlines()[-1])
            if child["status"] != 0:
                raise SystemExit(f"replay returned {child['status']}:\n{done.stderr}")
            mains.append(child["main"])
            imports.append(child["import"])
        fsync = bl.Floor(tmp / "fsync-floor-2.jsonl")
        try:
            fsync_after = statistics.median(fsync() for _ in range(200))
        finally:
            fsync.close()
        fsync_floor = (fsync_before + fsync_after) / 2
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        peak_mb = peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024

        wall, inside = statistics.median(walls), statistics.median(mains)
        print("  replay, child wall time:        " + "  ".join(f"{w:.2f} s" for w in walls)
              + f"   (median {wall:.2f} s)")
        before = statistics.median(imports) * 1000
        print(f"  of which inside cli.main:       median {inside:.2f} s (imports before it {before:.0f} ms)")
        print(f"  per answer inside cli.main:     {inside / answers * 1000:.3f} ms "
              f"(it makes {lines:,} fsync'd journal appends)")
        print(f"  fsync'd appends alone:          {lines:,} x {fsync_floor * 1000:.3f} ms = "
              f"{lines * fsync_floor:.2f} s (floor measured in the same dir before and after: "
              f"{fsync_before * 1000:.3f} / {fsync_after * 1000:.3f} ms)")
        print(f"  floor (json.loads + list.append): median {floor * 1000:.1f} ms")
        print(f"  ratio replay / floor:           {wall / floor:,.0f}x (cli.main only: {inside / floor:,.0f}x)")
        print(f"  peak RSS of the replay child:   {peak_mb:.0f} MB")
        report.figure("replay / parse floor", f"{wall / floor:,.0f}x (floor {floor * 1000:.0f} ms)", "ratio",
                      wall / floor, show=False)
        report.figure("per answer inside cli.main", bl.ms(inside / answers), "per_answer", inside / answers,
                      show=False)
        report.figure("of which fsync'd journal appends (lines x fsync floor)",
                      f"{lines * fsync_floor:.2f} s ({lines:,} x {bl.ms(fsync_floor)})", "fsyncs",
                      lines * fsync_floor, show=False)
        from esi_tui.store.repository import Repository

        repo = Repository.open(tmp / "replay-0.json", readonly=True)
        stored = len(repo.answers(bl.INSPECTION))
        cases = len(repo.cases(bl.INSPECTION))

        print(f"  database after replay:          {cases} cases, {stored:,} answers\n")
        if stored != answers or cases != bl.CASES:
            report.note(f"expected {answers} answers and {bl.CASES} cases, found {stored} and {cases}")

        if args.profile:
            db = tmp / "replay-profile.json"
            done = subprocess.run([sys.executable, "-c", PROFILE_CHILD, str(script), str(db)], env=env,
                                  capture_output=True, text=True)
            print(done.stdout)

        print("targets:")
        report.check("replay of 14,500 answers, wall time (median)", wall, 20.0, f"{wall:.2f} s", "<= 20 s")
        report.check("peak RSS of the replay process", peak_mb, 200.0, f"{peak_mb:.0f} MB", "< 200 MB")
        report.emit()


if __name__ == "__main__":
    main()
