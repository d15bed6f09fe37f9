"""The practitioner's details (name, credentials, contact, country): vault-level, sealed, printed on
every document and with every signature."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

from notesdesk.core.domain.clients import CONTROL_CHARS, NAME_MAX
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput
from notesdesk.core.reports.crisis_lines import COUNTRIES, known_locale
from notesdesk.core.storage.uow import UnitOfWork

TAX_ID = re.compile(r"\d{2}-?\d{7}|\d{3}-\d{2}-\d{4}")
CONTACT_MAX = 1000  # characters: a few lines of address, phone and email
# Record-keeping years (retention after service and after majority, the age of majority): at least one,
# since 0 would make a discharged client's record deletable at once (services/retention.py).
YEARS_MIN, YEARS_MAX = 1, 150
YEAR_FIELDS = ("retention_years_after_service", "retention_years_after_majority", "age_of_majority")


def check_profile(profile: PractitionerProfile) -> PractitionerProfile:
    """The details with spaces trimmed, or InvalidInput naming the field that cannot be stored."""
    for label, value in (("name", profile.name), ("credentials", profile.credentials)):
        if len(value.strip()) > NAME_MAX:
            raise InvalidInput(f"The {label} is longer than {NAME_MAX} characters.")
        if CONTROL_CHARS.search(value):
            raise InvalidInput(f"The {label} contains a control character (such as a line break).")
    if len(profile.contact) > CONTACT_MAX:
        raise InvalidInput(f"The contact details are longer than {CONTACT_MAX} characters.")
    for name in YEAR_FIELDS:
        if not YEARS_MIN <= getattr(profile, name) <= YEARS_MAX:
            label = name.replace("_", " ")
            raise InvalidInput(f"The {label} must be whole years from {YEARS_MIN} to {YEARS_MAX}.")
    return replace(profile, name=profile.name.strip(), credentials=profile.credentials.strip(),
                   contact=profile.contact.strip(), npi=check_npi(profile.npi),
                   tax_id=check_tax_id(profile.tax_id))


def check_npi(text: str) -> str:
    """An NPI as stored ("" for none): 10 digits whose last is the Luhn check digit over "80840" and
    the first nine (CMS, NPI check digit), so a mistyped digit is caught before it reaches a superbill."""
    npi = text.strip().replace(" ", "")
    if not npi:
        return ""
    if not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        raise InvalidInput("An NPI is 10 digits.")
    digits = [int(d) for d in "80840" + npi[:9]]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
    if (10 - total % 10) % 10 != int(npi[9]):
        raise InvalidInput("This NPI's check digit does not match; check the 10 digits.")
    return npi


def check_tax_id(text: str) -> str:
    """A tax id as stored ("" for none): an EIN (12-3456789) or SSN (123-45-6789), digits and dashes."""
    tax_id = text.strip()
    if tax_id and not TAX_ID.fullmatch(tax_id):
        raise InvalidInput("A tax id is 9 digits, written 12-3456789 (EIN) or 123-45-6789.")
    return tax_id


def country_code(text: str) -> str:
    """The practice's country as stored ("" to unset it), from a code such as US, UK, GB, AU or IE;
    InvalidInput for a country whose crisis lines NotesDesk does not know."""
    if not text.strip():
        return ""
    known = known_locale(text)
    if known is None:
        choices = ", ".join(COUNTRIES)
        raise InvalidInput(f"No crisis lines are known for '{text.strip()}'; use one of: {choices}.")
    return known


def save_profile(uow: UnitOfWork, profile: PractitionerProfile) -> PractitionerProfile:
    """Store new details in one unit of work; the vault keeps them for the documents printed next.
    The unit of work given only names the vault: the vault writes its own sealed settings."""
    profile = check_profile(profile)
    uow.vault.save_profile(profile)
    return profile


PROFILE_FIELDS = frozenset(f.name for f in fields(PractitionerProfile))


def changed_fields(opened: PractitionerProfile, typed: PractitionerProfile) -> dict[str, str | int]:
    """The fields a person changed in a form: those whose typed value differs from the one the form
    was filled with (not from the profile now, which a sync may have changed meanwhile)."""
    return {name: getattr(typed, name) for name in sorted(PROFILE_FIELDS)
            if getattr(typed, name) != getattr(opened, name)}


def update_fields(uow: UnitOfWork, changed: dict[str, str | int]) -> PractitionerProfile:
    """Store only the fields a person changed (a dialog's, against the values it opened with), onto
    the profile as it is stored now, in one unit of work: a rename that a sync brought in while the
    dialog was open is kept, not reverted by the value the dialog still showed."""
    unknown = sorted(set(changed) - PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(f"The profile has no field {unknown[0][:40]}; nothing was changed.")
    if not changed:
        return uow.vault.profile()
    current = uow.vault.profile()
    for name, value in changed.items():
        if type(value) is not type(getattr(current, name)):
            raise InvalidInput(f"The profile's {name} cannot be {type(value).__name__}; nothing was changed.")
    values: dict[str, Any] = dict(changed)  # of each field's own type: checked above
    checked = check_profile(replace(current, **values))  # bad input: nothing stored
    return uow.vault.update_profile(
        lambda current: check_profile(replace(current, **{name: getattr(checked, name) for name in changed}))
    )
