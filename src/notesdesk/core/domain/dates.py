"""The range a date typed into a record must fall in: a slip of the keyboard (year 1, year 9999)
is refused with a line naming the field, before anything is stored."""

from __future__ import annotations

from datetime import date, timedelta

from notesdesk.core.domain.common import today
from notesdesk.core.errors import InvalidInput

EARLIEST = date(1900, 1, 1)
# An intake or a session may be entered ahead of time (booked, prepared), but not years ahead.
HORIZON = timedelta(days=366)


def check_record_date(day: date, field: str) -> None:
    """Refuse a date before 1900 or more than a year from today, naming the field."""
    if day < EARLIEST:
        raise InvalidInput(f"The {field} is before {EARLIEST.year}.")
    if day > today() + HORIZON:
        raise InvalidInput(f"The {field} is more than a year ahead.")


def check_not_future(day: date, field: str) -> None:
    """Refuse a date after today: something that has not happened yet cannot be recorded as done."""
    if day > today():
        raise InvalidInput(f"The {field} is in the future.")
