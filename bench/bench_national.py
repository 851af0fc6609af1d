"""A national programme on one PostgreSQL database against 42 TinyDB files, side by side.

    python bench/bench_national.py [--inspections N] [--runs N]

42 inspections x 500 cases x 29 questions (609,000 answers; 630,042 records) are made once through the
Repository (in memory) and loaded into one server database with COPY, and into 42 database files
(set-up, fsync off, not timed). Then, for one inspection, alternating the two stores, median of --runs:
opening it (Repository.open of that inspection alone: `scope` on the server, its own file otherwise,
then the state engine for a viewer, which is what the app's cases screen needs), and `esi-tui tally
--json --inspection ID` and `esi-tui report --inspection ID` as child processes. Also opening the whole
programme at once on the server (every inspection's records), which no single file can hold.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import benchlib as bl
import pglib


def timed_open(db, inspection: str, scope: bool) -> float:
    from esi_tui.store.repository import Repository

    t0 = time.perf_counter()
    repo = Repository.open(db, readonly=True, scope=[inspection] if scope else None)
    repo.inspection_state(inspection, "viewer")
    elapsed = time.perf_counter() - t0
    repo.close()
    return elapsed


def timed_cli(argv: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "esi_tui.cli", *argv], capture_output=True, text=True, env=env,
                            timeout=600)
    elapsed = time.perf_counter() - t0
    assert result.returncode == 0, result.stderr
    return elapsed, result.stdout


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--inspections", type=int, default=42)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    from esi_tui.store.repository import Repository

    with bl.workdir(args) as tmp:
        info = bl.header("bench_national: 42 inspections, one server or 42 files", args, tmp)
        report = bl.Report("bench_national", info)
        server = pglib.start_server()
        try:
            url = pglib.database(server, "national")
            started = time.perf_counter()
            one = pglib.inspection_records("natl-00")
            names = [f"natl-{n:02d}" for n in range(args.inspections)]
            everything = []
            for name in names:
                everything += pglib.renamed(one, name)
            pglib.copy_records(url, everything)
            files = {}
            with bl.no_fsync():
                for name in names:
                    files[name] = tmp / f"{name}.json"
                    with Repository.open(files[name]) as repo:
                        repo.commit_records(pglib.renamed(one, name))
            answers = sum(r["op"] == "answer" for r in everything)
            print(f"{len(names)} inspections, {answers:,} answers, {len(everything):,} records; set-up "
                  f"{time.perf_counter() - started:.0f} s (not timed below)\n")
            target = names[len(names) // 2]
            env = bl.isolated_env(tmp)
            on_server: dict[str, list[float]] = {"open": [], "tally": [], "report": []}
            on_file: dict[str, list[float]] = {"open": [], "tally": [], "report": []}
            outputs = {}
            for _ in range(args.runs):
                on_server["open"].append(timed_open(url, target, True))
                on_file["open"].append(timed_open(files[target], target, False))
                for command in ("tally", "report"):
                    extra = ["--json"] if command == "tally" else []
                    elapsed, out_server = timed_cli([command, *extra, "--db", url, "--inspection", target], env)
                    on_server[command].append(elapsed)
                    elapsed, out_file = timed_cli([command, *extra, "--db", str(files[target]), "--inspection",
                                                   target], env)
                    on_file[command].append(elapsed)
                    outputs[command] = out_server == out_file
            whole = timed_open(url, target, False)
            for label, key in (("opening one inspection (Repository.open + the state engine)", "open"),
                               ("`esi-tui tally --json --inspection ID` (a child process)", "tally"),
                               ("`esi-tui report --inspection ID` (a child process)", "report")):
                server_s, file_s = statistics.median(on_server[key]), statistics.median(on_file[key])
                report.figure(f"{label}: one server database of {len(names)} / its own file",
                              f"{bl.ms(server_s, 0)} / {bl.ms(file_s, 0)} ({server_s / file_s:.2f}x)", key,
                              server_s / file_s)
            report.figure(f"opening all {len(names)} inspections at once on the server ({answers:,} answers)",
                          f"{whole:.1f} s", "whole", whole)
            report.figure("tally and report outputs identical on both stores",
                          "yes" if all(outputs.values()) else "NO", "same", float(all(outputs.values())))
            ratio = statistics.median(on_server["open"]) / statistics.median(on_file["open"])
            report.check("opening one inspection: server / its own file", ratio, 2.0, f"{ratio:.2f}x", "<= 2x")
        finally:
            server.remove()
        report.emit()


if __name__ == "__main__":
    main()
