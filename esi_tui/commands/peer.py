"""`esi-tui peer`: a quick second opinion on a colleague's case, and what peer reviews found."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import db_path, reviewer
from esi_tui.store.catalog import find_questionnaire
from esi_tui.store.location import database_exists, shown
from esi_tui.store.repository import Repository


def peer_inspection_id(questionnaire_id: str) -> str:
    """Where peer reviews with one questionnaire are kept in a database."""
    return questionnaire_id if questionnaire_id.startswith("peer") else f"peer-{questionnaire_id}"


def peer(args: argparse.Namespace) -> int:
    """Open the review on one case with the peer questionnaire, or print the summary."""
    questionnaire = find_questionnaire(args.questionnaire)
    inspection_id = getattr(args, "inspection", None) or peer_inspection_id(questionnaire.id)
    path = db_path(args)
    if args.summary and not database_exists(path):
        print(f"{shown(path)}: no peer reviews yet (no database)")
        return 0
    repo = Repository.open(path, readonly=args.summary)
    try:
        if not repo.has_inspection(inspection_id):
            if args.summary:
                print(f"{repo.name}: no peer reviews yet ({inspection_id})")
                repo.close()
                return 0
            repo.create_inspection(inspection_id, questionnaire, title=f"Peer reviews: {questionnaire.title}",
                                   area="peer review")
        if args.summary:
            return _summary(repo, inspection_id)
    except BaseException:
        repo.close()
        raise
    from esi_tui.app.factory import create_app

    app = create_app(repo.path, reviewer(args), inspection_id, repo=repo, start_case=args.case or "")
    app.run()
    return app.return_code or 0


def _summary(repo: Repository, inspection_id: str) -> int:
    """Per question (with its text) X of Y across every peer review, then the notes to colleagues."""
    from esi_tui.commands.grid import emit
    from esi_tui.commands.tables import tally_grid

    cases = repo.cases(inspection_id)
    reviewers = {a.reviewer for a in repo.answers(inspection_id)}
    notes = repo.case_notes(inspection_id)
    print(f"{_count(len(cases), 'case')} peer reviewed by {_count(len(reviewers), 'reviewer')}, "
          f"{sum(c.complete for c in cases)} finished, {_count(len(notes), 'note')} to colleagues.")
    emit(tally_grid(repo.tally(inspection_id), "What the peer reviews found", by_question=True))
    if notes:
        print("\nNotes to colleagues:")
        for note in notes:
            print(f"- {note['case']} ({note['reviewer']}): {note['note']}")
    repo.close()
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
