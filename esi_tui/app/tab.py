"""One browser tab of `esi-tui serve`: its own process and session. It asks who is reviewing (unless the
server fixed it), opens a database file another tab is writing read-only and says so, and shows in the
page any error that would otherwise go to a terminal the browser never shows.

Run by textual-serve as `python -m esi_tui.app.tab [--reviewer NAME] [--inspection ID]`; the database
comes in $ESI_TUI_DB (so that a URL's password is not on a command line)."""

from __future__ import annotations

import argparse
import sys

from esi_tui.app.app import EsiApp


class ServedApp(EsiApp):
    """The app, asking who is reviewing first when nobody was named."""

    def __init__(self, *args, ask: bool = False, then: str | None = None, notice: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.ask = ask
        self.then = then
        self.notice = notice

    def on_mount(self) -> None:
        # runs before EsiApp.on_mount (Textual calls both): what it pushes must come after
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        if self.notice:
            self.notify(self.notice, title="Read-only in this tab", severity="warning", timeout=3600)
        if self.ask:
            from esi_tui.app.screens.who import WhoScreen

            self.push_screen(WhoScreen(), self._named)

    def _named(self, name: str | None) -> None:
        if not name:
            return
        self.title = self.title.replace(f"reviewer: {self.reviewer}", f"reviewer: {name}", 1)
        self.reviewer = name
        if self.then:
            self.open_inspection(self.then)


def main(argv: list[str] | None = None) -> int:
    """Open this tab's session; an error is a page of its own, never a blank one."""
    parser = argparse.ArgumentParser(prog="esi-tui serve (a tab)")
    parser.add_argument("--reviewer", default=None)
    parser.add_argument("--inspection", default=None)
    args = parser.parse_args(argv)
    try:
        app = build(args)
    except Exception as exc:
        from esi_tui.app.error_page import ErrorPage
        from esi_tui.commands.errors import describe_error

        return ErrorPage(describe_error(exc)[0]).run() or 1
    app.run()
    return app.return_code or 0


def build(args: argparse.Namespace) -> ServedApp:
    """The tab's app on the database in $ESI_TUI_DB; StoreError (one line) when it cannot be opened."""
    from textual.theme import BUILTIN_THEMES

    from esi_tui.app.config import load_config
    from esi_tui.paths import config_file, default_db
    from esi_tui.store.errors import StoreLocked
    from esi_tui.store.repository import Repository

    db = default_db()
    notice = ""
    try:
        repo = Repository.open(db)
    except StoreLocked as exc:
        # one writer per database file: this tab looks, and says why it cannot change anything
        repo = Repository.open(db, readonly=True)
        notice = (f"Another session is writing to this database file ({exc.holder}), so this tab opened it "
                  "read-only: you can look, but not save. A PostgreSQL database lets every tab write.")
    try:
        if args.inspection is not None:
            repo.inspection(args.inspection)
        name = args.reviewer or "(who?)"
        config = load_config(config_file(), None, set(BUILTIN_THEMES))
        ask = args.reviewer is None
        app = ServedApp(repo, name, None if ask else args.inspection, config,
                        ask=ask, then=args.inspection, notice=notice)
        app.config_path = config_file()
    except BaseException:
        repo.close()
        raise
    return app


if __name__ == "__main__":
    sys.exit(main())
