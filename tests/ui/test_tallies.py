"""The tallies screen: a row per criterion and per question, with reviewer and case filters whose
counts match the store's own tallies."""

from __future__ import annotations

from uikit import REVIEWER, notices, widget_text

from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.screens.tallies import TalliesScreen
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.core.parsing import parse_where
from esi_tui.core.summary import x_of_y

SIZE = (100, 30)
OTHER = "other"
WHERE = "risk_of_harm=high,very_high"


def shown_counts(screen: TalliesScreen) -> dict[str, tuple[str, str, str, str]]:
    """Per row key (criterion code or question id): X of Y, N/A, open and not relevant as shown."""
    table = screen.query_one("#tally-table")
    return {str(row.value): (table.get_cell(row, "X of Y"), table.get_cell(row, "N/A"),
                             table.get_cell(row, "Open"), table.get_cell(row, "Not rel."))
            for row in table.rows}


def expected_counts(engine) -> dict[str, tuple[str, str, str, str]]:
    expected = {}
    for criterion in engine.questionnaire.criteria:
        for key, counts in [(criterion.code, engine.criterion_counts(criterion.code))] + [
                (q.id, engine.question_counts(q.id)) for q in criterion.questions]:
            expected[key] = (x_of_y(counts), str(counts.not_applicable), str(counts.unanswered),
                             str(counts.not_relevant))
    return expected


def filter_line(app) -> str:
    return widget_text(app, app.screen.query_one("#tally-filters"))


async def test_rows_per_criterion_and_question_match_the_store(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalliesScreen)
        questionnaire = app.session.questionnaire
        shown = shown_counts(screen)
        assert list(shown) == [key for c in questionnaire.criteria
                               for key in [c.code, *(q.id for q in c.questions)]]
        assert shown == expected_counts(app.repo.tally(DEMO_INSPECTION))
        # the numbers are on screen, not pushed out of sight by the question texts
        table_text = widget_text(app, screen.query_one("#tally-table"))
        b1 = app.repo.tally(DEMO_INSPECTION).criterion_counts("B1")
        b1_line = next(line for line in table_text.splitlines() if line.lstrip().startswith("B1 "))
        assert x_of_y(b1) in b1_line and "54%" in b1_line
        assert "every reviewer" in filter_line(app) and "every case" in filter_line(app)


async def test_reviewer_and_case_filters_match_the_store(demo_app):
    app = demo_app
    # a second reviewer: on an untouched case, and differing from REVIEWER on a finished one
    for qid, value in [("B1.2", "no"), ("B2.1", "no"), ("B3.1", "yes")]:
        app.repo.set_answer(DEMO_INSPECTION, "H025", qid, value, OTHER)
        app.repo.set_answer(DEMO_INSPECTION, "H001", qid, "no", OTHER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        repo = app.repo
        everyone = expected_counts(repo.tally(DEMO_INSPECTION))
        assert shown_counts(screen) == everyone

        await pilot.press("r")
        assert screen.reviewer == OTHER
        assert shown_counts(screen) == expected_counts(repo.tally(DEMO_INSPECTION, reviewer=OTHER))
        assert shown_counts(screen)["B2.1"][0] == "0 of 2"
        assert f"Counting: {OTHER}" in filter_line(app)
        await pilot.press("r")
        assert screen.reviewer == REVIEWER
        assert shown_counts(screen) == expected_counts(repo.tally(DEMO_INSPECTION, reviewer=REVIEWER))
        await pilot.press("r")  # back to everyone
        assert screen.reviewer is None
        assert shown_counts(screen) == everyone

        await pilot.press("f")
        assert app.focused.id == "tally-where"
        await pilot.press(*WHERE, "enter")
        await pilot.pause()
        assert app.focused.id == "tally-table"
        high = parse_where(WHERE, app.session.questionnaire)
        filtered = expected_counts(repo.tally(DEMO_INSPECTION, case_filter=high))
        assert shown_counts(screen) == filtered
        assert filtered != everyone
        assert f"Cases: {WHERE}" in filter_line(app)

        await pilot.press("r")  # both filters at once
        assert shown_counts(screen) == expected_counts(
            repo.tally(DEMO_INSPECTION, reviewer=OTHER, case_filter=high))

        # a filter that names no attribute is refused and the last good one stays
        await pilot.press("f", "ctrl+u", *"colour=red", "enter")
        await pilot.pause()
        assert "Filter not applied" in notices(app, "error")
        assert screen.where == WHERE
        await pilot.press("escape")  # leaves the box, keeps the filter
        assert app.focused.id == "tally-table"
        assert shown_counts(screen) == expected_counts(
            repo.tally(DEMO_INSPECTION, reviewer=OTHER, case_filter=high))

        await pilot.press("f", "ctrl+u", "enter")  # an empty filter counts every case again
        await pilot.press("r", "r")
        assert shown_counts(screen) == everyone


async def test_tallies_follow_answers_given_in_the_review(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first unfinished case
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        qid = review.questions.current
        await pilot.press("n")
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TalliesScreen)
        assert shown_counts(screen) == expected_counts(app.repo.tally(DEMO_INSPECTION))
        assert app.repo.answer(DEMO_INSPECTION, review.reference, qid, REVIEWER).value == "no"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review
