"""Amounts are read as decimals into integer minor units and printed back exactly: no float, no
rounding of what was typed, boundaries refused in one line."""

from __future__ import annotations

import pytest

from notesdesk.core.codes.currencies import (
    COUNTRY_CURRENCY,
    CURRENCIES,
    LARGEST_MINOR,
    currency_of_country,
    format_amount,
    parse_amount,
)
from notesdesk.core.domain.billing import Fee, FeeSchedule
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.errors import InvalidInput
from notesdesk.core.reports.crisis_lines import COUNTRIES


@pytest.mark.parametrize(("typed", "minor"), [
    ("120", 12000), ("120.5", 12050), ("120.50", 12050), ("0.01", 1), ("1,250.00", 125000), ("$85", 8500),
    ("0", 0), ("0.10", 10), ("10000", 1000000), ("1000000", LARGEST_MINOR),
])
def test_amounts_become_exact_minor_units(typed: str, minor: int) -> None:
    assert parse_amount(typed, "USD") == minor


def test_point_one_plus_point_two_is_exactly_thirty_cents() -> None:
    """The classic float error (0.1 + 0.2 = 0.30000000000000004) cannot reach a total."""
    assert parse_amount("0.1", "USD") + parse_amount("0.2", "USD") == parse_amount("0.3", "USD") == 30


@pytest.mark.parametrize(("typed", "says"), [
    ("120.505", "at most 2 decimals"), ("-5", "negative"), ("abc", "not an amount"), ("nan", "not an amount"),
    ("inf", "not an amount"), ("1000000.01", "more than NotesDesk records"), ("", "not an amount"),
])
def test_bad_amounts_are_refused_in_one_line(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as caught:
        parse_amount(typed, "USD")
    assert "\n" not in caught.value.message


def test_a_payment_of_zero_is_refused_but_a_zero_fee_is_not() -> None:
    assert parse_amount("0", "USD", allow_zero=True) == 0
    with pytest.raises(InvalidInput, match="above zero"):
        parse_amount("0.00", "USD", allow_zero=False)


@pytest.mark.parametrize(("minor", "code", "shown"), [
    (0, "USD", "$0.00"), (5, "USD", "$0.05"), (12050, "USD", "$120.50"), (123456789, "USD", "$1,234,567.89"),
    (-5000, "USD", "-$50.00"), (9000, "GBP", "£90.00"), (9000, "EUR", "€90.00"), (9000, "AUD", "A$90.00"),
])
def test_amounts_print_exactly(minor: int, code: str, shown: str) -> None:
    assert format_amount(minor, code) == shown


def test_every_country_settings_offers_has_a_currency_from_the_table() -> None:
    assert set(COUNTRY_CURRENCY) == set(COUNTRIES)
    assert all(code in CURRENCIES for code in COUNTRY_CURRENCY.values())
    assert currency_of_country("UK").code == "GBP" and currency_of_country("ie").code == "EUR"
    with pytest.raises(InvalidInput, match="country first"):
        currency_of_country("")


def test_the_most_specific_fee_applies() -> None:
    schedule = FeeSchedule("USD", (
        Fee(SessionType.INDIVIDUAL, 15000),
        Fee(SessionType.INDIVIDUAL, 14000, Delivery.VIDEO),
        Fee(SessionType.INDIVIDUAL, 17500, None, "90837"),
        Fee(SessionType.COUPLE, 0),
    ))

    def amount(service: SessionType, delivery: Delivery, cpt: str) -> int | None:
        found = schedule.fee_for(service, delivery, cpt)
        return None if found is None else found.amount

    assert amount(SessionType.INDIVIDUAL, Delivery.IN_PERSON, "") == 15000
    assert amount(SessionType.INDIVIDUAL, Delivery.VIDEO, "90834") == 14000
    assert amount(SessionType.INDIVIDUAL, Delivery.VIDEO, "90837") == 17500
    assert amount(SessionType.COUPLE, Delivery.VIDEO, "") == 0
    assert schedule.fee_for(SessionType.GROUP, Delivery.IN_PERSON, "") is None
