"""`esi-tui peer`: the short case form when the case is new, answering by keys, the note to the
colleague and completing, on the shipped peer-review-quick questionnaire."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input
from uikit import notices, record_notifications, screen_text, widget_text

import esi_tui.app.factory as factory
from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.forms import CaseForm
from esi_tui.app.screens.note import NoteScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.widgets.question_list import QuestionList
from esi_tui.app.widgets.tally_panel import TallyPanel
from esi_tui.commands.peer import peer, peer_inspection_id
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

SIZE = (100, 30)
PEER = peer_inspection_id("peer-review-quick")


@pytest.fixture
def peer_app(tmp_path: Path, monkeypatch):
    """Run `esi-tui peer --db ... [--case REF]` up to the point where the app would start, and hand
    back that app (built on a config file that does not exist) to drive with Pilot."""
    built = []
    real_create_app = factory.create_app

    def create_app(*args, **kwargs):
        app = real_create_app(*args, **{**kwargs, "config_path": tmp_path / "none.toml"})
        record_notifications(app)
        app.run = lambda *a, **k: None
        built.append(app)
        return app

    monkeypatch.setattr(factory, "create_app", create_app)

    def run(case: str | None, reviewer: str = "ann"):
        args = argparse.Namespace(db=tmp_path / "peer.json", case=case, questionnaire="peer-review-quick",
                                  summary=False, reviewer=reviewer, inspection=None)
        assert peer(args) == 0
        return built[-1]

    return run


async def test_peer_review_of_a_new_case(peer_app):
    app = peer_app("P001")
    assert app.repo.has_inspection(PEER) and PEER == "peer-review-quick"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.session.id == PEER and app.session.questionnaire.id == "peer-review-quick"
        assert app.reviewer == "ann"
        form = app.screen
        assert isinstance(form, CaseForm)
        assert "Add a case" in screen_text(app)
        assert form.query_one("#reference", Input).value == "P001"
        assert form.focused is form.query_one("#reference")
        # reference, risk of harm, child protection, MAPPA level, victim issues
        await pilot.press("tab", "tab", "tab", "tab")
        assert form.focused is form.query_one("#attr-victim_issues", Checkbox)
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.repo.case(PEER, "P001").attributes["victim_issues"] is True
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.reference == "P001"
        facts = widget_text(app, screen.query_one("#case-facts"))
        assert "Case P001" in facts and "0 of 5 answered" in facts  # C2.1 applies: victim issues
        order = list(app.session.relevant_questions("P001"))
        assert order == ["B1.1", "B2.1", "B3.1", "C2.1", "C5.2"]
        assert screen.questions.current == "B1.1"
        await pilot.press("y", "n", "y", "y")
        await pilot.pause()
        assert screen.questions.current == "C5.2"

        # the note to the colleague
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert "Note on case P001" in screen_text(app)
        await pilot.press(*"Reassess with OASys")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.repo.case_note(PEER, "P001", "ann") == "Reassess with OASys"
        assert "Case note saved on P001." in notices(app)

        await pilot.press("c")  # C5.2 is still open: refused
        await pilot.pause()
        assert "1 required question unanswered (C5.2)" in notices(app, "warning")
        assert app.repo.case(PEER, "P001").completed_by == ()
        await pilot.press("x", "c")
        await pilot.pause()
        assert app.repo.case(PEER, "P001").completed_by == ("ann",)
        assert "P001 marked complete." in notices(app)
        assert "complete ✔" in widget_text(app, screen.query_one("#case-facts"))

        answers = {a.question: a.value for a in app.repo.answers(PEER, "P001")}
        assert answers == {"B1.1": "yes", "B2.1": "no", "B3.1": "yes", "C2.1": "yes", "C5.2": "na"}
        marks = {qid: screen.query_one(QuestionList).line_text(qid)[:3]
                 for qid in answers}
        assert marks == {"B1.1": " ✔ ", "B2.1": " ✘ ", "B3.1": " ✔ ", "C2.1": " ✔ ", "C5.2": " – "}
        tallies = widget_text(app, screen.query_one(TallyPanel))
        assert any(line.split()[:3] == ["B2", "0%", "0"] for line in tallies.splitlines()), tallies

        # back on the list: the peer inspection's one case, complete
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert str(app.screen.query_one("#cases").get_cell("P001", "status")) == "complete"


async def test_peer_review_of_a_known_case_opens_it_at_once(peer_app, tmp_path):
    db = tmp_path / "peer.json"
    with Repository.open(db) as repo:
        repo.create_inspection(PEER, find_questionnaire("peer-review-quick"), area="peer review")
        repo.save_case(PEER, "P007", {"risk_of_harm": "high"})
        repo.set_answer(PEER, "P007", "B1.1", "yes", "ann")
        repo.set_case_note(PEER, "P007", "ann", "ann's note")
    app = peer_app("P007", reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.reference == "P007"
        # high risk of harm: B1.2 and C5.1 apply; bob starts on his own first open question
        assert "0 of 6 answered" in widget_text(app, screen.query_one("#case-facts"))
        assert screen.questions.current == "B1.1"
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one("#note-text").text == ""  # bob's own note, not ann's
        await pilot.press(*"agree with ann")
        await pilot.press("escape")
        await pilot.pause()
    with Repository.open(db) as repo:
        assert repo.case_note(PEER, "P007", "ann") == "ann's note"
        assert repo.case_note(PEER, "P007", "bob") == "agree with ann"


async def test_peer_review_without_a_case_asks_for_its_reference(peer_app):
    app = peer_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CaseForm)
        assert form.query_one("#reference", Input).value == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "A case needs a reference." in screen_text(app)
        await pilot.press(*"Q42", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.reference == "Q42"
        assert app.repo.has_case(PEER, "Q42")


async def test_cancelling_the_peer_form_adds_nothing(peer_app):
    app = peer_app("P002")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CaseForm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert app.repo.cases(PEER) == []
