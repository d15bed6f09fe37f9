"""Each practice country's currency (ISO 4217: the alphabetic code and how many minor-unit digits
it has), and the symbol its receipts print. One table, read by the fee schedule and the receipts;
the countries are those Settings offers (core/reports/crisis_lines.py COUNTRIES, a test keeps them
in step). Source: ISO 4217 currency code list (SIX, list one), docs/clinical-sources.md."""

from __future__ import annotations

from dataclasses import dataclass

from notesdesk.core.errors import InvalidInput


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217 alphabetic code
    minor_digits: int  # ISO 4217 "minor unit": 2 for cents and pence
    symbol: str


CURRENCIES: dict[str, Currency] = {
    "USD": Currency("USD", 2, "$"),
    "CAD": Currency("CAD", 2, "CA$"),
    "GBP": Currency("GBP", 2, "£"),
    "EUR": Currency("EUR", 2, "€"),
    "AUD": Currency("AUD", 2, "A$"),
}

COUNTRY_CURRENCY: dict[str, str] = {
    "US": "USD",
    "CA": "CAD",
    "UK": "GBP",
    "IE": "EUR",
    "AU": "AUD",
}
"""The practice's country (the profile's locale) -> its currency's ISO 4217 code."""


def currency_of_country(locale: str) -> Currency:
    """The currency a practice in `locale` charges in; InvalidInput while the country is unset."""
    code = COUNTRY_CURRENCY.get(locale.strip().upper())
    if code is None:
        raise InvalidInput("Set the practice's country first (Settings, or notesdesk profile --country): "
                           "the fees' currency follows it.")
    return CURRENCIES[code]


def currency(code: str) -> Currency:
    found = CURRENCIES.get(code)
    if found is None:
        raise InvalidInput(f"{code[:8]} is not a currency NotesDesk knows.")
    return found


LARGEST_MINOR = 100_000_000  # 1,000,000.00 in a two-digit currency: beyond it, a typing mistake


def parse_amount(text: str, code: str, allow_zero: bool = True) -> int:
    """'120', '120.5', '1,250.00' -> minor units (12000, 12050, 125000), read as a decimal, never as
    a float. More decimals than the currency has, a negative or an absurd amount is refused in one
    line rather than rounded: a receipt must show what was typed."""
    from decimal import Decimal, InvalidOperation

    money = currency(code)
    cleaned = text.strip().replace(",", "").removeprefix(money.symbol).strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"'{text.strip()[:20]}' is not an amount; write it like 120 or 120.50.") from None
    if not value.is_finite():
        raise InvalidInput(f"'{text.strip()[:20]}' is not an amount; write it like 120 or 120.50.")
    scaled = value.scaleb(money.minor_digits)
    if scaled != scaled.to_integral_value():
        raise InvalidInput(f"{money.code} amounts have at most {money.minor_digits} decimals; "
                           f"'{text.strip()[:20]}' has more.")
    minor = int(scaled)
    if minor < 0:
        raise InvalidInput("An amount cannot be negative.")
    if minor == 0 and not allow_zero:
        raise InvalidInput("An amount must be above zero.")
    if minor > LARGEST_MINOR:
        raise InvalidInput(f"{format_amount(minor, code)} is more than NotesDesk records in one amount.")
    return minor


def format_amount(minor: int, code: str) -> str:
    """12050 -> '$120.50'; a negative amount (a credit) -> '-$120.50'."""
    money = currency(code)
    whole, part = divmod(abs(minor), 10**money.minor_digits)
    text = f"{money.symbol}{whole:,}"
    if money.minor_digits:
        text += f".{part:0{money.minor_digits}d}"
    return f"-{text}" if minor < 0 else text
