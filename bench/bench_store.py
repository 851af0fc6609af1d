"""Per-answer save cost of the repository at 1,000 / 10,000 / 14,500 stored answers.

    python bench/bench_store.py [--tmp DIR] [--samples N] [--keep]

An inspection of 500 cases x 29 questions is filled in case order through the repository (one
process, fsync switched off for the set-up only); a copy of the database is taken at each level.
Each copy is then reopened normally and N stored answers, picked at random, are changed one by one
through Repository.set_answer (each an fsync'd journal append), timing each call. In the same run
and the same temp dir: the floor (one fsync'd append of a journal-sized JSON line to a plain
file) and TinyDB's stock JSONStorage upsert at 1,000 and 10,000 documents, for comparison.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import benchlib as bl

LEVELS = (1_000, 10_000, 14_500)
WARMUP = 5


def build_levels(tmp: Path) -> dict[int, Path]:
    """One pass through the repository, copying the database file at each level."""
    from esi_tui.store.repository import Repository

    q = bl.questionnaire()
    case_list = bl.cases(q)
    pairs = bl.all_pairs(q, case_list)
    rng = random.Random(7)
    copies = {}
    build = tmp / "build.json"
    with bl.no_fsync():
        repo = Repository.open(build)
        bl.new_inspection(repo, q, case_list)
        done = 0
        for level in LEVELS:
            while done < level:
                ref, qid = pairs[done]
                repo.set_answer(bl.INSPECTION, ref, qid, bl.answer_value(q, qid, rng), bl.REVIEWER)
                done += 1
            repo.fold()
            copies[level] = tmp / f"store-{level}.json"
            shutil.copyfile(build, copies[level])
        repo.close()
    return copies


class Level:
    """A reopened copy of the database at one level, changing random stored answers one at a time."""

    def __init__(self, path: Path, seed: int):
        from esi_tui.store.repository import Repository

        self.path = path
        self.q = bl.questionnaire()
        t0 = time.perf_counter()
        self.repo = Repository.open(path)
        self.open_time = time.perf_counter() - t0
        self.current = {(a.case, a.question): a.value for a in self.repo.answers(bl.INSPECTION)}
        self.keys = list(self.current)
        self.rng = random.Random(seed)
        self.times: list[float] = []
        self.no_fsync: list[float] = []

    def __call__(self) -> float:
        ref, qid = self.keys[self.rng.randrange(len(self.keys))]
        value = bl.answer_value(self.q, qid, self.rng, avoid=self.current[(ref, qid)])
        self.current[(ref, qid)] = value
        t0 = time.perf_counter()
        self.repo.set_answer(bl.INSPECTION, ref, qid, value, bl.REVIEWER)
        return time.perf_counter() - t0

    def finish(self) -> None:
        self.stored = len(self.repo.answers(bl.INSPECTION))
        t0 = time.perf_counter()
        self.repo.fold()
        self.fold = time.perf_counter() - t0
        self.repo.close()
        self.size = self.path.stat().st_size


def measure(copies: dict[int, Path], floor: bl.Floor, samples: int) -> tuple[dict[int, Level], list[float]]:
    """Round-robin over the levels and the floor, in a shuffled order each round, so that the
    disk's mood on a noisy machine falls on every figure alike."""
    levels = {level: Level(path, seed=100 + i) for i, (level, path) in enumerate(copies.items())}
    for level in levels.values():  # first calls load the recorded questionnaire; not timed
        for _ in range(WARMUP):
            level()
    floor_times: list[float] = []
    order = [*levels, "floor"]
    rng = random.Random(5)
    for _ in range(samples):
        rng.shuffle(order)
        for name in order:
            if name == "floor":
                floor_times.append(floor())
            else:
                levels[name].times.append(levels[name]())
    # the same calls with fsync switched off: what the repository adds on top of the disk
    with bl.no_fsync():
        for level in levels.values():
            level.no_fsync = [level() for _ in range(samples)]
    for level in levels.values():
        level.finish()
    return levels, floor_times


def tinydb_upserts(tmp: Path, documents: int, samples: int) -> list[float]:
    """TinyDB's stock JSONStorage: every upsert reads, searches and rewrites (and fsyncs) the file."""
    from tinydb import Query, TinyDB

    q = bl.questionnaire()
    case_list = bl.cases(q)
    pairs = bl.all_pairs(q, case_list)[:documents]
    rng = random.Random(3)
    path = tmp / f"tinydb-stock-{documents}.json"
    db = TinyDB(path)
    table = db.table("answers")
    table.insert_multiple({"inspection": bl.INSPECTION, "case": ref, "question": qid, "reviewer": bl.REVIEWER,
                           "value": bl.answer_value(q, qid, rng), "note": "", "at": "2005-01-10T09:30:00Z"}
                          for ref, qid in pairs)
    item = Query()
    times = []
    for ref, qid in rng.sample(pairs, samples + 1):
        doc = {"inspection": bl.INSPECTION, "case": ref, "question": qid, "reviewer": bl.REVIEWER,
               "value": bl.answer_value(q, qid, rng), "note": "", "at": "2005-01-10T09:31:00Z"}
        t0 = time.perf_counter()
        table.upsert(doc, (item.case == ref) & (item.question == qid) & (item.reviewer == bl.REVIEWER))
        times.append(time.perf_counter() - t0)
    db.close()
    return times[1:]  # the first pays for TinyDB's first query-cache miss only


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=500, help="answer changes timed per level (default 500)")
    args = p.parse_args()
    with bl.workdir(args) as tmp:
        info = bl.header("bench_store: per-answer save cost", args, tmp)
        report = bl.Report("bench_store", info)

        t0 = time.perf_counter()
        copies = build_levels(tmp)
        print(f"set-up: built databases at {', '.join(f'{n:,}' for n in LEVELS)} answers "
              f"in {time.perf_counter() - t0:.1f} s (fsync off, set-up only)\n")
        floor_file = bl.Floor(tmp / "floor.jsonl")
        try:
            levels, floor_times = measure(copies, floor_file, args.samples)
        finally:
            floor_file.close()
        floor = bl.summary(floor_times)

        print("floor: one fsync'd append of a journal line to a plain file in the same dir")
        print(f"  {bl.fmt_summary(floor)}")
        report.figure("fsync floor (append + fsync), median", bl.ms(floor["median"]), "floor", floor["median"],
                      show=False)
        print()

        print("Repository.set_answer, changing a random stored answer (journal append + fsync + apply),")
        print("timed round-robin with the floor:")
        medians = {}
        for level, r in levels.items():
            s = bl.summary(r.times)
            c = bl.summary(r.no_fsync)
            medians[level] = s["median"]
            print(f"  {level:>6,} stored: {bl.fmt_summary(s)}")
            print(f"          median / fsync floor {s['median'] / floor['median']:.2f}x;  "
                  f"same calls with fsync off: median {bl.ms(c['median'])} p95 {bl.ms(c['p95'])};  "
                  f"open {r.open_time * 1000:.0f} ms;  fold {r.fold * 1000:.0f} ms "
                  f"({r.size / 1e6:.1f} MB file)")
            report.figure(f"save at {level:,} answers: median / p95 / max",
                          f"{bl.ms(s['median'])} / {bl.ms(s['p95'])} / {bl.ms(s['max'])}",
                          f"save_{level}", s["median"], show=False)
        print()
        largest, smallest = max(medians.values()), min(medians.values())
        ratio = largest / smallest
        top = LEVELS[-1]
        at_top = medians[top]
        report.figure(f"save median at {top:,} / fsync floor", f"{at_top / floor['median']:.2f}x",
                      "floor_ratio", at_top / floor["median"])
        report.figure(f"save cost with fsync off (the repository's own part) at {top:,}, median",
                      bl.ms(bl.summary(levels[top].no_fsync)["median"]), "no_fsync",
                      bl.summary(levels[top].no_fsync)["median"])
        report.figure(f"fold (rewrite of the whole file, every 5,000 changes and on close) at {top:,}",
                      bl.ms(levels[top].fold, 0), "fold", levels[top].fold)
        print("\nTinyDB stock JSONStorage upsert (for comparison; reads, searches and rewrites the file):")
        stock = {}
        for documents, samples in ((1_000, 40), (10_000, 12)):
            stock[documents] = bl.summary(tinydb_upserts(tmp, documents, samples))
            print(f"  {documents:>6,} documents: {bl.fmt_summary(stock[documents], 1)}")
        for documents in stock:
            report.figure(f"TinyDB stock upsert at {documents:,} docs, median",
                          bl.ms(stock[documents]["median"], 1), f"tinydb_{documents}", stock[documents]["median"],
                          show=False)
        print()
        print("targets:")
        report.check("largest / smallest save median (1,000 .. 14,500 answers)", ratio, 1.2 - 1e-12,
                     f"{ratio:.2f}x", "< 1.2x")
        report.check("save median, worst level", largest, 0.003, bl.ms(largest), "<= 3 ms")
        report.emit()


if __name__ == "__main__":
    main()
