"""Drawing the case sample: reproducible from its seed, proportional allocation (every stratum within
one case of its share), minimums, a stratum smaller than its minimum, a round trip through
import-cases, the size a margin needs, and bad input on the command line."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esi_tui import cli
from esi_tui.core.parsing import InputError
from esi_tui.core.sampling import (
    allocate_share,
    allocate_size,
    draw_sample,
    rank,
    read_caseload,
    sample_csv,
)
from esi_tui.store.repository import Repository

RISKS = ("low", "medium", "high", "very_high")


def caseload_text(count: int, seed: int = 1, weights=(50, 30, 15, 5)) -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "risk_of_harm", "sentence", "child_protection"])
    for i in range(count):
        writer.writerow([f"R{i:05d}", rng.choices(RISKS, weights)[0],
                         rng.choice(["community_order", "licence"]), "true" if rng.random() < 0.2 else "false"])
    return out.getvalue()


@pytest.fixture
def run(capsys):
    def runner(*argv) -> tuple[int, str, str]:
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return runner


@pytest.fixture
def caseload(tmp_path) -> Path:
    path = tmp_path / "caseload.csv"
    path.write_text(caseload_text(2000), encoding="utf-8")
    return path


# -- allocation --------------------------------------------------------------------------------------

sizes_strategy = st.dictionaries(st.tuples(st.sampled_from("abcdefgh")), st.integers(1, 400), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(sizes_strategy, st.data())
def test_proportional_allocation_is_within_one_case_of_each_share(sizes, data):
    population = sum(sizes.values())
    size = data.draw(st.integers(1, population))
    taken = allocate_size(sizes, size)
    assert sum(taken.values()) == size
    for key, n in sizes.items():
        share = Fraction(size * n, population)
        assert abs(taken[key] - share) < 1          # the floor or the ceiling of its share
        assert 0 <= taken[key] <= n


@settings(max_examples=300, deadline=None)
@given(sizes_strategy, st.integers(1, 100))
def test_a_share_of_each_stratum_is_within_one_case_and_the_total_is_rounded_up(sizes, percent):
    share = Fraction(percent, 100)
    taken = allocate_share(sizes, share)
    assert sum(taken.values()) == -(-sum(sizes.values()) * percent // 100)      # ceil(P x N)
    for key, n in sizes.items():
        assert abs(taken[key] - share * n) < 1


def test_largest_remainders_get_the_cases_left_and_ties_go_to_the_larger_stratum():
    # 10 of 30: quotas 3.33, 3.33, 3.33 -> 3 each and one left; a tie: the first in order of values
    assert allocate_size({("a",): 10, ("b",): 10, ("c",): 10}, 10) == {("a",): 4, ("b",): 3, ("c",): 3}
    # 7 of 20 over 12, 5, 3: quotas 4.2, 1.75, 1.05 -> 4, 1, 1 and one left: to b (remainder .75)
    assert allocate_size({("a",): 12, ("b",): 5, ("c",): 3}, 7) == {("a",): 4, ("b",): 2, ("c",): 1}
    # 3 of 8 over 6 and 2: quotas 2.25 and .75 -> 2 and 0, the case left to b (remainder .75)
    assert allocate_size({("a",): 6, ("b",): 2}, 3) == {("a",): 2, ("b",): 1}
    # equal remainders, unequal strata: 5 of 20 over 14 and 6: quotas 3.5 and 1.5 -> the larger, a
    assert allocate_size({("a",): 6, ("b",): 14}, 5) == {("a",): 1, ("b",): 4}


def test_a_minimum_per_stratum():
    sizes = {("high",): 150, ("low",): 500, ("medium",): 300, ("very_high",): 50}
    # 100 of 1000 in proportion would give very_high 5; at least 20: the others share the other 80
    taken = allocate_size(sizes, 100, minimum=20)
    assert taken[("very_high",)] == 20 and sum(taken.values()) == 100
    # 80 over 950 cases: high 12.6, low 42.1, medium 25.3, so high's 12.6 < 20 is raised too
    assert taken[("high",)] == 20
    assert taken[("low",)] + taken[("medium",)] == 60
    assert abs(taken[("low",)] - Fraction(60 * 500, 800)) < 1
    # with a share, strata under the minimum are raised to it and the sample grows
    shared = allocate_share(sizes, Fraction(1, 10), minimum=20)
    assert shared == {("high",): 20, ("low",): 50, ("medium",): 30, ("very_high",): 20}
    with pytest.raises(ValueError, match="cannot give 4 strata at least 30 cases each"):
        allocate_size(sizes, 100, minimum=30)


# -- the draw ------------------------------------------------------------------------------------------


def test_the_draw_is_reproducible_and_does_not_depend_on_row_order():
    text = caseload_text(3000)
    caseload = read_caseload(text, "c.csv")
    first = draw_sample(caseload, ["risk_of_harm"], seed=42, size=120)
    again = draw_sample(read_caseload(text, "c.csv"), ["risk_of_harm"], seed=42, size=120)
    assert sample_csv(caseload, first.chosen) == sample_csv(caseload, again.chosen)
    other = draw_sample(caseload, ["risk_of_harm"], seed=43, size=120)
    assert set(first.chosen) != set(other.chosen)
    lines = text.splitlines()
    shuffled = [lines[0], *random.Random(5).sample(lines[1:], len(lines) - 1)]
    reordered = read_caseload("\n".join(shuffled) + "\n", "c.csv")
    picked = draw_sample(reordered, ["risk_of_harm"], seed=42, size=120)
    assert ({reordered.rows[i][0] for i in picked.chosen} == {caseload.rows[i][0] for i in first.chosen})
    # the rank is the published rule: SHA-256 of the seed and the reference
    assert rank(42, "R00001").hex() == hashlib.sha256(b"42\x1fR00001").hexdigest()


def test_each_stratum_gives_its_allocation_and_the_sample_keeps_the_caseloads_order():
    caseload = read_caseload(caseload_text(1000), "c.csv")
    drawn = draw_sample(caseload, ["risk_of_harm", "child_protection"], seed=9, size=90, minimum=2)
    got = Counter(drawn.keys[i] for i in drawn.chosen)
    assert got == Counter({key: take for key, take in drawn.allocation.items() if take})
    assert drawn.chosen == sorted(drawn.chosen) and len(set(drawn.chosen)) == 90
    assert all(take >= 2 for take in drawn.allocation.values())


def test_a_stratum_smaller_than_its_minimum_is_one_clear_message():
    text = caseload_text(200, weights=(80, 15, 4, 1))
    caseload = read_caseload(text, "c.csv")
    with pytest.raises(InputError) as info:
        draw_sample(caseload, ["risk_of_harm"], seed=1, share=Fraction(1, 5), minimum=20)
    assert len(info.value.problems) == 1
    message = info.value.problems[0]
    counts = Counter(row[1] for row in caseload.rows)
    small = sorted((r for r in RISKS if counts[r] < 20), key=lambda r: (counts[r], r))
    assert message.startswith(f"c.csv: {len(small)} strata have fewer cases than --min 20: ")
    for risk in small:
        assert f"risk_of_harm={risk} ({counts[risk]})" in message


def test_thousands_of_rows_are_fast():
    text = caseload_text(20000)
    started = time.perf_counter()
    caseload = read_caseload(text, "c.csv")
    drawn = draw_sample(caseload, ["risk_of_harm", "sentence"], seed=3, share=Fraction(1, 5), minimum=20)
    sample_csv(caseload, drawn.chosen)
    assert time.perf_counter() - started < 2.0
    assert drawn.size == 4000


# -- the command line ----------------------------------------------------------------------------------


def test_the_same_inputs_give_the_same_file_byte_for_byte(run, caseload, tmp_path):
    args = ("sample", caseload, "--share", "20%", "--min", "20", "--strata", "risk_of_harm", "--seed", "2026")
    status, out, err = run(*args, "-o", tmp_path / "a.csv")
    assert status == 0 and err == ""
    assert run(*args, "-o", tmp_path / "b.csv")[0] == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o600
    assert "seed 2026" in out and "stratum" in out and "risk_of_harm=very_high" in out
    # the make-up: every stratum's caseload and sample counts
    counts = Counter(line.split(",")[1] for line in caseload.read_text().splitlines()[1:])
    drawn = Counter(line.split(",")[1] for line in (tmp_path / "a.csv").read_text().splitlines()[1:])
    for risk in RISKS:
        line = next(row for row in out.splitlines() if row.startswith(f"risk_of_harm={risk} "))
        assert line.split()[1] == str(counts[risk]) and line.split()[3] == str(drawn[risk])
    # to stdout without -o: the CSV alone on stdout, the make-up on stderr
    status, out, err = run(*args)
    assert out.encode() == (tmp_path / "a.csv").read_bytes() and "seed 2026" in err


def test_without_a_seed_one_is_drawn_printed_and_reproduces_the_sample(run, caseload, tmp_path):
    status, out, _err = run("sample", caseload, "--size", "50", "-o", tmp_path / "a.csv")
    assert status == 0
    seed = out.split("give --seed ")[1].split()[0]
    assert run("sample", caseload, "--size", "50", "--seed", seed, "-o", tmp_path / "b.csv")[0] == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_the_sample_imports_with_import_cases(run, caseload, tmp_path):
    db = tmp_path / "lead.json"
    assert run("new", "-q", "esi-2005-followup", "--area", "Testshire", "--id", "t1", "--db", db)[0] == 0
    sample = tmp_path / "sample.csv"
    status, _, err = run("sample", caseload, "--size", "60", "--strata", "risk_of_harm,child_protection",
                         "--seed", "8", "-q", "esi-2005-followup", "-o", sample)
    assert status == 0, err
    status, out, err = run("import-cases", sample, "--db", db)
    assert status == 0, err
    assert "60 cases added" in out
    rows = list(csv.DictReader(io.StringIO(sample.read_text())))
    with Repository.open(db, readonly=True) as repo:
        cases = {case.reference: case.attributes for case in repo.cases("t1")}
    assert set(cases) == {row["reference"] for row in rows}
    for row in rows:
        assert cases[row["reference"]]["risk_of_harm"] == row["risk_of_harm"]
        assert cases[row["reference"]]["child_protection"] == (row["child_protection"] == "true")


def test_the_size_a_margin_needs(run, caseload, tmp_path):
    status, out, err = run("sample", "--margin", "10", "--confidence", "80", "--population", "412")
    assert status == 0 and err == ""
    assert out.startswith("38 cases of 412 for ±10 points at 80% confidence")
    assert "finite population correction" in out
    status, out, _ = run("sample", "--margin", "5")
    assert out.startswith("385 cases for ±5 points at 95% confidence")
    # with a caseload, the size for the margin is drawn: 2000 cases, ±10 at 95% -> 92
    status, out, _ = run("sample", caseload, "--margin", "10", "--seed", "1", "-o", tmp_path / "m.csv")
    assert status == 0 and "92 of 2000 cases" in out
    assert len((tmp_path / "m.csv").read_text().splitlines()) == 93


@pytest.mark.parametrize("args, message", [
    (("--size", "abc"), "--size must be a whole number, not 'abc'"),
    (("--size", "0"), "--size must be at least 1, not 0"),
    (("--size", "3000"), "--size 3000 is more than its 2000 cases"),
    (("--share", "0"), "--share must be more than 0 and at most 100%, not '0'"),
    (("--share", "20"), "--share 20 is more than the whole caseload: write 0.2 or 20%"),
    (("--share", "150%"), "--share must be more than 0 and at most 100%"),
    (("--share", "a fifth"), "--share must be a fraction such as 0.2"),
    (("--size", "10", "--share", "0.2"), "give one of --size, --share and --margin"),
    ((), "give --size N, --share P or --margin POINTS"),
    (("--size", "10", "--seed", "x"), "--seed must be a whole number"),
    (("--size", "10", "--strata", "risk"), "no column 'risk' to stratify by"),
    (("--size", "10", "--min", "-1"), "--min must be at least 0"),
    (("--size", "10", "--strata", "risk_of_harm", "--min", "5"), "cannot give 4 strata at least 5 cases each"),
    (("--size", "10", "--population", "30"), "the caseload gives the population"),
    (("--margin", "0"), "--margin must be a percentage above 0 and at most 50"),
    (("--margin", "10", "--confidence", "100"), "--confidence must be a percentage above 0 and below 100"),
    (("--size", "10", "-q", "no-such-questionnaire"), "no such questionnaire"),
])
def test_bad_arguments_are_one_line_and_write_nothing(run, caseload, tmp_path, args, message):
    status, out, err = run("sample", caseload, *args, "-o", tmp_path / "out.csv")
    assert status == 1 and out == ""
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("ref,risk_of_harm\nA,low\n", "c.csv:1: the first column must be 'reference', not 'ref'"),
    ("reference,risk_of_harm\nA,low\nA,high\n", "c.csv:3: case A already appears on line 2"),
    ("reference,risk_of_harm\nA,low,extra\n", "c.csv:2: 3 cells, but the header has 2"),
    ("reference,risk_of_harm\n", "c.csv: holds no case, only the header"),
    ("reference,risk_of_harm,risk_of_harm\nA,low,low\n", "the column 'risk_of_harm' appears 2 times"),
])
def test_a_bad_caseload_is_named_with_its_line(run, tmp_path, text, message):
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    status, out, err = run("sample", path, "--size", "1", "-o", tmp_path / "out.csv")
    assert status == 1 and out == "" and message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_a_questionnaire_checks_values_as_import_cases_would(run, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("reference,risk_of_harm\nA,low\nB,hgih\nC,high\n", encoding="utf-8")
    status, out, err = run("sample", path, "--size", "2", "--strata", "risk_of_harm", "-q", "esi-2005-followup",
                           "-o", tmp_path / "out.csv")
    assert status == 1 and "c.csv:3: case B: risk_of_harm must be one of low, medium, high, very_high" in err
    assert len(err.splitlines()) == 1 and not (tmp_path / "out.csv").exists()
    # without the questionnaire the typo is a stratum of its own: the reason to give -q
    status, out, err = run("sample", path, "--size", "3", "--strata", "risk_of_harm", "--seed", "1",
                           "-o", tmp_path / "out.csv")
    assert status == 0 and "risk_of_harm=hgih" in out


def test_missing_caseload_and_writing_over_it(run, caseload, tmp_path):
    status, _, err = run("sample", tmp_path / "none.csv", "--size", "1")
    assert status == 1 and "none.csv: cannot read" in err and len(err.splitlines()) == 1
    before = caseload.read_bytes()
    status, _, err = run("sample", caseload, "--size", "1", "-o", caseload)
    assert status == 1 and "is the caseload itself" in err
    assert caseload.read_bytes() == before
