"""Shared helpers of the bench scripts: machine facts, statistics, PASS/FAIL lines, fixtures.

Not a benchmark itself. Every bench script prints the machine it ran on, its figures, one
PASS/FAIL line per target, and a last line `BENCH-RESULT {json}` that run_all.py collects.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONNAIRE = "esi-2005-followup"
INSPECTION = "bench"
REVIEWER = "bench"
CASES = 500
RESULT_PREFIX = "BENCH-RESULT "


# -- machine ---------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def filesystem_of(path: Path) -> str:
    """'fstype (device on mountpoint)' of the mount holding `path`, from /proc/mounts."""
    real = os.path.realpath(path)
    best = ("", "unknown", "?")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) < 3:
                continue
            device, mount, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
            inside = real == mount or real.startswith(mount.rstrip("/") + "/")
            if inside and len(mount) >= len(best[0]):
                best = (mount, fstype, device)
    except OSError:
        return "unknown"
    return f"{best[1]} ({best[2]} on {best[0]})"


def machine(tmp: Path) -> dict:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = "?"
    return {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "tmp": str(tmp),
        "tmp_fs": filesystem_of(tmp),
        "loadavg": load,
    }


def print_machine(info: dict) -> None:
    print("machine:")
    for key in ("platform", "cpu", "cores", "python", "tmp", "tmp_fs", "loadavg"):
        print(f"  {key:9} {info[key]}")
    print()


# -- statistics --------------------------------------------------------------------------------


def summary(samples: list[float]) -> dict:
    """median, p95, max, min and n of samples (seconds)."""
    ordered = sorted(samples)
    n = len(ordered)
    p95 = ordered[min(n - 1, max(0, int(round(0.95 * n)) - 1))]
    return {"n": n, "median": statistics.median(ordered), "p95": p95, "max": ordered[-1], "min": ordered[0]}


def ms(seconds: float | None, digits: int = 3) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.{digits}f} ms"


def us(seconds: float | None, digits: int = 1) -> str:
    return "n/a" if seconds is None else f"{seconds * 1e6:.{digits}f} µs"


def fmt_summary(s: dict, digits: int = 3) -> str:
    return (f"median {ms(s['median'], digits)}  p95 {ms(s['p95'], digits)}  max {ms(s['max'], digits)}"
            f"  (n={s['n']})")


# -- results -------------------------------------------------------------------------------


class Report:
    """Figures and checks of one bench script, printed as they come and emitted as JSON at the end."""

    def __init__(self, name: str, info: dict):
        self.name = name
        self.info = info
        self.figures: list[dict] = []
        self.checks: list[dict] = []
        self.notes: list[str] = []

    def figure(self, label: str, value: str, key: str | None = None, raw: float | None = None,
               show: bool = True) -> None:
        """A figure worth a row in the summary table (printed unless show=False)."""
        self.figures.append({"label": label, "value": value, "key": key, "raw": raw})
        if show:
            print(f"  {label}: {value}")

    def check(self, label: str, value: float, bound: float, shown: str, target: str) -> bool:
        ok = value <= bound
        self.checks.append({"label": label, "value": value, "bound": bound, "shown": shown,
                            "target": target, "ok": ok})
        print(f"  [{'PASS' if ok else 'FAIL'}] {label}: {shown} (target {target})")
        return ok

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}")

    def emit(self) -> None:
        failed = [c for c in self.checks if not c["ok"]]
        print()
        if not self.checks:
            print(f"{self.name}: figures only (no targets)")
        else:
            print(f"{self.name}: {len(self.checks) - len(failed)} of {len(self.checks)} targets met"
                  + (f"; missed: {', '.join(c['label'] for c in failed)}" if failed else ""))
        print(RESULT_PREFIX + json.dumps({"name": self.name, "machine": self.info, "figures": self.figures,
                                          "checks": self.checks, "notes": self.notes}))


# -- command line and temp dir -------------------------------------------------------------


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--tmp", type=Path, default=None,
                   help="make the temp dir under this folder (default: the system temp dir); "
                        "fsync figures depend on its filesystem")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (its path is printed)")
    return p


@contextlib.contextmanager
def workdir(args: argparse.Namespace):
    base = args.tmp
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="esi-bench-", dir=base))
    try:
        yield path
    finally:
        if args.keep:
            print(f"(temp dir kept: {path})")
        else:
            shutil.rmtree(path, ignore_errors=True)


def isolated_env(tmp: Path) -> dict:
    """An environment for child processes that cannot read or write the user's own config or data."""
    env = dict(os.environ)
    env["ESI_TUI_CONFIG"] = str(tmp / "no-config.toml")
    env["XDG_DATA_HOME"] = str(tmp / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(tmp / "xdg-config")
    env["ESI_TUI_REVIEWER"] = REVIEWER
    env.pop("ESI_TUI_DB", None)
    env.pop("ESI_TUI_DEBUG", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


# -- fixtures --------------------------------------------------------------------------------


@contextlib.contextmanager
def no_fsync():
    """Set-up only: build fixture databases without paying one fsync per change.

    Nothing measured runs inside this; the databases it builds are ordinary files.
    """
    real = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = real


def questionnaire():
    from esi_tui.store.catalog import find_questionnaire

    return find_questionnaire(QUESTIONNAIRE)


def cases(q, count: int = CASES) -> list[tuple[str, dict]]:
    from esi_tui.core.demo import demo_cases

    return demo_cases(q, count, seed=2005)


def answer_value(q, qid: str, rng: random.Random, avoid: str | None = None) -> str:
    """An option key of the question's scale (not `avoid`), mostly positive answers."""
    options = [o.key for o in q.scale_of(qid).options if o.key != avoid]
    positive = [o.key for o in q.scale_of(qid).options if o.counts_as == "positive" and o.key != avoid]
    if positive and rng.random() < 0.8:
        return rng.choice(positive)
    return rng.choice(options)


def all_pairs(q, case_list) -> list[tuple[str, str]]:
    """Every (case, question) pair in case order, then questionnaire order."""
    return [(ref, question.id) for ref, _ in case_list for question in q.questions]


def relevant_pairs(q, case_list) -> set[tuple[str, str]]:
    from esi_tui.core.tally import NOT_RELEVANT, TallyEngine

    engine = TallyEngine.build(q, case_list, [])
    return {(ref, question.id) for ref, _ in case_list for question in q.questions
            if engine.state(ref, question.id) != NOT_RELEVANT}


def new_inspection(repo, q, case_list) -> None:
    repo.create_inspection(INSPECTION, q, title="Bench inspection", area="Benchshire")
    for ref, attributes in case_list:
        repo.save_case(INSPECTION, ref, attributes)


def build_db(path: Path, pairs: list[tuple[str, str]], seed: int = 1) -> dict:
    """A database holding the bench inspection and an answer for each pair; returns what it holds."""
    from esi_tui.store.repository import Repository

    q = questionnaire()
    case_list = cases(q)
    rng = random.Random(seed)
    started = time.perf_counter()
    with no_fsync():
        repo = Repository.open(path)
        new_inspection(repo, q, case_list)
        for ref, qid in pairs:
            repo.set_answer(INSPECTION, ref, qid, answer_value(q, qid, rng), REVIEWER)
        repo.close()
    return {"answers": len(pairs), "seconds": time.perf_counter() - started}


def journal_line() -> bytes:
    record = {"op": "answer", "inspection": INSPECTION, "case": "H0123", "question": "C2.5",
              "reviewer": REVIEWER, "value": "sufficient", "note": "", "at": "2005-01-10T09:30:00Z",
              "seq": 12345}
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


class Floor:
    """One write of a journal-like line plus fsync, on an O_APPEND file, as the journal does it."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self.line = journal_line()

    def __call__(self) -> float:
        t0 = time.perf_counter()
        os.write(self.fd, self.line)
        os.fsync(self.fd)
        return time.perf_counter() - t0

    def close(self) -> None:
        os.close(self.fd)


def result_line(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    return None


def header(title: str, args: argparse.Namespace, tmp: Path) -> dict:
    print(f"== {title} ==")
    info = machine(tmp)
    print_machine(info)
    sys.stdout.flush()
    return info
