"""esi_tui.core stays pure: no textual, tinydb or rich, and nothing anywhere evaluates text."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import esi_tui
import esi_tui.core

FORBIDDEN = ("textual", "tinydb", "rich")
PACKAGE = Path(esi_tui.__file__).parent
CORE = Path(esi_tui.core.__file__).parent

IMPORT_ALL_CORE = """
import importlib, json, pkgutil, sys
import esi_tui.core
names = [m.name for m in pkgutil.walk_packages(esi_tui.core.__path__, "esi_tui.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def test_importing_every_core_module_loads_no_ui_or_storage_library():
    result = subprocess.run([sys.executable, "-c", IMPORT_ALL_CORE], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # The walk really found the modules (a broken walk would pass vacuously).
    for expected in ("esi_tui.core.conditions", "esi_tui.core.questionnaire", "esi_tui.core.tally",
                     "esi_tui.core.loader", "esi_tui.core.stats"):
        assert expected in report["modules"]
    leaked = [m for m in report["loaded"] if m.split(".")[0] in FORBIDDEN]
    assert leaked == [], f"importing esi_tui.core pulled in {leaked}"


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
              and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def test_no_core_file_imports_ui_or_storage_libraries():
    files = python_files(CORE)
    assert any(f.name == "tally.py" for f in files)
    offenders = {}
    for path in files:
        found = imported_roots(ast.parse(path.read_text(encoding="utf-8"), str(path))) & set(FORBIDDEN)
        if found:
            offenders[str(path.relative_to(PACKAGE))] = sorted(found)
    assert offenders == {}


def test_the_static_check_sees_nested_and_dynamic_imports():
    tree = ast.parse("def f():\n    import rich.text\n    from tinydb import TinyDB\n"
                     "    importlib.import_module('textual.app')\n")
    assert imported_roots(tree) >= set(FORBIDDEN)


def eval_calls(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in ("eval", "exec"):
            lines.append(node.lineno)
    return lines


def test_nothing_in_the_package_calls_eval_or_exec():
    files = python_files(PACKAGE)
    assert len(files) > 5
    offenders = {}
    for path in files:
        lines = eval_calls(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if lines:
            offenders[str(path.relative_to(PACKAGE))] = lines
    assert offenders == {}


def test_the_eval_check_finds_calls_but_not_words():
    assert eval_calls(ast.parse("x = eval('1')\nbuiltins.exec(code)\n")) == [1, 2]
    assert eval_calls(ast.parse('"""evaluated without eval(...)"""\nevaluate(c)\nliteral_eval(s)\n')) == []
