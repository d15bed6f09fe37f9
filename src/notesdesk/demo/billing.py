"""The demo practice's money: a fee schedule, payments for most recent signed sessions (by card,
cash, transfer or insurance; some still owed, one client paying on account) and a receipt and a
superbill, issued through the receipts service so they are numbered and reprint as issued.

Amounts are in the currency of the practice's country; while it is unset, in US dollars, as the
demo practice's contact details are American (demo/__init__.py DEMO_PROFILE)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from notesdesk.core.codes.currencies import COUNTRY_CURRENCY
from notesdesk.core.domain.billing import Fee, FeeSchedule, Payment, PaymentMethod, ReceiptKind
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import today as real_today
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.errors import InvalidInput
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.vault import Vault

FEES = {  # minor units: what a small private practice might charge
    SessionType.INTAKE: 20000, SessionType.INDIVIDUAL: 15000, SessionType.COUPLE: 18000,
    SessionType.FAMILY: 18000, SessionType.GROUP: 7000, SessionType.TELEHEALTH: 14000,
}
VIDEO_FEE = 14000  # an individual session by video
PAID_SESSIONS = 6  # the latest signed sessions of each active client that get their payments
RECEIPT_DAYS = 90  # the demo's receipt and superbill cover this many days back


def bill_demo(vault: Vault, rng: random.Random) -> tuple[int, int]:
    """Write the fee schedule and payments, issue a receipt and a superbill; (payments, receipts)."""
    code = COUNTRY_CURRENCY.get(vault.profile().locale.upper(), "USD")
    fees = [Fee(service, amount) for service, amount in FEES.items()]
    fees.append(Fee(SessionType.INDIVIDUAL, VIDEO_FEE, Delivery.VIDEO))
    schedule = FeeSchedule(code, tuple(sorted(fees, key=lambda f: f.key)))
    paid = 0
    billed: list[tuple[str, date]] = []
    with vault.unit_of_work() as uow:
        SealedTable(uow.ctx, "secret", FeeSchedule, label="vault setting").add(schedule)
        active = sorted((c for c in uow.clients.all() if c.status == ClientStatus.ACTIVE),
                        key=lambda c: c.id)
        for number, client in enumerate(active):
            signed = sorted((n for n in uow.notes.where(client_id=client.id) if n.is_signed),
                            key=lambda n: n.session_date)[-PAID_SESSIONS:]
            if not signed:
                continue
            billed.append((client.id, signed[-1].session_date))
            on_account = number == 1  # one client pays a round sum in advance
            if on_account:
                uow.payments.add(Payment(client.id, signed[0].session_date, 50000, code,
                                         PaymentMethod.TRANSFER))
                paid += 1
                continue
            for note in signed[:-1]:  # the latest session is still owed
                fee = schedule.fee_for(note.session_type, note.delivery, note.cpt_code)
                if fee is None or fee.amount == 0 or rng.random() < 0.15:
                    continue
                method = rng.choice((PaymentMethod.CARD, PaymentMethod.CARD, PaymentMethod.CASH,
                                     PaymentMethod.TRANSFER, PaymentMethod.INSURANCE))
                uow.payments.add(Payment(client.id, note.session_date, fee.amount, code, method, (note.id,)))
                paid += 1
        uow.commit()
    return paid, _receipts(vault, billed)


def _receipts(vault: Vault, billed: list[tuple[str, date]]) -> int:
    from notesdesk.core.services import receipts  # reportlab: only when the demo is built

    issued = 0
    kinds = [ReceiptKind.RECEIPT, ReceiptKind.SUPERBILL]
    for client_id, last in billed:
        if not kinds:
            break
        end = min(last, real_today())
        kind = kinds[0]
        try:
            if kind == ReceiptKind.SUPERBILL and not _coded(vault, client_id, end):
                continue  # a superbill needs a coded diagnosis: try the next client
            receipts.issue_receipt(vault.unit_of_work(), client_id, end - timedelta(days=RECEIPT_DAYS), end,
                                   kind)
        except InvalidInput:  # nothing signed in that window: try the next client
            continue
        kinds.pop(0)
        issued += 1
    return issued


def _coded(vault: Vault, client_id: str, on: date) -> bool:
    """Record the client's first plan diagnosis ("F41.0 Panic disorder") as a coded one, when the
    offline list knows the code; whether the client now has a coded diagnosis."""
    from notesdesk.core.services import diagnoses

    if diagnoses.list_diagnoses(vault.unit_of_work(), client_id):
        return True
    with vault.unit_of_work() as uow:
        lines = [line for plan in uow.plans.where(client_id=client_id) for line in plan.diagnoses]
    for line in lines[:1]:
        try:
            diagnoses.add_diagnosis(vault.unit_of_work(), client_id, line.split()[0], recorded_on=on)
            return True
        except InvalidInput:
            return False
    return False
