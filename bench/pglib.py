"""What the PostgreSQL bench scripts share: a throwaway server (the tests' own), and fixture records made
once in memory through the Repository and loaded into a server with COPY (set-up only, never timed)."""

from __future__ import annotations

import json
import random
import sys

import benchlib as bl

sys.path.insert(0, str(bl.ROOT / "tests" / "helpers"))
from pg_server import PgServer, start_server

__all__ = ["PgServer", "copy_records", "inspection_records", "renamed", "start_server"]


def inspection_records(inspection: str = bl.INSPECTION, answers: bool = True, seed: int = 1) -> list[dict]:
    """The records of one bench inspection (500 cases, an answer to each of their 29 questions), made by
    the Repository on a database in memory: exactly what a file's journal or the server's table holds."""
    from esi_tui.store.repository import Repository

    q = bl.questionnaire()
    case_list = bl.cases(q)
    rng = random.Random(seed)
    repo = Repository.in_memory()
    repo.create_inspection(inspection, q, title="Bench inspection", area=f"Benchshire {inspection}")
    for ref, attributes in case_list:
        repo.save_case(inspection, ref, attributes)
    if answers:
        for ref, qid in bl.all_pairs(q, case_list):
            repo.set_answer(inspection, ref, qid, bl.answer_value(q, qid, rng), bl.REVIEWER)
    return [{k: v for k, v in record.items() if k != "seq"} for record in repo.records]


def renamed(records: list[dict], inspection: str) -> list[dict]:
    """The same records for another inspection id (a national programme's 42 areas)."""
    out = []
    for record in records:
        record = json.loads(json.dumps(record))
        if record["op"] == "inspection":
            record["record"]["id"] = inspection
        elif record["op"] == "history":
            record["record"]["inspection"] = inspection
        else:
            record["inspection"] = inspection
        out.append(record)
    return out


def copy_records(url: str, records: list[dict]) -> None:
    """Load records into a server's table in the server's order (COPY: set-up, not the write path)."""
    from esi_tui.store.pg_log import connect
    from esi_tui.store.pg_schema import SCHEMA, create_schema, inspection_of

    conn = connect(url)
    create_schema(conn, url, "bench")
    with conn.transaction(), conn.cursor() as cur, \
            cur.copy(f"COPY {SCHEMA}.changes (inspection, op, record) FROM STDIN") as copy:
        for record in records:
            copy.write_row((inspection_of(record), record["op"], json.dumps(record)))
    conn.execute("VACUUM ANALYZE esi_tui.changes")
    conn.close()


def database(server: PgServer, name: str) -> str:
    server.psql("postgres", f'CREATE DATABASE "{name}"')
    return server.url(name)


