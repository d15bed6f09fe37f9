"""Help → About NotesDesk: version, licence, every third-party component with its licence text, Qt's
LGPL text and Qt's own About box. The component list comes from notesdesk.notices (derived from the
installed metadata, so it cannot drift from what is shipped)."""

from __future__ import annotations

import platform
import textwrap

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk import __version__, notices
from notesdesk.ui.identity import app_icon


def _text_view(text: str, name: str) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setAccessibleName(name)
    return view


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About NotesDesk")
        self.resize(720, 560)
        self.components = notices.components()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), "NotesDesk")
        self.tabs.addTab(self._components_tab(), "Third-party components")
        self.tabs.addTab(_text_view(notices.notices_text(), "Third-party notices"), "Notices")
        lgpl = "\n\n".join(t for c in self.components if c.name.startswith("Qt") for _, t in c.texts)
        note = textwrap.fill(notices.QT_LGPL_NOTE, 78)
        self.tabs.addTab(_text_view(note + "\n\n" + lgpl, "Qt licence"), "Qt licence (LGPL)")
        self.about_qt_button = QPushButton("About &Qt")
        self.about_qt_button.clicked.connect(lambda: QMessageBox.aboutQt(self, "About Qt"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.about_qt_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _about_tab(self) -> QWidget:
        page = QWidget()
        icon = QLabel()
        icon.setPixmap((app_icon() or QIcon()).pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.summary = QLabel(
            f"<h2>NotesDesk {__version__}</h2>"
            "<p>Encrypted, offline session notes and treatment plans for solo therapists.</p>"
            f"<p><b>Licence:</b> {notices.PROJECT_LICENSE_WORDS} (SPDX: {notices.PROJECT_LICENSE}).</p>"
            f"<p>Python {platform.python_version()} · Qt {qVersion()} · {platform.system()}</p>"
            f"<p>NotesDesk is built on {len(self.components)} third-party components; their licences "
            "are listed in the next tabs and in THIRD-PARTY-NOTICES.txt beside the program.</p>"
        )
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addWidget(icon)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        return page

    def _components_tab(self) -> QTableWidget:
        table = QTableWidget(len(self.components), 3)
        table.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        for row, component in enumerate(self.components):
            for column, value in enumerate((component.name, component.version, component.licence)):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(row, column, item)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        table.setAccessibleName("Third-party components")
        self.components_table = table
        return table

    def listed_names(self) -> list[str]:
        """The component names as the table shows them (for tests and screen readers alike)."""
        table = self.components_table
        return [item.text() for row in range(table.rowCount()) if (item := table.item(row, 0)) is not None]
