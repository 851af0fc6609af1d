"""`esi-tui report`: Markdown or self-contained HTML in the shape of the published report (regional for
several inspections of one questionnaire)."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import open_repository, write_output
from esi_tui.commands.regional import inspection_ids, open_areas
from esi_tui.core.report import build_report, render_markdown
from esi_tui.core.report_html import render_html
from esi_tui.core.report_regional import AreaInput, build_regional_report


def report(args: argparse.Namespace) -> int:
    """Write the report to stdout or to -o FILE (created readable by its owner only)."""
    with open_repository(args, readonly=True) as repo:
        ids = inspection_ids(repo, args)
        if len(ids) == 1:
            inspection_id = ids[0]
            built = build_report(repo.inspection(inspection_id), repo.questionnaire(inspection_id),
                                 repo.tally(inspection_id), repo.answers(inspection_id),
                                 repo.cases(inspection_id), show_intervals=args.ci, redact=args.redact,
                                 double_review=repo.settings(inspection_id)["double_review"])
        else:
            questionnaire, areas = open_areas(repo, ids)
            built = build_regional_report(
                questionnaire, [AreaInput(a.inspection, a.engine, repo.answers(a.inspection.id), a.cases)
                                for a in areas], show_intervals=args.ci, redact=args.redact)
    text = render_html(built) if args.format == "html" else render_markdown(built)
    write_output(args.output, text)
    return 0
