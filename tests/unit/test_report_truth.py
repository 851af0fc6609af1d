"""`esi-tui report` tells the truth about its state and says what the published report says: provisional
until done, the inspection's own title, dates, reviewers and sample, key findings, a closing judgement per
criterion, small numbers in words and reviewers' notes quoted (Markdown and HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework import finish

from esi_tui.core.report_summary import in_cases, judgement
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

ID = "hants-2026"
DAY1, DAY2 = "2026-01-12T09:30:00Z", "2026-01-15T16:00:00Z"
B11 = "A satisfactory risk of harm assessment had been completed at the commencement of supervision"


@pytest.fixture
def db(tmp_path) -> Path:
    """Three cases read by ann and bob; B1 against 54%, B2 against 60%, B3 with no baseline; ann and bob
    disagree on H3's B2.1."""
    path = tmp_path / "lead.json"
    with Repository.open(path) as repo:
        repo.create_inspection(ID, find_questionnaire("esi-2005-followup"), area="Hampshire",
                               baseline={"B1": 54, "B2": 60})
        repo.save_case(ID, "H1", {"risk_of_harm": "very_high", "child_protection": True, "sentence": "licence"})
        repo.save_case(ID, "H2", {"risk_of_harm": "high"})
        repo.save_case(ID, "H3", {"risk_of_harm": "low"})
        for case in ("H1", "H2"):
            repo.set_answer(ID, case, "B1.1", "yes", "ann", at=DAY1)
            repo.set_answer(ID, case, "B1.2", "no", "ann", at=DAY1)
        repo.set_answer(ID, "H1", "B2.1", "yes", "ann", at=DAY1, note="report: The OASys was thorough")
        repo.set_answer(ID, "H2", "B2.1", "yes", "bob", at=DAY2)
        repo.set_answer(ID, "H3", "B2.1", "no", "ann", at=DAY2)
        repo.set_answer(ID, "H3", "B2.1", "yes", "bob", at=DAY2)
        repo.set_answer(ID, "H1", "B3.1", "yes", "ann", at=DAY2)
    return path


def test_small_numbers_in_words():
    assert in_cases(2, 2) == "in both relevant cases"
    assert in_cases(0, 2) == "in neither of the two relevant cases"
    assert in_cases(1, 2) == "in one of the two relevant cases"
    assert in_cases(1, 1) == "in the one relevant case"
    assert in_cases(3, 3) == "in all 3 relevant cases"
    assert in_cases(2, 5) == "in 2 of the 5 relevant cases"


@pytest.mark.parametrize(("change", "comparable", "baseline", "words"), [
    (36, True, 64, "greatly improved performance"), (26, True, 64, "greatly improved performance"),
    (29, True, 54, "improved performance"), (20, True, 50, "improved performance"),
    (13, True, 55, "improved performance"), (2, True, 70, "performance similar to the original inspection"),
    (-9, True, 70, "worse performance"), (-25, True, 70, "much worse performance"),
    (None, True, None, "no direct comparison possible"), (10, False, 70, "no direct comparison possible"),
])
def test_judgement_against_the_baseline(change, comparable, baseline, words):
    assert judgement(change, comparable, baseline) == words


def test_the_report_heads_with_its_own_title_dates_reviewers_and_sample(run, db):
    status, text, err = run("report", "--db", db)
    assert (status, err) == (0, "")
    assert text.startswith("# Effective Supervision Inspection: follow-up: Hampshire\n")
    assert "(2005)\n" not in text.split("\n", 1)[0]
    assert "**Dates:** case files read 12 January 2026 to 15 January 2026 (set up " in text
    assert "**Reviewers:** ann and bob  \n" in text
    assert ("**Sample:** 3 case files examined: risk of harm 1 low, 1 high and 1 very high; sentence 2 community "
            "order and 1 licence; 1 with child protection issues\n") in text


def test_provisional_until_every_case_is_complete_and_every_disagreement_moderated(run, db):
    text = run("report", "--db", db)[1]
    assert text.split("\n")[2] == ("> **PROVISIONAL:** 0 of 3 sampled cases complete; 1 disagreement between "
                                   "reviewers not yet moderated. The figures will change until every sampled case "
                                   "is complete and every disagreement moderated.")
    with Repository.open(db) as repo:
        for case in ("H1", "H2", "H3"):
            finish(repo, ID, case, "ann")
    text = run("report", "--db", db)[1]
    assert "> **PROVISIONAL:** 3 of 3 sampled cases complete; 1 disagreement between reviewers not yet" in text
    with Repository.open(db) as repo:
        repo.moderate(ID, "H3", "B2.1", "yes", "lead", reason="the plan was on file")
    text = run("report", "--db", db)[1]
    assert "PROVISIONAL" not in text
    assert "*Final: all 3 sampled cases complete and every disagreement moderated.*" in text
    html = run("report", "--db", db, "--format", "html")[1]
    assert 'class="provisional"' not in html and "Final: all 3 sampled cases complete" in html


def test_findings_key_findings_and_closing_lines(run, db):
    text = run("report", "--db", db)[1]
    b1 = text[text.index("### B1 "):text.index("### B2 ")]
    assert f"- {B11} in both relevant cases (100%; original inspection 50%" not in b1  # no question baseline
    assert f"- {B11} in both relevant cases (100%)." in b1
    assert "in neither of the two relevant cases (0%)." in b1
    # B1: 2 of 4 = 50% against 54%: similar; B2: H1, H2 and H3 (first answer, ann's no): 67% against 60%
    assert ("- We assessed the area as demonstrating performance similar to the original inspection in relation "
            "to the criterion (original inspection 54%, now 50%).") in b1
    b2 = text[text.index("### B2 "):text.index("### B3 ")]
    assert ("- We assessed the area as demonstrating improved performance in relation to the criterion "
            "(original inspection 60%, now 67%).") in b2
    b3 = text[text.index("### B3 "):text.index("## Section C")]
    assert ("- No direct comparison with the original inspection is possible (the original inspection has no "
            "score for it); the criterion scores 100% now.") in b3
    key = text[text.index("**Key findings**"):text.index("### B1 ")]
    assert "- B1 Assessment of risk of harm: 50%, rated " in key and "; performance similar to the original" in key
    assert "Least often met: B1.2 " in key
    assert "- B3 Case management: 100%, rated Outstanding; no direct comparison possible." in key
    c5 = text[text.index("### C5 "):]
    assert "- No relevant case has been answered yet: no judgement on the criterion is possible." in c5


def test_report_notes_are_quoted_in_markdown_and_html(run, db):
    text = run("report", "--db", db)[1]
    b2 = text[text.index("### B2 "):text.index("### B3 ")]
    assert "*From the reviewers' notes for the report:*\n\n> “The OASys was thorough”\n" in b2
    assert "- The OASys was thorough" not in text
    html = run("report", "--db", db, "--format", "html")[1]
    assert '<blockquote class="report-note">“The OASys was thorough”</blockquote>' in html
    assert '<p class="provisional"><strong>PROVISIONAL:</strong> 0 of 3 sampled cases complete;' in html
    assert "<strong>Reviewers:</strong> ann and bob" in html
    assert "<h3>Key findings</h3>" in html and '<li class="closing">We assessed the area as' in html
    assert "<h1>Effective Supervision Inspection: follow-up: Hampshire</h1>" in html


def test_report_ci_marks_borderline_ratings_as_tally_ci_does(run, db):
    _, tally, _ = run("tally", "--ci", "--format", "csv", "--db", db)
    rows = {line.split(",")[0].split()[0]: line.split(",")[-1] for line in tally.splitlines()[1:]}
    assert any("(borderline)" in rating for rating in rows.values())
    text = run("report", "--ci", "--db", db)[1]
    html = run("report", "--ci", "--format", "html", "--db", db)[1]
    for code, rating in rows.items():
        if rating == "–":
            continue
        section = text[text.index(f"### {code} "):]
        assert section.split("| Score |", 1)[1].split("\n", 1)[0].split(" | ")[3] == rating
        assert f"<td>{rating}</td>" in html
