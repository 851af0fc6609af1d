"""The esi-tui Textual application."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from esi_tui.app import gc_pause
from esi_tui.app.config import Config
from esi_tui.app.notices import Notices
from esi_tui.app.palette import EsiCommands
from esi_tui.store.repository import Repository

HELP = "help"  # the name of the installed help screen
COLLECT_AFTER_OPEN = 0.25  # seconds after the first frame: the frame is out, and nobody has typed yet

if TYPE_CHECKING:
    from esi_tui.app.session import InspectionSession
    from esi_tui.app.team_feed import TeamFeed
    from esi_tui.core.entities import Inspection


class EsiApp(Notices):
    """Keyboard-first review of case files with live criterion tallies."""

    CSS_PATH = "esi.tcss"
    TITLE = "esi-tui"
    COMMANDS = App.COMMANDS | {EsiCommands}
    BINDINGS = [
        # priority: it must work in a form or a dialog too (a modal screen hides the app's other keys)
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
        Binding("f1", "help", "Help", id="app.help", show=False),
        Binding("space", "replay_pause", "Pause/resume", id="replay.pause", priority=True),
        Binding("plus,equals_sign", "replay_faster", "Faster", id="replay.faster", key_display="+",
                priority=True),
        Binding("minus", "replay_slower", "Slower", id="replay.slower", key_display="-", priority=True),
        Binding("escape", "replay_stop", "Stop replay", id="replay.stop", priority=True),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]

    def __init__(self, repo: Repository, reviewer: str, inspection: str | None = None,
                 config: Config | None = None, live=None, start_case: str | None = None):
        super().__init__()
        self.live = live
        self.start_case = start_case
        self.repo = repo
        self.reviewer = reviewer
        self.start_inspection = inspection
        self.config = config or Config()
        self.config_path: Path | None = None
        self.session: InspectionSession | None = None
        #: the team's changes, live, on a shared (PostgreSQL) store; None on a file
        self.feed: TeamFeed | None = None
        self.keymap_overrides = dict(self.config.keymap)
        self.answer_keys = {k.removeprefix("answer."): v for k, v in self.keymap_overrides.items()
                            if k.startswith("answer.")}
        #: the questionnaires the installed help screen was built for (None: not built yet)
        self._help_key: tuple | None = None

    def on_mount(self) -> None:
        from esi_tui.app.screens.inspections import InspectionsScreen

        # the title, not the sub-title: each screen's sub-title says where you are, and would hide it
        self.title = f"{self.TITLE} · reviewer: {self.reviewer}" + (" (read-only)" if self.repo.readonly else "")
        if self.config.theme:
            self.theme = self.config.theme
        problems = list(self.config.problems)
        if self.config.keymap:
            problems += self.check_keymap()
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
        if problems:  # one warning, however many problems: the defaults stay where they apply
            self.notify("\n".join(problems), title="Config file", severity="warning", timeout=15)
        for notice in self.repo.notices:  # what opening the database found and did (a damaged tail set aside)
            self.notify(notice, title="Database", severity="warning", timeout=30)
        if not self.start_inspection:  # else the list is built when the reviewer first goes back to it
            self.push_screen(InspectionsScreen())
        from esi_tui.app.team_feed import TeamFeed

        if TeamFeed.wanted(self):
            self.feed = TeamFeed(self)
            self.feed.start()
        if self.start_inspection:
            self.open_inspection(self.start_inspection)
        if self.live is not None:
            self.live.start()
        if self.start_case is not None and self.session is not None:
            self.call_after_refresh(self.start_peer_review, self.start_case)
        if self.repo.readonly:
            self.notify("Opened read-only: you can look, but answers cannot be changed.", title=self.repo.name)
        if gc_pause.held():  # the collector was held while opening: collect a moment after the first frame
            self.screen.call_after_refresh(self.set_timer, COLLECT_AFTER_OPEN, gc_pause.release)

    @property
    def open_session(self) -> InspectionSession:
        """The session of the open inspection (only asked for where one is open)."""
        if self.session is None:
            raise RuntimeError("no inspection is open")
        return self.session

    def start_peer_review(self, reference: str) -> None:
        """Open the review of one case, asking for its attributes first when it is new."""
        from esi_tui.app.screens.forms import CaseForm

        if reference and self.repo.has_case(self.open_session.id, reference):
            self.open_case(reference)
            return

        def added(result: tuple[str, dict] | None) -> None:
            if result is not None:
                self.open_session.save_case(*result)
                if hasattr(self.screen, "reload"):
                    self.screen.reload()
                self.open_case(result[0])

        existing = {c.reference for c in self.open_session.cases()}
        self.push_screen(CaseForm(self.open_session.questionnaire, existing=existing, suggested=reference), added)

    # -- live replay -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Replay keys only while a live replay is playing."""
        if action.startswith("replay_"):
            if self.live is None or not self.live.active:
                return False
            from textual.widgets import Input, TextArea  # here, and only in a replay: TextArea's import costs ms

            return not isinstance(self.focused, (Input, TextArea))
        return True

    def action_replay_pause(self) -> None:
        self.live.toggle_pause()

    def action_replay_faster(self) -> None:
        self.live.faster()

    def action_replay_slower(self) -> None:
        self.live.slower()

    def action_replay_stop(self) -> None:
        self.live.stop()
        self.refresh_bindings()

    def show_replayed(self, reference: str, qid: str) -> None:
        """Move the review to a replayed answer (its change has already redrawn the screen)."""
        from esi_tui.app.screens.review import ReviewScreen

        screen = self.screen
        if isinstance(screen, ReviewScreen) and not screen.is_mounted:
            self.call_after_refresh(self.show_replayed, reference, qid)
            return
        if isinstance(screen, ReviewScreen) and screen.reference == reference:
            screen.jump_to_question(qid, quiet=True)

    def check_keymap(self) -> list[str]:
        """Problems of the config's keymap (unknown ids, keys already taken); only the entries that can apply stay."""
        from esi_tui.app.registry import keymap_problems, screens

        questionnaires = self.questionnaires()
        accepted, problems = keymap_problems(self.config.keymap, screens(questionnaires), questionnaires,
                                             str(self.config_path or "config"))
        self.keymap_overrides = accepted
        self.answer_keys = {k.removeprefix("answer."): v for k, v in accepted.items() if k.startswith("answer.")}
        return problems

    def questionnaires(self) -> list:
        """The questionnaires of the database's inspections (their answer keys are part of the keymap)."""
        return [self.repo.questionnaire(item.id) for item in self.repo.inspections()]

    def on_unmount(self) -> None:
        if self.feed is not None:
            self.feed.close()
        self.repo.close()

    async def action_quit(self) -> None:
        """Quit from any screen; a form or note with text not saved yet asks first."""
        from esi_tui.app.screens.confirm import ConfirmScreen

        unsaved = getattr(self.screen, "unsaved", None)
        what = unsaved() if callable(unsaved) else ""
        if not what:
            self.exit()
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.exit()

        self.push_screen(ConfirmScreen("Quit without saving?", f"{what} is not saved: quitting now loses it.",
                                       hint="y quits · n or escape goes back to it"), answered)

    def delete_inspection(self, inspection_id: str) -> dict[str, int]:
        """Delete an inspection (closing it first when it is open); returns what it held."""
        if self.session is not None and self.session.id == inspection_id:
            self.session.close()
            self.session = None
        return self.repo.delete_inspection(inspection_id)

    # -- navigation ------------------------------------------------------------------------

    def open_inspection(self, inspection_id: str) -> None:
        """Open an inspection's cases (warning when its questionnaire file changed since)."""
        from esi_tui.app.screens.cases import CasesScreen
        from esi_tui.app.session import InspectionSession

        if self.session is not None:
            self.session.close()
            gc_pause.thaw()  # what was frozen when the app opened may now be garbage: collectable again
        self.session = InspectionSession(self.repo, inspection_id, self.reviewer)
        self.session.on_external = self._changed_elsewhere
        self.session.on_reopened = self._reopened
        self.show_inspections(build=False)
        cases = CasesScreen(self.session)
        self.push_screen(cases)
        # after the cases first show: it reads and parses the questionnaire's file, in a thread
        cases.call_after_refresh(self.run_worker, partial(self._check_questionnaire_file, self.session.inspection),
                                 thread=True, group="questionnaire-file", exclusive=True)

    def _changed_elsewhere(self, change) -> None:
        """A change not made on this screen (a live replay, a teammate): the screen shows it."""
        if self.feed is not None and self.feed.receiving:
            self.feed.heard.append(change)  # a batch from the server: shown once, at its end
            return
        self.show_external(change)

    def show_external(self, change) -> None:
        """Show a change made elsewhere: the screen's own way (show_change), else by reloading it."""
        refresh = getattr(self.screen, "show_change", None)
        if refresh is not None:
            refresh(change)
        elif self.screen.is_mounted and callable(getattr(self.screen, "reload", None)):
            self.screen.reload()  # type: ignore[attr-defined]

    def _reopened(self, reference: str, reason: str) -> None:
        """Say that a case this reviewer had finished is open again, and why."""
        self.notify(f"{reference} reopened: {reason}.", title="Case reopened", severity="warning", timeout=10,
                    topic=f"reopened:{reference}")

    class QuestionnaireChanged(Message):
        """The file of an open inspection's questionnaire no longer matches the recorded definition."""

        def __init__(self, inspection_id: str, questionnaire_id: str) -> None:
            super().__init__()
            self.inspection_id = inspection_id
            self.questionnaire_id = questionnaire_id

    def _check_questionnaire_file(self, inspection: Inspection) -> None:
        """(In a worker thread.) Compare the questionnaire's file with the definition the inspection recorded."""
        from esi_tui.core.loader import QuestionnaireError
        from esi_tui.store.catalog import find_questionnaire

        try:
            current = find_questionnaire(inspection.questionnaire_id)
        except QuestionnaireError:
            return
        if current.content_hash != inspection.questionnaire_hash:
            self.post_message(self.QuestionnaireChanged(inspection.id, inspection.questionnaire_id))

    def on_esi_app_questionnaire_changed(self, message: QuestionnaireChanged) -> None:
        if self.session is None or self.session.id != message.inspection_id:
            return  # that inspection is no longer open (the check's thread runs on once started)
        self.notify(f"{message.questionnaire_id} has changed since this inspection began; "
                    "scoring keeps to the recorded definition.", title="Questionnaire changed",
                    severity="warning", timeout=10)

    def show_inspections(self, build: bool = True) -> None:
        """Go back to the inspections list (`build`: making it when the app was opened without it)."""
        from esi_tui.app.screens.inspections import InspectionsScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, InspectionsScreen):
            self.pop_screen()
        if build and not isinstance(self.screen, InspectionsScreen):  # opened with --inspection: not built yet
            self.push_screen(InspectionsScreen())

    def show_cases(self) -> None:
        """Go back to the open inspection's cases."""
        from esi_tui.app.screens.cases import CasesScreen

        if self.session is None:
            return
        while len(self.screen_stack) > 1 and not isinstance(self.screen, (CasesScreen,)):
            self.pop_screen()
        if not isinstance(self.screen, CasesScreen):
            self.push_screen(CasesScreen(self.session))

    def open_case(self, reference: str, question: str | None = None) -> None:
        """Open the review of a case (replacing any review already open)."""
        from esi_tui.app.screens.review import ReviewScreen, review_screen_class

        if isinstance(self.screen, ReviewScreen):
            if self.screen.reference != reference or question:
                self.screen.load_case(reference, question)
            return
        self.show_cases()
        order = self.screen.order if hasattr(self.screen, "order") else None
        self.push_screen(review_screen_class(self.open_session.questionnaire)(self.open_session, reference, order))
        if question:
            self.call_after_refresh(lambda: getattr(self.screen, "jump_to_question", print)(question))

    def open_question(self, qid: str) -> None:
        """Highlight a question in the review, or open the first case it applies to."""
        from esi_tui.app.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            self.screen.jump_to_question(qid)  # a ReviewScreen (checked above)
            return
        for case in self.open_session.cases():
            if self.open_session.relevant(case.reference, qid):
                self.open_case(case.reference, qid)
                return
        self.notify(f"{qid} applies to no case yet.")

    def action_tallies(self) -> None:
        """Open the full tallies of the open inspection."""
        from esi_tui.app.screens.tallies import TalliesScreen

        if self.session is not None and not isinstance(self.screen, TalliesScreen):
            self.push_screen(TalliesScreen(self.session))

    def action_moderation(self) -> None:
        """Open the list of disagreements between reviewers."""
        from esi_tui.app.screens.moderation import ModerationScreen

        if self.session is not None and not isinstance(self.screen, ModerationScreen):
            self.push_screen(ModerationScreen(self.session))

    def action_agreement(self) -> None:
        """Open the agreement statistics (percent agreement, Cohen's kappa)."""
        from esi_tui.app.screens.agreement import AgreementScreen

        if self.session is not None and not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen(self.session))

    def action_help(self) -> None:
        """Open the help, generated from the registry of screens and their bindings.

        It is built once (its Markdown takes a second to lay out) and kept installed: later opens show the
        same screen, and it is built again only when the database's questionnaires changed (a new one
        brings its answer keys)."""
        from esi_tui.app.registry import help_sections, screens
        from esi_tui.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        questionnaires = self.questionnaires()
        key = tuple(sorted({q.content_hash for q in questionnaires}))
        if self._help_key != key:
            if self._help_key is not None:
                self.uninstall_screen(HELP)
            self.install_screen(HelpScreen(help_sections(screens(questionnaires))), HELP)
            self._help_key = key
        self.push_screen(HELP)
