"""Guidance and question text wrap inside the panel's visible width at every terminal size, also when the
guidance needs a scrollbar (it used to be wrapped two columns wider, and the scrollbar covered words)."""

from __future__ import annotations

import pytest
from uikit import REVIEWER, screen_lines, screen_text

from esi_tui.app.factory import create_app
from esi_tui.app.widgets.question_panel import QuestionPanel
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION

SIZES = [(100, 30), (80, 24), (60, 20)]
LONG = "B1.1"  # the longest guidance of the questionnaire: it needs a scrollbar at every size


@pytest.fixture
def guidance_app(tmp_path):
    """The demo app with no user config."""
    db = tmp_path / "demo.json"
    build_demo(db, REVIEWER)
    return create_app(db, REVIEWER, inspection=DEMO_INSPECTION, config_path=tmp_path / "none.toml")


async def open_long_guidance(pilot) -> None:
    """Open the first case B1.1 applies to (H002, very high risk of harm), on B1.1."""
    await pilot.pause()
    session = pilot.app.session
    reference = next(c.reference for c in session.cases() if session.relevant(c.reference, LONG))
    pilot.app.open_case(reference, LONG)
    await pilot.pause()
    await pilot.pause()


def panel_lines(app, panel) -> list[str]:
    """What the panel shows, line by line, without the scrollbar's columns."""
    region = panel.content_region
    return [line[region.x:region.right] for line in screen_lines(app)[region.y:region.bottom]]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_word_of_long_guidance_is_on_screen_somewhere_as_the_panel_scrolls(guidance_app, size):
    async with guidance_app.run_test(size=size) as pilot:
        await open_long_guidance(pilot)
        panel = pilot.app.screen.query_one(QuestionPanel)
        assert panel.max_scroll_y > 0, "the guidance should need a scrollbar at this size"
        seen: list[str] = []
        for y in range(0, panel.max_scroll_y + 1):
            panel.scroll_to(y=y, animate=False)
            await pilot.pause()
            seen += panel_lines(pilot.app, panel)
        shown = " ".join(" ".join(seen).split())
        question = pilot.app.session.questionnaire.question(LONG)
        for text in (question.text, question.guidance):
            missing = [word for word in text.split() if f" {word} " not in f" {shown} "]
            assert not missing, f"words cut or hidden at {size}: {missing}"


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_help_back_and_the_one_line_facts_stay_at_every_size(guidance_app, size):
    async with guidance_app.run_test(size=size) as pilot:
        await open_long_guidance(pilot)
        lines = screen_lines(pilot.app)
        assert "? Help" in lines[-1] and "esc Back" in lines[-1]
        assert lines[1].lstrip().startswith("H002") or lines[1].lstrip().startswith("Case H002")
        assert "Risk of harm" in screen_text(pilot.app).split("\n", 3)[1 if size == (60, 20) else 2]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_long_guidance_snapshot(snap_compare, guidance_app, size):
    """H002 on B1.1: the guidance is wrapped beside the panel's scrollbar, no word under it (at 100x30 the
    panel shows 'risk of harm sections, or the approved instrument' with 'the area used before OASys' on the
    next line, the scrollbar to their right); at 60x20 the facts are one line ('H002 2/30 · complete ✔ · Risk
    of harm: very high · Senten…') and the footer ends with '? Help esc Back'."""
    assert snap_compare(guidance_app, terminal_size=size, run_before=open_long_guidance)
