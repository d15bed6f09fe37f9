"""A date field that may be left empty (date of birth, intake date).

Empty means "not recorded" (a placeholder, never text mixed with what is typed). A date can be typed
as year-month-day (1990-02-03, 1990/2/3, 19900203) or in the locale's short format with the year in
full (03/02/1990 in the UK), or picked from a calendar. Text that is not a date is never dropped: the
field says so under itself, and `value()` raises rather than reading it as "not recorded".
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.common import today
from notesdesk.core.errors import InvalidInput
from notesdesk.ui.widgets.labels import InlineMessage, fit_placeholder

EARLIEST = date(1900, 1, 1)
ISO_EXAMPLE = date(1990, 2, 3)
PLACEHOLDER = "Not recorded (year-month-day)"
_ISO = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def full_year_short_format(locale: QLocale) -> str:
    """The locale's short date format with a four-digit year ("dd/MM/yyyy", "M/d/yyyy")."""
    fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def parse_date(text: str, locale: QLocale) -> date:
    """What a person typed, as a date; ValueError when it is not one (two-digit years included:
    "03/02/90" could be 1890, 1990 or 2090, so we ask for the year in full)."""
    match = _ISO.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)  # ValueError for 1990-02-31
    fmt = full_year_short_format(locale)
    for candidate in (fmt, fmt.replace("dd", "d").replace("MM", "M")):
        shown = locale.toDate(text.strip(), candidate)
        if shown.isValid() and len(str(shown.year())) == 4 and str(shown.year()) in text:
            return date(shown.year(), shown.month(), shown.day())
    raise ValueError("not a date")


class OptionalDateEdit(QWidget):
    """An empty field means "not recorded". `calendar_years_back` is the page the calendar opens on
    while the field is empty: 0 for this month, 30 for a date of birth."""

    sig_changed = Signal()
    """Emitted when what the field holds changes (typed, picked, cleared or set)."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None,
                 calendar_years_back: int = 0) -> None:
        super().__init__(parent)
        self._name = accessible_name
        self._years_back = calendar_years_back
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setClearButtonEnabled(True)
        fit_placeholder(self.edit)
        self.edit.setToolTip(f"Type a date such as {self.examples()}, or pick it from the calendar. "
                             "Leave it empty when it is not recorded.")
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("Calendar…")
        self.calendar_button.setAccessibleName(f"{accessible_name}: pick from a calendar")
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setMinimumDate(QDate(EARLIEST.year, EARLIEST.month, EARLIEST.day))
        self.calendar.setGridVisible(True)
        self.calendar.hide()
        self.message = InlineMessage(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setAccessibleName(accessible_name)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.editingFinished.connect(self._on_editing_finished)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.calendar.clicked.connect(self._on_picked)
        self.calendar.activated.connect(self._on_picked)

    # -- reading and setting -------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def problem(self) -> str:
        """Why the typed text is not a date ("" when it is one, or the field is empty); shown under
        the field, so it does not repeat the field's name."""
        text = self.edit.text().strip()
        if not text:
            return ""
        try:
            typed = parse_date(text, self.locale())
        except ValueError:
            return f"Not a date. Type it as {self.examples()} (the year in full) or use the calendar."
        if typed < EARLIEST:
            return f"A date from {EARLIEST.year} on, please."
        return ""

    def value(self) -> date | None:
        """The date, or None when the field is empty. Raises InvalidInput (naming the field) when the
        text is not a date, and says so under the field: it is never read as "not recorded"."""
        text = self.edit.text().strip()
        if not text:
            return None
        problem = self.problem()
        if problem:
            self._show_problem(problem)
            raise InvalidInput(f"{self._name}: {problem[0].lower()}{problem[1:]}")
        return parse_date(text, self.locale())

    def set_value(self, value: date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")
        self.message.clear()

    def examples(self) -> str:
        """How a date can be typed here: "1990-02-03" and, where the locale has one, "03/02/1990"."""
        locale = self.locale()
        if locale.language() == QLocale.Language.C:
            return ISO_EXAMPLE.isoformat()
        local = locale.toString(QDate(ISO_EXAMPLE.year, ISO_EXAMPLE.month, ISO_EXAMPLE.day),
                                full_year_short_format(locale))
        return f"{ISO_EXAMPLE.isoformat()} or {local}"

    # -- typing --------------------------------------------------------------------------------------

    def _on_text_changed(self, _text: str) -> None:
        self.message.clear()  # say nothing while a date is still being typed
        self.sig_changed.emit()

    def _show_problem(self, problem: str) -> None:
        self.message.show_message(problem)
        window = self.window()
        if problem and window is not self and window.height() < window.sizeHint().height():
            window.resize(window.width(), window.sizeHint().height())  # room for the message

    def _on_editing_finished(self) -> None:
        problem = self.problem()
        self._show_problem(problem)
        if not problem and self.edit.text().strip():
            shown = parse_date(self.edit.text(), self.locale()).isoformat()
            if shown != self.edit.text():
                self.edit.setText(shown)  # read back the way it is stored: no doubt about day/month

    # -- the calendar --------------------------------------------------------------------------------

    def _typed(self) -> date | None:
        """The date typed, or None when the field is empty or not (yet) a date; says nothing."""
        if self.problem() or not self.edit.text().strip():
            return None
        return parse_date(self.edit.text(), self.locale())

    def calendar_page(self) -> tuple[int, int]:
        """(year, month) the calendar opens on: the date set, or `calendar_years_back` years ago."""
        current = self._typed()
        if current is None:
            now = today()
            return now.year - self._years_back, now.month
        return current.year, current.month

    def open_calendar(self) -> None:
        year, month = self.calendar_page()
        current = self._typed()
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.calendar.setCurrentPage(year, month)
        self.calendar.adjustSize()
        self.calendar.move(self.mapToGlobal(QPoint(0, self.edit.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _on_picked(self, picked: QDate) -> None:
        self.calendar.hide()
        self.set_value(date(picked.year(), picked.month(), picked.day()))
        self.edit.setFocus()
