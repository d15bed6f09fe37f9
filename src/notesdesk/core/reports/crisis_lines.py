"""Crisis lines and the emergency number per locale, printed on every safety plan.

Checked against each service's own published number; review yearly. An unknown locale prints no
national line, only the advice to call the local emergency number, plus the plan's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrisisLine:
    name: str
    number: str
    how: str  # without the number: "call or text, any time"

    @property
    def reach(self) -> str:
        """'988 (call or text, any time)'."""
        return f"{self.number} ({self.how})"


@dataclass(frozen=True)
class LocaleLines:
    lines: tuple[CrisisLine, ...]
    emergency: str  # one line, e.g. "In an emergency, call 911."


CRISIS_LINES: dict[str, LocaleLines] = {
    "US": LocaleLines(
        (CrisisLine("988 Suicide & Crisis Lifeline", "988", "call or text, any time"),),
        "In an emergency, call 911 or go to the nearest emergency department.",
    ),
    "UK": LocaleLines(
        (CrisisLine("Samaritans", "116 123", "free, any time"),),
        "In an emergency, call 999 or go to A&E.",
    ),
    "IE": LocaleLines(
        (CrisisLine("Samaritans", "116 123", "free, any time"),),
        "In an emergency, call 112 or 999, or go to the nearest emergency department.",
    ),
    "CA": LocaleLines(
        (CrisisLine("9-8-8 Suicide Crisis Helpline", "9-8-8", "call or text, any time"),),
        "In an emergency, call 911 or go to the nearest emergency department.",
    ),
    "AU": LocaleLines(
        (CrisisLine("Lifeline", "13 11 14", "any time"),),
        "In an emergency, call 000 or go to the nearest emergency department.",
    ),
}

ALIASES = {"GB": "UK", "EN-GB": "UK", "EN-US": "US", "EN-IE": "IE", "EN-CA": "CA", "EN-AU": "AU"}

COUNTRIES: dict[str, str] = {
    "US": "United States",
    "CA": "Canada",
    "UK": "United Kingdom",
    "IE": "Ireland",
    "AU": "Australia",
}
"""What Settings offers, in this order: exactly the locales with lines above (a test keeps it so)."""

UNKNOWN = LocaleLines((), "In an emergency, call your local emergency number or go to the nearest "
                          "emergency department.")
COUNTRY_NOT_SET = "Crisis numbers appear once the practice's country is set in Settings."
# No country yet (a new vault): no number at all, and the page says why.
NOT_SET = LocaleLines((), f"{UNKNOWN.emergency} {COUNTRY_NOT_SET}")


def known_locale(locale: str) -> str | None:
    """The key in CRISIS_LINES for `locale` ("gb", "en_GB" → "UK"), or None when we have no lines."""
    key = locale.strip().upper().replace("_", "-")
    key = ALIASES.get(key, key)
    return key if key in CRISIS_LINES else None


def lines_for(locale: str) -> LocaleLines:
    """The lines for the practice's country: none, with the reason, while the country is unset."""
    if not locale.strip():
        return NOT_SET
    key = known_locale(locale)
    return CRISIS_LINES[key] if key is not None else UNKNOWN


def describe(locale: str) -> str:
    """What the safety plan will print for `locale`, as plain lines for a settings preview."""
    found = lines_for(locale)
    lines = [f"{line.name}: {line.reach}" for line in found.lines]
    if not lines and locale.strip():
        lines.append(f"No national crisis line is known for {locale}.")
    return "\n".join([*lines, found.emergency])
