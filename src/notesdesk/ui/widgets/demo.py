"""The demo practice never looks like a real vault: a strip across the top that cannot be dismissed,
and the whole window in another tint (from the palette, so it holds in light and dark mode)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from notesdesk.ui.widgets.labels import scaled_font

DEMO_BANNER = (
    "Demo practice — made-up clients. Nothing here is a real person; your own vault is kept apart."
)
TINT = QColor(122, 92, 180)  # violet: no other state of the app uses it
TINT_SHARE = 0.14  # how much of it goes into the window's background


def _mix(base: QColor, share: float) -> QColor:
    return QColor(
        round(base.red() * (1 - share) + TINT.red() * share),
        round(base.green() * (1 - share) + TINT.green() * share),
        round(base.blue() * (1 - share) + TINT.blue() * share),
    )


def tinted(palette: QPalette) -> QPalette:
    """The palette with its window and button backgrounds drawn toward violet; text is left as is."""
    result = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Button):
            result.setColor(group, role, _mix(palette.color(group, role), TINT_SHARE))
    return result


class DemoStrip(QLabel):
    """Always shown in the demo practice; no close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(DEMO_BANNER, parent)
        self.setAccessibleName("Demo practice")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.setAutoFillBackground(True)
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Window, TINT)
            palette.setColor(group, QPalette.ColorRole.WindowText, QColor(Qt.GlobalColor.white))
        self.setPalette(palette)
        margin = self.fontMetrics().height() // 3
        self.setContentsMargins(margin, margin, margin, margin)


def mark_if_demo(window: QWidget, is_demo: bool) -> DemoStrip | None:
    """Tint the window and return the strip to put at its top, when the vault is the demo's."""
    if not is_demo:
        return None
    window.setPalette(tinted(window.palette()))
    return DemoStrip(window)
