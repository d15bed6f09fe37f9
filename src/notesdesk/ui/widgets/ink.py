"""Colours that carry a meaning (the red of a risk flag), chosen for the palette in use so that text
in them stays readable in dark mode as in light mode (WCAG 4.5:1 against the window's background).

Everything else takes its colours from the palette itself; only these few need a choice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

RISK_ON_LIGHT = QColor("#b3261e")  # 6.5:1 on white
RISK_ON_DARK = QColor("#ff8a80")  # 7.9:1 on a dark grey (#202124); #b3261e there is only 2.6:1


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def risk_ink(palette: QPalette) -> QColor:
    """The red of a risk flag that reads on this palette's window."""
    return QColor(RISK_ON_DARK if is_dark(palette) else RISK_ON_LIGHT)


def risk_style(palette: QPalette) -> str:
    """The same, as a rich-text style attribute: <b style='…'>."""
    return f" style='color:{risk_ink(palette).name()}'"


class _Restyle(QObject):
    def __init__(self, widget: QWidget, sheet: Callable[[QColor], str]) -> None:
        super().__init__(widget)
        self._widget, self._sheet = widget, sheet
        self.apply()
        widget.installEventFilter(self)

    def apply(self) -> None:
        # The application's palette (the system's light or dark scheme), not the widget's own, which
        # its style sheet changes (a tinted background): the choice would flip back and forth.
        wanted = self._sheet(risk_ink(QApplication.palette()))
        if self._widget.styleSheet() != wanted:  # setting it again would announce a change again
            self._widget.setStyleSheet(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.apply()
        return False


def in_risk_ink(widget: QWidget, sheet: Callable[[QColor], str]) -> None:
    """Give the widget the style sheet `sheet(ink)`, with the risk red for the application's palette,
    again whenever that palette changes (the system switched to dark mode, say)."""
    _Restyle(widget, sheet)
