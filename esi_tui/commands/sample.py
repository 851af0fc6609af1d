"""`esi-tui sample`: draw a stratified random sample from a caseload, or say how many cases a margin needs."""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from fractions import Fraction
from pathlib import Path

from esi_tui.commands.errors import UsageError
from esi_tui.core.parsing import InputError, parse_cases_csv
from esi_tui.core.sampling import draw_sample, makeup, read_caseload, sample_csv
from esi_tui.core.stats import margin_of_error, sample_size

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$")
FORMULA = "normal approximation, p = 0.5, finite population correction"


def _whole(text: str | None, option: str, least: int) -> int | None:
    if text is None:
        return None
    if not re.fullmatch(r"\s*[+-]?\d+\s*", text):
        raise UsageError(f"{option} must be a whole number, not {text!r}")
    value = int(text)
    if value < least:
        raise UsageError(f"{option} must be at least {least}, not {value}")
    return value


def parse_share(text: str) -> Fraction:
    """'0.2' or '20%' as an exact fraction of the caseload."""
    match = _NUMBER.match(text)
    if not match:
        raise UsageError(f"--share must be a fraction such as 0.2 or a percentage such as 20%, not {text!r}")
    value = Fraction(match.group(1)) / (100 if match.group(2) else 1)
    if not match.group(2) and value > 1:
        raise UsageError(f"--share {text} is more than the whole caseload: write 0.2 or 20%")
    if not 0 < value <= 1:
        raise UsageError(f"--share must be more than 0 and at most 100%, not {text!r}")
    return value


def parse_percent(text: str, option: str, low: float, high: float, inclusive: bool) -> float:
    """A percentage ('80', '80%') strictly above `low` and up to `high`."""
    match = _NUMBER.match(text)
    value = float(match.group(1)) if match else None
    if value is None or not (low < value < high or (inclusive and value == high)):
        upto = f"at most {high:g}" if inclusive else f"below {high:g}"
        raise UsageError(f"{option} must be a percentage above {low:g} and {upto}, not {text!r}")
    return value


def _questionnaire(args: argparse.Namespace):
    if not args.questionnaire:
        return None
    from esi_tui.store.catalog import find_questionnaire

    return find_questionnaire(args.questionnaire, None)


def sample(args: argparse.Namespace) -> int:
    """Draw the sample (or print the size a margin needs)."""
    chosen = [name for name in ("size", "share", "margin") if getattr(args, name) is not None]
    if not chosen:
        raise UsageError("sample: give --size N, --share P or --margin POINTS")
    if len(chosen) > 1:
        given = " and ".join("--" + c for c in chosen)
        raise UsageError(f"sample: give one of --size, --share and --margin, not {given}")
    confidence = parse_percent(args.confidence, "--confidence", 0, 100, inclusive=False)
    margin = parse_percent(args.margin, "--margin", 0, 50, inclusive=True) if args.margin is not None else None
    population = _whole(args.population, "--population", 1)
    if args.caseload is None:
        if margin is None:
            raise UsageError(f"sample: name the caseload CSV to draw --{chosen[0]} from")
        needed = sample_size(margin, confidence, population)
        of = f" of {population}" if population else ""
        print(f"{needed} cases{of} for ±{margin:g} points at {confidence:g}% confidence ({FORMULA}"
              f"{'' if population else ' left out: no --population'})")
        return 0
    if population is not None:
        raise UsageError("sample: the caseload gives the population; leave out --population")
    size, share = _whole(args.size, "--size", 1), parse_share(args.share) if args.share is not None else None
    minimum = _whole(args.min, "--min", 0) or 0
    seed = _whole(args.seed, "--seed", 0)
    strata = [s.strip() for s in (args.strata or "").split(",") if s.strip()]
    path: Path = args.caseload
    from esi_tui.store.location import resolved_file

    if args.output and resolved_file(args.output) == resolved_file(path):
        raise UsageError(f"{args.output}: is the caseload itself; write the sample to another file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([f"{path}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{path}: not UTF-8 text"]) from None
    caseload = read_caseload(text, str(path))
    questionnaire = _questionnaire(args)
    if questionnaire is not None:
        parse_cases_csv(text, str(path), questionnaire)  # what import-cases would refuse, refused now
    if margin is not None:
        size = sample_size(margin, confidence, len(caseload.rows))
    fresh = seed is None
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    drawn = draw_sample(caseload, strata, seed, size=size, share=share, minimum=minimum, questionnaire=questionnaire)
    output = sample_csv(caseload, drawn.chosen)
    report = sys.stderr if args.output is None else sys.stdout
    how = (f"--size {size}" if args.size is not None else f"--share {args.share}" if share is not None
           else f"±{margin:g} points at {confidence:g}% confidence: {size} cases")
    n = len(caseload.rows)
    print(f"{path}: {drawn.size} of {n} cases ({100 * drawn.size / n:.1f}%) by {how}; "
          f"strata: {', '.join(strata) or 'none'}; minimum {minimum}; seed {seed}"
          + (f" (drawn afresh: give --seed {seed} to draw this sample again)" if fresh else ""), file=report)
    for line in makeup(drawn):
        print(line, file=report)
    error = margin_of_error(drawn.size, confidence, n)
    print(f"A percentage of all {drawn.size} cases is within ±{error:.1f} points at {confidence:g}% confidence "
          f"({FORMULA}); a stratum's, of fewer cases, is less sure.", file=report)
    if args.output is None:
        sys.stdout.write(output)
        return 0
    from esi_tui.store.outputs import write_file

    write_file(args.output, output.encode("utf-8"))
    print(f"wrote {args.output} ({drawn.size} cases; import with `esi-tui import-cases {args.output}`)", file=report)
    return 0
