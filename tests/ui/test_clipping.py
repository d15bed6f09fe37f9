"""No text cut off (issue 15, item 2): every window, dialog and workspace tab opened on the demo
practice at 1024×640 and 1366×768, and at 200 % (a 2048×1280 screen at Qt scale factor 2), with
nothing clipped: labels, buttons, combo boxes, headers, tabs, group titles and placeholders.

Each size runs in its own process: the offscreen screen's size and scale are fixed at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from notesdesk.ui.widgets.labels import declare_elides
from notesdesk.ui.workspace.fitting import FittingTable
from tests.ui.clipping import problems_in

ROOT = Path(__file__).resolve().parents[2]
LONG = "Nearly every day, and most of the night as well"


def test_the_check_finds_each_kind_of_cut_off_text_and_spares_declared_elision(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    label, button = QLabel(LONG), QPushButton(LONG)
    combo = QComboBox()
    combo.addItem(LONG)
    edit = QLineEdit()
    edit.setPlaceholderText(LONG)
    table = QTableView()
    model = QStandardItemModel(1, 1)
    model.setHorizontalHeaderLabels([LONG])
    table.setModel(model)
    table.horizontalHeader().resizeSection(0, 30)
    spared = declare_elides(QLabel(LONG))
    layout = QVBoxLayout(window)
    for widget in (label, button, combo, edit, spared):
        row = QHBoxLayout()
        row.addWidget(widget)
        widget.setFixedWidth(60)
        layout.addLayout(row)
    layout.addWidget(table)
    window.show()
    qtbot.waitExposed(window)
    found = "\n".join(problems_in(window))
    assert "label needs" in found and "button needs" in found and "combo shows" in found
    assert "placeholder" in found and "column" in found
    assert found.count("label needs") == 1  # the declared one is not reported

    label.setFixedWidth(label.sizeHint().width())
    button.setFixedWidth(button.sizeHint().width())
    assert not any("label needs" in p or "button needs" in p for p in problems_in(window))


def test_the_check_finds_cells_cut_without_a_marker_and_columns_hidden_without_a_sign(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    model = QStandardItemModel(1, 3)
    model.setHorizontalHeaderLabels(["Homework", "Repeats", "Assigned"])
    for column, text in enumerate(("Ride four stops", "Every day", LONG)):
        model.setItem(0, column, QStandardItem(text))
    table = QTableView()
    table.setModel(model)
    layout = QVBoxLayout(window)
    layout.addWidget(table)
    window.resize(600, 300)
    window.show()
    qtbot.waitExposed(window)
    table.setColumnWidth(2, 60)
    assert not any("cell" in p for p in problems_in(window))  # elided with "…": a marker
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    assert any("cell in column 'Assigned'" in p and "no marker" in p for p in problems_in(window))
    table.setColumnWidth(2, table.sizeHintForColumn(2) + 4)
    assert not any("cell" in p for p in problems_in(window))

    table.setColumnHidden(1, True)
    assert any("'Repeats' is hidden and nothing on screen says so" in p for p in problems_in(window))
    layout.addWidget(QLabel("Hidden to fit: Repeats."))
    qtbot.waitUntil(lambda: not any("hidden" in p for p in problems_in(window)))


def test_a_fitting_table_names_the_columns_it_hides_and_reads_them_out_on_hover(qtbot):
    model = QStandardItemModel(1, 3)
    model.setHorizontalHeaderLabels(["Homework", "Repeats", "Assigned"])
    for column, text in enumerate(("Ride four stops", "Every day", "2026-10-05")):
        model.setItem(0, column, QStandardItem(text))
    table = FittingTable(model, "Homework", 0, min_stretch=200, drop=(1, 2))
    qtbot.addWidget(table)
    table.resize(700, 200)
    table.show()
    qtbot.waitExposed(table)
    assert table.hidden_columns() == [] and not table.hidden_note.isVisible()
    table.resize(230, 200)
    qtbot.waitUntil(lambda: table.hidden_columns() == ["Repeats", "Assigned"])
    assert table.hidden_note.isVisible() and "Repeats, Assigned" in table.hidden_note.text()
    assert table.viewport().geometry().bottom() < table.hidden_note.geometry().top()  # rows not covered
    assert problems_in(table) == []
    table.resize(700, 200)
    qtbot.waitUntil(lambda: not table.hidden_note.isVisible())


SCREENS = {
    "1024x640": ({"width": 1024, "height": 640}, "1"),
    "1366x768": ({"width": 1366, "height": 768}, "1"),
    "1024x640 at 200%": ({"width": 2048, "height": 1280}, "2"),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_nothing_is_cut_off_on_any_screen(tmp_path: Path, screen: str) -> None:
    size, scale = SCREENS[screen]
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "test", "x": 0, "y": 0, **size, "dpr": 1,
                                                "logicalDpi": 96, "logicalBaseDpi": 96}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "NOTESDESK_INSECURE_TEST_KDF": "1", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    out = tmp_path / "found.json"
    run = subprocess.run([sys.executable, "-m", "tests.ui.clipping_screens", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(out.read_text())
    assert len(found) >= 20  # every window, dialog and tab was reached
    cut_off = [f"{where}: {what}" for where, problems in found.items() for what in problems]
    assert not cut_off, "\n".join(cut_off)
