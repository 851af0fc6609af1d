"""`esi-tui import-cases CSV`: add or update a sample's cases; nothing is imported if a row is bad."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.commands.errors import UsageError
from esi_tui.core.parsing import (
    InputError,
    parse_cases_csv,
)
from esi_tui.core.questionnaire import Questionnaire


def columns_text(questionnaire: Questionnaire) -> str:
    """The CSV's columns and the values each accepts, from the questionnaire (for --columns and the README)."""
    lines = [f"Columns of a cases CSV for {questionnaire.id} v{questionnaire.version} (header row first; "
             "only `reference` is required, a column left out keeps the case's value or the default):",
             "", "| column | what it is | accepted values | default |", "|---|---|---|---|",
             "| `reference` | the case's reference | up to 64 characters, once per file | |"]
    for attribute in questionnaire.attributes.values():
        default = attribute.value_label(attribute.default_value())
        lines.append(f"| `{attribute.name}` | {attribute.label} | {attribute.accepted()} | {default} |")
    lines += ["", "A choice may be given as its value or as the label the app shows (`very_high` or `very high`)."]
    return "\n".join(lines) + "\n"


def import_cases(args: argparse.Namespace) -> int:
    """Add or update cases from a CSV; nothing is imported if any row is bad."""
    if args.columns:
        with open_repository(args, readonly=True) as repo:
            print(columns_text(repo.questionnaire(choose_inspection(repo, args))), end="")
        return 0
    if args.csv is None:
        raise UsageError("import-cases: name the CSV file (or give --columns to see what it may hold)")
    try:
        text = args.csv.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([f"{args.csv}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{args.csv}: not UTF-8 text"]) from None
    added = updated = 0
    with open_repository(args) as repo:
        inspection_id = choose_inspection(repo, args)
        rows = parse_cases_csv(text, str(args.csv), repo.questionnaire(inspection_id))
        for reference, attributes in rows:
            if not repo.has_case(inspection_id, reference):
                added += 1
            elif all(repo.case(inspection_id, reference).attributes.get(k) == v for k, v in attributes.items()):
                continue  # nothing would change: not saved again, and not counted as updated
            else:
                updated += 1
            repo.save_case(inspection_id, reference, attributes)
    unchanged = len(rows) - added - updated
    print(f"{args.csv}: {added} cases added, {updated} updated, {unchanged} unchanged in {inspection_id}")
    return 0
