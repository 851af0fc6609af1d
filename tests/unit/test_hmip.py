"""The shipped questionnaire of today's method (HMIP's dynamic inspection of public protection, 2025):
adjusted questions by case attributes, ratings by the lowest key question, an overall rating from
points, answered end to end through the command line, and its demo."""

from __future__ import annotations

import json

import pytest

from esi_tui.core.tally import NOT_RELEVANT, TallyEngine
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.repository import Repository

HMIP = "hmip-public-protection-2025"
STANDARDS = ["2.1", "2.2", "2.3", "2.4"]


@pytest.fixture
def run(run, monkeypatch):
    """The shared CLI runner, with a terminal wide enough for every column side by side."""
    monkeypatch.setenv("COLUMNS", "160")
    return run


@pytest.fixture
def hmip():
    return find_questionnaire(HMIP)


def test_its_shape_follows_the_published_method(hmip):
    assert [c.code for c in hmip.criteria] == STANDARDS
    assert [c.title for c in hmip.criteria] == ["Assessment", "Planning", "Implementation and delivery", "Reviewing"]
    assert (hmip.rating.criterion_rule, hmip.rating.rounding) == ("lowest_question", "half_up")
    assert [(b.min, b.label, b.points) for b in hmip.bands] == [
        (80, "Outstanding", 3), (65, "Good", 2), (50, "Requires improvement", 1), (0, "Inadequate", 0)]
    for number, criterion in enumerate(hmip.criteria, 1):
        key, *prompts, adjusted = criterion.questions
        assert (key.id, key.scored, adjusted.id, adjusted.scored) == (f"C{number}", True, f"A{number}", True)
        assert [(p.id, p.scored, p.prompt_of) for p in prompts] == [
            (f"C{number}.{letter}", False, f"C{number}") for letter in "abc"]
        assert [p.text[:2] for p in prompts] == ["a)", "b)", "c)"]
    assert hmip.question("C1").text == "Does assessment focus sufficiently on keeping other people safe?"
    assert "From HMIP's published material" in hmip.description and "Our reading" in hmip.description


@pytest.mark.parametrize(("attributes", "adjusted"), [
    ({}, False),
    ({"post_sentence_supervision_only": True}, True),
    ({"licence_eight_weeks_or_less": True}, True),
])
def test_adjusted_questions_replace_the_core_ones_by_case_attribute(hmip, attributes, adjusted):
    engine = TallyEngine(hmip)
    engine.set_case("p", {"risk_of_serious_harm": "high", **attributes})
    states = engine.case_states("p")
    for number in range(1, 5):
        assert (states[f"A{number}"] != NOT_RELEVANT) is adjusted
        assert (states[f"C{number}"] != NOT_RELEVANT) is not adjusted
        assert (states[f"C{number}.a"] != NOT_RELEVANT) is not adjusted


def test_home_visits_are_asked_where_a_visit_is_expected(hmip):
    engine = TallyEngine(hmip)
    engine.set_case("low", {"risk_of_serious_harm": "low"})
    engine.set_case("da", {"risk_of_serious_harm": "low", "domestic_abuse": True})
    assert engine.state("low", "C3.c") == NOT_RELEVANT and engine.state("da", "C3.c") != NOT_RELEVANT


CASES = """reference,risk_of_serious_harm,post_sentence_supervision_only,licence_eight_weeks_or_less,domestic_abuse
P1,high,false,false,true
P2,medium,false,false,false
P3,high,false,false,false
P4,medium,true,false,false
"""
# the key question's answer per case, then its prompts (a, b, c); "" leaves it unanswered
KEY_ANSWERS = {
    "C1": {"P1": "yes", "P2": "yes", "P3": "no"},   # 2 of 3: 67%, Good (2 points)
    "C2": {"P1": "yes", "P2": "yes", "P3": "yes"},  # 3 of 3: Outstanding, but A2 decides
    "C3": {"P1": "yes", "P2": "no", "P3": "no"},    # 1 of 3: 33%, Inadequate (0)
    "C4": {"P1": "yes", "P2": "yes", "P3": "no"},   # 67%, Good (2)
    "A1": {"P4": "yes"}, "A2": {"P4": "no"}, "A3": {"P4": "yes"}, "A4": {"P4": "yes"},
}


def script_lines() -> list[str]:
    lines = []
    for qid, answers in KEY_ANSWERS.items():
        for case, value in answers.items():
            lines.append(json.dumps({"type": "answer", "case": case, "question": qid, "value": value,
                                     "reviewer": "ann"}))
            if qid.startswith("C"):  # prompts all met, so they would lift any score they were part of
                for letter in "abc":
                    if not (qid == "C3" and letter == "c" and case == "P2"):  # not a home-visit case
                        lines.append(json.dumps({"type": "answer", "case": case, "question": f"{qid}.{letter}",
                                                 "value": "yes", "reviewer": "ann"}))
    return lines


def test_a_few_cases_answered_end_to_end_through_the_command_line(run, tmp_path):
    db = tmp_path / "pdu.json"
    status, out, err = run("new", "-q", HMIP, "--area", "Wessex PDU", "--id", "wessex", "--db", db)
    assert status == 0, err
    (tmp_path / "cases.csv").write_text(CASES, encoding="utf-8")
    status, _, err = run("import-cases", tmp_path / "cases.csv", "--db", db)
    assert status == 0, err
    (tmp_path / "answers.jsonl").write_text("\n".join(script_lines()) + "\n", encoding="utf-8")
    status, _, err = run("replay", tmp_path / "answers.jsonl", "--db", db, "--inspection", "wessex", "--quiet")
    assert status == 0, err
    status, out, err = run("tally", "--db", db, "--json")
    assert status == 0, err
    document = json.loads(out)
    criteria = {c["code"]: c for c in document["criteria"]}
    summary = {code: (c["rating"], c["rated_by"], c["rating_basis"], c["points"]) for code, c in criteria.items()}
    assert summary == {
        "2.1": ("Good", "C1", 67, 2),                    # C1 67% below A1 100%
        "2.2": ("Inadequate", "A2", 0, 0),               # C2 100%, but the adjusted case's A2 is 0 of 1
        "2.3": ("Inadequate", "C3", 33, 0),
        "2.4": ("Good", "C4", 67, 2),
    }
    assert document["overall"] == {"points": 4, "rating": "Requires improvement"}
    # prompts are tallied X of Y but left out of the standard's score
    assert (criteria["2.3"]["positive"], criteria["2.3"]["negative"]) == (2, 2)  # C3 1 of 3 + A3 1 of 1
    prompts = {q["id"]: (q["positive"], q["scored"]) for q in criteria["2.3"]["questions"]}
    assert prompts == {"C3": (1, True), "C3.a": (3, False), "C3.b": (3, False), "C3.c": (2, False), "A3": (1, True)}
    status, out, _ = run("tally", "--db", db, "--by-question")
    assert "Inadequate (lowest C3, 33%)" in out and "Overall rating: Requires improvement (4 points)" in out
    status, out, _ = run("report", "--db", db)
    assert "**Overall rating:** Requires improvement (4 points)" in out
    assert "Rated by its lowest key question: A2, 0%." in out
    assert "\n  - a) The services delivered were sufficient to manage and minimise the risk of harm in all 3" in out


def test_demo_opens_the_questionnaire_with_fictional_cases(run, tmp_path):
    db = tmp_path / "demo.json"
    status, out, err = run("demo", "--no-open", "--db", db, "--questionnaire", HMIP)
    assert status == 0, err
    assert out.strip() == str(db)
    with Repository.open(db, readonly=True) as repo:
        (inspection,) = repo.inspections()
        assert inspection.questionnaire_id == HMIP
        cases = repo.cases(inspection.id)
        adjusted = [c for c in cases if c.attributes["post_sentence_supervision_only"]
                    or c.attributes["licence_eight_weeks_or_less"]]
        assert len(cases) == 30 and 0 < len(adjusted) < 10
        assert not any(c.attributes["post_sentence_supervision_only"] and c.attributes["licence_eight_weeks_or_less"]
                       for c in cases)
        assert repo.answers(inspection.id) and any(c.complete for c in cases)
    status, out, _ = run("tally", "--db", db, "--json")
    document = json.loads(out)
    assert all(c["rating"] for c in document["criteria"]) and document["overall"]["rating"]
    # the 2005 demo is still the default; demo never adds to a database it did not create (issue 14)
    before = db.read_bytes()
    status, _, err = run("demo", "--no-open", "--db", db)
    assert status == 1 and "already exists" in err and err.count("\n") == 1
    assert db.read_bytes() == before
    other = tmp_path / "esi-demo.json"
    status, _, err = run("demo", "--no-open", "--db", other)
    assert status == 0, err
    with Repository.open(other, readonly=True) as repo:
        assert [i.questionnaire_id for i in repo.inspections()] == ["esi-2005-followup"]


def test_demo_of_an_unknown_questionnaire_is_one_line(run, tmp_path):
    status, _, err = run("demo", "--no-open", "--db", tmp_path / "d.json", "--questionnaire", "nope")
    assert status == 1 and err.startswith("esi-tui: nope: no such questionnaire") and err.count("\n") == 1
