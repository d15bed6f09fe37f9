"""Receipts and superbills for a date range: numbered per vault, sealed as the snapshot they print,
and reprinted from that snapshot alone. No claims are submitted; the superbill is handed to the client.

What goes on one: the practice's details (in the US also NPI and tax id when set), the client's name
and date of birth, each signed session in the range from its note's details (date, times, length,
service, CPT code where used, fee under the fee schedule), on a superbill the client's ICD-10-CM
diagnoses, the total, what was paid towards it and the balance. Never a note's text, never a
psychotherapy note.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from notesdesk.core.codes.cpt import uses_cpt
from notesdesk.core.domain.billing import (
    RECEIPT_COUNTER_ID,
    FeeSchedule,
    Payment,
    Receipt,
    ReceiptCounter,
    ReceiptData,
    ReceiptKind,
    ReceiptLine,
    ReceiptPaymentLine,
    ReceiptPractice,
    ReceiptVoid,
)
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.services.fees import stored_schedule
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.uow import UnitOfWork

if TYPE_CHECKING:  # reportlab is loaded only when a receipt is printed
    from notesdesk.core.reports.base import PdfOptions


@dataclass(frozen=True)
class IssuedReceipt:
    receipt: Receipt
    pdf: bytes


def _counter(uow: UnitOfWork) -> SealedTable[ReceiptCounter]:
    return SealedTable(uow.ctx, "secret", ReceiptCounter, label="vault setting")


def _service(note: SessionNote) -> str:
    return f"{note.session_type.value}, {note.delivery.value}"


def _line(note: SessionNote, schedule: FeeSchedule, with_cpt: bool) -> ReceiptLine:
    fee = schedule.fee_for(note.session_type, note.delivery, note.cpt_code)
    if fee is None:
        code = f", CPT {note.cpt_code}" if note.cpt_code else ""
        raise InvalidInput(f"The fee schedule has no fee for {_service(note)}{code} "
                           f"(a session on {note.session_date.isoformat()}); set one with "
                           "'notesdesk fees set' or in Settings. No receipt was made.")
    return ReceiptLine(note.session_date, note.start_time, note.end_time, note.minutes, _service(note),
                       note.cpt_code if with_cpt else "", fee.amount)


def _payments_towards(payments: list[Payment], session_ids: set[str], start: date, end: date
                      ) -> list[Payment]:
    """Payments for any session on the receipt, and payments on account made within its dates."""
    return sorted((p for p in payments
                   if (p.note_ids and session_ids.intersection(p.note_ids))
                   or (not p.note_ids and start <= p.paid_on <= end)),
                  key=lambda p: (p.paid_on, p.created_at))


def _gather(uow: UnitOfWork, client_id: str, start: date, end: date, kind: ReceiptKind, number: int
            ) -> ReceiptData:
    """The receipt's snapshot, inside the caller's unit of work."""
    if start > end:
        raise InvalidInput("The receipt's --from date is after its --to date.")
    profile = uow.vault.profile()
    us = uses_cpt(profile.locale)
    schedule = stored_schedule(uow)
    if schedule is None or not schedule.fees:
        raise InvalidInput("No fees are set yet: set them in Settings or with 'notesdesk fees set'. "
                           "No receipt was made.")
    client = uow.clients.get(client_id)
    sessions = sorted((n for n in uow.notes.where(client_id=client.id, signed=1)
                       if start <= n.session_date <= end),
                      key=lambda n: (n.session_date, n.start_time is None, n.start_time, n.created_at))
    if not sessions:
        raise InvalidInput(f"No signed session between {start.isoformat()} and {end.isoformat()}; "
                           "no receipt was made.")
    lines = tuple(_line(n, schedule, us) for n in sessions)
    diagnoses: tuple[tuple[str, str], ...] = ()
    if kind == ReceiptKind.SUPERBILL:
        coded = sorted(uow.diagnoses.where(client_id=client.id), key=lambda d: (d.recorded_on, d.created_at))
        if not coded:
            raise InvalidInput("A superbill needs at least one diagnosis (notesdesk diagnosis add); "
                               "no superbill was made.")
        diagnoses = tuple((d.code, d.description) for d in coded)
    paid = _payments_towards(uow.payments.where(client_id=client.id), {n.id for n in sessions}, start, end)
    if any(p.currency != schedule.currency for p in paid):
        raise InvalidInput(f"A payment in another currency than the fees ({schedule.currency}) falls in this "
                           "range; no receipt was made.")
    practice = ReceiptPractice(profile.name, profile.credentials, profile.contact, profile.locale,
                               profile.npi if us else "", profile.tax_id if us else "")
    return ReceiptData(
        number=number, kind=kind, issued_on=today(), period_from=start, period_to=end,
        currency=schedule.currency, practice=practice, client_name=client.name,
        client_date_of_birth=client.date_of_birth, lines=lines, diagnoses=diagnoses,
        payments=tuple(ReceiptPaymentLine(p.paid_on, p.method.value, p.amount) for p in paid),
        total=sum(line.fee for line in lines), paid=sum(p.amount for p in paid),
    )


def _next_number(uow: UnitOfWork) -> int:
    """One more than the highest number ever issued in this vault: the counter remembers numbers whose
    receipts were destroyed with their client's record; the receipts themselves cover a vault whose
    counter was lost (an import of an older export)."""
    counter = _counter(uow).find(RECEIPT_COUNTER_ID)
    highest = max((r.number for r in uow.receipts.all()), default=0)
    return max(highest, counter.last if counter else 0) + 1


def paper_options(data: ReceiptData, password: str | None = None) -> PdfOptions:
    """The same paper and date on every print of one receipt: its own snapshot decides them."""
    from notesdesk.core.reports.base import PdfOptions, default_paper

    return PdfOptions(paper=default_paper(data.practice.locale), password=password, printed_on=data.issued_on)


def render(data: ReceiptData, password: str | None = None) -> bytes:
    from notesdesk.core.reports.receipt import render_receipt  # reportlab only when printing

    return render_receipt(data, paper_options(data, password))


def issue_receipt(uow: UnitOfWork, client_id: str, start: date, end: date,
                  kind: ReceiptKind = ReceiptKind.RECEIPT, password: str | None = None) -> IssuedReceipt:
    """Number, render and store a receipt in one unit of work: a refusal or a failed render stores
    nothing and uses no number, so the numbers have no gaps."""
    with uow:
        data = _gather(uow, client_id, start, end, kind, _next_number(uow))
        pdf = render(data, password)
        receipt = uow.receipts.add(Receipt(client_id=client_id, data=data))
        counters = _counter(uow)
        if counters.find(RECEIPT_COUNTER_ID) is None:
            counters.add(ReceiptCounter(data.number))
        else:
            counters.replace(ReceiptCounter(data.number))
        uow.commit()
    return IssuedReceipt(receipt, pdf)


def _in_order(receipt: Receipt) -> tuple[int, object, str]:
    """By number; one number issued twice (two computers offline), the later issued last, on every
    computer alike."""
    return receipt.number, receipt.created_at, receipt.id


def list_receipts(uow: UnitOfWork, client_id: str) -> list[Receipt]:
    with uow:
        uow.clients.get(client_id)
        found = uow.receipts.where(client_id=client_id)
    return sorted(found, key=_in_order)


def numbers_issued_twice(uow: UnitOfWork) -> list[int]:
    """The numbers two or more receipts not voided carry in this vault: two computers of a practice
    that both issued a receipt offline gave it the same number (docs/design-notes.md §9). Voiding
    one of them and issuing it again (a new number) clears it."""
    with uow:
        held = uow.receipts.all()
    counted = Counter(r.number for r in held if r.voided is None)
    return sorted(number for number, times in counted.items() if times > 1)


def find_receipt(uow: UnitOfWork, client_id: str, number: int | None = None, receipt_id: str | None = None
                 ) -> Receipt:
    """The client's receipt `receipt_id` (the one a person selected in a list), else the one numbered
    `number`, else their latest. A number issued twice (two computers offline) is refused rather than
    guessed at: the message names each of its receipts by the start of its id, to choose one."""
    held = list_receipts(uow, client_id)
    if receipt_id is not None:
        exactly = [r for r in held if r.id == receipt_id]
        if not exactly:
            raise NotFound("This client has no such receipt.")
        return _numbered(exactly, number)
    chosen = _numbered(held, number)
    if number is not None:
        twins = [r for r in held if r.number == number]
        if len(twins) > 1:
            which = ", ".join(f"{r.id[:ID_SHOWN]} issued {r.data.issued_on.isoformat()}" for r in twins)
            raise InvalidInput(f"Receipt number {number} was issued twice (on two computers while offline): "
                               f"say which with --id ({which}).")
    return chosen


ID_SHOWN = 8
"""How much of a receipt's id names it where a number was issued twice (the CLI takes a prefix)."""


def _numbered(found: list[Receipt], number: int | None) -> Receipt:
    if number is not None:
        found = [r for r in found if r.number == number]
    if not found:
        raise NotFound("This client has no receipt yet." if number is None
                       else f"This client has no receipt number {number}.")
    return found[-1]


def receipt_data(uow: UnitOfWork, client_id: str, number: int | None = None,
                 audit: AuditAction | None = None, protected: bool | None = None,
                 receipt_id: str | None = None) -> ReceiptData:
    """A stored receipt's snapshot for a reprint (marked VOID when voided since), audited as `audit`."""
    receipt = find_receipt(uow, client_id, number, receipt_id)
    if audit is not None:
        log_receipt(uow, receipt, audit, protected)
    return receipt.as_printed


def log_receipt(uow: UnitOfWork, receipt: Receipt, action: AuditAction, protected: bool | None = None
                ) -> None:
    """Audit a preview, print or export of a receipt: its kind and number, never client data."""
    detail = f"{receipt.data.kind.value} {receipt.number}"
    if protected is not None:
        detail += "; password-protected" if protected else "; not password-protected"
    with uow:
        uow.record(action.value, "receipt", receipt.id, detail=detail)
        uow.commit()


def reprint_receipt(uow: UnitOfWork, client_id: str, number: int | None = None, password: str | None = None,
                    audit: AuditAction = AuditAction.EXPORT, receipt_id: str | None = None
                    ) -> tuple[Receipt, bytes]:
    """The stored receipt rendered again from its snapshot: the same document as the first print.
    `receipt_id`: exactly that receipt (find_receipt says how a number issued twice is chosen)."""
    receipt = find_receipt(uow, client_id, number, receipt_id)
    log_receipt(uow, receipt, audit, password is not None)
    return receipt, render(receipt.as_printed, password)


VOID_REASON_LONGEST = 200


def void_receipt(uow: UnitOfWork, client_id: str, number: int, reason: str, on: date | None = None,
                 receipt_id: str | None = None) -> Receipt:
    """Mark an issued receipt void (issued in error, a wrong period) with the day and why. It stays,
    with its number, and reprints marked VOID; the next receipt takes the next number as always. The
    audit says which receipt, never the reason (it may name the client). `receipt_id`: exactly that
    receipt of the number (the one a person selected in a list showing a number issued twice)."""
    why = " ".join(reason.split())
    if not why:
        raise InvalidInput("Say why the receipt is void (--reason TEXT), e.g. issued for the wrong period.")
    if len(why) > VOID_REASON_LONGEST:
        raise InvalidInput(f"Keep the reason to {VOID_REASON_LONGEST} characters.")
    day = on or today()
    if day > today():
        raise InvalidInput("The day a receipt is voided cannot be in the future.")
    with uow:
        uow.clients.get(client_id)
        held = sorted(uow.receipts.where(client_id=client_id), key=_in_order)
        # A number issued twice: the later of those not voided yet is the one voided.
        in_use = [r for r in held if r.number != number or r.voided is None]
        receipt = _numbered(in_use if any(r.number == number for r in in_use) else held, number)
        if receipt_id is not None:
            receipt = _numbered([r for r in held if r.id == receipt_id], number)
        if receipt.voided is not None:
            raise InvalidInput(f"Receipt {number} was already voided on {receipt.voided.on.isoformat()}.")
        if day < receipt.data.issued_on:
            raise InvalidInput(f"Receipt {number} was issued on {receipt.data.issued_on.isoformat()}: it "
                               "cannot be voided before that.")
        voided = replace(receipt, voided=ReceiptVoid(day, why))
        uow.receipts.replace(voided, action="void")  # the audit names the row, never the reason
        uow.commit()
    return voided
