"""Run every bench script, one after another, and print a Markdown summary table.

    python bench/run_all.py [--only store,tally,cli,replay,ui] [--tmp DIR] [--markdown FILE]

Each script's own output is shown as it runs; the table at the end (also written to FILE with
--markdown) is meant for pasting into bench/README.md. The exit status is 1 only when a script
crashed: a missed target is a finding, not an error.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

import benchlib as bl

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "store": "bench_store.py",
    "fold": "bench_fold.py",
    "tally": "bench_tally.py",
    "cli": "bench_cli.py",
    "replay": "bench_replay.py",
    "ui": "bench_ui.py",
    "pg": "bench_pg.py",
    "national": "bench_national.py",
}


def run(script: str, extra: list[str]) -> tuple[dict | None, float, int]:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(HERE / script), *extra], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if not line.startswith(bl.RESULT_PREFIX):
            print(line, end="", flush=True)
    status = process.wait()
    return bl.result_line("".join(lines)), time.perf_counter() - started, status


def cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def table(results: list[tuple[str, dict | None, float, int]]) -> str:
    machine = next((r["machine"] for _, r, _, _ in results if r), None)
    out = [f"Bench run of {datetime.date.today().isoformat()}"]
    if machine:
        out.append(f"on {machine['platform']}, {machine['cpu']}, {machine['cores']} cores, {machine['python']}, "
                   f"temp dir on {machine['tmp_fs'].split(' ')[0]}, load average {machine['loadavg']} at the start.")
    out += ["", "| Bench | Figure | Value | Target | Result |", "|---|---|---|---|---|"]
    for name, result, seconds, status in results:
        if result is None:
            out.append(f"| {name} | (crashed, exit status {status}) | | | **ERROR** |")
            continue
        for figure in result["figures"]:
            out.append(f"| {name} | {cell(figure['label'])} | {cell(figure['value'])} | | |")
        for check in result["checks"]:
            verdict = "PASS" if check["ok"] else "**FAIL**"
            out.append(f"| {name} | {cell(check['label'])} | {cell(check['shown'])} | {cell(check['target'])} "
                       f"| {verdict} |")
        out.append(f"| {name} | (run time of the script) | {seconds:.0f} s | | |")
    notes = [(name, note) for name, result, _, _ in results if result for note in result["notes"]]
    if notes:
        out.append("")
        out += [f"- {name}: {note}" for name, note in notes]
    return "\n".join(out)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default=",".join(SCRIPTS), help="comma-separated: " + ", ".join(SCRIPTS))
    p.add_argument("--tmp", type=Path, help="make the temp dirs under this folder")
    p.add_argument("--markdown", type=Path, metavar="FILE", help="also write the summary table here")
    args = p.parse_args()
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in SCRIPTS]
    if unknown:
        p.error(f"unknown bench {', '.join(unknown)} (known: {', '.join(SCRIPTS)})")
    extra = ["--tmp", str(args.tmp)] if args.tmp else []
    results = []
    started = time.perf_counter()
    for name in wanted:
        print(f"\n##### {SCRIPTS[name]}\n", flush=True)
        result, seconds, status = run(SCRIPTS[name], extra)
        results.append((name, result, seconds, status))
    summary = table(results)
    print(f"\n##### summary (all benches in {time.perf_counter() - started:.0f} s)\n")
    print(summary)
    if args.markdown:
        args.markdown.write_text(summary + "\n", encoding="utf-8")
    return 1 if any(result is None for _, result, _, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
