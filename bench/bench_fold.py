"""What a fold costs the caller: the save that starts a fold, against a fold on the caller's path.

    python bench/bench_fold.py [--tmp DIR] [--saves N] [--keep]

A database of 14,500 answers (500 cases x 29 questions) is reopened and N stored answers are changed
one by one through Repository.set_answer, with FileLog.FOLD_EVERY lowered to 100 so that many folds
start during the run (each in a background thread, from a snapshot of the state). Timed: every save,
split into the saves that started a fold and the others; and, in the same run and the same temp dir,
the fold as the caller's path pays for it (Repository.fold: the whole file rewritten and fsync'd).
The target: a save that starts a fold costs well under a fold on the caller's path.
"""

from __future__ import annotations

import random
import time

import benchlib as bl

ANSWERS = 14_500
FOLD_EVERY = 100


def main() -> None:
    p = bl.parser(__doc__.splitlines()[0])
    p.add_argument("--saves", type=int, default=1000, help="answer changes timed (default 1000)")
    args = p.parse_args()
    from esi_tui.store.file_log import FileLog
    from esi_tui.store.repository import Repository

    with bl.workdir(args) as tmp:
        info = bl.header("bench_fold: what a fold costs the caller", args, tmp)
        report = bl.Report("bench_fold", info)
        q = bl.questionnaire()
        pairs = bl.all_pairs(q, bl.cases(q))[:ANSWERS]
        db = tmp / "fold.json"
        built = bl.build_db(db, pairs)
        print(f"set-up: {built['answers']:,} answers in {built['seconds']:.1f} s (fsync off, set-up only)\n")
        rng = random.Random(11)
        FileLog.FOLD_EVERY = FOLD_EVERY
        repo = Repository.open(db)
        starting, others, caller_folds = [], [], []
        try:
            for n in range(args.saves):
                ref, qid = pairs[rng.randrange(len(pairs))]
                folds_before = repo.log._background.running
                t0 = time.perf_counter()
                repo.set_answer(bl.INSPECTION, ref, qid, bl.answer_value(q, qid, rng), bl.REVIEWER, note=f"n{n}")
                took = time.perf_counter() - t0
                started = not folds_before and repo.log._background.running
                (starting if started else others).append(took)
                if n % 200 == 199:  # the fold as it would be on the caller's path, in the same run
                    repo.log.settle()
                    t0 = time.perf_counter()
                    repo.fold()
                    caller_folds.append(time.perf_counter() - t0)
            repo.log.settle()
            assert repo.fold_error is None, repo.fold_error
        finally:
            repo.close()
        s, o, f = bl.summary(starting), bl.summary(others), bl.summary(caller_folds)
        print(f"saves that started a background fold: {bl.fmt_summary(s)}")
        print(f"other saves (some while a fold ran):  {bl.fmt_summary(o)}")
        print(f"a fold on the caller's path:           {bl.fmt_summary(f, 1)}")
        report.figure("save that starts a fold, median / max", f"{bl.ms(s['median'])} / {bl.ms(s['max'])}",
                      "fold_start", s["median"])
        report.figure("other saves, median / p95", f"{bl.ms(o['median'])} / {bl.ms(o['p95'])}", "save",
                      o["median"])
        report.figure(f"fold on the caller's path at {ANSWERS:,} answers, median", bl.ms(f["median"], 1),
                      "caller_fold", f["median"])
        ratio = s["median"] / f["median"]
        print("\ntargets:")
        report.check("save that starts a fold / fold on the caller's path (medians)", ratio, 0.25,
                     f"{ratio:.2f}x", "<= 0.25x")
        report.emit()


if __name__ == "__main__":
    main()
