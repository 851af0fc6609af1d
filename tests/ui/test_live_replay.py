"""`esi-tui replay --live`: answers are played in the review at N per second, with pause, speed
and stop keys, and what was applied stays in the store and the tallies."""

from __future__ import annotations

import json
from pathlib import Path

from esi_tui.app.app import EsiApp
from esi_tui.app.screens.review import ReviewScreen
from esi_tui.cli import main
from esi_tui.commands.demo import build_demo
from esi_tui.core.demo import DEMO_INSPECTION
from esi_tui.core.tally_json import tally_document


def demo_script(tmp_path: Path, answers: int) -> Path:
    """The demo's inspection and cases and its first `answers` answers, as a replay script."""
    source = tmp_path / "source.json"
    build_demo(source, "ann")
    assert main(["export", "--db", str(source), "-o", str(tmp_path / "all.jsonl")]) == 0
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    # the cases (not who finished them: that needs all their answers) and the first answers
    head = [line for line in lines if (json.loads(line)["type"] != "answer" and "attributes" in json.loads(line))
            or json.loads(line)["type"] not in ("answer", "case")]
    played = [line for line in lines if json.loads(line)["type"] == "answer"][:answers]
    script = tmp_path / "script.jsonl"
    script.write_text("\n".join(head + played) + "\n", encoding="utf-8")
    return script


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the replay did not get there in time")


async def test_live_replay_plays_pauses_speeds_up_and_stops(tmp_path: Path, monkeypatch) -> None:
    script = demo_script(tmp_path, answers=60)
    db = tmp_path / "live.json"
    started: list[EsiApp] = []
    monkeypatch.setattr(EsiApp, "run", lambda self, *args, **kwargs: started.append(self))
    monkeypatch.setenv("ESI_TUI_CONFIG", str(tmp_path / "none.toml"))
    # slow enough that the app goes idle between answers, as Pilot's key presses wait for idle
    assert main(["replay", str(script), "--db", str(db), "--live", "--speed", "5", "--reviewer", "ann"]) == 0
    app = started[0]
    async with app.run_test(size=(100, 30)) as pilot:
        live = app.live
        await wait_for(pilot, lambda: live.applied >= 5)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space")
        paused_at = live.applied
        await pilot.pause(0.4)
        assert live.paused and live.applied == paused_at
        await pilot.press("space")
        await pilot.press("plus")
        assert live.speed == 10
        await wait_for(pilot, lambda: live.applied >= paused_at + 5)
        await pilot.press("escape")
        stopped_at = live.applied
        await pilot.pause(0.3)
        assert live.stopped, (live.applied, live.index, len(live.steps), app.screen)
        assert live.applied == stopped_at < 60
        assert isinstance(app.screen, ReviewScreen)  # escape stopped the replay, it did not leave
        stored = app.repo.answers(DEMO_INSPECTION)
        assert len(stored) == stopped_at
        assert tally_document(app.session.engine, DEMO_INSPECTION) == tally_document(
            app.repo.tally(DEMO_INSPECTION), DEMO_INSPECTION)
        assert f"replay {stopped_at} answers (stopped)" in app.sub_title
        await pilot.press("escape")  # with the replay stopped, escape goes back as usual
        assert not isinstance(app.screen, ReviewScreen)


async def test_live_replay_plays_to_the_end(tmp_path: Path, monkeypatch) -> None:
    script = demo_script(tmp_path, answers=12)
    db = tmp_path / "live.json"
    started: list[EsiApp] = []
    monkeypatch.setattr(EsiApp, "run", lambda self, *args, **kwargs: started.append(self))
    monkeypatch.setenv("ESI_TUI_CONFIG", str(tmp_path / "none.toml"))
    assert main(["replay", str(script), "--db", str(db), "--live", "--speed", "100"]) == 0
    app = started[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: not app.live.active)
        assert app.live.applied == 12 and "done" in app.sub_title
        assert len(app.repo.answers(DEMO_INSPECTION)) == 12
        assert not app.check_action("replay_pause", ())  # the replay keys are gone once it is over


async def test_live_replay_plays_every_kind_of_record_through_the_one_applier(tmp_path: Path, monkeypatch,
                                                                             capsys) -> None:
    script = demo_script(tmp_path, answers=6)
    capsys.readouterr()
    team = [{"type": "settings", "disagreement_policy": "dispute"},
            {"type": "case", "reference": "H001", "double_review": True},
            {"type": "moderation", "case": "H001", "question": "B1.2", "value": "no", "at": "2005-03-04T09:00:00Z"},
            {"type": "case_note", "case": "H001", "note": "look at the MAPPA minutes"}]
    with script.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in team)
    db = tmp_path / "live.json"
    started: list[EsiApp] = []
    monkeypatch.setattr(EsiApp, "run", lambda self, *args, **kwargs: started.append(self))
    monkeypatch.setenv("ESI_TUI_CONFIG", str(tmp_path / "none.toml"))
    assert main(["replay", str(script), "--db", str(db), "--live", "--speed", "100", "--reviewer", "ann"]) == 0
    assert capsys.readouterr().err == ""     # nothing is left out any more
    app = started[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: not app.live.active)
        assert app.live.applied == 6
        assert app.repo.settings(DEMO_INSPECTION)["disagreement_policy"] == "dispute"
        assert app.repo.is_double_review(DEMO_INSPECTION, "H001")
        moderated = [(m.case, m.question, m.value) for m in app.repo.moderations(DEMO_INSPECTION)]
        assert moderated == [("H001", "B1.2", "no")]
        assert app.repo.case_note(DEMO_INSPECTION, "H001", "ann") == "look at the MAPPA minutes"
        # the app's own view followed every record: its counts are the store's
        assert tally_document(app.session.engine, DEMO_INSPECTION) == tally_document(
            app.repo.tally(DEMO_INSPECTION, viewer="ann"), DEMO_INSPECTION)
