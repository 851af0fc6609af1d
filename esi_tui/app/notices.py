"""Notifications that can be taken back: a notice raised under a topic is withdrawn when what it said stops
being true ("Not complete yet" once every required question is answered), and a new one on the same topic
replaces it instead of piling up."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.app import App


@dataclass
class Said:
    """One notification as it was raised, so that it can be raised again after others are withdrawn."""

    message: str
    title: str
    severity: str
    timeout: float
    markup: bool
    at: float
    topic: str | None

    def left(self, now: float) -> float:
        """Seconds it still has on screen."""
        return self.timeout - (now - self.at)


class Notices(App):
    """An App whose notify() takes a `topic`; withdraw(topic) takes such notices off the screen."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._said: list[Said] = []

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True, topic: str | None = None) -> None:
        """Raise a notification; under a `topic` it replaces the one raised before under it."""
        if topic is not None:
            self.withdraw(topic)
        now = time.monotonic()
        timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self._said = [said for said in self._said if said.left(now) > 0]
        self._said.append(Said(str(message), title, severity, timeout, markup, now, topic))
        App.notify(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    def is_said(self, topic: str) -> bool:
        """Whether a notice of this topic is still on screen (cheap: asked after every key)."""
        now = time.monotonic()
        return any(said.topic == topic and said.left(now) > 0 for said in self._said)

    def withdraw(self, *topics: str) -> None:
        """Take the notices of these topics off the screen (the others stay, with the time they had left)."""
        now = time.monotonic()
        live = [said for said in self._said if said.left(now) > 0]
        kept = [said for said in live if said.topic not in topics]
        if len(kept) == len(live):
            self._said = live
            return
        # Textual has no public call to take back one toast: clear them, and raise again the ones that stay
        self.clear_notifications()
        self._said = []
        for said in kept:
            self._said.append(Said(said.message, said.title, said.severity, said.left(now), said.markup, now,
                                   said.topic))
            App.notify(self, said.message, title=said.title, severity=said.severity,  # type: ignore[arg-type]
                       timeout=said.left(now), markup=said.markup)


def notice(widget, message: str, *, topic: str, **options) -> None:
    """Raise a notification under a topic from any screen or widget (replacing the topic's last one)."""
    app = widget.app
    if isinstance(app, Notices):
        app.notify(message, topic=topic, **options)
    else:
        app.notify(message, **options)


def withdraw(widget, *topics: str) -> None:
    """Withdraw the notifications of these topics, if the app keeps topics."""
    app = widget.app
    if isinstance(app, Notices):
        app.withdraw(*topics)


def is_said(widget, topic: str) -> bool:
    """Whether a notice of this topic is still on screen."""
    app = widget.app
    return isinstance(app, Notices) and app.is_said(topic)


def unbound_key(screen, event) -> bool:
    """Say in one line that a printable key does nothing on this screen (or nothing now); True if it said so.

    Key handlers run before bindings, so this only looks: a key with a working binding is left to it."""
    char = event.character
    if not char or not char.isprintable() or char == " ":
        return False
    active = screen.active_bindings.get(event.key)
    if active is None:
        notice(screen, f"{char} does nothing here: ? lists every key", timeout=3, topic="key")
        return True
    if not active.enabled:
        notice(screen, f"{char} ({active.binding.description}) does nothing now", timeout=3, topic="key")
        return True
    return False
