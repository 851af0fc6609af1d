"""The review's self-drawn widgets (question list, question panel, tally panel) repaint only the
lines an answer changes: what they show must always equal a full redraw, and the question list's
own keys and the mouse must move its cursor like a list does."""

from __future__ import annotations

from test_review import open_case, relevant_ids, stored
from uikit import screen_lines, widget_text

from esi_tui.app.widgets.question_list import QuestionList
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.app.widgets.tally_panel import TallyPanel


async def full_redraw(pilot) -> list[str]:
    """The screen after every widget is told to draw itself again from scratch."""
    for widget in pilot.app.screen.query("*"):
        widget.refresh()
    await pilot.pause()
    return screen_lines(pilot.app)


async def test_partial_repaints_equal_a_full_redraw(fresh_app):
    app = fresh_app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A002")
        keys = ["y", "n", "x", "y", "u", "n", "j", "k", "y", "ctrl+g", "y", "right_square_bracket", "y", "n",
                "ctrl+g", "ctrl+down", "ctrl+down", "y", "left_square_bracket", "g", "y", "end", "home"]
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            shown = screen_lines(app)
            assert shown == await full_redraw(pilot), f"stale lines on screen after {key!r}"
        # and the drawing is of the right things: the last answers and the moved tallies
        assert stored(app, "A002", relevant_ids(app, "A002")[0]) is not None
        assert "✔" in widget_text(app, screen.query_one(QuestionList))
        assert "of" in widget_text(app, screen.query_one(TallyPanel))


async def test_question_panel_shows_only_the_new_question_after_an_answer(fresh_app):
    app = fresh_app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        panel = screen.query_one(QuestionPanel)
        assert "Check the dates" in widget_text(app, panel)  # B1.2's guidance
        await pilot.press("y")
        await pilot.pause()
        text = widget_text(app, panel)
        assert text.lstrip().startswith("B2.1")
        assert "Check the dates" not in text and "B1.2" not in text


async def test_question_list_keys_and_mouse(fresh_app):
    app = fresh_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        questions = screen.query_one(QuestionList)
        relevant = relevant_ids(app, "A001")
        await pilot.press("end")
        assert questions.current == relevant[-1]
        assert relevant[-1] in widget_text(app, questions)  # scrolled into view
        await pilot.press("home")
        assert questions.current == relevant[0]
        assert relevant[0] in widget_text(app, questions)
        await pilot.press("pagedown", "pagedown")
        assert questions.current in relevant and relevant.index(questions.current) > 1
        assert questions.current in widget_text(app, questions)
        await pilot.press("pageup")
        await pilot.press("pageup")
        assert questions.current == relevant[0]

        # a click on another relevant question's line moves the cursor there
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        lines = widget_text(app, questions).splitlines()
        row = next(y for y, line in enumerate(lines) if f" {relevant[1]} " in line)
        assert await pilot.click(QuestionList, offset=(4, row))
        assert questions.current == relevant[1]
        # a click on a question that does not apply leaves the cursor where it is
        row = next(y for y, line in enumerate(lines) if " B1.1 " in line)
        assert "B1.1" not in relevant
        assert await pilot.click(QuestionList, offset=(4, row))
        assert questions.current == relevant[1]
        # enter opens the note editor of the highlighted question
        await pilot.press("enter")
        await pilot.pause()
        assert relevant[1] in " ".join(screen_lines(app))
        await pilot.press("escape")


async def test_self_drawn_lines_keep_their_own_style(fresh_app):
    """A line's own style survives drawing it: the criterion headings bold, the case's attributes italic
    (Rich leaves a text's own style out of a line without spans, and both lost it)."""
    from esi_tui.app.widgets.case_facts import CaseFacts

    app = fresh_app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A002")
        heading = screen.query_one(QuestionList).render_line(0)
        assert heading.text.startswith("B1 ")
        assert all(segment.style and segment.style.bold for segment in heading if segment.text.strip())
        facts = screen.query_one(CaseFacts).render_line(1)
        assert "Risk of harm" in facts.text
        assert all(segment.style and segment.style.italic for segment in facts if segment.text.strip())


def cells(app) -> list[list[tuple[str, str]]]:
    """The screen as (text, colours) per cell run, read from a screenshot: what a reviewer sees."""
    import html
    import re

    svg = app.export_screenshot()
    styles = dict(re.findall(r"\.(terminal-[\w-]+) \{ ([^}]*)\}", svg))
    rows: dict[float, list[tuple[float, str, str]]] = {}
    for cls, x, y, text in re.findall(r'<text class="([^"]*)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text), styles.get(cls, cls)))
    return [[(text, style) for _, text, style in sorted(row)] for _, row in sorted(rows.items())]


async def test_a_new_theme_recolours_every_line_of_the_review(make_app, fresh_db, tmp_path):
    """After a theme change the review looks as it would have opened in that theme: the facts' status,
    the question list's marks and the tally rows drawn before the change come again in the new colours."""
    from uikit import FRESH

    async def reviewed(app, theme_first: bool):
        async with app.run_test(size=(100, 30)) as pilot:
            if theme_first:
                app.theme = "gruvbox"
            await pilot.pause()
            await open_case(pilot, "A002")
            for key in ("y", "n", "y"):
                await pilot.press(key)
            await pilot.pause()
            if not theme_first:
                app.theme = "gruvbox"
                await pilot.pause()
                await pilot.pause()
            return cells(app)

    import shutil

    other = tmp_path / "other.json"   # the same inspection, unanswered, for the second app
    shutil.copy(fresh_db, other)
    switched = await reviewed(make_app(fresh_db, inspection=FRESH), theme_first=False)
    started = await reviewed(make_app(other, inspection=FRESH), theme_first=True)
    assert len(switched) == len(started)
    for y, (after, expected) in enumerate(zip(switched, started)):
        assert after == expected, y
