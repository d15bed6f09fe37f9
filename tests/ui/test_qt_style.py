"""One Qt style across the code: enum members fully qualified, custom signals named `sig_*`.

Qt 6 keeps the short enum spellings (`Qt.AlignLeft`) only as a compatibility shim that PySide6's
type stubs leave out, so mypy cannot check them; `Qt.AlignmentFlag.AlignLeft` is the one spelling.
A `sig_` prefix tells our own signals from Qt's (a `finished` on a dialog would hide
`QDialog.finished`) and from methods and widgets, at the connect site.
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import pkgutil
from pathlib import Path

from PySide6.QtCore import Signal

import notesdesk.ui

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("src", "tests", "scripts", "bench")

# Signals named after the Qt signals they stand in for, so the widget is a drop-in replacement.
MIRRORS_QT = {("notesdesk.ui.widgets.passphrase", "PassphraseField"): {"textChanged", "returnPressed"}}


def _pyside_names(tree: ast.Module) -> dict[str, object]:
    """Names the module imports from PySide6, bound to the objects they name."""
    names: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6."):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                names[alias.asname or alias.name] = getattr(module, alias.name, None)
    return names


def short_enums(source: str) -> list[str]:
    """`Owner.Member` uses where Member is an enum value reached without its enum's name."""
    tree = ast.parse(source)
    owners = _pyside_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = owners.get(node.value.id)
            if (isinstance(owner, type) and not issubclass(owner, enum.Enum)  # QtMsgType.QtDebugMsg is whole
                    and isinstance(getattr(owner, node.attr, None), enum.Enum)):
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_check_finds_a_short_enum_and_passes_a_qualified_one() -> None:
    short = "from PySide6.QtCore import Qt\nalign = Qt.AlignLeft | Qt.AlignmentFlag.AlignTop\n"
    assert short_enums(short) == ["line 2: Qt.AlignLeft"]
    assert short_enums("from PySide6.QtCore import Qt\nalign = Qt.AlignmentFlag.AlignLeft\n") == []


def test_every_qt_enum_value_is_spelled_with_its_enum() -> None:
    offenders = []
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            if "PySide6" in source:
                offenders += [f"{path.relative_to(ROOT)} {where}" for where in short_enums(source)]
    assert offenders == [], "write Qt enums in full (Qt.AlignmentFlag.AlignLeft):\n" + "\n".join(offenders)


def _signals() -> list[tuple[str, str, str]]:
    """(module, class, attribute) of every Signal declared in a class of notesdesk.ui."""
    found = []
    for info in pkgutil.walk_packages(notesdesk.ui.__path__, "notesdesk.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != info.name:
                continue
            found += [(info.name, cls.__name__, name) for name, value in vars(cls).items()
                      if isinstance(value, Signal)]
    return found


def test_our_signals_are_named_sig_something() -> None:
    signals = _signals()
    assert len(signals) > 40  # the walk reached the UI's widgets
    misnamed = [f"{module}.{cls}.{name}" for module, cls, name in signals
                if not name.startswith("sig_") and name not in MIRRORS_QT.get((module, cls), set())]
    assert misnamed == [], "name custom signals sig_<what happened>:\n" + "\n".join(misnamed)
