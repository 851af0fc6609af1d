"""`esi-tui report`: Markdown or self-contained HTML in the shape of the published report."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import choose_inspection, open_repository, write_output
from esi_tui.core.report import build_report, render_markdown
from esi_tui.core.report_html import render_html


def report(args: argparse.Namespace) -> int:
    """Write the report to stdout or to -o FILE (created readable by its owner only)."""
    with open_repository(args, readonly=True) as repo:
        inspection_id = choose_inspection(repo, args)
        built = build_report(repo.inspection(inspection_id), repo.questionnaire(inspection_id),
                             repo.tally(inspection_id), repo.answers(inspection_id),
                             len(repo.cases(inspection_id)), show_intervals=args.ci, redact=args.redact)
    text = render_html(built) if args.format == "html" else render_markdown(built)
    write_output(args.output, text)
    return 0
