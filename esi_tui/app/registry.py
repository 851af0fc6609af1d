"""The one list of the app's screens and their keys: the help, the keymap check and the footer come from it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from esi_tui.core.questionnaire import Questionnaire


@dataclass(frozen=True)
class ScreenKeys:
    """One screen (or a family of dialogs) with the classes whose bindings it shows, for help and keymap."""

    title: str
    classes: tuple[type, ...]
    extra: tuple[Binding, ...] = ()

    def bindings(self) -> list[Binding]:
        """Every binding of the screen, each id once (the most derived class first)."""
        found: list[Binding] = []
        seen: set[object] = set()
        for cls in self.classes:
            for binding in own_bindings(cls):
                key = binding.id or (binding.key, binding.action)
                if key not in seen:
                    seen.add(key)
                    found.append(binding)
        return found + list(self.extra)


def own_bindings(cls: type) -> list[Binding]:
    """The bindings a class declares, with those of its esi-tui base classes (not Textual's own)."""
    found: list[Binding] = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("esi_tui."):
            continue
        found += [item for item in klass.__dict__.get("BINDINGS", []) if isinstance(item, Binding)]
    return found


def screens(questionnaires: list[Questionnaire] | tuple = ()) -> list[ScreenKeys]:
    """Every screen of the app; the review once per questionnaire, with that questionnaire's answer keys."""
    from esi_tui.app.app import EsiApp
    from esi_tui.app.screens.agreement import AgreementScreen
    from esi_tui.app.screens.cases import CasesScreen
    from esi_tui.app.screens.compare import CompareScreen
    from esi_tui.app.screens.confirm import ConfirmScreen
    from esi_tui.app.screens.forms import CaseForm, InspectionForm
    from esi_tui.app.screens.help import HelpScreen
    from esi_tui.app.screens.inspections import InspectionsScreen
    from esi_tui.app.screens.moderation import ModerationScreen
    from esi_tui.app.screens.note import NoteScreen
    from esi_tui.app.screens.pick import PickAnswerScreen, ReasonScreen
    from esi_tui.app.screens.review import ReviewScreen, review_screen_class
    from esi_tui.app.screens.tallies import TalliesScreen
    from esi_tui.app.widgets.question_list import QuestionList

    reviews = [ScreenKeys(f"Review ({q.title}: answer keys from the questionnaire)",
                          (review_screen_class(q), QuestionList)) for q in _distinct(questionnaires)]
    return [
        *(reviews or [ScreenKeys("Review", (ReviewScreen, QuestionList))]),
        ScreenKeys("Cases", (CasesScreen,)),
        ScreenKeys("Inspections", (InspectionsScreen,)),
        ScreenKeys("Tallies", (TalliesScreen,)),
        ScreenKeys("Areas compared", (CompareScreen,)),
        ScreenKeys("Moderation", (ModerationScreen,)),
        ScreenKeys("Agreement", (AgreementScreen,)),
        ScreenKeys("Note editor", (NoteScreen,)),
        ScreenKeys("Forms (a case, a new inspection)", (CaseForm, InspectionForm)),
        ScreenKeys("Choosing the agreed answer", (PickAnswerScreen,)),
        ScreenKeys("Giving a reason", (ReasonScreen,)),
        ScreenKeys("Confirmations (e.g. withdrawing a moderation)", (ConfirmScreen,)),
        ScreenKeys("Help", (HelpScreen,)),
        ScreenKeys("Everywhere", (EsiApp,), (Binding("ctrl+p", "command_palette", "Command palette"),)),
    ]


def _distinct(questionnaires) -> list[Questionnaire]:
    found: dict[str, Questionnaire] = {}
    for questionnaire in questionnaires:
        found.setdefault(questionnaire.content_hash, questionnaire)
    return list(found.values())


def binding_ids(entries: list[ScreenKeys]) -> set[str]:
    """Every id a keymap may name: exactly the ids the help lists."""
    return {binding.id for entry in entries for binding in entry.bindings() if binding.id and binding.description}


def _keys(binding: Binding, keymap: dict[str, str]) -> set[str]:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return {key.strip() for key in keys.split(",") if key.strip()}


def keymap_problems(keymap: dict[str, str], entries: list[ScreenKeys], questionnaires, where: str
                    ) -> tuple[dict[str, str], list[str]]:
    """The keymap entries that can apply, and one line per entry that cannot (unknown id, or a key
    another binding of the same screen or an answer key of any questionnaire already uses)."""
    known = binding_ids(entries)
    problems = [f"{where}: keymap: unknown binding id {bid!r}" for bid in keymap if bid not in known]
    accepted = {bid: keys for bid, keys in keymap.items() if bid in known}
    hotkeys = {option.hotkey: f"answer.{option.key}" for q in questionnaires
               for scale in q.scales.values() for option in scale.options}
    # keys that work on every screen (live replay's keys only while a replay plays: left out)
    everywhere = [b for b in entries[-1].bindings() if not (b.id or "").startswith("replay.")]
    for bid in list(accepted):
        for entry in entries:
            bindings = entry.bindings() + ([] if entry is entries[-1] else everywhere)
            mine = [b for b in bindings if b.id == bid]
            if not mine:
                continue
            wanted = _keys(mine[0], accepted)
            clash = next(((key, other.id or other.action) for other in bindings if other.id != bid
                          for key in wanted & _keys(other, accepted)), None)
            is_review = any(getattr(cls, "__name__", "") == "ReviewScreen" for cls in entry.classes)
            if clash is None and is_review:
                clash = next(((key, hotkeys[key]) for key in wanted
                              if key in hotkeys and hotkeys[key] != bid), None)
            if clash is not None:
                problems.append(f"{where}: keymap: {bid} = {clash[0]!r} is already the key of {clash[1]} "
                                f"on the {entry.title.split(' (')[0].lower()} screen; {bid} keeps its default")
                del accepted[bid]
                break
    return accepted, problems


def help_sections(entries: list[ScreenKeys]) -> list[tuple[str, list[Binding]]]:
    """(title, bindings) for the help screen, in the registry's order."""
    return [(entry.title, entry.bindings()) for entry in entries]
