"""The review's notes: one on the highlighted question (e or enter) and one on the whole case (w), each saved
when the editor is left, with the saved mark and the note marker following."""

from __future__ import annotations

from typing import TYPE_CHECKING

from esi_tui.store.errors import StoreError

if TYPE_CHECKING:
    from esi_tui.app.session import InspectionSession
    from esi_tui.app.widgets.question_list import QuestionList


class ReviewNotes:
    """The note editors of the review screen (a mixin of ReviewScreen)."""

    session: InspectionSession
    reference: str
    saved: tuple[str, bool] | None

    if TYPE_CHECKING:
        @property
        def questions(self) -> QuestionList: ...

        def refresh_case(self) -> None: ...

        def not_saved(self, what: str, exc: StoreError) -> None: ...

        def noted_changed(self, qid: str, noted: bool) -> None: ...

        def notify(self, message: str, **options) -> None: ...

    def action_edit_note(self) -> None:
        """Open the note editor for the current question; the note is saved on leaving it."""
        from esi_tui.app.screens.note import NoteScreen

        qid = self.questions.current
        if qid is None:
            return
        reference = self.reference

        def save(text: str | None) -> None:
            if text is None or text == self.session.note(reference, qid):
                return
            try:
                self.session.save_note(reference, qid, text)
            except StoreError as exc:
                self.not_saved(f"note on {qid}", exc)
                return
            self.saved = (f"note on {qid} saved", True)
            self.noted_changed(qid, bool(text))
            self.refresh_case()
            self.notify(f"Note saved on {qid}.", timeout=2)

        self.questions.app.push_screen(NoteScreen(f"{reference} {qid}", self.session.note(reference, qid)), save)

    def action_case_note(self) -> None:
        """Write a note on the whole case (in a peer review: the note to the colleague)."""
        from esi_tui.app.screens.note import NoteScreen

        reference = self.reference

        def save(text: str | None) -> None:
            if text is None or text == self.session.case_note(reference):
                return
            try:
                self.session.save_case_note(reference, text)
            except StoreError as exc:
                self.not_saved("case note", exc)
                return
            self.saved = ("case note saved", True)
            self.refresh_case()
            self.notify(f"Case note saved on {reference}.", timeout=2)

        self.questions.app.push_screen(NoteScreen(f"case {reference}", self.session.case_note(reference)), save)
