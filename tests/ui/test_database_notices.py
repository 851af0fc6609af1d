"""What opening the database did is told in the app: a damaged journal tail set aside is a warning."""

from __future__ import annotations

from uikit import FRESH, notices

from esi_tui.store.repository import Repository


async def test_a_damaged_journal_tail_set_aside_is_a_warning_in_the_app(make_app, fresh_db):
    with Repository.open(fresh_db) as repo:
        repo.set_answer(FRESH, repo.cases(FRESH)[0].reference, "B1.1", "yes", "alice")
        repo.log._journal.close()   # killed: no fold
        repo.log._journal = None
        repo.log._lock.release()
    journal = fresh_db.with_name(fresh_db.name + ".journal")
    journal.write_bytes(journal.read_bytes() + b"damaged\n")
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test():
        said = notices(app, "warning")
    assert f"Database: {journal}:2: the last 1 line of the journal" in said and "set aside in" in said
    assert list(fresh_db.parent.glob("fresh.json.journal.damaged-*"))
