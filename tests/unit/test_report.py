"""`esi-tui report`: finding sentences worked by hand, the baseline comparison, intervals, reviewers'
report and good-practice notes (withheld when redacted), and the shape of the Markdown and HTML."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from esi_tui.core.formatting import format_score
from esi_tui.core.report import change_points, finding, interval_text
from esi_tui.core.tally import Counts
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

STEM = "A sufficient risk management plan had been completed within five working days"
INSPECTION = "hampshire-2005"
REVIEWER = "jb"
B15 = "There was a close fit between the interventions planned and the assessed risk of harm"
B14 = "A sufficient risk management plan had been completed within the required five working days"


# -- finding sentences, worked by hand ---------------------------------------------------------------

@pytest.mark.parametrize("counts, expected", [
    (Counts(positive=12, negative=4), f"{STEM} in 12 of the 16 relevant cases (75%)."),
    (Counts(positive=14, negative=2, not_applicable=3, unanswered=5, not_relevant=6),
     f"{STEM} in 14 of the 16 relevant cases (88%)."),
    (Counts(positive=10, negative=6), f"{STEM} in 10 of the 16 relevant cases (63%)."),
    (Counts(positive=5, negative=3), f"{STEM} in 5 of the 8 relevant cases (63%)."),
    (Counts(positive=1, negative=2), f"{STEM} in 1 of the 3 relevant cases (33%)."),
    (Counts(positive=8, not_applicable=1), f"{STEM} in all 8 relevant cases (100%)."),
    (Counts(negative=5, unanswered=2), f"{STEM} in none of the 5 relevant cases (0%)."),
    (Counts(positive=1, unanswered=4), f"{STEM} in the one relevant case (100%)."),
    (Counts(negative=1), f"{STEM} in none of the relevant cases (0 of 1; 0%)."),
    (Counts(unanswered=16, not_relevant=14), f"{STEM}: no relevant case has been answered yet."),
    (Counts(not_applicable=3, not_relevant=27), f"{STEM}: not applicable in any of the cases it could apply to."),
    (Counts(not_relevant=30), f"{STEM}: no case in the sample is relevant."),
    (Counts(), f"{STEM}: no case in the sample is relevant."),
])
def test_finding_sentences(counts, expected):
    assert finding(STEM + ".", counts, None, False) == expected


@pytest.mark.parametrize("counts, baseline, expected", [
    (Counts(positive=12, negative=4), 42, "(75%; original inspection 42%, +33 points)."),
    (Counts(positive=10, negative=6), 50, "(63%; original inspection 50%, +13 points)."),  # not round(12.5) = 12
    (Counts(positive=4, negative=4), 63, "(50%; original inspection 63%, −13 points)."),
    (Counts(positive=3, negative=1), 74, "(75%; original inspection 74%, +1 point)."),
    (Counts(positive=3, negative=1), 75, "(75%; original inspection 75%, ±0 points)."),
    (Counts(positive=14, negative=2), 87.5, "(88%; original inspection 88%, ±0 points)."),
    (Counts(unanswered=3), 42, ": no relevant case has been answered yet."),
])
def test_finding_compares_with_the_baseline(counts, baseline, expected):
    assert finding(STEM, counts, baseline, False).endswith(expected)


def test_finding_with_interval():
    # Wilson 95% for 12 of 16, by hand: centre 0.7016, half-width 0.1966 -> 50.5% to 89.8%
    assert finding(STEM, Counts(positive=12, negative=4), 42, True) == (
        f"{STEM} in 12 of the 16 relevant cases (75%; original inspection 42%, +33 points; 95% CI 51–90%).")
    assert finding(STEM, Counts(positive=14, negative=2), None, True).endswith("(88%; 95% CI 64–97%).")
    assert finding(STEM, Counts(negative=1), None, True).endswith("(0 of 1; 0%; 95% CI 0–79%).")
    assert interval_text(None) == ""


@pytest.mark.parametrize("value, text", [
    (87.5, "88%"), (62.5, "63%"), (12.5, "13%"), (0.5, "1%"), (100 * 29 / 200, "15%"), (83.3, "83%"),
    (66.66666666666667, "67%"), (0.0, "0%"), (100.0, "100%"), (None, "–"),
])
def test_scores_round_half_up_like_a_person(value, text):
    assert format_score(value) == text


def test_change_is_shown_score_minus_shown_baseline():
    assert change_points(62.5, 50) == 13
    assert change_points(87.5, 54) == 34
    assert change_points(None, 54) is None and change_points(50.0, None) is None


# -- reports of a real database ------------------------------------------------------------------------

def build(path: Path, answers: dict[str, list[str]], baseline=None, question_baseline=None,
          notes: dict[tuple[str, str], str] | None = None) -> Path:
    """16 high risk of harm cases (R01..R16) and 4 low ones (L01..L04); answers[qid] lists the values
    for R01, R02, ... in turn."""
    with Repository.open(path) as repo:
        repo.create_inspection(INSPECTION, find_questionnaire("esi-2005-followup"),
                               title="ESI follow-up: Hampshire", area="Hampshire",
                               baseline=baseline or {}, question_baseline=question_baseline or {})
        for number in range(1, 17):
            repo.save_case(INSPECTION, f"R{number:02d}", {"risk_of_harm": "high" if number % 2 else "very_high"})
        for number in range(1, 5):
            repo.save_case(INSPECTION, f"L{number:02d}", {"risk_of_harm": "low"})
        for qid, values in answers.items():
            for number, value in enumerate(values, start=1):
                repo.set_answer(INSPECTION, f"R{number:02d}", qid, value, REVIEWER)
        for (case, qid), note in (notes or {}).items():
            current = repo.answer(INSPECTION, case, qid, REVIEWER)
            repo.set_answer(INSPECTION, case, qid, current.value if current else "yes", REVIEWER, note=note)
    return path


@pytest.fixture
def published(tmp_path) -> Path:
    """The follow-up's B1.5 figure, 14 of the 16 high risk of harm cases, and B1.4 at 12 of 16."""
    return build(tmp_path / "published.json", {
        "B1.5": ["yes"] * 14 + ["no"] * 2,
        "B1.4": ["yes"] * 12 + ["no"] * 4,
    }, baseline={"B1": 54, "C5": 63}, question_baseline={"B1.4": 42})


def test_report_reproduces_the_published_figure(run, published):
    status, text, err = run("report", "--db", published)
    assert (status, err) == (0, "")
    assert f"- {B15} in 14 of the 16 relevant cases (88%)." in text
    assert f"- {B14} in 12 of the 16 relevant cases (75%; original inspection 42%, +33 points)." in text
    # B1 is 26 of 32: 81.25% against 54%; B1.1 and B1.6 (16 cases each) and B1.2 (all 20) are open
    assert "| Score | 54% | 81% | +27 | Outstanding |" in text
    assert "Counted: 26 of 32 (not applicable 0, unanswered 52)." in text


def test_report_has_sections_criteria_and_descriptions(run, published):
    text = run("report", "--db", published)[1]
    assert text.startswith("# ESI follow-up: Hampshire\n")
    assert "**Area:** Hampshire" in text and "**Cases in the sample:** 20" in text
    assert "## Section B: Quality of assessment" in text
    assert "## Section C: Quality of interventions" in text
    assert text.index("## Section B") < text.index("### B1 Assessment of risk of harm") < text.index("## Section C")
    questionnaire = find_questionnaire("esi-2005-followup")
    for criterion in questionnaire.criteria:
        assert f"### {criterion.code} {criterion.title}" in text
        assert f"*{criterion.description.strip()}*" in text
    assert "| | Original inspection | Now | Change | Rating |" in text
    assert "| Score | 63% | – | – | – |" in text  # C5: a baseline, nothing answered yet
    b11 = "A satisfactory risk of harm assessment had been completed at the commencement of supervision"
    assert f"- {b11}: no relevant case has been answered yet." in text


def test_report_ci_adds_intervals(run, published):
    text = run("report", "--db", published, "--ci")[1]
    assert "| | Original inspection | Now | Change | Rating | 95% CI |" in text
    assert f"- {B15} in 14 of the 16 relevant cases (88%; 95% CI 64–97%)." in text
    html = run("report", "--db", published, "--ci", "--format", "html")[1]
    assert "<th>95% CI</th>" in html and "95% CI 64–97%" in html
    assert "95% CI" not in run("report", "--db", published)[1]


NOTES = {
    ("R01", "B1.4"): "report: Plans were agreed with the police within two days",
    ("R02", "B1.5"): "good practice: A <Community of Practice Group> shared learning & risk work",
    ("R03", "B1.5"): "private: the officer was on leave",
    ("R04", "B1.4"): "first line is private\nReport: the second line is for the report",
}


@pytest.fixture
def noted(tmp_path) -> Path:
    return build(tmp_path / "noted.json", {"B1.5": ["yes"] * 14 + ["no"] * 2, "B1.4": ["yes"] * 4},
                 baseline={"B1": 54}, notes=NOTES)


def test_report_and_good_practice_notes_appear_in_markdown(run, noted):
    text = run("report", "--db", noted)[1]
    # quoted as the reviewers' own words, under their criterion
    assert ("*From the reviewers' notes for the report:*\n\n> “Plans were agreed with the police within two days”"
            "\n>\n> “the second line is for the report”\n") in text
    # the note's own text, escaped: it cannot become a tag or an entity in the reader's viewer
    assert ("**GOOD PRACTICE EXAMPLE**\n\n*A &lt;Community of Practice Group&gt; shared learning &amp; risk work*"
            in text)
    assert "officer was on leave" not in text and "first line is private" not in text
    b1 = text[text.index("### B1 "):text.index("### B2 ")]
    assert "GOOD PRACTICE EXAMPLE" in b1 and "Plans were agreed" in b1


def test_report_and_good_practice_notes_appear_in_html(run, noted):
    html = run("report", "--db", noted, "--format", "html")[1]
    assert '<blockquote class="report-note">“Plans were agreed with the police within two days”</blockquote>' in html
    assert ('<div class="good-practice"><strong>GOOD PRACTICE EXAMPLE</strong><p><em>A &lt;Community of '
            "Practice Group&gt; shared learning &amp; risk work</em></p></div>") in html
    assert "<Community" not in html
    assert "officer was on leave" not in html


@pytest.mark.parametrize("form", ["md", "html"])
def test_redacted_report_withholds_the_notes(run, noted, form):
    text = run("report", "--db", noted, "--format", form, "--redact")[1]
    for note in ["Plans were agreed", "Community of Practice", "second line is for the report", "on leave"]:
        assert note not in text
    assert "GOOD PRACTICE EXAMPLE" not in text
    assert "3 reviewer notes withheld (redacted report)." in text
    assert f"{B15} in 14 of the 16 relevant cases (88%" in text
    for number in range(1, 17):
        assert f"R{number:02d}" not in text


def test_html_report_shape(run, published):
    html = run("report", "--db", published, "--format", "html")[1]
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('<table class="scores">') == 6
    assert html.count('<rect class="bar original"') == 6 and html.count('<rect class="bar now"') == 6
    assert '<rect class="bar original" data-criterion="B1" x="60" y="4" width="226.8"' in html  # 54% of 420
    assert "<h2>Section B: Quality of assessment</h2>" in html
    assert f"<li>{B15} in 14 of the 16 relevant cases (88%).</li>" in html
    assert '<td class="up">+27</td>' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "<link" not in html and "src=" not in html and "url(" not in html


def test_no_change_is_neither_up_nor_down(run, tmp_path):
    path = build(tmp_path / "flat.json", {"B2.1": ["yes", "no"]}, baseline={"B2": 50})
    html = run("report", "--db", path, "--format", "html")[1]
    assert '<td class="">±0</td>' in html
    assert "| Score | 50% | 50% | ±0 | Requires improvement |" in run("report", "--db", path)[1]


def test_report_output_file_is_private(run, published, tmp_path):
    target = tmp_path / "report.html"
    old = os.umask(0o022)
    try:
        status, out, err = run("report", "--db", published, "--format", "html", "-o", target)
    finally:
        os.umask(old)
    assert (status, out, err) == (0, "", f"wrote {target}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_needs_an_inspection_choice_when_there_are_several(run, published, tmp_path):
    script = tmp_path / "more.jsonl"
    script.write_text('{"type": "inspection", "id": "other", "questionnaire": "esi-2005-followup"}\n')
    assert run("replay", script, "--db", published, "--quiet")[0] == 0
    status, _, err = run("report", "--db", published)
    assert status == 1
    assert "holds several inspections (hampshire-2005, other); choose one with --inspection ID" in err
    status, text, _ = run("report", "--db", published, "--inspection", INSPECTION)
    assert status == 0 and "14 of the 16" in text
