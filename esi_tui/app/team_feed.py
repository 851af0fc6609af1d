"""The team's changes in this app, live: a follower thread hears the shared store's commits and hands them to
the app thread, which applies them and redraws once per batch; the title says when the server is out of
reach (saving is refused until it is back), and a reviewer whose change of a case was superseded is told."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from esi_tui.app.widgets.case_facts import attribute_value

if TYPE_CHECKING:
    from esi_tui.app.app import EsiApp

OFFLINE = " · OFFLINE: saving refused until the server is back"


class TeamFeed:
    """Follows a shared store for one app (started on mount, stopped on unmount)."""

    def __init__(self, app: EsiApp, poll: float = 1.0):
        from esi_tui.store.pg_follow import Follower

        self.app = app
        self.repo = app.repo
        self.follower = Follower(app.repo.log, poll=poll)  # type: ignore[arg-type]  # a PgLog
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        #: while a batch from the server is applied: its changes are shown once, at its end
        self.receiving = False
        self.heard: list[tuple] = []
        self.batches = 0
        #: case attributes this reviewer set here, to tell them when a later change replaced theirs
        self.mine: dict[tuple[str, str], dict] = {}
        self.repo.subscribe(self._own_change)

    @staticmethod
    def wanted(app: EsiApp) -> bool:
        """Whether the app's database is one that others change at the same time (a server)."""
        return hasattr(app.repo.log, "receive") and hasattr(app.repo.log, "offline")

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="esi-tui team feed", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.repo.unsubscribe(self._own_change)

    # -- the follower's thread ---------------------------------------------------------------

    def _run(self) -> None:
        def deliver(rows) -> None:
            self._to_app(self.receive, rows)

        def status(reason: str | None) -> None:
            self._to_app(self.set_offline, reason)

        self.follower.run(deliver, status, self.stop)

    def _to_app(self, callback, *args) -> None:
        if self.stop.is_set():
            return
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:    # the app has gone
            self.stop.set()

    # -- the app's thread --------------------------------------------------------------------

    def receive(self, rows) -> None:
        """Apply a batch of the server's changes; the screen is redrawn once."""
        from esi_tui.store.errors import StoreError

        self.receiving, self.heard = True, []
        try:
            changes = self.repo.ledger.receive(rows)
        except StoreError as exc:
            self.app.notify(str(exc), title="Live updates stopped", severity="error", timeout=30)
            self.stop.set()
            return
        finally:
            self.receiving = False
        self.batches += 1
        for change in changes:
            self._superseded(change)
        if self.heard:
            self.app.show_external(self.heard[-1])

    def set_offline(self, reason: str | None) -> None:
        """Show at once that the server is out of reach (and saving refused), or that it is back."""
        log = self.repo.log
        was = log.offline  # type: ignore[attr-defined]
        log.offline = reason  # type: ignore[attr-defined]
        self.app.title = self.app.title.removesuffix(OFFLINE) + (OFFLINE if reason else "")
        if reason:
            self.app.notify(f"The server is out of reach ({reason}). Nothing can be saved until it is back; "
                            "esi-tui reconnects by itself.", title="Offline", severity="error", timeout=3600)
        elif was:
            self.app.clear_notifications()
            self.app.notify("Back in touch with the server: saving works again.", title="Online", timeout=8)

    def _own_change(self, change: tuple) -> None:
        if self.receiving or change[0] != "case":
            return
        _, inspection, reference = change
        if self.repo.has_case(inspection, reference):
            self.mine[(inspection, reference)] = dict(self.repo.case(inspection, reference).attributes)

    def _superseded(self, change: tuple) -> None:
        """A teammate's later change of a case's attributes replaced this reviewer's: say what is there now."""
        if change[0] != "case" or (change[1], change[2]) not in self.mine:
            return
        _, inspection, reference = change
        before = self.mine[(inspection, reference)]
        now = self.repo.case(inspection, reference).attributes
        questionnaire = self.repo.questionnaire(inspection)
        replaced = [f"{questionnaire.attributes[name].label.split(' (')[0].lower()} is now "
                    f"{attribute_value(now.get(name))} (yours: {attribute_value(before.get(name))})"
                    for name in before if name in questionnaire.attributes and before.get(name) != now.get(name)]
        if replaced:
            self.mine[(inspection, reference)] = dict(now)
            self.app.notify(f"{reference}: a later change from the team replaced yours: " + "; ".join(replaced) + ".",
                            title="Your change was superseded", severity="warning", timeout=20)
