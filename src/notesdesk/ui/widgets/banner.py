"""One banner across the top of the main window for conditions the person must know about (a
read-only vault, a vault in a synced folder). Plain text, the style's warning icon, the system
palette's tooltip colours; dismissible for the session."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.ui.widgets.ink import redraw_on_palette_change


class Banner(QFrame):
    sig_dismissed = Signal()
    """The person closed the banner; it stays hidden until the app is restarted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._tint()
        redraw_on_palette_change(self, self._tint)
        self.setAccessibleName("Notice")
        self._icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._icon.setPixmap(icon.pixmap(size, size))
        self._lines = QVBoxLayout()
        self._lines.setSpacing(2)
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setText("Dismiss")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setAccessibleName("Dismiss this notice")
        self.dismiss_button.setToolTip("Hide this notice until NotesDesk is next started")
        self.dismiss_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin * 2, margin, margin, margin)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._lines, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self._messages: list[str] = []
        self._dismissed = False
        self.hide()

    def _tint(self) -> None:
        """The notice colours of the application's palette (its own is tinted, so not that one).
        Only the two roles are set: the rest follows the window, so a scheme switch reaches it."""
        system, palette, role = QApplication.palette(), self.palette(), QPalette.ColorRole
        wanted = {role.Window: system.color(role.ToolTipBase),
                  role.WindowText: system.color(role.ToolTipText)}
        groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
        if all(palette.color(g, r) == c for g in groups for r, c in wanted.items()):
            return  # setting it again would announce a palette change again
        for group in groups:
            for r, colour in wanted.items():
                palette.setColor(group, r, colour)
        self.setPalette(palette)

    def messages(self) -> list[str]:
        return list(self._messages)

    @property
    def dismissed(self) -> bool:
        return self._dismissed

    def add_message(self, text: str) -> None:
        """Show one more line (the same text twice is shown once)."""
        if not text or text in self._messages:
            return
        self._messages.append(text)
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(text)
        self._lines.addWidget(label)
        self.setAccessibleDescription(" ".join(self._messages))
        self.setVisible(not self._dismissed)

    def dismiss(self) -> None:
        self._dismissed = True
        self.hide()
        self.sig_dismissed.emit()
