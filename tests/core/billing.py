"""A small synthetic practice with fees, signed sessions and payments, for the billing tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from notesdesk.core.domain.billing import Fee
from notesdesk.core.domain.common import new_id
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import clients, fees, notes, profile
from notesdesk.core.storage.vault import Vault
from tests.core import records

US_PRACTICE = PractitionerProfile(name="Dr Synthetic Test", credentials="PhD, Licensed Psychologist",
                                  contact="1 Example St, Springfield", locale="US", npi="1234567893",
                                  tax_id="12-3456789")


def practice(vault: Vault, locale: str = "US") -> None:
    profile.save_profile(vault.unit_of_work(), replace(US_PRACTICE, locale=locale))


def session(vault: Vault, client_id: str, day: date, start: time = time(10, 0), end: time = time(10, 50),
            service: SessionType = SessionType.INDIVIDUAL, delivery: Delivery = Delivery.IN_PERSON,
            cpt: str = "", mark: str = "secret-text ") -> str:
    note = replace(records.note(client_id, mark), session_date=day, start_time=start, end_time=end,
                   session_type=service, delivery=delivery, cpt_code=cpt)
    created = notes.create_note(vault.unit_of_work(), note)
    return notes.sign_note(vault.unit_of_work(), created.id).id


def client(vault: Vault, mark: str = "R ") -> str:
    return clients.add_client(vault.unit_of_work(), records.client(mark)).id


def fee(vault: Vault, amount: int, service: SessionType = SessionType.INDIVIDUAL,
        delivery: Delivery | None = None, cpt: str = "") -> None:
    fees.set_fee(vault.unit_of_work(), Fee(service, amount, delivery, cpt))


def with_receipt(vault: Vault, client_id: str) -> None:
    """Fees for every service and one receipt over the client's year (a practice with every document)."""
    from notesdesk.core.services import receipts  # reportlab: only for the tests that print

    for service in SessionType:
        fees.set_fee(vault.unit_of_work(), Fee(service, 12000))
    receipts.issue_receipt(vault.unit_of_work(), client_id, date(2026, 1, 1), date(2026, 12, 31))


def issued_twice(vault: Vault, client_id: str, later_total: int) -> tuple[str, str]:
    """The client's one receipt issued again under the same number, as a second computer offline would
    (its own id, five minutes later, another total so the two read apart): (earlier id, later id)."""
    with vault.unit_of_work() as uow:
        (first,) = uow.receipts.where(client_id=client_id)
        later = replace(first, id=new_id(), created_at=first.created_at + timedelta(minutes=5),
                       data=replace(first.data, total=later_total))
        uow.receipts.add(later)
        uow.commit()
    return first.id, later.id
