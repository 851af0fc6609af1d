"""A child process that writes to an esi-tui database until it is killed (or told to stop).

Run as:  python store_writer.py DB QUESTIONNAIRE LOG --seed N --fold-every N --reviewer R
                                [--inspection ID] [--count N] [--wait S] [--hold-file PATH]

Every line of LOG is written (and flushed) by one write() call:
  {"t": "ready", "pid": ...}                      the database is open
  {"t": "intent", "kind": ..., ...}                 about to make this change
  {"t": "ack", "kind": ..., ...}                    the change was reported saved (the call returned)
  {"t": "fold"} / {"t": "folded"}                   a fold of the journal starts / ends
  {"t": "done"}                                     --count changes made and the database closed

An "ack" line is written only after the Repository call returned, so every ack is a change the
user was told is saved. The parent kills this process at random moments and checks every ack.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

from esi_tui.core.loader import load_file
from esi_tui.store.file_log import FileLog
from esi_tui.store.repository import Repository

VALUES = ("yes", "no", "na", None)
NOTES = ("", "", "checked the file", "see supervision record", "note ✓ ünïcode", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("questionnaire")
    parser.add_argument("log")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fold-every", type=int, default=50)
    parser.add_argument("--reviewer", default="alice")
    parser.add_argument("--inspection", default="insp")
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--count", type=int, default=0, help="stop and close after N changes (0: never)")
    parser.add_argument("--wait", type=float, default=0.0)
    parser.add_argument("--hold-file", default="", help="after --count changes, keep the database open "
                        "until this file exists, then close")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    log = open(args.log, "a", encoding="utf-8", buffering=1)

    one_at_a_time = threading.Lock()  # the background fold's thread emits too

    def emit(**fields) -> None:
        with one_at_a_time:
            log.write(json.dumps(fields, ensure_ascii=False) + "\n")
            log.flush()

    FileLog.FOLD_EVERY = args.fold_every
    original_write = FileLog._write_tables

    def logged_write(self, tables) -> None:
        # the rewrite of the TinyDB file, on the caller's path or in the background fold's thread
        emit(t="fold")
        original_write(self, tables)
        emit(t="folded")

    FileLog._write_tables = logged_write  # type: ignore[method-assign]

    questionnaire = load_file(args.questionnaire)
    repo = Repository.open(args.db, wait=args.wait)
    emit(t="ready", pid=os.getpid(), ts=time.time())
    insp = args.inspection
    if not repo.has_inspection(insp):
        emit(t="intent", kind="inspection", inspection=insp)
        repo.create_inspection(insp, questionnaire, title=f"Inspection {insp}")
        emit(t="ack", kind="inspection", inspection=insp)
    questions = [q.id for q in questionnaire.questions]
    attributes = questionnaire.attributes
    made = 0
    while not args.count or made < args.count:
        roll = rng.random()
        existing = [c.reference for c in repo.cases(insp)]
        if not existing or roll < 0.08:
            # a new case, or new attribute values for an existing one
            reference = f"C{rng.randrange(args.cases):03d}"
            attrs = {
                "risk": rng.choice(attributes["risk"].values),
                "child": rng.random() < 0.5,
                "level": rng.randint(0, 3),
            }
            emit(t="intent", kind="case", inspection=insp, case=reference, attributes=attrs)
            case = repo.save_case(insp, reference, attrs)
            emit(t="ack", kind="case", inspection=insp, case=reference, attributes=case.attributes)
        else:
            reference = rng.choice(existing)
            question = rng.choice(questions)
            value = rng.choice(VALUES)
            note = rng.choice(NOTES)
            emit(t="intent", kind="answer", inspection=insp, case=reference, question=question,
                 reviewer=args.reviewer, value=value, note=note)
            stored = repo.set_answer(insp, reference, question, value, args.reviewer, note=note)
            emit(t="ack", kind="answer", inspection=insp, case=reference, question=question,
                 reviewer=args.reviewer, value=stored.value if stored else None,
                 note=stored.note if stored else "")
        made += 1
    if args.hold_file:
        while not Path(args.hold_file).exists():
            time.sleep(0.01)
    repo.close()
    emit(t="done", ts=time.time())
    return 0


if __name__ == "__main__":
    sys.exit(main())
