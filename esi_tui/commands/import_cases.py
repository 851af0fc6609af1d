"""`esi-tui import-cases CSV`: add or update a sample's cases; nothing is imported if a row is bad."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.core.parsing import (
    InputError,
    parse_cases_csv,
)


def import_cases(args: argparse.Namespace) -> int:
    """Add or update cases from a CSV; nothing is imported if any row is bad."""
    try:
        text = args.csv.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([f"{args.csv}: cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{args.csv}: not UTF-8 text"]) from None
    with open_repository(args) as repo:
        inspection_id = choose_inspection(repo, args)
        rows = parse_cases_csv(text, str(args.csv), repo.questionnaire(inspection_id))
        added = sum(not repo.has_case(inspection_id, ref) for ref, _ in rows)
        for reference, attributes in rows:
            repo.save_case(inspection_id, reference, attributes)
    print(f"{args.csv}: {added} cases added, {len(rows) - added} updated in {inspection_id}")
    return 0
