"""Crisis lines per locale: what Settings offers and what a safety plan prints."""

from __future__ import annotations

from notesdesk.core.reports.crisis_lines import (
    ALIASES,
    COUNTRIES,
    CRISIS_LINES,
    UNKNOWN,
    describe,
    known_locale,
)


def test_every_country_offered_has_lines_and_every_set_of_lines_is_offered():
    assert set(COUNTRIES) == set(CRISIS_LINES)
    assert all(CRISIS_LINES[code].lines for code in COUNTRIES)
    assert "NZ" not in COUNTRIES  # no number for New Zealand checked against a source yet


def test_aliases_lead_to_known_locales():
    assert known_locale("gb") == "UK" and known_locale("en_GB") == "UK" and known_locale(" us ") == "US"
    assert all(target in CRISIS_LINES for target in ALIASES.values())
    assert known_locale("GERMANY") is None and known_locale("NZ") is None


def test_describe_lists_the_lines_and_the_emergency_number():
    assert describe("US").splitlines() == [
        "988 Suicide & Crisis Lifeline: 988 (call or text, any time)",
        "In an emergency, call 911 or go to the nearest emergency department.",
    ]
    assert describe("DE").splitlines() == ["No national crisis line is known for DE.", UNKNOWN.emergency]
