"""Find questionnaire files: the shipped ones and any folders the user names."""

from __future__ import annotations

from pathlib import Path

from esi_tui.core.loader import QuestionnaireError, load_file
from esi_tui.core.questionnaire import Questionnaire


def shipped_dir() -> Path:
    """The folder of questionnaires shipped with esi-tui: package data when installed, else the checkout's."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "questionnaires"
    if installed.is_dir():
        return installed
    return package.parent / "questionnaires"


def questionnaire_files(extra_dirs: list[Path] | None = None) -> list[Path]:
    """Every questionnaire file, the user's folders first, then the shipped ones."""
    files: list[Path] = []
    for folder in [*(extra_dirs or []), shipped_dir()]:
        if folder.is_dir():
            files += sorted(folder.glob("*.toml"))
    return files


def find_questionnaire(ref: str, extra_dirs: list[Path] | None = None) -> Questionnaire:
    """A questionnaire by file path or by its id; QuestionnaireError when there is none."""
    path = Path(ref)
    if ref.endswith(".toml") or path.is_file():
        return load_file(path)
    return questionnaire_by_id(ref, extra_dirs)


def questionnaire_or_none(questionnaire_id: str, extra_dirs: list[Path] | None = None) -> Questionnaire | None:
    """A questionnaire by its id only (a script names ids, never paths), or None when there is none."""
    try:
        return questionnaire_by_id(questionnaire_id, extra_dirs)
    except QuestionnaireError:
        return None


def questionnaire_by_id(ref: str, extra_dirs: list[Path] | None = None) -> Questionnaire:
    """A questionnaire by its id among the user's folders and the shipped ones; QuestionnaireError if none."""
    for candidate in questionnaire_files(extra_dirs):
        if candidate.stem == ref:
            questionnaire = load_file(candidate)
            if questionnaire.id == ref:
                return questionnaire
    for candidate in questionnaire_files(extra_dirs):
        try:
            questionnaire = load_file(candidate)
        except QuestionnaireError:
            continue
        if questionnaire.id == ref:
            return questionnaire
    known = ", ".join(sorted({p.stem for p in questionnaire_files(extra_dirs)})) or "none"
    raise QuestionnaireError([f"{ref}: no such questionnaire (known: {known})"])
