"""Drawing the case sample: a stratified random sample of a caseload, reproducible from its seed.

Allocation is proportional with the largest remainder rule (Hamilton's method): each stratum's
quota is its share of the sample (exact fractions); it gets the whole part, and the cases left
over go one each to the largest remainders, ties to the larger stratum, then to the first in
order of its values. A minimum per stratum comes first: with --size the other strata share
what is left in proportion; with --share a stratum below the minimum is raised to it.

Within each stratum the cases taken are those whose key SHA-256(seed, reference) is smallest: a
simple random sample without replacement that anyone can recompute, the same on any machine and
whatever the order of the caseload's rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from esi_tui.core.parsing import InputError
from esi_tui.core.questionnaire import Questionnaire

Key = tuple[str, ...]


@dataclass(frozen=True)
class Caseload:
    """A caseload file as read: the header (`reference` + attribute names) and each row's cells."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def references(self) -> list[str]:
        """Each row's case reference."""
        return [row[0] for row in self.rows]


def read_caseload(text: str, name: str) -> Caseload:
    """Rows of a caseload CSV in the `import-cases` format; every bad row is reported (InputError)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except StopIteration:
        raise InputError([f"{name}: the file is empty; the first row must name the columns"]) from None
    except csv.Error as exc:
        raise InputError([f"{name}:1: not CSV: {exc}"]) from None
    if not header or header[0] != "reference":
        raise InputError([f"{name}:1: the first column must be 'reference', not {header[0] if header else ''!r}"])
    for column, count in Counter(header).items():
        if count > 1:
            raise InputError([f"{name}:1: the column {column!r} appears {count} times"])
    problems: list[str] = []
    rows: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(f"{name}:{line}: {len(row)} cells, but the header has {len(header)}")
                continue
            cells = tuple(cell.strip() for cell in row)
            if not cells[0]:
                problems.append(f"{name}:{line}: the reference is empty")
            elif cells[0] in seen:
                problems.append(f"{name}:{line}: case {cells[0]} already appears on line {seen[cells[0]]}")
            else:
                seen[cells[0]] = line
                rows.append(cells)
    except csv.Error as exc:
        problems.append(f"{name}:{reader.line_num}: not CSV: {exc}")
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError([f"{name}: holds no case, only the header"])
    return Caseload(name, header, tuple(rows))


def _shown(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def strata_of(caseload: Caseload, strata: list[str], questionnaire: Questionnaire | None = None) -> list[Key]:
    """Each row's stratum: its values of the `strata` columns (checked against the questionnaire when given)."""
    columns = caseload.header[1:]
    for name in strata:
        if name not in columns:
            known = ", ".join(columns) or "none"
            raise InputError([f"{caseload.name}:1: no column {name!r} to stratify by (columns: {known})"])
    if len(set(strata)) != len(strata):
        raise InputError([f"{caseload.name}: a stratum attribute is named twice in {','.join(strata)}"])
    index = [caseload.header.index(name) for name in strata]
    if questionnaire is None:
        return [tuple(row[i] for i in index) for row in caseload.rows]
    for name in strata:
        if name not in questionnaire.attributes:
            raise InputError([f"{caseload.name}:1: {name!r} is not an attribute of {questionnaire.id}"])
    attributes = [questionnaire.attributes[name] for name in strata]
    keys = []
    for row in caseload.rows:
        try:
            # the values as the questionnaire reads them, so that 'yes' and 'true' are one stratum
            keys.append(tuple(_shown(attribute.parse(row[i])) for attribute, i in zip(attributes, index, strict=True)))
        except ValueError as exc:
            raise InputError([f"{caseload.name}: case {row[0]}: {exc}"]) from None
    return keys


def label(strata: list[str], key: Key) -> str:
    """'risk_of_harm=high,sentence=licence', or 'all cases' without strata."""
    return ",".join(f"{name}={value or '(empty)'}" for name, value in zip(strata, key, strict=True)) or "all cases"


def largest_remainder(quotas: dict[Key, Fraction], total: int, sizes: dict[Key, int]) -> dict[Key, int]:
    """Whole numbers summing to `total`, each the floor or ceiling of its quota (Hamilton's method)."""
    taken = {key: math.floor(quota) for key, quota in quotas.items()}
    left = total - sum(taken.values())
    order = sorted(quotas, key=lambda key: (-(quotas[key] - taken[key]), -sizes[key], key))
    for key in order[:left]:
        taken[key] += 1
    return taken


def too_small(sizes: dict[Key, int], minimum: int, strata: list[str], name: str) -> None:
    """One clear message when a stratum holds fewer cases than the minimum asked for."""
    small = sorted((key for key, size in sizes.items() if size < minimum), key=lambda k: (sizes[k], k))
    if small:
        listed = ", ".join(f"{label(strata, key)} ({sizes[key]})" for key in small)
        count = "1 stratum has" if len(small) == 1 else f"{len(small)} strata have"
        raise InputError([(f"{name}: {count} fewer cases than --min {minimum}: {listed}; lower --min, "
                          "or stratify by fewer attributes")])


def allocate_size(sizes: dict[Key, int], size: int, minimum: int = 0) -> dict[Key, int]:
    """`size` cases in proportion to the strata, each at least `minimum` (checked by `too_small` first)."""
    population = sum(sizes.values())
    if not 1 <= size <= population:
        raise ValueError(f"the sample size must be from 1 to {population}, not {size}")
    if minimum * len(sizes) > size:
        raise ValueError(f"--size {size} cannot give {len(sizes)} strata at least {minimum} cases each "
                         f"(that needs {minimum * len(sizes)})")
    fixed: dict[Key, int] = {}
    free = dict(sizes)
    while free:
        remaining = size - sum(fixed.values())
        pool = sum(free.values())
        quotas = {key: Fraction(remaining * n, pool) for key, n in free.items()}
        low = [key for key, quota in quotas.items() if quota < minimum]
        full = [key for key, quota in quotas.items() if quota > free[key]]
        if not low and not full:
            return {**fixed, **largest_remainder(quotas, remaining, sizes)}
        for key in low:
            fixed[key] = minimum
            del free[key]
        for key in full:
            if key in free:
                fixed[key] = free.pop(key)
    return fixed


def allocate_share(sizes: dict[Key, int], share: Fraction, minimum: int = 0) -> dict[Key, int]:
    """`share` of each stratum, rounded so that the sample is ceil(share x caseload), each at least `minimum`."""
    if not 0 < share <= 1:
        raise ValueError(f"the share must be more than 0 and at most 1, not {share}")
    quotas = {key: share * n for key, n in sizes.items()}
    taken = largest_remainder(quotas, math.ceil(sum(quotas.values())), sizes)
    return {key: min(sizes[key], max(minimum, take)) for key, take in taken.items()}


def rank(seed: int, reference: str) -> bytes:
    """A case's place in the draw: SHA-256 of the seed and its reference."""
    return hashlib.sha256(f"{seed}\x1f{reference}".encode()).digest()


def draw(caseload: Caseload, keys: list[Key], allocation: dict[Key, int], seed: int) -> list[int]:
    """Row numbers of the sample, in caseload order: in each stratum the cases of smallest rank."""
    members: dict[Key, list[int]] = {}
    for i, key in enumerate(keys):
        members.setdefault(key, []).append(i)
    chosen: list[int] = []
    for key, rows in members.items():
        rows.sort(key=lambda i: rank(seed, caseload.rows[i][0]))
        chosen += rows[:allocation.get(key, 0)]
    return sorted(chosen)


def sample_csv(caseload: Caseload, chosen: list[int]) -> str:
    """The sample as a CSV `import-cases` reads: the caseload's header and chosen rows, as they were."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(caseload.header)
    writer.writerows(caseload.rows[i] for i in chosen)
    return out.getvalue()


@dataclass(frozen=True)
class Sample:
    """A drawn sample and how it was drawn."""

    caseload: Caseload
    strata: list[str]
    keys: list[Key]
    sizes: dict[Key, int]
    quotas: dict[Key, Fraction]
    allocation: dict[Key, int]
    chosen: list[int]
    seed: int
    minimum: int

    @property
    def size(self) -> int:
        """Cases in the sample."""
        return len(self.chosen)


def draw_sample(caseload: Caseload, strata: list[str], seed: int, size: int | None = None,
                share: Fraction | None = None, minimum: int = 0,
                questionnaire: Questionnaire | None = None) -> Sample:
    """Stratify, allocate (by `size` or `share`) and draw; bad requests raise InputError with one line."""
    keys = strata_of(caseload, strata, questionnaire)
    sizes = dict(sorted(Counter(keys).items()))
    if minimum < 0:
        raise InputError([f"--min must be 0 or more, not {minimum}"])
    too_small(sizes, minimum, strata, caseload.name)
    try:
        if size is not None:
            if size > len(caseload.rows):
                raise ValueError(f"--size {size} is more than its {len(caseload.rows)} cases")
            if size < 1:
                raise ValueError(f"--size must be at least 1, not {size}")
            allocation = allocate_size(sizes, size, minimum)
            quotas = {key: Fraction(size * n, len(caseload.rows)) for key, n in sizes.items()}
        elif share is not None:
            allocation = allocate_share(sizes, share, minimum)
            quotas = {key: share * n for key, n in sizes.items()}
        else:
            raise ValueError("give --size or --share")
    except ValueError as exc:
        raise InputError([f"{caseload.name}: {exc}"]) from None
    chosen = draw(caseload, keys, allocation, seed)
    return Sample(caseload, strata, keys, sizes, quotas, allocation, chosen, seed, minimum)


def _row(name: str, whole: int, whole_total: int, part: int, part_total: int, extra: str = "") -> tuple:
    return (name, str(whole), f"{100 * whole / whole_total:.1f}%", str(part), f"{100 * part / part_total:.1f}%",
            extra)


def _columns(rows: list[tuple]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
            .rstrip() for row in rows]


def makeup(sample: Sample) -> list[str]:
    """The sample's make-up against the caseload's: per stratum, then each other attribute's values."""
    caseload, n, total = sample.caseload, len(sample.caseload.rows), sample.size
    rows: list[tuple] = [("stratum", "caseload", "", "sample", "", "quota")]
    drawn = Counter(sample.keys[i] for i in sample.chosen)
    for key, size in sample.sizes.items():
        rows.append(_row(label(sample.strata, key), size, n, drawn[key], total, f"{float(sample.quotas[key]):.2f}"))
    rows.append(_row("total", n, n, total, total, f"{float(sum(sample.quotas.values())):.2f}"))
    lines = _columns(rows)
    others = [i for i, column in enumerate(caseload.header) if i and column not in sample.strata]
    marginal: list[tuple] = []
    for i in others:
        values = Counter(row[i] for row in caseload.rows)
        if len(values) > 12:
            continue
        chosen = Counter(caseload.rows[j][i] for j in sample.chosen)
        for value in sorted(values):
            marginal.append(_row(f"{caseload.header[i]}={value or '(empty)'}", values[value], n,
                                 chosen[value], total))
    if marginal:
        lines += ["", "other attributes (not stratified):"]
        lines += _columns([("value", "caseload", "", "sample", "", ""), *marginal])
    return lines
