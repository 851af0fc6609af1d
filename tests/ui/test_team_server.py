"""The app on a shared PostgreSQL store: a teammate's changes show within a second without a key press
(tally panel, the cases screen's reviewers, the open-disagreement count), a blind double review stays
blind, a superseded change of a case is told, and a server stopped under the open app is shown at once,
refuses saving until it is back, and is reconnected to by itself."""

from __future__ import annotations

import time

import pytest
from uikit import FRESH, FRESH_CASES, notices, screen_text, widget_text

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.team_feed import OFFLINE
from esi_tui.app.widgets.tally_panel import TallyPanel
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

pytestmark = pytest.mark.slow

SIZE = (110, 34)
LIVE = 1.0   # seconds a teammate's change may take to show


def fresh_team(url: str) -> None:
    with Repository.open(url) as repo:
        repo.create_inspection(FRESH, find_questionnaire("esi-2005-followup"), area="Testshire", baseline={"B1": 54})
        for reference, attributes in FRESH_CASES:
            repo.save_case(FRESH, reference, attributes)


async def until(pilot, predicate, timeout: float, what: str) -> float:
    """Let the app run until `predicate()` holds; how long it took. No key is pressed meanwhile."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s: {what}")
        await pilot.pause(0.02)
    return time.monotonic() - start


async def test_a_teammates_changes_show_within_a_second(make_app, pg_url):
    fresh_team(pg_url)
    app = make_app(pg_url, inspection=FRESH)
    with Repository.open(pg_url) as bob:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CasesScreen) and app.feed is not None
            # the cases screen: who is working on which case
            bob.set_answer(FRESH, "A002", "B1.1", "yes", "bob")
            await until(pilot, lambda: "bob" in screen_text(app), LIVE, "bob on the cases screen")
            # the review's tally panel and the open-disagreement count
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ReviewScreen), 5, "the review")
            reference = app.screen.reference
            panel = app.screen.query_one(TallyPanel)
            await pilot.press("y")   # the first open question of this case, answered yes
            qid = next(a.question for a in app.repo.answers(FRESH, reference) if a.reviewer == "tester")
            before = widget_text(app, panel)
            assert app.session.open_disagreements() == 0
            bob.set_answer(FRESH, reference, qid, "no", "bob")
            took = await until(pilot, lambda: app.session.open_disagreements() == 1, LIVE, "the disagreement")
            await until(pilot, lambda: widget_text(app, panel) != before, LIVE, "the tally panel redrawn")
            assert "1 open disagreement" in widget_text(app, panel) or "disagree" in widget_text(app, panel).lower()
            print(f"\nbob's answer showed in {took * 1000:.0f} ms")


async def test_a_blind_double_review_stays_blind_and_a_superseded_change_is_told(make_app, pg_url):
    fresh_team(pg_url)
    with Repository.open(pg_url) as setup:
        setup.mark_double_review(FRESH, ["A001"])
    app = make_app(pg_url, inspection=FRESH)
    with Repository.open(pg_url) as bob:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            counted = app.session.engine.criterion("B3").counts
            batches = app.feed.batches
            for qid in ("B3.1", "B3.2", "B3.3"):
                bob.set_answer(FRESH, "A001", qid, "yes", "bob")
            await until(pilot, lambda: app.feed.batches > batches, LIVE, "bob's answers received")
            await pilot.pause(0.2)
            # received, and not shown: the counted view leaves out the other reviewer of a blind case
            assert app.repo.answer(FRESH, "A001", "B3.1", "bob") is not None
            assert app.session.engine.criterion("B3").counts == counted
            assert "bob" not in screen_text(app)
            # this reviewer changes A003's risk of harm; a teammate's later change replaces it
            app.session.save_case("A003", {"risk_of_harm": "high"})
            bob.save_case(FRESH, "A003", {"risk_of_harm": "low"})
            await until(pilot, lambda: "superseded" in notices(app).lower(), LIVE, "the superseded notice")
            assert "risk of harm is now low (yours: high)" in notices(app)
            assert app.repo.case(FRESH, "A003").attributes["risk_of_harm"] == "low"


async def test_the_server_stopped_and_started_again_under_an_open_app(make_app, own_pg_server):
    server = own_pg_server
    url = server.create_database()
    fresh_team(url)
    app = make_app(url, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), 5, "the review")
        reference = app.screen.reference
        await pilot.press("y")
        first = [a.question for a in app.repo.answers(FRESH, reference)]
        assert len(first) == 1
        server.stop("fast")
        took = await until(pilot, lambda: OFFLINE in app.title, 3, "the app shows it is offline")
        assert "Offline" in notices(app, "error")
        # saving is refused, never queued as if saved
        await pilot.press("n")
        await pilot.pause(0.1)
        assert "not saved" in notices(app, "error").lower() or "Not saved" in notices(app, "error")
        assert [a.question for a in app.repo.answers(FRESH, reference)] == first
        server.start()
        await until(pilot, lambda: OFFLINE not in app.title, 10, "the app reconnects by itself")
        await pilot.press("n")
        await pilot.pause(0.1)
        saved = [a.question for a in app.repo.answers(FRESH, reference)]
        assert len(saved) == 2
    with Repository.open(url, readonly=True) as check:
        stored = {a.question: a.value for a in check.answers(FRESH, reference)}
    assert stored == {first[0]: "yes", saved[1]: "no"}
    print(f"\nthe app showed the server gone after {took * 1000:.0f} ms")
