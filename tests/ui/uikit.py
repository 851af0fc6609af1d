"""Shared pieces of the UI tests: the test data's names, and helpers that read what the screen shows
and what the app said (imported by the tests and by conftest.py)."""

from __future__ import annotations

import io

from rich.console import Console

REVIEWER = "tester"
FRESH = "fresh-insp"
# Cases of the fresh inspection: (reference, attributes).
FRESH_CASES = [
    ("A001", {"risk_of_harm": "low", "victim_issues": True}),  # 16 questions apply, C2.5 among them
    ("A002", {"risk_of_harm": "high"}),  # B1.1, B1.4-B1.6, C5.3, C5.4, C5.6 apply too
    ("A003", {"risk_of_harm": "medium", "child_protection": True}),
]


# -- reading the screen ------------------------------------------------------------------------


def screen_lines(app) -> list[str]:
    """The text of every line of the current screen, as a terminal would show it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def screen_text(app) -> str:
    """The whole screen as text."""
    return "\n".join(screen_lines(app))


def widget_text(app, widget) -> str:
    """The part of the screen a widget covers (only what is visible of it)."""
    region = widget.region
    lines = screen_lines(app)[region.y:region.bottom]
    return "\n".join(line[region.x:region.right] for line in lines)


def record_notifications(app) -> None:
    """Keep every notification the app (or a screen) sends in `app.notices`: (severity, title, message).

    Toasts expire; the record does not, so a test can check what was said whatever its timing."""
    app.notices = []
    original = app.notify

    def notify(message, *, title="", severity="information", **kwargs):
        app.notices.append((severity, title, str(message)))
        return original(message, title=title, severity=severity, **kwargs)

    app.notify = notify


def notices(app, severity: str | None = None) -> str:
    """The recorded notifications (of one severity), one 'title: message' per line."""
    return "\n".join(f"{title}: {message}" for sev, title, message in app.notices
                     if severity is None or sev == severity)
