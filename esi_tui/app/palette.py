"""Command palette: jump to any case by reference, any question by id, any screen."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from esi_tui.app.app import EsiApp


class EsiCommands(Provider):
    """Cases, questions and screens of the open inspection."""

    def _targets(self) -> list[tuple[str, str, Any]]:
        app = cast("EsiApp", self.app)
        targets: list[tuple[str, str, Any]] = [
            ("Screen: inspections", "every inspection in the database", app.show_inspections),
            ("Screen: help", "every key and a short how-to", app.action_help),
        ]
        session = getattr(app, "session", None)
        if session is None:
            return targets
        targets += [
            ("Screen: cases", "the sample of this inspection", app.show_cases),
            ("Screen: tallies", "per criterion and question, with filters", app.action_tallies),
            ("Screen: moderation", "disagreements between reviewers, to settle", app.action_moderation),
            ("Screen: agreement", "how far reviewers agree: kappa, AC1, PABAK, alpha", app.action_agreement),
        ]
        for case in session.cases():
            targets.append((f"Case {case.reference}", "open its review", partial(app.open_case, case.reference)))
        for question in session.questionnaire.questions:
            targets.append((f"Question {question.id}", question.text, partial(app.open_question, question.id)))
        return targets

    async def discover(self) -> Hits:
        for name, help_text, callback in self._targets()[:4]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._targets():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
