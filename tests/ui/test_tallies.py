"""The tallies screen: a row per criterion and per question, with reviewer and case filters whose
counts match the store's own tallies."""

from __future__ import annotations

from uikit import REVIEWER, notices, widget_text

from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.screens.tallies import TalliesScreen
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.core.formatting import x_of_y
from esi_tui.core.parsing import parse_where

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


async def open_tallies(pilot) -> TalliesScreen:
    """From the cases screen, t: the tallies screen."""
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TalliesScreen)
    return pilot.app.screen


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


async def test_c_shows_the_95_percent_interval_and_marks_borderline_ratings(demo_app):
    from esi_tui.core.formatting import round_half_up
    from esi_tui.core.stats import borderline, wilson_interval

    app = demo_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#tally-table")
        assert "95% CI" not in [str(c.label) for c in table.columns.values()]
        await pilot.press("c")
        await pilot.pause()
        assert "95% CI" in [str(c.label) for c in table.columns.values()]
        engine = app.repo.tally(DEMO_INSPECTION)
        bands = app.session.questionnaire.bands
        marked = 0
        for criterion in engine.criteria():
            counts = criterion.counts
            low, high = wilson_interval(counts.positive, counts.counted)
            assert table.get_cell(criterion.code, "95% CI") == f"{round_half_up(low)}–{round_half_up(high)}%"
            rating = table.get_cell(criterion.code, "Rating")
            if borderline(counts.positive, counts.counted, bands):
                assert rating == f"{criterion.band} (borderline)"
                marked += 1
            else:
                assert rating == criterion.band
        assert marked >= 1                      # B1, 37 of 44: 71–92% reaches Good and Outstanding
        assert table.get_cell("B1", "Rating") == "Outstanding (borderline)"
        q = app.session.questionnaire.criteria[0].questions[1].id
        qcounts = engine.question_counts(q)
        low, high = wilson_interval(qcounts.positive, qcounts.counted)
        assert table.get_cell(q, "95% CI") == f"{round_half_up(low)}–{round_half_up(high)}%"
        assert "95% CI: Wilson" in filter_line(app)
        # the numbers stay on screen with the extra column
        b1_line = next(line for line in widget_text(app, table).splitlines() if line.lstrip().startswith("B1 "))
        assert "37 of 44" in b1_line and "71–92%" in b1_line
        await pilot.press("c")
        await pilot.pause()
        assert "95% CI" not in [str(c.label) for c in table.columns.values()]
        assert table.get_cell("B1", "Rating") == "Outstanding"


async def test_at_80_columns_each_criterion_rating_is_on_screen_whole(demo_app):
    """The rating follows the change: at 80 columns the counts after it scroll out of sight, not the rating
    (it came last and read "Ou…")."""
    app = demo_app
    async with app.run_test(size=(80, 24)) as pilot:
        table = (await open_tallies(pilot)).query_one("#tally-table")
        lines = widget_text(app, table).splitlines()
        for criterion in app.session.questionnaire.criteria[:3]:
            band = str(table.get_cell(criterion.code, "Rating"))
            assert band, criterion.code
            line = next(line for line in lines if line.lstrip().startswith(f"{criterion.code} "))
            assert band in line, (criterion.code, band, line)
