"""The agreement screen at 100x30, 80x24 and 60x20: for every group of reviewers, the table's
columns, the highlighted row, and the detail under it (every coefficient, its reading and its
warnings) are all on screen; nothing a quality lead needs is cut."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from uikit import screen_lines, screen_text, widget_text

from esi_tui.app.screens.agreement import AgreementScreen
from esi_tui.core.agreement import STATISTICS, questionnaire_agreement
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

TEAM = "team-check"


@pytest.fixture
def three_reviewers_db(tmp_path: Path) -> Path:
    """24 cases answered by ann and bob, 9 of them by cat too; answers mostly 'yes', seeded."""
    path = tmp_path / "team.json"
    rng = random.Random(13)
    questionnaire = find_questionnaire("esi-2005-followup")
    with Repository.open(path) as repo:
        repo.create_inspection(TEAM, questionnaire, area="Testshire")
        for i in range(24):
            reference = f"T{i:03d}"
            repo.save_case(TEAM, reference, {"risk_of_harm": rng.choice(["low", "medium", "high"]),
                                             "victim_issues": rng.random() < 0.5})
            for question in questionnaire.questions[:12]:
                options = [o.key for o in questionnaire.scale_of(question.id).options]
                truth = options[0] if rng.random() < 0.85 else rng.choice(options)
                for reviewer in ("ann", "bob", "cat") if i % 3 == 0 else ("ann", "bob"):
                    value = truth if rng.random() < 0.85 else rng.choice(options)
                    repo.set_answer(TEAM, reference, question.id, value, reviewer)
    return path


def flat(text: str) -> str:
    """Text with every run of whitespace (wrapped lines too) as one space."""
    return " ".join(text.split())


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 20)])
async def test_nothing_a_lead_needs_is_cut(make_app, three_reviewers_db, size):
    with Repository.open(three_reviewers_db) as repo:
        expected = questionnaire_agreement(repo.questionnaire(TEAM), repo.ratings(TEAM))
    groups = list(dict.fromkeys(row.reviewers for row in expected))
    assert len(groups) == 4
    app = make_app(three_reviewers_db, inspection=TEAM, reviewer="lead")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.action_agreement()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        width, height = size
        checked_warnings = 0
        for members in groups:
            rows = [row for row in expected if row.reviewers == members]
            # the overall row, and the row with the most warnings (the longest detail)
            worst = max(range(len(rows)), key=lambda i: (len(rows[i].warnings()), -i))
            for index in dict.fromkeys((0, worst)):
                table = screen.query_one("#agreement")
                table.move_cursor(row=index)
                await pilot.pause()
                await pilot.pause()
                row = rows[index]
                lines = screen_lines(app)
                assert len(lines) == height and all(len(line) <= width for line in lines)
                table_text = widget_text(app, table)
                kappa = "Kappa" if row.group == "pair" else "Fleiss"
                header = table_text.splitlines()[0]
                for heading in ("Scope", "Agree", kappa, "AC1", "PABAK", "Alpha"):
                    assert heading in header, (size, heading)
                # the highlighted row is in view with all its cells
                scope = "all" if row.scope == "overall" else row.key
                line = next((t for t in table_text.splitlines()
                             if t.split() and t.split()[0] == scope), None)
                assert line is not None, (size, members, scope, table_text)
                kappa_key = "cohen_kappa" if row.group == "pair" else "fleiss_kappa"
                for key in ("percent_agreement", kappa_key, "gwet_ac1", "pabak", "krippendorff_alpha"):
                    assert row.cell(key) in line.split(), (size, key, line)
                # the detail holds every figure with its reading and every warning, none cut off
                detail = screen.query_one("#agreement-detail")
                assert detail.region.bottom <= height - 1          # above the footer
                assert detail.region.height >= detail.virtual_size.height
                text = flat(widget_text(app, detail))
                readings = row.readings()
                for key, _, short in STATISTICS:
                    assert flat(f"{short} {row.cell(key)} {readings[key]}") in text, (size, key, text)
                for warning in row.warnings():
                    assert flat(f"! {warning}") in text, (size, warning, text)
                    checked_warnings += 1
                assert f"{row.cases} " in text and "rated by" in text
            summary = flat(widget_text(app, screen.query_one("#agreement-summary")))
            who = rows[0].label if rows[0].group == "pair" else "all 3 together"
            assert f"Reviewers: {who}" in summary
            await pilot.press("g")
            await pilot.pause()
        assert checked_warnings >= 4          # the paradox, few-cases and bias lines were shown
        footer = flat(screen_text(app).splitlines()[-1])
        assert "g Next reviewers" in footer and "esc Back" in footer
