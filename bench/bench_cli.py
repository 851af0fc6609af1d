"""`esi-tui tally --json` on a 14,500-answer inspection vs `python -c 'import esi_tui'`.

    python bench/bench_cli.py [--runs N]

Both are started as subprocesses, alternately, N times each after one untimed warm-up (which
also writes the .pyc files); best and median wall time, and the ratio of the medians. A third
child times the phases of the same command in-process (imports, open, tally, JSON), to show
where the time goes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import benchlib as bl

PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
import esi_tui.cli, esi_tui.commands.tally
t1 = time.perf_counter()
from esi_tui.store.repository import Repository
from esi_tui.core.tally_json import tally_document
repo = Repository.open(sys.argv[1], readonly=True)
t2 = time.perf_counter()
engine = repo.tally("bench")
t3 = time.perf_counter()
text = json.dumps(tally_document(engine, "bench"), ensure_ascii=False)
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "open": t2 - t1, "tally": t3 - t2, "json": t4 - t3}))
"""


def esi_tui_command() -> list[str]:
    script = Path(sys.executable).parent / "esi-tui"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from esi_tui.cli import main; sys.exit(main())"]


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stdout


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    args = p.parse_args()
    with bl.workdir(args) as tmp:
        info = bl.header("bench_cli: esi-tui tally --json", args, tmp)
        report = bl.Report("bench_cli", info)
        env = bl.isolated_env(tmp)
        q = bl.questionnaire()
        db = tmp / "cli.json"
        bl.build_db(db, bl.all_pairs(q, bl.cases(q)))
        tally_cmd = [*esi_tui_command(), "tally", "--json", "--db", str(db)]
        import_cmd = [sys.executable, "-c", "import esi_tui"]
        bare_cmd = [sys.executable, "-c", "pass"]
        print(f"database: 500 cases, 14,500 answers, {db.stat().st_size / 1e6:.1f} MB")
        print(f"command:  {' '.join(Path(a).name if i == 0 else a for i, a in enumerate(tally_cmd))}\n")

        _, out = timed(tally_cmd, env)  # warm-up, and a check that it answers
        document = json.loads(out)
        timed(import_cmd, env)
        timed(bare_cmd, env)
        times = {"tally": [], "import": [], "bare": []}
        for _ in range(args.runs):
            times["tally"].append(timed(tally_cmd, env)[0])
            times["import"].append(timed(import_cmd, env)[0])
            times["bare"].append(timed(bare_cmd, env)[0])
        phases = [json.loads(timed([sys.executable, "-c", PHASES, str(db)], env)[1]) for _ in range(3)]
        phase = {k: sorted(p[k] for p in phases)[1] for k in phases[0]}

        s = {k: bl.summary(v) for k, v in times.items()}
        for key, label in (("tally", "esi-tui tally --json"), ("import", "python -c 'import esi_tui'"),
                           ("bare", "python -c pass")):
            print(f"  {label:28} best {bl.ms(s[key]['min'], 0):>7}  median {bl.ms(s[key]['median'], 0):>7}"
                  f"  (n={s[key]['n']})")
        ratio = s["tally"]["median"] / s["import"]["median"]
        print(f"\n  ratio of medians (tally / import): {ratio:.1f}x   "
              f"(best/best {s['tally']['min'] / s['import']['min']:.1f}x)")
        print("  in-process phases of the same work (median of 3): "
              + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in phase.items()))
        print(f"  the JSON holds {len(document.get('criteria', []))} criteria\n")
        report.figure("esi-tui tally --json (14,500 answers): best / median",
                      f"{bl.ms(s['tally']['min'], 0)} / {bl.ms(s['tally']['median'], 0)}", "tally",
                      s["tally"]["median"], show=False)
        report.figure("python -c 'import esi_tui': best / median",
                      f"{bl.ms(s['import']['min'], 0)} / {bl.ms(s['import']['median'], 0)}", "import",
                      s["import"]["median"], show=False)
        report.figure("tally / import (medians)", f"{ratio:.1f}x", "ratio", ratio, show=False)
        report.figure("where tally's time goes (in-process)",
                      ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in phase.items()), "phases", None, show=False)
        report.emit()


if __name__ == "__main__":
    main()
