"""`esi-tui export`: the answer log (and team records) as a replay script, CSV for spreadsheets, or JSON."""

from __future__ import annotations

import argparse
import json

from esi_tui.commands.common import choose_inspection, open_repository, write_output
from esi_tui.core.export import TeamRecords, csv_text, json_document, script_lines


def export(args: argparse.Namespace) -> int:
    """Write the export to stdout or to -o FILE (created readable by its owner only)."""
    with open_repository(args, readonly=True) as repo:
        if args.format == "jsonl" and not getattr(args, "inspection", None):
            inspections = [i.id for i in repo.inspections()]
        else:
            inspections = [choose_inspection(repo, args)]
        parts = []
        for inspection_id in inspections:
            inspection = repo.inspection(inspection_id)
            questionnaire = repo.questionnaire(inspection_id)
            cases = repo.cases(inspection_id)
            answers = repo.answers(inspection_id)
            if args.format == "jsonl":
                team = TeamRecords(repo.settings(inspection_id), repo.moderations(inspection_id),
                                   repo.history(inspection_id), repo.case_notes(inspection_id),
                                   {c.reference: repo.completion(inspection_id, c.reference) for c in cases})
                parts += script_lines(inspection, questionnaire, cases, answers, redact=args.redact, team=team)
            elif args.format == "csv":
                parts.append(csv_text(inspection, questionnaire, cases, answers, repo.tally(inspection_id),
                                      redact=args.redact).rstrip("\n"))
            else:
                document = json_document(inspection, questionnaire, cases, answers, repo.tally(inspection_id),
                                         redact=args.redact)
                parts.append(json.dumps(document, ensure_ascii=False, indent=2))
    text = "\n".join(parts) + "\n"
    write_output(args.output, text)
    return 0
