"""Command palette: jump to any case, question or screen by what a reviewer remembers of it: a case's
reference or its attribute values ("MAPPA 2", "very high"), a question's id, words of its text or guidance
("SMART"), a screen's name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from esi_tui.app.app import EsiApp

WORD = re.compile(r"[\w']+")
#: how a hit found by words ranks: below a close match of the name, questions' own text before guidance
TEXT_SCORE, GUIDANCE_SCORE, ATTRIBUTE_SCORE = 0.6, 0.45, 0.55


@dataclass
class Target:
    """One place to jump to, with the words it can be found by besides its name."""

    name: str
    help: str
    callback: Any
    words: str = ""          # the question's text, or the case's attribute values
    more: str = ""           # the question's guidance
    score: float = TEXT_SCORE


def _tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _found(wanted: list[str], text: str) -> bool:
    """Whether every wanted word begins a word of the text."""
    words = _tokens(text)
    return all(any(word.startswith(w) for word in words) for w in wanted)


def snippet(text: str, wanted: list[str], width: int = 70) -> str:
    """The part of `text` around the first wanted word, for the hit's help line."""
    lower = text.lower()
    at = min((m.start() for w in wanted for m in [re.search(rf"\b{re.escape(w)}", lower)] if m), default=0)
    start = max(0, at - width // 3)
    part = " ".join(text[start:start + width].split())
    return ("…" if start else "") + part + ("…" if start + width < len(text) else "")


class EsiCommands(Provider):
    """Cases, questions and screens of the open inspection."""

    def _targets(self) -> list[Target]:
        app = cast("EsiApp", self.app)
        targets = [
            Target("Screen: inspections", "every inspection in the database", app.show_inspections),
            Target("Screen: help", "every key and a short how-to", app.action_help),
        ]
        session = getattr(app, "session", None)
        if session is None:
            return targets
        targets += [
            Target("Screen: cases", "the sample of this inspection", app.show_cases),
            Target("Screen: tallies", "per criterion and question, with filters", app.action_tallies),
            Target("Screen: moderation", "disagreements between reviewers, to settle", app.action_moderation),
            Target("Screen: agreement", "how far reviewers agree: kappa, AC1, PABAK, alpha", app.action_agreement),
        ]
        questionnaire = session.questionnaire
        for case in session.cases():
            facts = []
            for name, attribute in questionnaire.attributes.items():
                value = case.attributes.get(name)
                if value is False:
                    continue
                label = attribute.label.split(" (")[0]
                facts.append(label if value is True else f"{label} {str(value).replace('_', ' ')}")
            targets.append(Target(f"Case {case.reference}", "open its review · " + " · ".join(facts),
                                  partial(app.open_case, case.reference), " · ".join(facts), score=ATTRIBUTE_SCORE))
        for question in questionnaire.questions:
            targets.append(Target(f"Question {question.id}", question.text, partial(app.open_question, question.id),
                                  question.text, question.guidance))
        return targets

    async def discover(self) -> Hits:
        for target in self._targets()[:4]:
            yield DiscoveryHit(target.name, target.callback, help=target.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        wanted = _tokens(query)
        for target in self._targets():
            score = matcher.match(target.name)
            if score > 0:
                yield Hit(score, matcher.highlight(target.name), target.callback, help=target.help)
            elif wanted and _found(wanted, target.words):
                help_text = target.help if target.score == ATTRIBUTE_SCORE else snippet(target.words, wanted)
                yield Hit(target.score, Text(target.name), target.callback, help=help_text)
            elif wanted and target.more and _found(wanted, target.more):
                yield Hit(GUIDANCE_SCORE, Text(target.name), target.callback,
                          help=f"{target.help} — guidance: {snippet(target.more, wanted)}")
