"""The store: validation, history, read-only use, the lock, damaged files and failed writes."""

from __future__ import annotations

import errno
import getpass
import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

import esi_tui.store.file_log as repository_module  # where the journal is read
import esi_tui.store.files as files_module
import esi_tui.store.journal as journal_module
from esi_tui.core.loader import load_file
from esi_tui.store.errors import InvalidChange, ReadOnly, StoreError, StoreLocked
from esi_tui.store.repository import Repository

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.toml"
SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "esi-2005-followup.toml"


@pytest.fixture
def mini():
    return load_file(MINI)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "esi.json"


@pytest.fixture
def repo(db, mini):
    repo = Repository.open(db)
    repo.create_inspection("i1", mini, title="North", area="North")
    repo.save_case("i1", "C1", {"risk": "high"})
    repo.save_case("i1", "C2", {"risk": "low", "level": 2})
    yield repo
    repo.close()


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def journal_size(db: Path) -> int:
    return journal(db).stat().st_size


def snapshot(*paths: Path) -> dict[Path, bytes | None]:
    return {p: p.read_bytes() if p.exists() else None for p in paths}


def answers_of(repo: Repository, inspection: str = "i1") -> dict[tuple, tuple]:
    return {(a.case, a.question, a.reviewer): (a.value, a.note) for a in repo.answers(inspection)}


# -- saving and reopening -------------------------------------------------------------------------


def test_answers_cases_and_notes_survive_closing_and_reopening(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice", note="seen the plan")
    repo.set_answer("i1", "C1", "A1.2", "no", "alice")
    repo.set_answer("i1", "C2", "A1.1", "na", "bob")
    repo.set_answer("i1", "C2", "A2.1", None, "bob", note="ask the manager")
    repo.set_complete("i1", "C2")
    repo.close()
    with Repository.open(db) as again:
        assert answers_of(again) == {
            ("C1", "A1.1", "alice"): ("yes", "seen the plan"),
            ("C1", "A1.2", "alice"): ("no", ""),
            ("C2", "A1.1", "bob"): ("na", ""),
            ("C2", "A2.1", "bob"): (None, "ask the manager"),
        }
        assert again.case("i1", "C1").attributes == {"risk": "high", "child": False, "level": 0}
        assert again.case("i1", "C2").complete and not again.case("i1", "C1").complete
        assert [c.reference for c in again.cases("i1")] == ["C1", "C2"]
        assert again.inspection("i1").area == "North"


def test_saved_answers_are_readable_before_any_fold(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    # nothing folded yet: the answer is in the journal only, and a reader still sees it
    assert "A1.1" not in db.read_text()
    assert journal_size(db) > 0
    viewer = Repository.open(db, readonly=True)
    assert viewer.answer("i1", "C1", "A1.1", "alice").value == "yes"


def test_the_shipped_questionnaire_can_be_used(db):
    questionnaire = load_file(SHIPPED)
    with Repository.open(db) as repo:
        repo.create_inspection("ship", questionnaire)
        repo.save_case("ship", "X1")
        first = questionnaire.questions[0]
        key = questionnaire.scale_of(first.id).options[0].key
        repo.set_answer("ship", "X1", first.id, key, "alice")
    with Repository.open(db, readonly=True) as repo:
        assert repo.answer("ship", "X1", first.id, "alice").value == key
        assert repo.questionnaire("ship").content_hash == questionnaire.content_hash


# -- history ----------------------------------------------------------------------------------


def test_changing_or_clearing_an_answer_keeps_the_earlier_value_in_history(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice", note="first look")
    repo.set_answer("i1", "C1", "A1.1", "no", "alice")             # note kept
    repo.set_answer("i1", "C1", "A1.1", "no", "alice", note="on reflection")
    repo.set_answer("i1", "C1", "A1.1", None, "alice", note="")   # cleared
    assert repo.answer("i1", "C1", "A1.1", "alice") is None

    def earlier(r):
        return [(h["value"], h["note"], h["reviewer"]) for h in r.history("i1", "C1", "A1.1")]

    expected = [("yes", "first look", "alice"), ("no", "first look", "alice"), ("no", "on reflection", "alice")]
    assert earlier(repo) == expected
    assert all(h["replaced_at"] for h in repo.history("i1"))
    assert repo.history("i1", "C2") == [] and repo.history("i1", "C1", "A1.2") == []
    repo.close()
    with Repository.open(db, readonly=True) as again:
        assert earlier(again) == expected
        assert again.answer("i1", "C1", "A1.1", "alice") is None


def test_another_reviewers_answer_does_not_replace_mine(repo):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    repo.set_answer("i1", "C1", "A1.1", "no", "bob")
    assert repo.answer("i1", "C1", "A1.1", "alice").value == "yes"
    assert repo.answer("i1", "C1", "A1.1", "bob").value == "no"
    assert repo.history("i1") == []


# -- the recorded questionnaire ---------------------------------------------------------------


def test_an_inspection_keeps_scoring_with_the_questionnaire_it_was_made_with(tmp_path, db):
    source = tmp_path / "mini.toml"
    shutil.copy(MINI, source)
    original = load_file(source)
    with Repository.open(db) as repo:
        repo.create_inspection("i1", original)
        repo.save_case("i1", "C1", {"risk": "high"})
        repo.set_answer("i1", "C1", "A1.2", "no", "alice")

    # the file changes: A1.3 is gone, the version moved on
    text = source.read_text()
    start = text.index('[[criteria.questions]]\nid = "A1.3"')
    text = text[:start] + text[text.index("[[criteria]]", start):]
    source.write_text(text.replace('version = "1"', 'version = "2"'))
    changed = load_file(source)
    assert not changed.has_question("A1.3") and changed.content_hash != original.content_hash

    with Repository.open(db) as repo:
        recorded = repo.questionnaire("i1")
        assert recorded.content_hash == original.content_hash == repo.inspection("i1").questionnaire_hash
        assert recorded.version == "1" and recorded.has_question("A1.3")
        repo.set_answer("i1", "C1", "A1.3", "yes", "alice")
        assert repo.tally("i1").question_counts("A1.3").positive == 1
    source.unlink()
    with Repository.open(db, readonly=True) as repo:
        assert repo.tally("i1").criterion("A1").counts.positive == 1


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("attributes", [
    {"colour": "red"},          # unknown attribute
    {"risk": "medium"},         # not one of the choices
    {"level": 7},               # above the maximum
    {"level": -1},              # below the minimum
    {"level": True},            # a bool is not a number
    {"level": "2"},             # text is not a number
    {"child": "yes"},           # text is not a bool
])
def test_save_case_rejects_bad_attributes_and_saves_nothing(repo, db, attributes):
    before = journal_size(db)
    with pytest.raises(InvalidChange):
        repo.save_case("i1", "C1", attributes)
    with pytest.raises(InvalidChange):
        repo.save_case("i1", "C9", attributes)
    assert journal_size(db) == before
    assert repo.case("i1", "C1").attributes == {"risk": "high", "child": False, "level": 0}
    assert not repo.has_case("i1", "C9")


def test_save_case_rejects_an_empty_reference_or_unknown_inspection(repo, db):
    before = journal_size(db)
    with pytest.raises(InvalidChange):
        repo.save_case("i1", "   ")
    with pytest.raises(InvalidChange):
        repo.save_case("nope", "C1")
    assert journal_size(db) == before


@pytest.mark.parametrize("inspection, case, question, value, reviewer", [
    ("i1", "C9", "A1.1", "yes", "alice"),      # unknown case
    ("i1", "C1", "Z9.9", "yes", "alice"),      # unknown question
    ("i1", "C1", "A1.1", "maybe", "alice"),    # not in the question's scale
    ("i1", "C1", "A1.1", "Yes", "alice"),      # keys are exact
    ("i1", "C1", "A1.1", "yes", ""),           # nobody answered
    ("i9", "C1", "A1.1", "yes", "alice"),      # unknown inspection
])
def test_set_answer_rejects_bad_answers_and_saves_nothing(repo, db, inspection, case, question, value, reviewer):
    repo.set_answer("i1", "C1", "A1.1", "no", "alice")
    before = journal_size(db)
    with pytest.raises(InvalidChange):
        repo.set_answer(inspection, case, question, value, reviewer)
    assert journal_size(db) == before
    assert answers_of(repo) == {("C1", "A1.1", "alice"): ("no", "")}
    repo.close()
    with Repository.open(db) as again:
        assert answers_of(again) == {("C1", "A1.1", "alice"): ("no", "")}


def test_create_inspection_rejects_bad_input(db, mini):
    with Repository.open(db) as repo:
        repo.create_inspection("i1", mini)
        before = journal_size(db)
        for kwargs in ({"baseline": {"Z9": 50}}, {"baseline": {"A1": 120}}, {"baseline": {"A1": "50"}},
                       {"baseline": {"A1": None}}, {"question_baseline": {"nope": 10}},
                       {"question_baseline": {"A1.1": -1}}):
            with pytest.raises(InvalidChange):
                repo.create_inspection("i2", mini, **kwargs)
        with pytest.raises(InvalidChange):
            repo.create_inspection("i1", mini)
        with pytest.raises(InvalidChange):
            repo.create_inspection("  ", mini)
        assert journal_size(db) == before
        assert [i.id for i in repo.inspections()] == ["i1"]


# -- idempotency ------------------------------------------------------------------------------


def test_saving_the_same_thing_twice_appends_nothing(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice", note="n")
    repo.set_answer("i1", "C1", "A1.2", "yes", "alice")
    repo.set_complete("i1", "C1")
    size = journal_size(db)
    assert repo.set_answer("i1", "C1", "A1.1", "yes", "alice", note="n").value == "yes"
    assert repo.set_answer("i1", "C1", "A1.1", "yes", "alice").note == "n"   # note=None keeps it
    assert repo.set_answer("i1", "C1", "A1.3", None, "alice") is None       # clearing nothing
    repo.save_case("i1", "C1", {"risk": "high"})
    repo.save_case("i1", "C2", {})
    repo.set_complete("i1", "C1")
    assert journal_size(db) == size
    assert repo.history("i1") == []


# -- read-only --------------------------------------------------------------------------------


def test_a_read_only_repository_refuses_every_write_and_changes_no_file(repo, db, mini):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    repo.close()
    files = snapshot(db, journal(db))
    with Repository.open(db, readonly=True) as viewer:
        for attempt in (
            lambda: viewer.set_answer("i1", "C1", "A1.1", "no", "alice"),
            lambda: viewer.set_answer("i1", "C1", "A1.2", "yes", "bob"),
            lambda: viewer.save_case("i1", "C3", {"risk": "low"}),
            lambda: viewer.set_complete("i1", "C1"),
            lambda: viewer.create_inspection("i2", mini),
        ):
            with pytest.raises(ReadOnly):
                attempt()
        viewer.fold()
        assert viewer.answer("i1", "C1", "A1.1", "alice").value == "yes"
        assert not viewer.has_case("i1", "C3")
    assert snapshot(db, journal(db)) == files


def test_read_only_open_of_a_missing_database_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Repository.open(tmp_path / "missing.json", readonly=True)
    assert not (tmp_path / "missing.json").exists()


def test_a_closed_repository_refuses_writes(repo):
    repo.close()
    with pytest.raises(StoreError, match="closed"):
        repo.set_answer("i1", "C1", "A1.1", "yes", "alice")


# -- the single-writer lock -------------------------------------------------------------------


def test_a_second_writer_is_told_who_holds_the_database(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    with pytest.raises(StoreLocked) as refused:
        Repository.open(db)
    message = str(refused.value)
    assert str(db) in message and f"pid {os.getpid()}" in message
    assert getpass.getuser() in message and socket.gethostname() in message
    assert isinstance(refused.value, StoreError)
    # the same file named through a symlink is the same database, with the same lock
    link = db.with_name("link.json")
    link.symlink_to(db)
    with pytest.raises(StoreLocked):
        Repository.open(link)
    repo.close()
    with Repository.open(link) as again:
        again.set_answer("i1", "C1", "A1.2", "no", "alice")
    assert link.is_symlink()
    with Repository.open(db, readonly=True) as viewer:
        assert answers_of(viewer) == {("C1", "A1.1", "alice"): ("yes", ""), ("C1", "A1.2", "alice"): ("no", "")}


def test_a_writer_that_closes_lets_the_next_one_in(repo, db):
    repo.close()
    with Repository.open(db, wait=1) as again:
        again.set_answer("i1", "C1", "A1.1", "yes", "bob")


def test_a_read_only_open_that_races_a_fold_reads_again(repo, db, monkeypatch):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    repo.set_answer("i1", "C2", "A1.1", "no", "alice")
    real = repository_module.scan_journal
    calls = []

    def fold_in_between(path, checked):
        # the writer folds after the reader read the old file and before it read the journal
        if not calls:
            repo.fold()
        calls.append(path)
        return real(path, checked)

    monkeypatch.setattr(repository_module, "scan_journal", fold_in_between)
    viewer = Repository.open(db, readonly=True)
    assert len(calls) >= 2
    assert answers_of(viewer) == {("C1", "A1.1", "alice"): ("yes", ""), ("C2", "A1.1", "alice"): ("no", "")}


# -- files and folders are private --------------------------------------------------------------


def test_files_and_folders_the_store_creates_are_readable_by_their_owner_only(tmp_path, mini):
    old_umask = os.umask(0o022)
    try:
        db = tmp_path / "new" / "deeper" / "esi.json"
        with Repository.open(db) as repo:
            repo.create_inspection("i1", mini)
            repo.save_case("i1", "C1")
            repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
            modes = {p.name: stat.S_IMODE(p.stat().st_mode)
                     for p in (db, journal(db), db.with_name("esi.json.lock"))}
            assert modes == {"esi.json": 0o600, "esi.json.journal": 0o600, "esi.json.lock": 0o600}
        assert stat.S_IMODE(db.stat().st_mode) == 0o600            # rewritten by the fold on close
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp_path / "new" / "deeper").stat().st_mode) == 0o700
    finally:
        os.umask(old_umask)


def test_an_existing_folder_keeps_its_permissions(tmp_path, mini):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    with Repository.open(folder / "esi.json") as repo:
        repo.create_inspection("i1", mini)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_a_database_that_cannot_be_created_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="a-file"):
        Repository.open(blocker / "esi.json")
    assert blocker.read_text() == "not a folder"
    with pytest.raises(StoreError, match="folder"):
        Repository.open(tmp_path)


# -- damaged or foreign database files -----------------------------------------------------------


def _real_database(db: Path, mini) -> bytes:
    with Repository.open(db) as repo:
        repo.create_inspection("i1", mini)
        repo.save_case("i1", "C1")
        repo.set_answer("i1", "C1", "A1.1", "yes", "alice", note="x" * 200)
    return db.read_bytes()


DAMAGED = {
    "garbage bytes": lambda good: b"\x00\xffPK\x03\x04 not json at all \x89PNG",
    "truncated json": lambda good: good[: len(good) // 2],
    "empty file": lambda good: b"",
    "only whitespace": lambda good: b"  \n",
    "a json list": lambda good: b"[1, 2, 3]",
    "a json string": lambda good: b'"hello"',
    "tables that are not tables": lambda good: b'{"meta": [1], "answers": 3}',
    "another tinydb database": lambda good: b'{"_default": {"1": {"name": "my notes"}}}',
    "an empty json object": lambda good: b"{}",
    "a newer format": lambda good: good.replace(b'"format":1', b'"format":2'),
    "a damaged header": lambda good: good.replace(b'"last_seq":', b'"last_seq":"x","was":'),
    "a record with a bad id": lambda good: good.replace(b'"answers":{"1"', b'"answers":{"one"'),
    "a record missing fields": lambda good: good.replace(b'"reviewer":"alice",', b""),
    "a record that is not an object": lambda good: good.replace(b'"cases":{"1":{', b'"cases":{"1":[1],"2":{'),
    "deeply nested json": lambda good: b"[" * 100000 + b"]" * 100000,
    "invalid utf-8": lambda good: good.replace(b"xxxx", b"\xff\xfe\xfd\xfc"),
}


@pytest.mark.parametrize("damage", list(DAMAGED), ids=list(DAMAGED))
@pytest.mark.parametrize("readonly", [False, True], ids=["writer", "read-only"])
def test_a_damaged_database_file_is_a_clear_error_and_is_never_overwritten(tmp_path, mini, damage, readonly):
    db = tmp_path / "esi.json"
    good = _real_database(db, mini)
    bad = DAMAGED[damage](good)
    assert bad != good
    db.write_bytes(bad)
    with pytest.raises(StoreError) as failed:
        Repository.open(db, readonly=readonly)
    assert type(failed.value) is StoreError
    message = str(failed.value)
    assert str(db) in message and "\n" not in message
    assert db.read_bytes() == bad
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # and the next attempt says the same, rather than finding something it wrote the first time
    with pytest.raises(StoreError):
        Repository.open(db, readonly=readonly)
    assert db.read_bytes() == bad


def test_an_unreadable_database_file_is_a_clear_error(repo, db, monkeypatch):
    repo.close()
    before = db.read_bytes()
    real = Path.read_bytes

    def denied(self):
        if self == db:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="cannot read: Permission denied") as failed:
            Repository.open(db, readonly=readonly)
        assert str(db) in str(failed.value)
    monkeypatch.undo()
    assert db.read_bytes() == before


# -- the journal after a crash ----------------------------------------------------------------


def _crashed(repo: Repository) -> None:
    """Leave the repository as a killed process would: no fold, lock and journal let go."""
    repo.log._journal.close()
    repo.log._journal = None
    repo.log._lock.release()


def test_a_torn_last_journal_line_is_ignored(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    repo.set_answer("i1", "C1", "A1.2", "no", "alice")
    _crashed(repo)
    full = journal(db).read_bytes()
    last = full.rstrip(b"\n").rsplit(b"\n", 1)[1]
    # the last append was cut short: that answer was never acknowledged
    journal(db).write_bytes(full[: len(full) - len(last) - 1] + last[: len(last) // 2])
    viewer = Repository.open(db, readonly=True)
    assert answers_of(viewer) == {("C1", "A1.1", "alice"): ("yes", "")}
    with Repository.open(db) as again:
        assert answers_of(again) == {("C1", "A1.1", "alice"): ("yes", "")}
        again.set_answer("i1", "C2", "A1.1", "na", "alice")
    with Repository.open(db) as again:
        assert answers_of(again) == {("C1", "A1.1", "alice"): ("yes", ""), ("C2", "A1.1", "alice"): ("na", "")}


def test_a_torn_journal_line_survives_a_second_crash_while_reopening(repo, db, monkeypatch):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    _crashed(repo)
    with open(journal(db), "ab") as handle:
        handle.write(b'{"op":"answer","inspection":"i1","ca')     # torn append
    # the next writer fails in its first fold (disk full, or killed)...
    monkeypatch.setattr(files_module.os, "replace", _fail_with(errno.ENOSPC))
    with pytest.raises(StoreError, match="No space left"):
        Repository.open(db)
    monkeypatch.undo()
    # ... and the one after must not find the torn line glued into the middle of the journal
    with Repository.open(db) as again:
        assert answers_of(again) == {("C1", "A1.1", "alice"): ("yes", "")}
        again.set_answer("i1", "C1", "A1.2", "no", "alice")
    with Repository.open(db, readonly=True) as again:
        assert answers_of(again) == {("C1", "A1.1", "alice"): ("yes", ""), ("C1", "A1.2", "alice"): ("no", "")}


@pytest.mark.parametrize("line", [
    b'{"op":"answer","inspection":"i1","ca',     # damaged
    b"[1, 2]",                                     # not a record
    b'{"seq": "x", "op": "answer"}',               # no sequence number
    b'{"seq": 3, "op": "answer", "inspection": "i1"}',  # missing fields
    b'{"seq": 3, "op": "renumber"}',               # a change this version does not know
])
def test_a_damaged_journal_line_before_the_end_is_an_error_and_nothing_is_changed(repo, db, line):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    _crashed(repo)
    good = journal(db).read_bytes()
    first, rest = good.split(b"\n", 1)
    damaged = first + b"\n" + line + b"\n" + rest
    journal(db).write_bytes(damaged)
    files = snapshot(db, journal(db))
    for readonly in (False, True):
        with pytest.raises(StoreError) as failed:
            Repository.open(db, readonly=readonly)
        assert str(journal(db)) in str(failed.value)
        assert snapshot(db, journal(db)) == files


def test_a_journal_that_does_not_follow_the_database_is_an_error(repo, db):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    repo.set_answer("i1", "C1", "A1.2", "no", "alice")
    _crashed(repo)
    lines = journal(db).read_bytes().splitlines(keepends=True)
    journal(db).write_bytes(b"".join(lines[:-2] + lines[-1:]))   # change seq N-1 is lost
    files = snapshot(db, journal(db))
    with pytest.raises(StoreError, match="missing"):
        Repository.open(db)
    assert snapshot(db, journal(db)) == files


def test_changes_already_folded_are_not_applied_twice(repo, db):
    """A crash between writing the folded file and emptying the journal."""
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    repo.set_answer("i1", "C1", "A1.1", "no", "alice")
    left_over = journal(db).read_bytes()
    repo.fold()
    repo.set_answer("i1", "C1", "A1.1", "na", "alice")
    _crashed(repo)
    journal(db).write_bytes(left_over + journal(db).read_bytes())
    with Repository.open(db) as again:
        assert again.answer("i1", "C1", "A1.1", "alice").value == "na"
        assert [h["value"] for h in again.history("i1")] == ["yes", "no"]


def test_half_written_temporary_files_are_cleaned_up(repo, db):
    repo.close()
    stale = db.with_name(f".{db.name}.4242.tmp")
    stale.write_bytes(b'{"meta": {"1"')
    other = db.with_name(f".{db.name}.mine.tmp")
    other.write_bytes(b"keep me")
    with Repository.open(db):
        pass
    assert not stale.exists() and other.read_bytes() == b"keep me"


# -- failed writes ----------------------------------------------------------------------------


def _fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


def test_a_failed_journal_append_is_not_shown_as_saved(repo, db, monkeypatch):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    size = journal_size(db)
    real_write = os.write
    fd = repo.log._journal.fd

    def disk_full(target, data):
        if target == fd:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(target, data)

    monkeypatch.setattr(journal_module.os, "write", disk_full)
    with pytest.raises(StoreError, match="No space left on device") as failed:
        repo.set_answer("i1", "C1", "A1.2", "no", "alice")
    assert str(journal(db)) in str(failed.value)
    with pytest.raises(StoreError):
        repo.set_answer("i1", "C1", "A1.1", "no", "alice")
    monkeypatch.undo()
    assert repo.answer("i1", "C1", "A1.2", "alice") is None
    assert repo.answer("i1", "C1", "A1.1", "alice").value == "yes"
    assert repo.history("i1") == []
    assert journal_size(db) == size
    # the journal still works once there is room again
    repo.set_answer("i1", "C2", "A1.1", "na", "alice")
    repo.close()
    with Repository.open(db) as again:
        assert answers_of(again) == {("C1", "A1.1", "alice"): ("yes", ""), ("C2", "A1.1", "alice"): ("na", "")}


@pytest.mark.parametrize("failure", ["short write", "fsync fails"])
def test_a_partly_written_change_is_undone(repo, db, monkeypatch, failure):
    size = journal_size(db)
    fd = repo.log._journal.fd
    real_write, real_fsync = os.write, os.fsync

    def short_write(target, data):
        return real_write(target, bytes(data)[: len(data) // 2]) if target == fd else real_write(target, data)

    def failing_fsync(target):
        if target == fd:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_fsync(target)

    if failure == "short write":
        monkeypatch.setattr(journal_module.os, "write", short_write)
    else:
        monkeypatch.setattr(journal_module.os, "fsync", failing_fsync)
    with pytest.raises(StoreError):
        repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    monkeypatch.undo()
    assert repo.answer("i1", "C1", "A1.1", "alice") is None
    assert journal_size(db) == size
    repo.set_answer("i1", "C1", "A1.2", "no", "alice")
    _crashed(repo)
    with Repository.open(db) as again:
        assert answers_of(again) == {("C1", "A1.2", "alice"): ("no", "")}


def test_a_failed_fold_does_not_make_a_saved_answer_look_failed(repo, db, monkeypatch):
    repo.log.FOLD_EVERY = 2
    monkeypatch.setattr(files_module.os, "replace", _fail_with(errno.ENOSPC))
    for question in ("A1.1", "A1.2", "A1.3", "A2.1"):
        assert repo.set_answer("i1", "C1", question, "yes", "alice").value == "yes"
    repo.log.settle()  # the fold runs in the background: wait for it to end
    assert isinstance(repo.fold_error, StoreError) and "No space left" in str(repo.fold_error)
    _crashed(repo)
    monkeypatch.undo()
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]
    with Repository.open(db) as again:
        assert len(again.answers("i1")) == 4
        assert again.fold_error is None


def test_a_failed_fold_on_close_keeps_every_answer(repo, db, monkeypatch):
    repo.set_answer("i1", "C1", "A1.1", "yes", "alice")
    monkeypatch.setattr(files_module.os, "replace", _fail_with(errno.EROFS))
    from esi_tui.store import close_notices

    close_notices.take()
    repo.close()   # every change was saved in the journal: a warning for later, not a failure now
    warnings = close_notices.take()
    assert len(warnings) == 1 and str(db) in warnings[0] and "nothing is lost" in warnings[0]
    monkeypatch.undo()
    with Repository.open(db, wait=1) as again:   # the lock was let go
        assert again.answer("i1", "C1", "A1.1", "alice").value == "yes"
