"""The replay script format (JSON Lines of inspections, cases, answers and team records): parse it into
steps whose fields have the right shape; what they mean is applied (or rehearsed) by the store."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from esi_tui.core.script_fields import CHECKS, FIELDS

TYPES = ("inspection", "settings", "case", "answer", "moderation", "case_note")
TYPE_NAMES = "inspection, settings, case, answer, moderation or case_note"
#: the longest line a script may hold (a note is at most 20,000 characters)
MAX_LINE = 100_000


@dataclass
class Step:
    """One record of a script, its fields checked for shape, ready to apply."""

    line: int
    type: str
    data: dict


@dataclass
class Script:
    """A parsed script: its steps and every line that could not be read, as (line, what is wrong)."""

    name: str
    steps: list[Step] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Every problem as `NAME:LINE: what is wrong`, in line order."""
        return [f"{self.name}:{line}: {problem}" for line, problem in sorted(self.problems, key=lambda p: p[0])]


def _record(line: str) -> tuple[dict | None, str | None]:
    """One line's record, or what is wrong with it."""
    stripped = line.strip()
    if len(stripped) > MAX_LINE:
        return None, f"the line is {len(stripped):,} characters long; at most {MAX_LINE:,} are allowed"
    try:
        record = json.loads(stripped)
    except json.JSONDecodeError as exc:
        column = exc.colno + len(line) - len(line.lstrip())
        return None, f"malformed JSON: {exc.msg} (column {column})"
    except ValueError:  # the only other one json raises: an integer too long to convert
        return None, "malformed JSON: a number has too many digits"
    except RecursionError:
        return None, "malformed JSON: nested too deeply"
    if not isinstance(record, dict):
        return None, "a record must be a JSON object"
    if "type" not in record:
        return None, f"a record needs a \"type\" ({TYPE_NAMES})"
    kind = record["type"]
    if kind not in TYPES:
        return None, f"unknown type {kind!r} ({TYPE_NAMES})"
    unknown = sorted(set(record) - FIELDS[kind])
    if unknown:
        return None, f"unknown field {unknown[0]!r} in a {kind} record"
    return record, None


def parse_script(text: str, name: str, inspection: str | None = None) -> Script:
    """Read a whole script; a record without `inspection` means `inspection` or the script's only one."""
    script = Script(name)
    raw: list[tuple[int, dict]] = []
    # Only "\n" ends a line: str.splitlines() would also split at U+2028, U+0085 and friends,
    # which json.dumps(ensure_ascii=False) leaves unescaped inside strings (a note, a title).
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        record, problem = _record(line)
        if problem is not None:
            script.problems.append((number, problem))
        elif record is not None:
            raw.append((number, record))
    named = {r["id"] for _, r in raw if r["type"] == "inspection" and isinstance(r.get("id"), str)}
    default = inspection or (next(iter(named)) if len(named) == 1 else None)
    for number, record in raw:
        kind = record["type"]
        data = dict(record)
        if kind != "inspection":
            if data.get("inspection", default) is not None:
                data["inspection"] = data.get("inspection", default)
            if "inspection" in data and not isinstance(data["inspection"], str):
                script.problems.append((number, "inspection must be a string"))
                continue
        problem = CHECKS[kind](data)
        if problem:
            script.problems.append((number, problem))
        else:
            script.steps.append(Step(number, kind, data))
    return script


def dump_record(record: dict) -> str:
    """One line of a replay script, with keys in a stable order."""
    order = ["type", "id", "inspection", "reference", "case", "question", "value", "reviewer", "moderator", "reason",
             "note", "at", "title", "area", "questionnaire", "baseline", "question_baseline", "not_comparable",
             "attributes", "complete", "complete_at", "completed_by", "completed_at", "reopened_at", "double_review",
             "disagreement_policy", "double_review_seed", "double_review_share"]
    ordered = {k: record[k] for k in order if k in record}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    return json.dumps(ordered, ensure_ascii=False, separators=(", ", ": "))
