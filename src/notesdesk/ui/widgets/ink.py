"""Colours that carry a meaning (the red of a risk flag), chosen for the palette in use so that text
in them stays readable in dark mode as in light mode (WCAG 4.5:1 against the window's background).

Everything else takes its colours from the palette itself; only these few need a choice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
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


class _SchemeWatch(QObject):
    """Calls `redraw` when the application's palette changes. Only windows hear that as an event (a
    widget inside one hears nothing, one with a style sheet not even a palette change of its own), so
    it follows the application's signal. Parented to the widget: it goes, and stops, with it."""

    def __init__(self, widget: QWidget, redraw: Callable[[], None]) -> None:
        super().__init__(widget)
        self._redraw = redraw
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.paletteChanged.connect(self._on_palette)

    def _on_palette(self, _palette: QPalette) -> None:
        self._redraw()


def redraw_on_palette_change(widget: QWidget, redraw: Callable[[], None]) -> None:
    """Call `redraw` whenever the application's palette changes (the system switched to dark mode):
    for widgets that bake a colour of their own into their text or palette when they draw it."""
    _SchemeWatch(widget, redraw)


def _restyle(widget: QWidget, sheet: Callable[[QColor], str]) -> None:
    # The application's palette (the system's light or dark scheme), not the widget's own, which
    # its style sheet changes (a tinted background): the choice would flip back and forth.
    wanted = sheet(risk_ink(QApplication.palette()))
    if widget.styleSheet() != wanted:  # setting it again would announce a change again
        widget.setStyleSheet(wanted)


def in_risk_ink(widget: QWidget, sheet: Callable[[QColor], str]) -> None:
    """Give the widget the style sheet `sheet(ink)`, with the risk red for the application's palette,
    again whenever that palette changes (the system switched to dark mode, say)."""
    _restyle(widget, sheet)
    _SchemeWatch(widget, lambda: _restyle(widget, sheet))
