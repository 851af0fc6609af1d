"""The review screen driven by keys only: answers reach the store, the live tallies agree with a
fresh count of the store, navigation skips questions that do not apply, undo, notes, resume,
case stepping and completion."""

from __future__ import annotations

from itertools import cycle

from uikit import FRESH, REVIEWER, notices, screen_lines, widget_text

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.note import NoteScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.widgets.question_list import QuestionList
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.app.widgets.tally_panel import TallyPanel
from esi_tui.core.formatting import x_of_y
from esi_tui.core.tally_json import tally_document

SIZE = (100, 30)
# Key per answer option of the questionnaire's scales (yes_no: y/n/x; victim_work: o/s/i/x).
OPTION_OF_KEY = {"y": "yes", "n": "no", "x": "na", "o": "excellent", "s": "sufficient", "i": "insufficient"}


async def open_case(pilot, reference: str) -> ReviewScreen:
    """From the cases screen, move the row cursor to `reference` with the arrow keys and press enter."""
    app = pilot.app
    assert isinstance(app.screen, CasesScreen)
    for _ in range(len(app.screen.order)):
        if app.screen.current == reference:
            break
        await pilot.press("down")
    assert app.screen.current == reference
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    assert app.screen.reference == reference
    return app.screen


def stored(app, reference: str, qid: str) -> str | None:
    """The reviewer's answer as saved in the store."""
    answer = app.repo.answer(app.session.id, reference, qid, REVIEWER)
    return answer.value if answer else None


def relevant_ids(app, reference: str) -> list[str]:
    return list(app.session.relevant_questions(reference))


def tally_row(app, code: str) -> str:
    """The line of the tally panel for one criterion, as drawn on screen."""
    text = widget_text(app, app.screen.query_one(TallyPanel))
    rows = [line.strip() for line in text.splitlines() if line.strip().startswith(code + " ")]
    assert rows, f"no row for {code} in the tally panel:\n{text}"
    return rows[0]


async def test_answer_whole_case_by_keys_and_tallies_match_store(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        order = relevant_ids(app, "A001")
        assert len(order) == 16 and "C2.5" in order  # victim issues: the victim_work scale (o/s/i/x)
        yes_no = cycle("ynx")
        expected: dict[str, str] = {}
        for qid in order:
            # the cursor always sits on the next unanswered relevant question
            assert screen.questions.current == qid
            key = "s" if app.session.questionnaire.scale_of(qid).id == "victim_work" else next(yes_no)
            await pilot.press(key)
            expected[qid] = OPTION_OF_KEY[key]
        await pilot.pause()

        saved = {a.question: a.value for a in app.repo.answers(FRESH, "A001")}
        assert saved == expected
        assert saved["C2.5"] == "sufficient"
        assert app.session.progress("A001") == (16, 16)
        assert "Every relevant question is answered" in notices(app)

        live = tally_document(app.session.engine, FRESH)
        fresh = tally_document(app.repo.tally(FRESH), FRESH)
        assert live == fresh

        c2 = app.repo.tally(FRESH).criterion_counts("C2")
        # C2.1 y, C2.2 n, C2.3 x (leaves the denominator), C2.5 s (positive), C2.6 y, C2.7 n
        assert (c2.positive, c2.counted, c2.not_applicable) == (3, 5, 1)
        assert x_of_y(c2) == "3 of 5"
        assert "3 of 5" in tally_row(app, "C2")
        assert "60%" in tally_row(app, "C2")
        b1 = app.repo.tally(FRESH).criterion_counts("B1")
        assert x_of_y(b1) == "1 of 1" and "1 of 1" in tally_row(app, "B1")  # only B1.2 applies: y
        assert "54%" in tally_row(app, "B1")  # the baseline


async def test_answering_moves_to_next_unanswered_relevant_question(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        assert screen.questions.current == "B1.2"  # B1.1 applies only to high risk of harm
        await pilot.press("j")  # B1.3-B1.6 do not apply to A001: straight to B2.1
        assert screen.questions.current == "B2.1"
        await pilot.press("y")
        assert stored(app, "A001", "B2.1") == "yes"
        assert screen.questions.current == "B3.1"
        await pilot.press("g")  # back to the first unanswered question
        assert screen.questions.current == "B1.2"
        await pilot.press("n")
        # B2.1 is already answered: the cursor skips it
        assert stored(app, "A001", "B1.2") == "no"
        assert screen.questions.current == "B3.1"


async def test_navigation_skips_questions_that_do_not_apply(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        questions = screen.query_one(QuestionList)
        for qid in ("B1.1", "B1.3", "B1.4", "B1.5", "B1.6", "C2.4"):
            assert not questions.is_enabled(qid), qid
        for qid in ("B1.2", "B2.1", "C2.5"):
            assert questions.is_enabled(qid), qid
        visited = [questions.current]
        for key in ("j", "down", "j", "down"):
            await pilot.press(key)
            visited.append(questions.current)
        assert visited == ["B1.2", "B2.1", "B3.1", "B3.2", "B3.3"]
        for key in ("k", "up", "k", "up"):
            await pilot.press(key)
            visited.append(questions.current)
        assert visited[5:] == ["B3.2", "B3.1", "B2.1", "B1.2"]
        # the marks column: a dot for unanswered questions, nothing for those that do not apply
        text = widget_text(app, questions)
        assert "· B1.2" in text
        assert "· B1.3" not in text and "B1.3" in text


async def test_undo_with_u_and_ctrl_z_restores_the_store(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        await pilot.press("y")  # B1.2 = yes, cursor on to B2.1
        await pilot.pause()
        await pilot.press("k", "n")  # back to B1.2 and change it to no
        await pilot.pause()
        assert stored(app, "A001", "B1.2") == "no"
        await pilot.press("u")
        await pilot.pause()
        assert stored(app, "A001", "B1.2") == "yes"
        assert screen.questions.current == "B1.2"
        await pilot.press("ctrl+z")  # undoing the first answer clears it
        await pilot.pause()
        assert stored(app, "A001", "B1.2") is None
        assert app.repo.answer(FRESH, "A001", "B1.2", REVIEWER) is None
        assert app.session.engine.state("A001", "B1.2") == "unanswered"
        assert tally_document(app.session.engine, FRESH) == tally_document(app.repo.tally(FRESH), FRESH)
        await pilot.press("u")  # nothing left
        await pilot.pause()
        assert stored(app, "A001", "B1.2") is None


async def test_resume_lands_on_first_unanswered_question(make_app, fresh_db):
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_case(pilot, "A002")
        await pilot.press("y", "n", "y")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    first_three = relevant_ids(app, "A002")[:3]

    again = make_app(fresh_db, inspection=FRESH)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [stored(again, "A002", q) for q in first_three] == ["yes", "no", "yes"]
        screen = await open_case(pilot, "A002")
        assert screen.questions.current == relevant_ids(again, "A002")[3]
        assert screen.questions.current == again.session.first_unanswered("A002")
        text = widget_text(again, screen.questions)
        assert f"✔ {first_three[0]}" in text and f"✘ {first_three[1]}" in text


async def test_note_editor_saves_on_escape_and_ctrl_s(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"seen on file")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        answer = app.repo.answer(FRESH, "A001", "B1.2", REVIEWER)
        assert answer.note == "seen on file"
        assert answer.value is None  # a note alone answers nothing
        assert "seen on file" in widget_text(app, screen.query_one(QuestionPanel))

        await pilot.press("enter")  # enter opens the editor too, on the same note
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*" twice", "ctrl+s")
        await pilot.pause()
        assert app.repo.answer(FRESH, "A001", "B1.2", REVIEWER).note == "seen on file twice"

        await pilot.press("e", *" and more", "ctrl+c")  # ctrl+c leaves the note as it was
        await pilot.pause()
        assert app.screen is screen
        assert app.repo.answer(FRESH, "A001", "B1.2", REVIEWER).note == "seen on file twice"

        await pilot.press("y")  # answering keeps the note
        await pilot.pause()
        answer = app.repo.answer(FRESH, "A001", "B1.2", REVIEWER)
        assert (answer.value, answer.note) == ("yes", "seen on file twice")


async def test_next_and_previous_case_and_first_unanswered(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.reference == "A002"
        assert screen.questions.current == "B1.1"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.reference == "A003"
        await pilot.press("right_square_bracket")  # wraps round the sample
        await pilot.pause()
        assert screen.reference == "A001"
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.reference == "A003"
        assert "A003" in widget_text(app, screen.query_one("#case-facts"))

        await pilot.press("j", "j", "j")
        assert screen.questions.current != "B1.2"
        await pilot.press("g")
        assert screen.questions.current == "B1.2"


async def test_complete_refuses_incomplete_case_and_marks_finished_one(fresh_app):
    app = fresh_app
    # all but the last three questions of A001 answered before the app starts
    engine = app.repo.tally(FRESH)
    relevant = [q.id for q in engine.questionnaire.questions if engine.state("A001", q.id) != "not_relevant"]
    for qid in relevant[:-3]:
        app.repo.set_answer(FRESH, "A001", qid, "na", REVIEWER)  # "na" fits both scales
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        assert screen.questions.current == relevant[-3]
        await pilot.press("c")
        await pilot.pause()
        assert app.repo.case(FRESH, "A001").complete is False
        warning = notices(app, "warning")
        assert "3 required questions unanswered (" + ", ".join(relevant[-3:]) + ")" in warning
        assert "Not complete yet" in warning

        await pilot.press("y", "n", "x")
        assert app.session.missing_required("A001") == []
        await pilot.press("c")
        await pilot.pause()
        assert app.repo.case(FRESH, "A001").complete is True
        assert "complete ✔" in widget_text(app, screen.query_one("#case-facts"))
        assert "A001 marked complete." in notices(app)

        await pilot.press("escape")  # the cases screen shows the new status
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        table = app.screen.query_one("#cases")
        assert str(table.get_cell("A001", "status")) == "complete"
        assert str(table.get_cell("A001", "progress")) == "16 of 16"


async def test_read_only_app_saves_nothing(make_app, demo_db):
    app = make_app(demo_db, inspection="hampshire-demo", readonly=True)
    before = [(a.case, a.question, a.value, a.note) for a in app.repo.answers("hampshire-demo")]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"reviewer: {REVIEWER} (read-only)" in screen_lines(app)[0]
        screen = await open_case(pilot, "H019")
        qid = screen.questions.current
        await pilot.press("y", "n", "e", "c")
        await pilot.pause()
        assert app.screen is screen  # no note editor either
        assert screen.questions.current == qid
        assert stored(app, "H019", qid) is None
        assert app.repo.case("hampshire-demo", "H019").complete is False
        assert notices(app, "error") == ""
    after = [(a.case, a.question, a.value, a.note) for a in app.repo.answers("hampshire-demo")]
    assert after == before


async def test_failed_save_says_so_and_leaves_the_question_unanswered(fresh_app, monkeypatch):
    import errno

    app = fresh_app

    def disk_full(record):
        raise OSError(errno.ENOSPC, "No space left on device")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        monkeypatch.setattr(app.repo.log._journal, "append_many", disk_full)
        await pilot.press("y")
        await pilot.pause()
        error = notices(app, "error")
        assert "Not saved" in error and "No space left on device" in error
        assert screen.questions.current == "B1.2"  # the cursor stays
        assert stored(app, "A001", "B1.2") is None
        assert app.session.engine.state("A001", "B1.2") == "unanswered"
        assert app.session.undo_stack == []
        assert "· B1.2" in widget_text(app, screen.questions)
        assert "unanswered" in widget_text(app, screen.query_one(QuestionPanel))

        monkeypatch.undo()  # the disk has room again
        await pilot.press("y")
        await pilot.pause()
        assert stored(app, "A001", "B1.2") == "yes"
        assert "✔ B1.2" in widget_text(app, screen.questions)


async def test_failed_save_from_the_repository(fresh_app, monkeypatch):
    from esi_tui.store.errors import StoreError

    app = fresh_app

    def refuse(*args, **kwargs):
        raise StoreError("fresh.json: in use by another esi-tui")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        monkeypatch.setattr(app.repo, "set_answer", refuse)
        await pilot.press("n")
        await pilot.pause()
        assert "in use by another esi-tui" in notices(app, "error")
        assert "· B1.2" in widget_text(app, screen.questions)
        assert screen.questions.current == "B1.2"
    assert app.repo.answers(FRESH) == []


async def test_small_terminal_and_resizing(fresh_app):
    app = fresh_app
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        questions, tallies = screen.questions, screen.query_one(TallyPanel)
        for widget in (questions, tallies, screen.query_one(QuestionPanel)):
            region = widget.region
            assert region.width > 0 and region.height > 0, widget
            assert app.screen.region.contains_region(region), widget
        await pilot.press("y")
        await pilot.pause()
        assert stored(app, "A001", "B1.2") == "yes"
        assert "✔ B1.2" in questions.line_text("B1.2")
        assert "· B2.1" in widget_text(app, questions)  # the cursor's question is in view
        assert "B1 " in widget_text(app, tallies)

        await pilot.press("e", *"half typed")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one("#note-text").text == "half typed"
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.repo.answer(FRESH, "A001", "B2.1", REVIEWER).note == "half typed"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert "✔ B1.2" in questions.line_text("B1.2")
        assert "· B2.1" in widget_text(app, questions)
        assert "half typed" in widget_text(app, screen.query_one(QuestionPanel))
        assert stored(app, "A001", "B1.2") == "yes"


async def test_undo_keeps_a_note_written_after_the_answer(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        await pilot.press("y", "k", "e", *"checked twice", "escape")
        await pilot.pause()
        answer = app.repo.answer(FRESH, "A001", "B1.2", REVIEWER)
        assert (answer.value, answer.note) == ("yes", "checked twice")
        await pilot.press("u")  # undoes the answer, not the note
        await pilot.pause()
        answer = app.repo.answer(FRESH, "A001", "B1.2", REVIEWER)
        assert answer is not None and (answer.value, answer.note) == (None, "checked twice")
        assert "checked twice" in widget_text(app, screen.query_one(QuestionPanel))


async def test_guidance_toggle_keeps_the_question_in_view(fresh_app):
    app = fresh_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_case(pilot, "A001")
        panel = screen.query_one(QuestionPanel)
        assert panel.guidance_shown and "Check the dates" in panel.text.plain  # open at first
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not panel.guidance_shown
        text = widget_text(app, panel)
        assert "B1.2" in text and "y  Yes" in text and "Check the dates" not in text
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert panel.guidance_shown and "Check the dates" in panel.text.plain


async def test_every_review_key_fits_the_footer_at_80_columns(fresh_app):
    app = fresh_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_case(pilot, "A001")
        footer = screen_lines(app)[-1]
        for shown in ("y Yes", "n No", "x N/A", "u Undo", "e Note", "] Next case", "c Done", "w Case note",
                      "? Help", "esc Back"):
            assert shown in footer, (shown, footer)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert "^p palette" in screen_lines(app)[-1]  # room again for the palette reminder


async def test_the_header_names_the_reviewer_on_every_screen(fresh_app):
    app = fresh_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert f"reviewer: {REVIEWER}" in screen_lines(app)[0]  # the cases screen
        await open_case(pilot, "A001")
        assert f"reviewer: {REVIEWER}" in screen_lines(app)[0] and "case A001" in screen_lines(app)[0]
        for key in ("t", "escape", "question_mark"):  # tallies, back to the review, help
            await pilot.press(key)
            await pilot.pause()
            assert f"reviewer: {REVIEWER}" in screen_lines(app)[0], key


async def test_opened_on_an_inspection_escape_still_leads_to_the_inspections_list(make_app, fresh_db):
    """--inspection opens on the cases without building the list under them; esc builds and shows it."""
    from esi_tui.app.screens.inspections import InspectionsScreen

    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen)
        assert not any(isinstance(s, InspectionsScreen) for s in app.screen_stack)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        assert FRESH in "\n".join(screen_lines(app))
        await pilot.press("enter")  # and back into it from the list
        await pilot.pause()
        assert isinstance(app.screen, CasesScreen) and app.session is not None and app.session.id == FRESH
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InspectionsScreen)
        assert sum(isinstance(s, InspectionsScreen) for s in app.screen_stack) == 1


async def test_the_collector_held_while_opening_is_back_on_once_the_cases_show(make_app, fresh_db):
    """`esi-tui` holds Python's collector while it opens; the app turns it back on after its first frame."""
    import gc

    from esi_tui.app import gc_pause
    from esi_tui.app.app import COLLECT_AFTER_OPEN

    app = make_app(fresh_db, inspection=FRESH)
    thresholds = gc.get_threshold()
    gc_pause.hold()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CasesScreen) and "A001" in "\n".join(screen_lines(app))
            await pilot.pause(COLLECT_AFTER_OPEN + 0.2)
            assert gc.isenabled() and not gc_pause.held()
    finally:
        gc_pause.release(collect=False)
        gc.enable()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
