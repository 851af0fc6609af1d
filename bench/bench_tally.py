"""Tally engine: full recompute of 14,500 answers over 500 cases vs one incremental update.

    python bench/bench_tally.py [--builds N] [--updates N]

Full recompute: TallyEngine.build(questionnaire, 500 cases, 14,500 answer rows), best and
median of N runs. Incremental: engine.set_answer on that engine, changing a random answer each
time (a few thousand calls, each timed). Also Repository.tally (build fed from the repository),
since that is what opening an inspection costs. Pure CPU: no disk is touched while timing.
"""

from __future__ import annotations

import gc
import random
import statistics
import time

import benchlib as bl


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--builds", type=int, default=7, help="full recomputes timed (default 7)")
    p.add_argument("--updates", type=int, default=4000, help="incremental updates timed (default 4000)")
    args = p.parse_args()
    from esi_tui.core.tally import TallyEngine

    with bl.workdir(args) as tmp:
        info = bl.header("bench_tally: full recompute vs incremental update", args, tmp)
        report = bl.Report("bench_tally", info)
        q = bl.questionnaire()
        case_list = bl.cases(q)
        rng = random.Random(11)
        rows = [(ref, qid, bl.REVIEWER, bl.answer_value(q, qid, rng)) for ref, qid in bl.all_pairs(q, case_list)]
        print(f"{len(case_list)} cases, {len(rows):,} answers, {len(q.questions)} questions, "
              f"{len(q.criteria)} criteria\n")

        builds = []
        for _ in range(args.builds):
            gc.collect()
            t0 = time.perf_counter()
            engine = TallyEngine.build(q, case_list, rows)
            builds.append(time.perf_counter() - t0)
        build = bl.summary(builds)

        current = {(ref, qid): value for ref, qid, _, value in rows}
        keys = list(current)
        updates = []
        for i in range(args.updates + 50):
            ref, qid = keys[rng.randrange(len(keys))]
            value = bl.answer_value(q, qid, rng, avoid=current[(ref, qid)])
            current[(ref, qid)] = value
            t0 = time.perf_counter()
            engine.set_answer(ref, qid, bl.REVIEWER, value)
            dt = time.perf_counter() - t0
            if i >= 50:  # warm-up
                updates.append(dt)
        update = bl.summary(updates)
        # the engine must still agree with a fresh build
        fresh = TallyEngine.build(q, case_list, [(r, qid, bl.REVIEWER, v) for (r, qid), v in current.items()])
        agree = all(engine.criterion_counts(c.code).as_dict() == fresh.criterion_counts(c.code).as_dict()
                    for c in q.criteria)

        # what opening the inspection costs: the same build fed from a repository
        from esi_tui.store.repository import Repository

        path = tmp / "tally.json"
        bl.build_db(path, bl.all_pairs(q, case_list))
        repo = Repository.open(path, readonly=True)
        repo.tally(bl.INSPECTION)  # loads the recorded questionnaire once
        repo_builds = []
        for _ in range(max(3, args.builds // 2)):
            gc.collect()
            t0 = time.perf_counter()
            repo.tally(bl.INSPECTION)
            repo_builds.append(time.perf_counter() - t0)

        print("TallyEngine.build (full recompute):")
        print(f"  best {bl.ms(build['min'], 1)}  median {bl.ms(build['median'], 1)}  max {bl.ms(build['max'], 1)}"
              f"  (n={build['n']})")
        print("engine.set_answer (incremental, changing a random answer):")
        print(f"  median {bl.us(update['median'])}  p95 {bl.us(update['p95'])}  max {bl.us(update['max'])}"
              f"  (n={update['n']})")
        print(f"  engine agrees with a fresh build after {len(updates):,} updates: {agree}")
        print(f"Repository.tally (build fed from the repository): median "
              f"{bl.ms(statistics.median(repo_builds), 1)}")
        print()
        ratio = build["median"] / update["median"]
        report.figure("TallyEngine.build, 14,500 answers: best / median",
                      f"{bl.ms(build['min'], 1)} / {bl.ms(build['median'], 1)}", "build", build["median"])
        report.figure("engine.set_answer: median / p95",
                      f"{bl.us(update['median'])} / {bl.us(update['p95'])}", "update", update["median"])
        report.figure("full recompute / incremental update (medians)", f"{ratio:,.0f}x", "ratio", ratio)
        report.figure("Repository.tally (opening an inspection), median",
                      bl.ms(statistics.median(repo_builds), 1), "repo_tally", statistics.median(repo_builds))
        if not agree:
            report.note("the incrementally updated engine disagrees with a fresh build: a tally bug")
        report.emit()


if __name__ == "__main__":
    main()
