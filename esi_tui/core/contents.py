"""What an inspection holds, in words: the one text the app's confirmation and `delete-inspection` show."""

from __future__ import annotations

from collections.abc import Mapping

from esi_tui.core.formatting import plural


def describe_contents(counts: Mapping[str, int]) -> str:
    """'30 cases, 360 answers by 1 reviewer, 0 moderations, 2 case notes'."""
    reviewers = counts.get("reviewers", 0)
    by = f" by {plural(reviewers, 'reviewer')}" if reviewers else ""
    return (f"{plural(counts.get('cases', 0), 'case')}, {plural(counts.get('answers', 0), 'answer')}{by}, "
            f"{plural(counts.get('moderations', 0), 'moderation')}, {plural(counts.get('case notes', 0), 'case note')}")
