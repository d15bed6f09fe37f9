"""Helpers for the client-workspace tests."""

from __future__ import annotations

from PySide6.QtCore import Qt


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a user; QTest cannot click a newline, so Return is pressed between lines."""
    widget.setFocus()
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(widget, Qt.Key_Return)
        qtbot.keyClicks(widget, line)
