"""A child process that writes to a shared (PostgreSQL) esi-tui database, for the concurrency tests.

Run as:  python pg_writer.py URL LOG --reviewer R --count N [--seed S] [--case-share P] [--start FILE]

It waits for the --start file (so that every writer starts at once), then makes N changes: its own
reviewer's answers to random questions of random cases, and with probability P a change of the
contended case's attributes (case H001, which every writer edits). Every line of LOG is one write():
  {"t": "ack", "kind": "answer", ...}   a change reported saved (the Repository call returned)
  {"t": "ack", "kind": "case", ...}
  {"t": "digest", "seq": S, "sha": ...}  at the end: the writer's in-memory state and the seq it is at
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

from esi_tui.store.repository import Repository

INSPECTION = "team"
CONTENDED = "H001"


def digest(repo: Repository) -> str:
    """A fingerprint of the whole in-memory state, in its order (history and answers included)."""
    return hashlib.sha256(json.dumps(repo.state.tables(), sort_keys=True, default=str).encode()).hexdigest()


def ordered_digest(repo: Repository) -> str:
    """As digest, but keeping the order of every table (the order the records were applied in)."""
    return hashlib.sha256(json.dumps(repo.state.tables(), default=str).encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("log")
    parser.add_argument("--reviewer", required=True)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--case-share", type=float, default=0.0)
    parser.add_argument("--start", default="")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    log = open(args.log, "a", encoding="utf-8", buffering=1)

    def emit(**fields) -> None:
        log.write(json.dumps(fields) + "\n")
        log.flush()

    repo = Repository.open(args.url)
    questionnaire = repo.questionnaire(INSPECTION)
    questions = [q.id for q in questionnaire.questions]
    cases = [c.reference for c in repo.cases(INSPECTION)]
    risks = questionnaire.attributes["risk_of_harm"].values
    emit(t="ready", pid=os.getpid())
    while args.start and not Path(args.start).exists():
        time.sleep(0.002)
    for _ in range(args.count):
        if rng.random() < args.case_share:
            attributes = {"risk_of_harm": rng.choice(risks), "mappa_level": rng.randint(0, 3)}
            stored = repo.save_case(INSPECTION, CONTENDED, attributes)
            emit(t="ack", kind="case", case=CONTENDED, set=attributes, stored=stored.attributes, seq=repo.log.seq)
        else:
            case, question = rng.choice(cases), rng.choice(questions)
            keys = [option.key for option in questionnaire.scale_of(question).options]
            value = rng.choice([*keys, None])
            stored = repo.set_answer(INSPECTION, case, question, value, args.reviewer)
            emit(t="ack", kind="answer", case=case, question=question, reviewer=args.reviewer,
                 value=stored.value if stored else None, seq=repo.log.seq)
    emit(t="digest", seq=repo.log.seq, sha=ordered_digest(repo))
    repo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
