"""What the screen shows is the truth, for one reviewer: every key press gets an answer, a greyed question
says why in the questionnaire's own words, ctrl+q quits from every form (asking only when text would be
lost), a saved change is marked quietly and an unsaved one loudly, notes are marked, a notice that stopped
being true is withdrawn, the palette finds what a reviewer remembers, and 60x20 keeps the facts and the
footer's ? Help and esc Back."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from uikit import FRESH, REVIEWER, notices, screen_lines, screen_text, widget_text

from esi_tui.app.screens.cases import CasesScreen
from esi_tui.app.screens.confirm import ConfirmScreen
from esi_tui.app.screens.forms import CaseForm
from esi_tui.app.screens.note import NoteScreen
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.app.widgets.case_facts import CaseFacts
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.store.errors import StoreError

SIZE = (100, 30)
# A001's questions before C2.5, in the order the cursor takes them (C2.5 is on the victim_work scale)
BEFORE_C25 = ["B1.2", "B2.1", "B3.1", "B3.2", "B3.3", "B3.4", "C2.1", "C2.2", "C2.3"]


async def open_a001(pilot) -> ReviewScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, CasesScreen) and pilot.app.screen.current == "A001"
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


def stored(app, qid: str) -> str | None:
    answer = app.repo.answer(FRESH, "A001", qid, REVIEWER)
    return answer.value if answer else None


async def test_a_key_the_scale_does_not_use_says_which_keys_it_takes_and_keeps_the_place(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_a001(pilot)
        await pilot.press(*"y" * len(BEFORE_C25))
        await pilot.pause()
        assert screen.questions.current == "C2.5"
        for _ in range(13):          # typed from paper notes: thirteen y presses
            await pilot.press("y")
        await pilot.pause()
        assert screen.questions.current == "C2.5"        # the place is kept
        assert stored(app, "C2.5") is None and stored(app, "C2.6") is None
        assert "C2.5 is answered with o / s / i / x" in screen_text(app)
        # one notice, not thirteen piled up
        assert screen_text(app).count("C2.5 is answered with") == 1
        await pilot.press("z")
        await pilot.pause()
        assert "z does nothing here: ? lists every key" in screen_text(app)
        assert "C2.5 is answered with" not in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert stored(app, "C2.5") == "sufficient"
        assert "z does nothing here" not in screen_text(app)   # moving on withdraws it


async def test_a_greyed_question_says_why_in_labels_not_raw_names(fresh_app, make_app, fresh_db):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_a001(pilot)
        assert screen.questions.line_text("B1.1").startswith("   B1.1 (Risk of harm: low) ")
        assert "(Significant incident during supervision: no)" in screen.questions.line_text("B1.3")
        assert "risk_of_harm" not in widget_text(app, screen.questions)
        await pilot.press(*"y" * len(BEFORE_C25))
        await pilot.pause()
        panel = widget_text(app, screen.query_one(QuestionPanel))
        assert "applies to: Victim issues: yes" in panel and "victim_issues" not in panel
    # A002 has no victim issues: C2.5 is greyed there, and says so
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.reference == "A002"
        assert "(Victim issues: no)" in app.screen.questions.line_text("C2.5")
        app.screen.jump_to_question("C2.5")
        await pilot.pause()
        assert "C2.5 does not apply to A002 (Victim issues: no): it is asked where Victim issues: yes." \
            in notices(app)


async def test_ctrl_q_quits_from_a_form_and_asks_only_when_text_would_be_lost(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CaseForm)
        await pilot.press(*"cd ~/work", "ctrl+q")      # the next shell command, typed into the form
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Quit without saving?" in screen_text(app) and "The new case is not saved" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CaseForm)
        assert app.screen.query_one("#reference").value == "cd ~/work"   # what was typed is kept
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.repo.has_case(FRESH, "cd ~/work")   # nothing was saved as a case


async def test_ctrl_q_quits_at_once_from_an_untouched_form_and_asks_in_a_changed_note(fresh_app, make_app,
                                                                                    fresh_db):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CaseForm)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
    app = make_app(fresh_db, inspection=FRESH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_a001(pilot)
        await pilot.press("e", *"late plan", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "The note on A001 B1.2 is not saved" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)


async def test_saved_is_marked_quietly_and_not_saved_loudly(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_a001(pilot)
        facts = screen.query_one(CaseFacts)
        assert "✓" not in widget_text(app, facts)
        await pilot.press("y")
        await pilot.pause()
        assert "✓ B1.2 saved" in widget_text(app, facts)
        await pilot.press("u")
        await pilot.pause()
        assert "✓ B1.2 put back" in widget_text(app, facts)

        def refuse(*_args, **_kwargs):
            raise StoreError("fresh.json.journal: could not write: No space left on device")

        app.repo.set_answer = refuse
        await pilot.press("n")
        await pilot.pause()
        text = widget_text(app, facts)
        assert "NOT SAVED: B1.2 No" in text and "✓" not in text
        assert "No space left on device" in notices(app, "error")
        assert screen.questions.current == "B1.2"     # nothing moved on


async def test_notes_are_marked_in_the_question_list_and_the_cases_table(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_a001(pilot)
        assert "✎" not in screen.questions.line_text("B1.2")
        await pilot.press("e", *"no review at week 16", "escape")
        await pilot.pause()
        assert screen.questions.line_text("B1.2").startswith(" · B1.2 ✎ ")
        assert "✓ note on B1.2 saved" in widget_text(app, screen.query_one(CaseFacts))
        await pilot.press("w", *"ask for the file", "escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one("#cases")
        assert str(table.get_cell("A001", "reference")) == "A001 ✎ ✉"
        assert str(table.get_cell("A002", "reference")) == "A002"


async def test_not_complete_yet_is_withdrawn_once_all_is_answered(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_a001(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert "Not complete yet" in screen_text(app)
        await pilot.press(*"y" * len(BEFORE_C25))
        await pilot.pause()
        assert "Not complete yet" in screen_text(app)       # still true: C2.5 and more are open
        await pilot.press("s", *"y" * 6)
        await pilot.pause()
        assert app.session.missing_required("A001") == []
        assert "Not complete yet" not in screen_text(app)   # withdrawn once it stopped being true
        assert "Every relevant question is answered" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert "Every relevant question is answered" not in screen_text(app)
        assert "A001 marked complete" in screen_text(app)
        assert screen.reference == "A001"


async def palette_hits(pilot, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    hits = pilot.app.screen.query_one(CommandList)
    for _ in range(50):
        await pilot.pause(0.02)
        if hits.option_count:
            break
    found = [str(hits.get_option_at_index(n).prompt) for n in range(hits.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return found


async def test_the_palette_finds_question_words_guidance_and_attribute_values(demo_app):
    app = demo_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        smart = await palette_hits(pilot, "SMART")
        assert smart and smart[0].startswith("Question B3.2")
        assert any("SMART objectives" in hit for hit in smart)
        mappa = {c.reference for c in app.repo.cases(DEMO_INSPECTION) if c.attributes["mappa_level"] == 2}
        hits = await palette_hits(pilot, "MAPPA 2")
        found = {hit.split("\n")[0].removeprefix("Case ") for hit in hits if hit.startswith("Case ")}
        assert mappa and found == mappa
        assert all("MAPPA level 2" in hit for hit in hits if hit.startswith("Case "))
        # a word of the guidance only (B1.2's guidance names eOASys, its text does not)
        hits = await palette_hits(pilot, "eOASys review history")
        assert hits and hits[0].startswith("Question B1.2") and "guidance:" in hits[0]
        assert (await palette_hits(pilot, "H007"))[0].startswith("Case H007")


def footer_line(app) -> str:
    return screen_lines(app)[-1]


async def test_at_60x20_the_facts_are_one_line_and_the_footer_keeps_help_and_back(demo_app, make_app, demo_db):
    app = demo_app
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "? Help" in footer_line(app) and "esc Back" in footer_line(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.reference == "H019"
        facts = widget_text(app, screen.query_one(CaseFacts)).splitlines()
        assert facts[0].startswith(" H019 19/30 · 0 of 20 · Risk of harm: low · ")   # reference, progress, facts
        assert "? Help" in footer_line(app) and "esc Back" in footer_line(app)
        for key in ("t", "escape", "m"):
            await pilot.press(key)
            await pilot.pause()
            assert "? Help" in footer_line(app) and "esc Back" in footer_line(app), (key, footer_line(app))
        await pilot.press("escape")
        await pilot.pause()
    app = make_app(demo_db, inspection=DEMO_INSPECTION)
    async with app.run_test(size=(100, 30)) as pilot:   # two lines where there is room
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        facts = widget_text(app, app.screen.query_one(CaseFacts)).splitlines()
        assert facts[0].startswith(" Case H019  19 of 30  0 of 20 answered")
        assert facts[1].startswith(" Risk of harm (OASys level): low")


async def test_every_screen_answers_a_key_that_does_nothing_there(fresh_app):
    app = fresh_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"low z")       # typed into the filter: no complaint
        await pilot.pause()
        assert "does nothing" not in notices(app)
        await pilot.press("enter", "z")
        await pilot.pause()
        assert "z does nothing here: ? lists every key" in screen_text(app)
        await pilot.press("escape", "escape")       # the filter, then the cases
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert notices(app).splitlines()[-1] == ": x does nothing here: ? lists every key"


def keys_shown(app) -> int | None:
    """How many of the screen's keys the footer shows left of `? Help`, if it shows only whole ones (the
    first n as the footer draws them, "y Yes n No ... ] Next case"); None when one is cut ("c? Help")."""
    from esi_tui.app.widgets.key_footer import KeyFooter

    line = footer_line(app)
    shown = " ".join(line.split("? Help")[0].split())
    footer = app.screen.query_one(KeyFooter)
    labels = [f"{key.key_display} {key.description}" for key in footer.children
              if not key.has_class("footer-kept")]
    found = [n for n in range(len(labels) + 1) if shown == " ".join(" ".join(labels[:n]).split())]
    if not found:
        return None
    n = found[0]
    if n < len(labels):  # the next key was hidden because it would not fit whole before ? Help
        room = line.index("? Help") - len(line.split("? Help")[0].rstrip())
        assert room < len(labels[n]) + 2, (line, labels[n])
    return n


async def test_the_footer_never_shows_a_key_cut_in_two(make_app, demo_db):
    app = make_app(demo_db, inspection=DEMO_INSPECTION)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        shown = {}
        for width in (60, 75, 90, 60, 100, 64):
            await pilot.resize_terminal(width, 20)
            await pilot.pause()
            await pilot.pause()
            line = footer_line(app)
            assert "? Help" in line and "esc Back" in line, (width, line)
            shown[width] = keys_shown(app)
            assert shown[width] is not None, (width, line)
        # a wider terminal shows the keys a narrower one hid, without a rebuild between 60 and 90 columns
        assert shown[60] < shown[75] < shown[90]
