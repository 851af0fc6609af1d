"""Working as a team, driven by keys: blind double review, the moderation screen, the disagreement
policy, the agreement screen and marking cases for double review on the cases screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework import finish
from uikit import FRESH, FRESH_CASES, notices, screen_text, widget_text

from esi_tui.app.screens.agreement import AgreementScreen
from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.confirm import ConfirmScreen
from esi_tui.app.screens.moderation import ModerationScreen
from esi_tui.app.screens.note import NoteScreen
from esi_tui.app.screens.pick import PickAnswerScreen, ReasonScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.widgets.question_list import QuestionList
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.app.widgets.tally_panel import TallyPanel
from esi_tui.core.agreement import questionnaire_agreement
from esi_tui.core.tally_json import tally_document
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

SIZE = (100, 30)
# A001's 16 relevant questions, in order, with the answers the first reviewer gives (C2.5 is on the
# victim_work scale: o/s/i/x); the second reviewer differs on B1.2, B2.1 and C2.5.
ANN = {"B1.2": "y", "B2.1": "n", "B3.1": "y", "B3.2": "y", "B3.3": "n", "B3.4": "x", "C2.1": "y",
       "C2.2": "y", "C2.3": "n", "C2.5": "o", "C2.6": "y", "C2.7": "y", "C3.1": "y", "C5.1": "n",
       "C5.2": "y", "C5.8": "y"}
BOB = {**ANN, "B1.2": "n", "B2.1": "y", "C2.5": "i"}
KEY_VALUE = {"y": "yes", "n": "no", "x": "na", "o": "excellent", "s": "sufficient", "i": "insufficient"}


def new_team_db(path: Path, double_review: bool = False) -> Path:
    with Repository.open(path) as repo:
        repo.create_inspection(FRESH, find_questionnaire("esi-2005-followup"), area="Testshire",
                               baseline={"B1": 54})
        for reference, attributes in FRESH_CASES:
            repo.save_case(FRESH, reference, attributes)
        if double_review:
            repo.mark_double_review(FRESH, ["A001"])
    return path


@pytest.fixture
def blind_db(tmp_path: Path) -> Path:
    """The fresh inspection with A001 in the blind double-review sample, nobody's answers yet."""
    return new_team_db(tmp_path / "blind.json", double_review=True)


@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    """The fresh inspection where ann, then bob, answered A001 (not double review): they disagree on
    B1.2 (yes/no), B2.1 (no/yes) and C2.5 (excellent/insufficient), each with a note."""
    path = new_team_db(tmp_path / "team.json")
    with Repository.open(path) as repo:
        for reviewer, keys in (("ann", ANN), ("bob", BOB)):
            for qid, key in keys.items():
                repo.set_answer(FRESH, "A001", qid, KEY_VALUE[key], reviewer, note=f"{reviewer} on {qid}")
    return path


def stored(app, reference: str, reviewer: str) -> dict[str, str]:
    return {a.question: a.value for a in app.repo.answers(FRESH, reference) if a.reviewer == reviewer}


def tally_text(app) -> str:
    """What the tally panel shows, its lines joined and spaces collapsed (its messages wrap)."""
    return " ".join(widget_text(app, app.screen.query_one(TallyPanel)).split())


def fresh_count(app) -> dict:
    """The tallies counted afresh from the store (what the live engine must agree with)."""
    return tally_document(app.repo.tally(FRESH), FRESH)


async def open_first_case(pilot) -> ReviewScreen:
    """From the cases screen, open the case under the cursor (A001, the first unfinished one)."""
    assert isinstance(pilot.app.screen, CasesScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


async def answer_in_order(pilot, screen: ReviewScreen, keys: dict[str, str]) -> None:
    """Answer the case's questions in the order the cursor takes them, checking it is `keys`' order."""
    for qid, key in keys.items():
        assert screen.questions.current == qid
        await pilot.press(key)
    await pilot.pause()


async def write_case_note(pilot, text: str) -> None:
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteScreen)
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await pilot.pause()


# -- blind double review ---------------------------------------------------------------------


async def test_blind_double_review_hides_the_first_reviewers_work_until_both_finish(make_app, blind_db):
    # ann reviews A001 first: answers every question, notes B1.2, writes a case note, completes it
    app = make_app(blind_db, inspection=FRESH, reviewer="ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#cases").get_cell("A001", "status")) == "not started"
        assert str(app.screen.query_one("#cases").get_cell("A001", "double")) == "blind · 0 of 2 finished"
        screen = await open_first_case(pilot)
        assert "double review: blind · 0 of 2 finished" in widget_text(app, screen.query_one("#case-facts"))
        await pilot.press("e")
        await pilot.press(*"plan late")
        await pilot.press("escape")
        await pilot.pause()
        await answer_in_order(pilot, screen, ANN)
        await write_case_note(pilot, "ann's view")
        # her own case is blind for her too until a second reviewer has finished it
        assert "Tallies are hidden while A001 is under blind double review" in tally_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert "Tallies are hidden while A001" in tally_text(app)
    with Repository.open(blind_db) as repo:
        assert repo.answer(FRESH, "A001", "B1.2", "ann").note == "plan late"
        assert repo.case_note(FRESH, "A001", "ann") == "ann's view"
        assert repo.case(FRESH, "A001").completed_by == ("ann",)

    # bob opens the same case: nothing of ann's shows
    app = make_app(blind_db, inspection=FRESH, reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cases = app.screen.query_one("#cases")
        # bob has answered nothing yet, ann has: the team's view first, which names nobody on a blind case
        assert "team (every reviewer)" in widget_text(app, app.screen.query_one("#cases-view"))
        assert str(cases.get_cell("A001", "reviewers")) == "(blind) another reviewer ✔"
        assert "ann" not in screen_text(app)
        await pilot.press("v")   # his own
        await pilot.pause()
        assert str(cases.get_cell("A001", "progress")) == "0 of 16"
        assert str(cases.get_cell("A001", "status")) == "not started"
        assert str(cases.get_cell("A001", "double")) == "blind · 1 of 2 finished"
        screen = await open_first_case(pilot)
        questions = screen.query_one(QuestionList)
        for qid in ANN:
            prompt = questions.line_text(qid)
            assert prompt.startswith(" · "), prompt  # unanswered, not ann's ✔/✘/–
        listed = widget_text(app, questions)
        assert not set("✔✘–") & set(listed), listed
        assert screen.questions.current == "B1.2"  # the first question bob has not answered
        panel = widget_text(app, screen.query_one(QuestionPanel))
        assert "status: · unanswered" in panel
        assert "plan late" not in panel and "note: (none" in panel
        tallies = tally_text(app)
        assert "Tallies are hidden while A001 is under blind double review" in tallies
        assert "X of Y" not in tallies and "B1 " not in tallies
        assert "ann's view" not in screen_text(app)
        await pilot.press("w")  # bob's case note starts empty, not with ann's
        await pilot.pause()
        assert app.screen.query_one("#note-text").text == ""
        await pilot.press("escape")
        await pilot.pause()

        # moderation lists nothing of A001 while it is blind, though the answers will differ
        await answer_in_order(pilot, screen, BOB)
        assert app.session.progress("A001") == (16, 16)
        assert "Tallies are hidden while A001" in tally_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ModerationScreen)
        assert app.screen.items == []
        assert "0 disagreements" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()

        # bob finishes too: the tallies come back, counting both reviewers' work
        screen = await open_first_case(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.repo.case(FRESH, "A001").completed_by == ("ann", "bob")
        assert not app.session.blind("A001")
        tallies = tally_text(app)
        assert "Tallies are hidden" not in tallies
        assert "X of Y" in tallies and "B1 " in tallies
        assert "3 disagreements between reviewers not moderated yet" in tallies
        # bob's own marks are still his own: B1.2 is his 'no'
        assert screen.query_one(QuestionList).line_text("B1.2").startswith(" ✘ ")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert [(case, qid) for case, qid, _ in app.screen.items] == [("A001", "B1.2"), ("A001", "B2.1"),
                                                                     ("A001", "C2.5")]
        detail = widget_text(app, app.screen.query_one("#moderation-detail"))
        assert "ann: Yes  — plan late" in detail and "bob: No" in detail

    assert stored(app, "A001", "bob") == {qid: KEY_VALUE[key] for qid, key in BOB.items()}


async def test_a_blind_review_under_way_shows_no_disagreement_anywhere(make_app, blind_db):
    """Neither the open-disagreements line nor the agreement screen may tell bob, before both have
    finished A001, that he answered it differently from ann."""
    with Repository.open(blind_db) as repo:
        repo.set_answer(FRESH, "A001", "B1.2", "yes", "ann")
        repo.set_answer(FRESH, "A001", "B1.2", "no", "bob")
        repo.set_answer(FRESH, "A002", "B1.2", "yes", "ann")
        repo.set_answer(FRESH, "A002", "B1.2", "yes", "bob")
    app = make_app(blind_db, inspection=FRESH, reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # A002, not double review
        await pilot.pause()
        assert app.screen.reference == "A002"
        assert "X of Y" in tally_text(app) and "disagreement" not in tally_text(app)
        await pilot.press("escape")
        await pilot.pause()
        app.action_agreement()
        await pilot.pause()
        table = app.screen.query_one("#agreement")
        # only A002 is compared: one item, agreed
        assert [str(c).strip() for c in table.get_row_at(0)][:2] == ["all !", "100%"]
        assert "1 case, 1 item rated by both" in screen_text(app)
    with Repository.open(blind_db) as repo:  # both finish A001 (answering the rest alike)
        finish(repo, FRESH, "A001", "ann")
        finish(repo, FRESH, "A001", "bob")
        shared = [set(v.values()) for v in repo.ratings(FRESH).values() if {"ann", "bob"} <= set(v)]
    app = make_app(blind_db, inspection=FRESH, reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "1 disagreement between reviewers not moderated yet" in tally_text(app)
        await pilot.press("escape")
        await pilot.pause()
        app.action_agreement()
        await pilot.pause()
        # A001 is compared now: every item both answered, one of them (B1.2) different
        agreed = sum(len(values) == 1 for values in shared)
        assert len(shared) > 2 and agreed == len(shared) - 1
        assert [str(c).strip() for c in app.screen.query_one("#agreement").get_row_at(0)][:2] == [
            "all !", f"{100 * agreed / len(shared):.0f}%"]
        assert f"2 cases, {len(shared)} items rated by both" in screen_text(app)


async def test_cases_screen_marks_a_case_for_double_review(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#cases")
        await pilot.press("down")
        assert app.screen.current == "A002"
        await pilot.press("d")     # asks first: a change for the whole team
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Mark A002 for blind double review?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.repo.settings(FRESH)["double_review"] == []
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.repo.settings(FRESH)["double_review"] == ["A002"]
        assert str(table.get_cell("A002", "status")) == "not started"
        assert str(table.get_cell("A002", "double")) == "blind · 0 of 2 finished"
        assert str(table.get_cell("A001", "double")) == "–"
        assert "A002 marked for blind double review (d again takes it out)." in notices(app)
        assert "blind · 0 of 2 finished" in screen_text(app)
        assert app.screen.current == "A002"  # the cursor stays on the case
        await pilot.press("d")     # reversible in the app: d again takes it out, once confirmed
        await pilot.pause()
        assert "Take A002 out of the double-review sample?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.repo.settings(FRESH)["double_review"] == []
        assert "A002 taken out of the double-review sample (d again puts it back)." in notices(app)
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.repo.settings(FRESH)["double_review"] == ["A002"]
        await pilot.press("up", "d", "y")
        await pilot.pause()
        assert app.repo.settings(FRESH)["double_review"] == ["A001", "A002"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.reference == "A001"
        assert "· double review: blind · 0 of 2 finished" in widget_text(app, app.screen.query_one("#case-facts"))
        assert "Tallies are hidden while A001" in tally_text(app)


async def test_read_only_cases_screen_does_not_mark_double_review(make_app, fresh_db):
    app = make_app(fresh_db, inspection=FRESH, readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.repo.settings(FRESH)["double_review"] == []


# -- moderation --------------------------------------------------------------------------------


async def open_moderation(pilot) -> ModerationScreen:
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ModerationScreen)
    return pilot.app.screen


async def give_reason(pilot, reason: str) -> None:
    assert isinstance(pilot.app.screen, ReasonScreen)
    await pilot.press(*reason)
    await pilot.press("enter")
    await pilot.pause()


async def test_moderation_lists_disagreements_side_by_side(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        table = screen.query_one("#disagreements")
        assert table.row_count == 3  # B3.1 and the rest agree: not listed
        assert [str(c) for c in table.get_row_at(0)] == ["A001", "B1.2", "1:ann=Yes · 2:bob=No", "open", ""]
        assert [str(c) for c in table.get_row_at(2)][:3] == ["A001", "C2.5", "1:ann=Excellent · 2:bob=Insufficient"]
        text = screen_text(app)
        assert "3 disagreements, 3 open." in text
        assert "the first reviewer's answer counts" in text
        detail = widget_text(app, screen.query_one("#moderation-detail"))
        assert "A001 B1.2 Was the risk of harm assessment reviewed" in detail
        assert "1  ann: Yes  — ann on B1.2" in detail and "2  bob: No  — bob on B1.2" in detail
        await pilot.press("down")
        detail = widget_text(app, screen.query_one("#moderation-detail"))
        assert "ann: No  — ann on B2.1" in detail and "bob: Yes  — bob on B2.1" in detail
        assert "1 Take 1st" in text and "2 Take 2nd" in text and "o Other answer" in text


async def test_take_an_answer_with_a_reason_counts_it(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        b1 = app.session.engine.criterion_counts("B1")
        assert (b1.positive, b1.counted) == (1, 1)  # policy 'first': ann's yes counts
        await pilot.press("2")  # bob's 'no' on B1.2
        await pilot.pause()
        assert "Reason for A001 B1.2 → no" in screen_text(app)
        await give_reason(pilot, "review date missed")
        assert app.screen is screen
        moderation = app.repo.moderation(FRESH, "A001", "B1.2")
        assert (moderation.value, moderation.reason, moderation.moderator) == ("no", "review date missed", "mia")
        b1 = app.session.engine.criterion_counts("B1")
        assert (b1.positive, b1.counted) == (0, 1)
        assert tally_document(app.session.engine, FRESH) == fresh_count(app)
        assert [str(c) for c in screen.query_one("#disagreements").get_row_at(0)][3:] == ["No", "review date missed"]
        assert "3 disagreements, 2 open." in screen_text(app)
        assert "A001 B1.2: agreed answer no." in notices(app)

        await pilot.press("down", "1")  # B2.1: ann's 'no'
        await pilot.pause()
        await give_reason(pilot, "no OASys on file")
        assert app.repo.moderation(FRESH, "A001", "B2.1").value == "no"
        b2 = app.session.engine.criterion_counts("B2")
        assert (b2.positive, b2.counted) == (0, 1)
        assert screen.query_one("#disagreements").cursor_row == 1  # the cursor stays on the row
        assert "3 disagreements, 1 open." in screen_text(app)

        # a moderated answer can be changed: take ann's 'yes' on B1.2 instead
        await pilot.press("up", "1")
        await pilot.pause()
        await give_reason(pilot, "second look")
        assert app.repo.moderation(FRESH, "A001", "B1.2").value == "yes"
        assert app.session.engine.criterion_counts("B1").positive == 1
        assert tally_document(app.session.engine, FRESH) == fresh_count(app)


async def test_other_answer_is_picked_from_the_scale(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        await pilot.press("down", "down")
        assert screen.current[:2] == ("A001", "C2.5")
        before = app.session.engine.criterion_counts("C2")
        positive, counted = before.positive, before.counted  # (the engine's counts change in place)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PickAnswerScreen)
        text = screen_text(app)
        for option in ("Excellent", "Sufficient", "Insufficient", "Not applicable"):
            assert option in text
        await pilot.press("down", "enter")  # the cursor starts on Excellent: Sufficient
        await pilot.pause()
        assert "Reason for A001 C2.5 → sufficient" in screen_text(app)
        await give_reason(pilot, "some victim work, not enough")
        moderation = app.repo.moderation(FRESH, "A001", "C2.5")
        assert (moderation.value, moderation.reason) == ("sufficient", "some victim work, not enough")
        c2 = app.session.engine.criterion_counts("C2")
        # 'sufficient' counts as positive like ann's 'excellent' did: same score, now moderated
        assert (c2.positive, c2.counted) == (positive, counted)
        assert app.session.engine.answer("A001", "C2.5") == "sufficient"
        assert tally_document(app.session.engine, FRESH) == fresh_count(app)

        # a hotkey picks the option at once: i for Insufficient
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        await give_reason(pilot, "on reflection")
        assert app.repo.moderation(FRESH, "A001", "C2.5").value == "insufficient"
        assert app.session.engine.criterion_counts("C2").positive == positive - 1

        # escape in the picker records nothing
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.repo.moderation(FRESH, "A001", "C2.5").value == "insufficient"


async def test_escape_cancels_the_reason_and_saves_nothing(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press(*"not sure")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.repo.moderation(FRESH, "A001", "B1.2") is None
        assert app.repo.moderations(FRESH) == []
        assert "3 disagreements, 3 open." in screen_text(app)
        assert app.session.engine.criterion_counts("B1").positive == 1


async def test_a_moderation_needs_a_reason(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        await open_moderation(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("space", "enter")  # a blank reason is no reason
        await pilot.pause()
        assert isinstance(app.screen, ReasonScreen)
        assert "A reason is needed" in screen_text(app)
        assert app.repo.moderation(FRESH, "A001", "B1.2") is None
        await give_reason(pilot, "late")
        assert app.repo.moderation(FRESH, "A001", "B1.2").reason == "late"


async def test_delete_withdraws_the_moderated_answer(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        assert screen.check_action("withdraw", ()) is None  # nothing agreed yet: greyed out
        await pilot.press("2")
        await pilot.pause()
        await give_reason(pilot, "late")
        assert screen.check_action("withdraw", ()) is True
        assert app.session.engine.criterion_counts("B1").positive == 0
        await pilot.press("delete", "y")  # y confirms (tests/ui/test_moderation_confirm.py: the question)
        await pilot.pause()
        assert app.repo.moderation(FRESH, "A001", "B1.2") is None
        assert app.session.engine.criterion_counts("B1").positive == 1  # ann's answer counts again
        assert tally_document(app.session.engine, FRESH) == fresh_count(app)
        assert [str(c) for c in screen.query_one("#disagreements").get_row_at(0)][3:] == ["open", ""]
        assert "3 disagreements, 3 open." in screen_text(app)
        assert screen.check_action("withdraw", ()) is None
        assert app.repo.moderations(FRESH) == []


async def test_policy_key_switches_between_first_answer_and_in_dispute(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        await open_moderation(pilot)
        await pilot.press("2")
        await pilot.pause()
        await give_reason(pilot, "late")  # B1.2 moderated; B2.1 and C2.5 still open
        engine = app.session.engine
        assert [engine.criterion_counts(c).in_dispute for c in ("B1", "B2", "C2")] == [0, 0, 0]
        b2 = engine.criterion_counts("B2")
        assert (b2.positive, b2.counted) == (0, 1)  # ann's 'no' counts

        await pilot.press("p")    # a change to the whole team's tallies: it asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Count disagreements as in dispute?" in screen_text(app)
        assert "(2 open" in screen_text(app) and "disagreements now); p again switches back" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.repo.settings(FRESH)["disagreement_policy"] == "first"
        await pilot.press("p", "y")
        await pilot.pause()
        assert app.repo.settings(FRESH)["disagreement_policy"] == "dispute"
        engine = app.session.engine
        assert [engine.criterion_counts(c).in_dispute for c in ("B1", "B2", "C2")] == [0, 1, 1]
        b2 = engine.criterion_counts("B2")
        assert (b2.positive, b2.counted) == (0, 0)  # left out of the score
        assert engine.state("A001", "B2.1") == "in_dispute"
        assert engine.state("A001", "B1.2") == "negative"  # the moderated answer still counts
        assert "left out of the score and shown as in dispute" in screen_text(app)
        assert tally_document(engine, FRESH) == fresh_count(app)

        await pilot.press("p", "y")   # p again switches back
        await pilot.pause()
        assert app.repo.settings(FRESH)["disagreement_policy"] == "first"
        engine = app.session.engine
        assert [engine.criterion_counts(c).in_dispute for c in ("B1", "B2", "C2")] == [0, 0, 0]
        assert "the first reviewer's answer counts" in screen_text(app)


async def test_tallies_screen_says_how_disagreements_count(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "Counting: every reviewer (moderated, else first answer)" in text
        assert "In dispute" not in text
        await pilot.press("down", "down")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("p", "y", "escape")
        await pilot.pause()
        text = screen_text(app)
        assert "Counting: every reviewer (moderated; disputes left out)" in text
        assert "In dispute: 3" in text
        assert app.screen.query_one("#tally-table").cursor_row == 2  # the table was redrawn, the cursor kept
        b2 = next(line for line in text.splitlines() if line.lstrip().startswith("B2 "))
        assert "0 of 0" in b2  # B2.1 (ann no, bob yes) is out of the score


async def test_tally_panel_shows_the_open_disagreements(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # mia has answered nothing: A001 opens
        await pilot.pause()
        assert app.screen.reference == "A001"
        assert "3 disagreements between reviewers not moderated yet" in tally_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await open_moderation(pilot)
        await pilot.press("1")
        await pilot.pause()
        await give_reason(pilot, "agreed")
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "2 disagreements between reviewers not moderated yet" in tally_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await open_moderation(pilot)
        for key in ("down", "1"):
            await pilot.press(key)
        await pilot.pause()
        await give_reason(pilot, "agreed")
        await pilot.press("down", "1")
        await pilot.pause()
        await give_reason(pilot, "agreed")
        assert "3 disagreements, 0 open." in screen_text(app)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert "not moderated yet" not in tally_text(app)


async def test_read_only_moderation_changes_nothing(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia", readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        for key in ("1", "o", "p", "delete"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
        assert app.repo.moderations(FRESH) == []
        assert app.repo.settings(FRESH)["disagreement_policy"] == "first"


async def test_no_disagreements_says_so(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot)
        assert screen.items == []
        assert "No disagreements" in screen_text(app)
        await pilot.press("1", "o", "delete")
        await pilot.pause()
        assert app.screen is screen


# -- agreement ---------------------------------------------------------------------------------


async def test_agreement_screen_shows_every_coefficient_per_group(make_app, team_db):
    with Repository.open(team_db) as repo:  # a third reviewer on part of A001 and on A002
        for qid in ("B1.2", "B2.1", "B3.1", "B3.2"):
            repo.set_answer(FRESH, "A001", qid, "yes", "cat")
        repo.set_answer(FRESH, "A002", "B1.1", "no", "ann")
        repo.set_answer(FRESH, "A002", "B1.1", "no", "cat")
        ratings: dict = {}
        for answer in repo.answers(FRESH):
            ratings.setdefault((answer.case, answer.question), {})[answer.reviewer] = answer.value
        expected = questionnaire_agreement(repo.questionnaire(FRESH), ratings)
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "a")  # from the tallies screen
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
        groups = list(dict.fromkeys(r.reviewers for r in expected))
        assert groups == [("ann", "bob", "cat"), ("ann", "bob"), ("ann", "cat"), ("bob", "cat")]
        for members in groups:
            table = app.screen.query_one("#agreement")
            rows = [r for r in expected if r.reviewers == members]
            kappa = "cohen_kappa" if len(members) == 2 else "fleiss_kappa"
            shown = [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]
            assert shown == [[("all" if r.scope == "overall" else r.key) + (" !" if r.tags() else ""),
                              r.cell("percent_agreement"), r.cell(kappa), r.cell("gwet_ac1"), r.cell("pabak"),
                              r.cell("krippendorff_alpha")] for r in rows]
            assert rows[0].label in screen_text(app) or "all 3 together" in screen_text(app)
            await pilot.press("g")
            await pilot.pause()
        # ann and bob: 16 shared answers, 13 the same
        ann_bob = next(r for r in expected if r.scope == "overall" and r.reviewers == ("ann", "bob"))
        assert (ann_bob.items, ann_bob.agreed) == (16, 13)
        await pilot.press("g")   # back round to all three, then ann and bob
        await pilot.pause()
        text = screen_text(app)
        assert "Reviewers: ann · bob" in text and "16 items rated by both" in text
        assert f"Kappa  {ann_bob.cell('cohen_kappa')} Landis and Koch" in text
        assert "same answer on 13 of 16 items" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AgreementScreen)


async def test_agreement_screen_with_one_reviewer(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_agreement()
        await pilot.pause()
        assert app.screen.query_one("#agreement").row_count == 0
        assert "No case has been answered by two reviewers yet." in screen_text(app)


async def test_counts_seen_during_a_blind_review_leave_out_the_other_reviewers_answers(make_app, blind_db):
    """While A001 is blind, bob's tallies (panel and tallies screen, even filtered to ann) hold
    nothing of ann's answers on it; once both finish, they count again."""
    with Repository.open(blind_db) as repo:
        for qid, key in ANN.items():
            repo.set_answer(FRESH, "A001", qid, KEY_VALUE[key], "ann")
        finish(repo, FRESH, "A001", "ann")
    app = make_app(blind_db, inspection=FRESH, reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        engine = app.session.engine
        assert all(engine.state("A001", qid) == "unanswered" for qid in ANN)
        assert engine.criterion_counts("B3").positive == 0
        filtered = app.repo.tally(FRESH, reviewer="ann", viewer="bob")
        assert filtered.criterion_counts("B3").positive == 0
        assert app.repo.tally(FRESH).criterion_counts("B3").positive == 2  # the truth, unseen by bob
        await pilot.press("enter")
        await pilot.pause()
        for qid in ANN:
            await pilot.press(BOB[qid])
            await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert app.session.engine.criterion_counts("B3").positive == 2  # ann's counted again
        assert app.session.engine.state("A001", "B1.2") == "positive"  # ann answered first: yes


async def test_cases_screen_does_not_name_the_other_reviewer_of_a_blind_case(make_app, blind_db):
    """Before both finish, bob's cases table shows '(blind)' for A001, not that ann is on it, in his own view
    and in the team's."""
    with Repository.open(blind_db) as repo:
        repo.set_answer(FRESH, "A001", "B1.2", "yes", "ann")
        repo.set_answer(FRESH, "A002", "B1.2", "yes", "ann")
    app = make_app(blind_db, inspection=FRESH, reviewer="bob")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#cases")
        assert app.session.cases_view == "team"   # bob has answered nothing, ann has
        assert str(table.get_cell("A001", "reviewers")) == "(blind) another reviewer 1/16"
        assert str(table.get_cell("A002", "reviewers")) == "ann 1/22"  # not double review: named as usual
        await pilot.press("v")
        await pilot.pause()
        assert str(table.get_cell("A001", "reviewers")) == "(blind)"
        assert str(table.get_cell("A002", "reviewers")) == "ann"
