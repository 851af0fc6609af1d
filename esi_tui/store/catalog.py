"""Find questionnaire files: the shipped ones and any folders the user names."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from esi_tui.core.loader import QuestionnaireError, load_file
from esi_tui.core.questionnaire import Questionnaire


def shipped_dir() -> Path:
    """The folder of questionnaires shipped with esi-tui (installed or in a checkout)."""
    try:
        installed = Path(str(resources.files("esi_tui.questionnaires")))
        if installed.is_dir() and any(installed.glob("*.toml")):
            return installed
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "questionnaires"


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
