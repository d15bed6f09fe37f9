"""What clients paid: recorded against named sessions or on account, in the practice's currency."""

from __future__ import annotations

from datetime import date

from notesdesk.core.codes.currencies import currency_of_country
from notesdesk.core.domain.billing import REFERENCE_MAX, Payment, PaymentMethod
from notesdesk.core.domain.clients import CONTROL_CHARS
from notesdesk.core.domain.dates import check_not_future, check_record_date
from notesdesk.core.errors import InvalidInput
from notesdesk.core.storage.uow import UnitOfWork


def record_payment(
    uow: UnitOfWork,
    client_id: str,
    amount: int,
    method: PaymentMethod,
    paid_on: date,
    note_ids: tuple[str, ...] = (),
    reference: str = "",
) -> Payment:
    """Store a payment (amount in minor units, above zero). The sessions it pays for must be this
    client's signed notes; none given means on account. Nothing is stored when anything is refused."""
    if amount <= 0:
        raise InvalidInput("A payment must be above zero.")
    check_record_date(paid_on, "payment date")
    check_not_future(paid_on, "payment date")
    reference = reference.strip()
    if len(reference) > REFERENCE_MAX:
        raise InvalidInput(f"A payment's reference is at most {REFERENCE_MAX} characters.")
    if CONTROL_CHARS.search(reference):
        raise InvalidInput("A payment's reference holds control characters; remove them.")
    money = currency_of_country(uow.vault.profile().locale)
    with uow:
        client = uow.clients.get(client_id)
        if note_ids:
            signed = {n.id for n in uow.notes.where(client_id=client.id, signed=1)}
            if any(nid not in signed for nid in note_ids):
                raise InvalidInput("A payment can be for this client's signed sessions only.")
        payment = Payment(client.id, paid_on, amount, money.code, PaymentMethod(method),
                          tuple(dict.fromkeys(note_ids)), reference)
        uow.payments.add(payment)
        uow.commit()
    return payment


def list_payments(uow: UnitOfWork, client_id: str) -> list[Payment]:
    with uow:
        uow.clients.get(client_id)
        found = uow.payments.where(client_id=client_id)
    return sorted(found, key=lambda p: (p.paid_on, p.created_at))


def remove_payment(uow: UnitOfWork, payment_id: str) -> Payment:
    """Take off a payment recorded in error; the audit keeps the fact, and receipts already issued
    keep showing it (they are snapshots)."""
    with uow:
        payment = uow.payments.get(payment_id)
        uow.payments.remove(payment_id)
        uow.commit()
    return payment
