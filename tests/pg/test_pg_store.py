"""The PostgreSQL store as a database administrator meets it: one versioned schema (another version is
refused in one line), an append-only table, PostgreSQL's roles deciding who may write, no password in
any message, one line naming what to install without psycopg; and a commit the server refuses leaves
memory exactly as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pg_writer import ordered_digest

from esi_tui import cli
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.errors import StoreError
from esi_tui.store.pg_log import connect
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

INSPECTION = "insp"


def dbname(url: str) -> str:
    return url.split("/")[3].split("?")[0]


def made(url: str) -> None:
    with Repository.open(url) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"), area="Kent")
        repo.save_case(INSPECTION, "K001", {"risk_of_harm": "high"})


def test_new_creates_the_schema_and_init_db_checks_it(pg_url, capsys):
    assert cli.main(["tally", "--db", pg_url]) == 1
    assert "no esi-tui schema in this database" in capsys.readouterr().err
    assert cli.main(["new", "-q", "esi-2005-followup", "--area", "Kent", "--id", "kent", "--db", pg_url]) == 0
    assert cli.main(["init-db", pg_url]) == 0
    out = capsys.readouterr().out
    assert "already holds the esi-tui schema (schema esi_tui version 1, 1 changes of 1 inspections)" in out


@pytest.mark.parametrize(("version", "word"), [("2", "newer"), ("0", "older")])
def test_another_schema_version_is_refused_in_one_line(pg_server, pg_url, capsys, version, word):
    made(pg_url)
    pg_server.psql(dbname(pg_url), f"UPDATE esi_tui.meta SET value = '{version}' WHERE key = 'schema_version'")
    for argv in (["tally", "--db", pg_url], ["init-db", pg_url], ["new", "-q", "esi-2005-followup", "--area", "X",
                                                                 "--db", pg_url]):
        assert cli.main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"schema version {version} is {word}" in err, err


def test_the_table_of_changes_is_append_only(pg_server, pg_url):
    made(pg_url)
    for statement in ("UPDATE esi_tui.changes SET op = 'x'", "DELETE FROM esi_tui.changes",
                      "TRUNCATE esi_tui.changes"):
        with pytest.raises(Exception, match="append-only"):
            pg_server.psql(dbname(pg_url), statement)


def test_a_role_that_may_only_read_reads_and_gets_one_line_when_it_writes(pg_server, pg_url, tmp_path, capsys):
    made(pg_url)
    name = dbname(pg_url)
    pg_server.psql(name, "DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                         "GRANT USAGE ON SCHEMA esi_tui TO reader; "
                         "GRANT SELECT ON ALL TABLES IN SCHEMA esi_tui TO reader")
    reader = pg_url.replace(f"{pg_server.user}@", "reader@")
    assert cli.main(["tally", "--json", "--db", reader]) == 0
    capsys.readouterr()
    cases = tmp_path / "cases.csv"
    cases.write_text("reference,risk_of_harm\nK002,low\n", encoding="utf-8")
    assert cli.main(["import-cases", str(cases), "--db", reader]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "permission denied" in err and "may not write" in err, err
    with Repository.open(pg_url, readonly=True) as repo:
        assert [c.reference for c in repo.cases(INSPECTION)] == ["K001"]


def test_no_password_in_messages(capsys):
    url = "postgresql://ann:s3cret@/nowhere?host=/nonexistent-esi-socket"
    assert cli.main(["tally", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "s3cret" not in err and "ann:***@" in err and "cannot connect to the server" in err


def test_without_psycopg_a_url_says_what_to_install(pg_url):
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from esi_tui import cli\n"
            f"sys.exit(cli.main(['tally', '--db', {pg_url!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "pip install 'esi-tui[postgres]'" in result.stderr, result.stderr


def test_a_commit_the_server_does_not_take_leaves_memory_as_it_was(pg_url):
    made(pg_url)
    with Repository.open(pg_url) as repo:
        repo.set_answer(INSPECTION, "K001", "B1.1", None, "jb", note="a note first")
        before = ordered_digest(repo)
        heard = []
        repo.subscribe(heard.append)
        with pytest.raises(StoreError, match=r"connection to the server was lost.*not saved"):
            with repo.ledger.operation():
                repo.set_answer(INSPECTION, "K001", "B1.1", "yes", "jb")   # the note-only answer moves
                repo.set_answer(INSPECTION, "K001", "B1.2", "no", "jb")
                assert ordered_digest(repo) != before
                killer = connect(pg_url)
                killer.execute("SELECT pg_terminate_backend(%s)", (repo.log._conn.info.backend_pid,))
                killer.close()
        assert ordered_digest(repo) == before
        # the listeners heard the changes again, so a view built on them shows what is stored
        assert ("answer", INSPECTION, "K001", "B1.1", "jb") in heard[2:]
        # the next write connects again by itself
        repo.set_answer(INSPECTION, "K001", "B1.3", "yes", "jb")
    with Repository.open(pg_url, readonly=True) as repo:
        stored = {a.question: (a.value, a.note) for a in repo.answers(INSPECTION)}
    assert stored == {"B1.1": (None, "a note first"), "B1.3": ("yes", "")}
