"""`esi-tui double-review`: mark cases (or a random share, with a recorded seed) for blind double review."""

from __future__ import annotations

import argparse

from esi_tui.commands.common import choose_inspection, open_repository
from esi_tui.commands.errors import UsageError
from esi_tui.core.text import shown_text


def double_review(args: argparse.Namespace) -> int:
    """Mark the cases and print which ones (and the seed, so the draw can be repeated)."""
    references = [r.strip() for r in (args.cases or "").split(",") if r.strip()]
    if not references and args.share is None:
        raise UsageError("name cases with --cases H001,H002 or draw a share with --share 0.2")
    with open_repository(args) as repo:
        inspection_id = choose_inspection(repo, args)
        marked = repo.mark_double_review(inspection_id, references or None, share=args.share, seed=args.seed)
        settings = repo.settings(inspection_id)
    seed = settings.get("double_review_seed")
    print(f"{inspection_id}: {len(marked)} cases for blind double review: {', '.join(shown_text(r) for r in marked)}"
          + (f" (share {settings.get('double_review_share')}, seed {seed})" if args.share is not None else ""))
    return 0
