"""The user's config file: theme and keymap (binding id to keys). Bad files fall back to defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from esi_tui.core.toml_text import TomlProblem, parse_toml


@dataclass
class Config:
    """What the user chose, and what was wrong with the file (shown once, then ignored)."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_config(path: Path, binding_ids: set[str] | None, themes: set[str]) -> Config:
    """Read the config; every problem becomes one line and the default stays in force.

    With `binding_ids` None the keymap's ids are not checked yet (see `unknown_bindings`).
    """
    config = Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.problems.append(f"{path}: cannot read ({exc}); using the defaults")
        return config
    try:
        data = parse_toml(text, str(path))
    except TomlProblem as exc:
        config.problems.append(f"{exc}; using the defaults")
        return config
    for key in data:
        if key not in ("theme", "keymap"):
            config.problems.append(f"{path}: unknown setting {key!r} (theme, keymap)")
    theme = data.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme in themes:
            config.theme = theme
        else:
            config.problems.append(f"{path}: theme {theme!r} is not one of {', '.join(sorted(themes))}")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        config.problems.append(f"{path}: keymap must be a table of binding id = \"keys\"")
        keymap = {}
    for binding_id, keys in keymap.items():
        if binding_ids is not None and binding_id not in binding_ids:
            config.problems.append(f"{path}: keymap: unknown binding id {binding_id!r}")
        elif not isinstance(keys, str) or not keys.strip():
            config.problems.append(f"{path}: keymap: {binding_id} must be a key name such as \"i\" or \"ctrl+u\"")
        else:
            config.keymap[binding_id] = keys.strip()
    return config


def unknown_bindings(config: Config, path: Path, binding_ids: set[str]) -> list[str]:
    """Problems for keymap entries naming no binding; those entries are dropped from the config."""
    problems = []
    for binding_id in list(config.keymap):
        if binding_id not in binding_ids:
            problems.append(f"{path}: keymap: unknown binding id {binding_id!r}")
            del config.keymap[binding_id]
    return problems
