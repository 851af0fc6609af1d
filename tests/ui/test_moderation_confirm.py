"""Withdrawing a moderated answer changes the published tallies, so it asks first: n or escape keeps
the moderation as it was, y or enter withdraws it and the reviewers' answers count again."""

from __future__ import annotations

import test_team
from test_team import fresh_count, give_reason, open_moderation
from uikit import FRESH, notices, screen_text, widget_text

from esi_tui.app.screens.confirm import ConfirmScreen
from esi_tui.core.tally_json import tally_document

SIZE = (100, 30)
team_db = test_team.team_db  # the fixture: ann and bob disagree on A001's B1.2, B2.1 and C2.5


def row(screen, index: int) -> list[str]:
    """The Moderated and Reason cells of a row of the disagreements table."""
    return [str(c) for c in screen.query_one("#disagreements").get_row_at(index)][3:]


async def moderate(pilot, reason: str):
    """Take bob's 'no' on A001 B1.2 with a reason, on the moderation screen (returned)."""
    screen = await open_moderation(pilot)
    await pilot.press("2")
    await pilot.pause()
    await give_reason(pilot, reason)
    assert pilot.app.repo.moderation(FRESH, "A001", "B1.2").value == "no"
    return screen


async def moderate_and_ask(pilot, reason: str = "review date missed"):
    """Take bob's 'no' on A001 B1.2 with a reason, then press delete: the confirmation opens."""
    app = pilot.app
    screen = await moderate(pilot, reason)
    assert app.session.engine.criterion_counts("B1").positive == 0  # bob's 'no' counts
    await pilot.press("delete")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmScreen)
    return screen


async def test_withdraw_asks_first_and_n_or_escape_keeps_the_moderation(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await moderate_and_ask(pilot)
        dialog = " ".join(widget_text(app, app.screen.query_one("#confirm-dialog")).split())
        assert "Withdraw this moderation?" in dialog
        assert "A001 B1.2 — agreed answer No, by mia: “review date missed”" in dialog
        assert "changes the published tallies" in dialog
        assert "the first reviewer's answer will count" in dialog
        text = screen_text(app)
        assert "Yes, go ahead" in text and "No, cancel" in text  # the footer
        for cancel in ("n", "escape"):
            if cancel == "escape":
                await pilot.press("delete")
                await pilot.pause()
                assert isinstance(app.screen, ConfirmScreen)
            await pilot.press(cancel)
            await pilot.pause()
            assert app.screen is screen, cancel  # escape closes the question, not the moderation screen
            moderation = app.repo.moderation(FRESH, "A001", "B1.2")
            assert (moderation.value, moderation.reason) == ("no", "review date missed"), cancel
            assert len(app.repo.moderations(FRESH)) == 1
            assert row(screen, 0) == ["No", "review date missed"]
            assert "3 disagreements, 2 open." in screen_text(app)
            assert app.session.engine.criterion_counts("B1").positive == 0
            assert screen.check_action("withdraw", ()) is True
        assert "withdrawn" not in notices(app)


async def test_withdraw_confirmed_with_y_or_enter_counts_the_reviewers_answers_again(make_app, team_db):
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await moderate_and_ask(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert app.repo.moderation(FRESH, "A001", "B1.2") is None
        assert app.repo.moderations(FRESH) == []
        assert row(screen, 0) == ["open", ""]
        assert "3 disagreements, 3 open." in screen_text(app)
        b1 = app.session.engine.criterion_counts("B1")
        assert (b1.positive, b1.counted) == (1, 1)  # policy 'first': ann's 'yes' counts again
        assert tally_document(app.session.engine, FRESH) == fresh_count(app)
        assert "A001 B1.2: agreed answer withdrawn." in notices(app)
        assert screen.check_action("withdraw", ()) is None  # nothing left to withdraw on this row

        # enter confirms too; under the 'dispute' policy the question then drops out of the score
        await pilot.press("p", "y", "down", "1")   # the policy change is confirmed too
        await pilot.pause()
        await give_reason(pilot, "no OASys on file")
        assert app.session.engine.criterion_counts("B2").in_dispute == 0
        await pilot.press("delete")
        await pilot.pause()
        assert "left out of the score and shown as in dispute" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert app.repo.moderations(FRESH) == []
        assert row(screen, 1) == ["open", ""]
        assert app.session.engine.criterion_counts("B2").in_dispute == 1
        assert tally_document(app.session.engine, FRESH) == fresh_count(app)


async def test_a_reason_with_square_brackets_is_shown_as_written(make_app, team_db):
    """The table once read a reason as Rich markup: "see [notes]" lost "[notes]", and "a[/]" raised."""
    app = make_app(team_db, inspection=FRESH, reviewer="mia")
    async with app.run_test(size=SIZE) as pilot:
        screen = await moderate(pilot, "see [notes] and a[/]")
        assert app.repo.moderation(FRESH, "A001", "B1.2").reason == "see [notes] and a[/]"
        assert row(screen, 0) == ["No", "see [notes] and a[/]"]
        assert "see [notes] and a[/]" in screen_text(app)
