"""Dates and times that type freely: the first digit typed into a date or time field opens a plain
text box over it, where the whole value is typed as a person writes it (2025-03-14, 14/03/2025 in the
UK, 20250314; 14:30, 1430, 9.15, 2:30 pm). Enter or leaving the box sets it; Esc leaves the value as
it was. Text that is not a date or time is never guessed at: the box stays open and says why.

Qt's own date and time edits are section by section: typing "2025-03-14" over a selected date kept
the year, and a time showing "--:--" ignored digits until Up was pressed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QLineEdit, QTimeEdit, QToolTip

from notesdesk.ui.widgets.dates import full_year_short_format, parse_date

_TIME = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)
_COMPACT_TIME = re.compile(r"^\s*(\d{1,2})(\d{2})\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)
STARTS = "0123456789"


def parse_time(text: str) -> time:
    """14:30, 1430, 9.15, 9, 2:30 pm, 12 am → a time; ValueError otherwise."""
    match = _TIME.match(text) or _COMPACT_TIME.match(text)
    if not match:
        raise ValueError("not a time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("not a time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)  # ValueError for 25:00 or 14:75


class FreeText(QObject):
    """The text box over one date or time field; `problem` says why the last text was refused."""

    def __init__(self, field: QAbstractSpinBox, accept: Callable[[str], str], hint: str) -> None:
        super().__init__(field)
        self._field, self._accept, self._hint = field, accept, hint
        self.problem = ""
        self.box = QLineEdit(field)
        self.box.setAccessibleName(f"{field.accessibleName()}: type it")
        self.box.setToolTip(hint)
        self.box.hide()
        self.box.installEventFilter(self)
        field.installEventFilter(self)

    def open(self, first: str) -> None:
        self.problem = ""
        self.box.setGeometry(self._field.rect())
        self.box.setFont(self._field.font())
        self.box.setText(first)
        self.box.show()
        self.box.setFocus()
        self.box.setCursorPosition(len(first))

    def commit(self) -> bool:
        """Set what was typed; False (box kept open, problem said) when it is not a value."""
        if not self.box.isVisible():
            return True
        self.problem = self._accept(self.box.text())
        if self.problem:
            QToolTip.showText(self.box.mapToGlobal(self.box.rect().bottomLeft()), self.problem, self.box)
            self.box.selectAll()
            return False
        self.close()
        return True

    def close(self) -> None:
        self.box.hide()
        self._field.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self._field and event.type() == QEvent.Type.KeyPress:
            key = event if isinstance(event, QKeyEvent) else None
            if key is not None and self.box.isVisible() and key.text().isprintable() and key.text():
                self.box.insert(key.text())  # typed on while the box takes the focus
                return True
            if key is not None and key.text() and key.text() in STARTS and not self._field.isReadOnly() \
                    and self._field.isEnabled() and not key.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.open(key.text())
                return True
        if watched is self.box:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() == Qt.Key.Key_Escape:
                self.problem = ""
                self.close()
                return True
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.commit()
                return True  # Enter sets the date: it never reaches a dialog's default button
            if event.type() == QEvent.Type.FocusOut and self.box.isVisible():
                self.commit()
        return super().eventFilter(watched, event)


class DateField(QDateEdit):
    """A date: arrows and the calendar as before, and the whole date typed as one text."""

    def __init__(self, value: QDate) -> None:
        super().__init__(value)
        fmt = full_year_short_format(self.locale())
        example = QDate(2025, 3, 14).toString(fmt) if self.locale().language() != self.locale().Language.C \
            else ""
        self.examples = "2025-03-14" + (f" or {example}" if example and example != "2025-03-14" else "")
        self.free = FreeText(self, self._typed, f"Type the date as {self.examples}")

    def _typed(self, text: str) -> str:
        try:
            day: date = parse_date(text, self.locale())
        except ValueError:
            return f"Not a date. Type it as {self.examples} (the year in full)."
        shown = QDate(day.year, day.month, day.day)
        if shown < self.minimumDate():
            return f"A date from {self.minimumDate().toString('yyyy-MM-dd')} on, please."
        if shown > self.maximumDate():  # a discharge or hold date: today at the latest
            return f"A date up to {self.maximumDate().toString('yyyy-MM-dd')}, please."
        self.setDate(shown)
        return ""


class TimeField(QTimeEdit):
    """A time that may be unset: the minimum (00:00) shows as '--:--' and reads back as None. Typed
    digits open the free text box (14:30, 1430, 2:30 pm); an empty box sets it back to --:--."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setDisplayFormat("HH:mm")
        self.setMinimumTime(QTime(0, 0))
        self.setSpecialValueText("--:--")
        self.setAccessibleName(name)
        self.setToolTip("Type it (14:30, 1430, 2:30 pm) or use the arrows; leave at --:-- when not recorded")
        self.free = FreeText(self, self._typed, "Type the time as 14:30, 1430 or 2:30 pm")

    def _typed(self, text: str) -> str:
        if not text.strip():
            self.set_value(None)
            return ""
        try:
            self.set_value(parse_time(text))
        except ValueError:
            return "Not a time. Type it as 14:30, 1430 or 2:30 pm."
        return ""

    def value(self) -> time | None:
        t = self.time()
        return None if t == QTime(0, 0) else time(t.hour(), t.minute())

    def set_value(self, value: time | None) -> None:
        self.setTime(QTime(value.hour, value.minute) if value else QTime(0, 0))
