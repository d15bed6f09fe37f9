"""Help → About NotesDesk: version, licence, every shipped third-party component and Qt's LGPL text."""

from __future__ import annotations

import importlib.metadata as md
import importlib.util
import io
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

from notesdesk import __version__
from notesdesk.cli.main import main
from notesdesk.ui.dialogs.about_dialog import AboutDialog

ROOT = Path(__file__).resolve().parents[2]

# Every third-party distribution whose modules the app, the CLI and the self-test load: what PyInstaller
# follows into the bundle. Measured in a fresh interpreter, so test-only packages do not count.
LOADED_DISTRIBUTIONS = """
import importlib.metadata as md, sys, sysconfig
import notesdesk.__main__, notesdesk.cli.main, notesdesk.ui.app, notesdesk.ui.printing.view
import notesdesk.ui.main_window  # the app loads it after the unlock
import notesdesk.selftest, notesdesk.core.exports.fhir
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QMessageBox
app = QApplication([])
from notesdesk import selftest
for result in selftest.run_selftest():
    pass
owners = md.packages_distributions()
purelib = sysconfig.get_paths()["purelib"]
names = set()
for name, module in list(sys.modules.items()):
    where = getattr(module, "__file__", None) or ""
    if where.startswith(purelib) and not name.startswith("notesdesk"):
        names.update(owners.get(name.split(".")[0], []))
print("\\n".join(sorted(names)))
"""


def _key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _excluded_from_bundle() -> set[str]:
    """Distributions whose modules installer/bundle_filters.py keeps out of the bundle altogether."""
    spec = importlib.util.spec_from_file_location("bundle_filters", ROOT / "installer" / "bundle_filters.py")
    assert spec is not None and spec.loader is not None
    filters = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(filters)
    owners = md.packages_distributions()
    return {_key(d) for name in filters.EXCLUDES if "." not in name for d in owners.get(name, [])}


def test_about_lists_every_component_the_app_loads_and_every_declared_requirement(qtbot, tmp_path) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    listed = {_key(n) for n in dialog.listed_names()}
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED_DISTRIBUTIONS], capture_output=True, text=True, check=True, timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
             "TMPDIR": str(tmp_path)},
    ).stdout.split()
    assert {"pyside6-essentials", "reportlab", "cryptography", "sqlalchemy"} <= {_key(n) for n in loaded}
    missing = {_key(n) for n in loaded} - listed - _excluded_from_bundle()
    assert not missing, f"loaded by the app but not in About: {sorted(missing)}"
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert {_key(Requirement(r).name) for r in declared} <= listed
    assert {"python", "dejavu fonts"} <= listed and any(n.startswith("qt ") for n in listed)
    # Libraries inside wheels that carry no metadata of their own (ICU: the Linux PySide6 wheels).
    assert any(n.startswith("icu ") for n in listed) and any(n.startswith("openssl ") for n in listed)


def test_every_component_carries_its_licence_text(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    for component in dialog.components:
        if component.name.startswith(("PySide6", "shiboken6")):
            continue  # their wheels carry no licence file: the Qt entry holds the LGPL and GPL texts
        assert component.licence and any(text.strip() for _, text in component.texts), component.name
    qt_page = dialog.tabs.widget(3)
    assert isinstance(qt_page, QPlainTextEdit)
    qt_tab = qt_page.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt_tab and "Version 3" in qt_tab
    assert "replace them" in qt_tab  # the LGPL promise: Qt stays replaceable shared libraries


def test_help_menu_opens_about_with_version_and_licence(make_window, qtbot, monkeypatch) -> None:
    window = make_window()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    about = next(a for a in help_menu.actions() if a.text() == "&About NotesDesk")
    asked_for_qt: list[bool] = []
    monkeypatch.setattr(QMessageBox, "aboutQt", lambda *a: asked_for_qt.append(True))
    seen: list[str] = []

    def look_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AboutDialog)
        seen.append(dialog.summary.text())
        dialog.about_qt_button.click()
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    about.trigger()
    assert seen and f"NotesDesk {__version__}" in seen[0]
    assert "LicenseRef-Proprietary" in seen[0]
    assert asked_for_qt == [True]


def test_notesdesk_notices_prints_what_the_about_dialog_lists(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    out = io.StringIO()
    assert main(["--notices"], stdin=io.StringIO(""), stdout=out, stderr=io.StringIO()) == 0
    listed = out.getvalue().split("Components:\n")[1].split("\n\n")[0].splitlines()
    assert [line.strip().split(": ")[0] for line in listed] == [
        f"{c.name} {c.version}" for c in dialog.components]
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in out.getvalue()
