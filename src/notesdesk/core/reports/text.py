"""Turning user text into safe Paragraph markup, and dates into words."""

from __future__ import annotations

from datetime import date, datetime, time
from xml.sax.saxutils import escape

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
DASH = "\u2014"


def clean(text: str | None) -> str:
    """Escape user text for Paragraph markup; keep its line breaks; drop control characters."""
    if not text:
        return ""
    text = "".join(ch for ch in str(text) if ch in "\n\t" or ch >= " ")
    lines = [escape(line.rstrip()) for line in text.strip().replace("\r\n", "\n").split("\n")]
    return "<br/>".join(lines)


def long_date(day: date | datetime | None, locale: str = "US") -> str:
    """'March 5, 2026' in the US, '5 March 2026' elsewhere; never the ambiguous 05/03/2026."""
    if day is None:
        return DASH
    month = MONTHS[day.month - 1]
    if locale.upper() == "US":
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"


def short_date(day: date | None, locale: str = "US") -> str:
    """'Mar 5, 2026' / '5 Mar 2026' for tables."""
    if day is None:
        return DASH
    month = MONTHS[day.month - 1][:3]
    if locale.upper() == "US":
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"


def day_month(day: date, locale: str = "US") -> str:
    """'Jan 9' / '9 Jan', for dates within the week on a handout."""
    month = MONTHS[day.month - 1][:3]
    return f"{month} {day.day}" if locale.upper() == "US" else f"{day.day} {month}"


def date_span(start: date, end: date, locale: str = "US") -> str:
    """'Jan 30 – Nov 6, 2026' / '30 Jan – 6 Nov 2026' (the year once when both share it), else two full
    short dates."""
    if start.year != end.year:
        return f"{short_date(start, locale)} \u2013 {short_date(end, locale)}"
    return f"{day_month(start, locale)} \u2013 {short_date(end, locale)}"


def clock(value: time | datetime | None, locale: str = "US") -> str:
    """'4:05 pm' in the US, '16:05' elsewhere."""
    if value is None:
        return ""
    if locale.upper() == "US":
        hour = value.hour % 12 or 12
        return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"
    return f"{value.hour:02d}:{value.minute:02d}"


def time_range(start: time | None, end: time | None, locale: str = "US") -> str:
    if start and end:
        return f"{clock(start, locale)}\u2013{clock(end, locale)}"
    return clock(start, locale) or clock(end, locale)


def stamp(when: datetime, locale: str = "US") -> str:
    """A signature time in this computer's time zone, with the zone named."""
    local = when.astimezone() if when.tzinfo else when
    zone = local.strftime("%Z") if local.tzinfo else ""
    return f"{short_date(local.date(), locale)} {clock(local, locale)} {zone}".strip()


def percent(share: float | None) -> str:
    return DASH if share is None else f"{round(share * 100)}%"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def number(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:g}" if value != int(value) else str(int(value))


# Control characters other than the line break, dropped from text drawn directly; tabs become spaces.
_PLAIN = str.maketrans({**{c: None for c in range(32) if c != 10}, 9: "    ", 127: None})


def plain(text: str | None) -> str:
    """User text for direct drawing (not markup): control characters dropped, tabs as spaces,
    line breaks normalised."""
    if not text:
        return ""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").translate(_PLAIN)
