"""A date field that may be left empty (date of birth, intake date)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

_EMPTY = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """Shows "Not recorded" at its minimum; Delete or Backspace on the whole field empties it."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText("Not recorded")
        self.setAccessibleName(accessible_name)
        self.set_value(None)

    def value(self) -> date | None:
        current = self.date()
        if current == _EMPTY:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(_EMPTY)
        else:
            self.setDate(QDate(value.year, value.month, value.day))
