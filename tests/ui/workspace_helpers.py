"""Helpers for the client-workspace tests."""

from __future__ import annotations

from PySide6.QtCore import Qt


def type_into(qtbot, widget, text: str) -> None:
    """Type like a user; QTest cannot click a newline, so Return is pressed between lines."""
    widget.setFocus()
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def laid_out(widget) -> bool:
    """Shown, and its layout has placed the children at the widget's present size: what a test waits
    for after a resize or a tab switch, instead of a fixed pause."""
    layout = widget.layout()
    return bool(widget.isVisible()) and (layout is None or layout.geometry() == widget.contentsRect())


def painted(widget) -> bool:
    """Something dark is on screen in the widget (a rendered PDF page's text, say), not only blank."""
    image = widget.grab().toImage().scaled(200, 200)
    return any(image.pixelColor(x, y).lightness() < 128 for x in range(image.width())
               for y in range(image.height()))
