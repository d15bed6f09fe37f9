"""What a person could read on screen, for tests that check no client data is shown."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication


def visible_text() -> str:
    """Everything a person could read on screen: titles, labels, fields, buttons and list rows."""
    parts: list[str] = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if widget.isWindow():
            parts.append(widget.windowTitle())
        for getter in ("text", "toPlainText"):
            read = getattr(widget, getter, None)
            if callable(read):
                with contextlib.suppress(TypeError):  # text() of a widget that needs an argument
                    parts.append(str(read()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    parts.append(str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole)))
    return "\n".join(parts)
