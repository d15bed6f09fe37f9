"""Fees, payments and receipts. Money is an int of minor units (cents, pence) in the currency the
practice's country uses (core/codes/currencies.py): never a float, so no total is ever a cent off."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.domain.summaries import PractitionerBlock

FEE_SCHEDULE_ID = "fee-schedule"
RECEIPT_COUNTER_ID = "receipt-counter"

REFERENCE_MAX = 200  # characters of a payment's reference ("card ending 4242", a cheque number)


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    TRANSFER = "transfer"
    INSURANCE = "insurance"


@dataclass(frozen=True)
class Fee:
    """What one session of a service costs. `delivery` None: in person and by video alike; `cpt_code`
    "": whatever code (or none) the note carries. The most specific fee that fits a note applies."""

    service: SessionType
    amount: int  # minor units
    delivery: Delivery | None = None
    cpt_code: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.service.value, self.delivery.value if self.delivery else "", self.cpt_code)

    def fits(self, service: SessionType, delivery: Delivery, cpt_code: str) -> bool:
        return (self.service == service and self.delivery in (None, delivery)
                and self.cpt_code in ("", cpt_code))

    @property
    def specificity(self) -> int:
        return (2 if self.cpt_code else 0) + (1 if self.delivery is not None else 0)

    def describe(self) -> str:
        parts = [self.service.value]
        if self.delivery is not None:
            parts.append(self.delivery.value)
        if self.cpt_code:
            parts.append(f"CPT {self.cpt_code}")
        return ", ".join(parts)


@dataclass(frozen=True)
class FeeSchedule:
    """The practice's fees (a vault-level setting, sealed in the `secret` table)."""

    currency: str  # ISO 4217 code
    fees: tuple[Fee, ...] = ()
    id: str = FEE_SCHEDULE_ID
    updated_at: datetime = field(default_factory=now)

    def fee_for(self, service: SessionType, delivery: Delivery, cpt_code: str) -> Fee | None:
        fitting = [f for f in self.fees if f.fits(service, delivery, cpt_code)]
        return max(fitting, key=lambda f: f.specificity) if fitting else None


@dataclass(frozen=True)
class Payment:
    """What a client paid: for named sessions (their notes' ids), or on account (no sessions)."""

    client_id: str
    paid_on: date
    amount: int  # minor units, above zero
    currency: str
    method: PaymentMethod
    note_ids: tuple[str, ...] = ()
    reference: str = ""
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)


class ReceiptKind(StrEnum):
    RECEIPT = "receipt"
    SUPERBILL = "superbill"  # a receipt with the diagnoses and codes an insurer asks for


@dataclass(frozen=True)
class ReceiptPractice:
    name: str
    credentials: str
    contact: str
    locale: str
    npi: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class ReceiptLine:
    """One session, from its signed note: never the note's text."""

    session_date: date
    start_time: time | None
    end_time: time | None
    minutes: int | None
    service: str  # "individual, video"
    cpt_code: str
    fee: int


@dataclass(frozen=True)
class ReceiptPaymentLine:
    paid_on: date
    method: str
    amount: int


@dataclass(frozen=True)
class ReceiptVoid:
    """A receipt withdrawn after it was issued (issued in error, a wrong period): the day and why. The
    receipt and its number stay; numbers are never reused."""

    on: date
    reason: str


@dataclass(frozen=True)
class ReceiptData:
    """Everything the receipt prints, as it was when it was issued: a reprint renders this and reads
    nothing else, so it is the same document whatever changed since (fees, profile, payments)."""

    number: int
    kind: ReceiptKind
    issued_on: date
    period_from: date
    period_to: date
    currency: str
    practice: ReceiptPractice
    client_name: str
    client_date_of_birth: date | None
    lines: tuple[ReceiptLine, ...]
    diagnoses: tuple[tuple[str, str], ...]  # (ICD-10-CM code, description); superbills only
    payments: tuple[ReceiptPaymentLine, ...]
    total: int
    paid: int
    voided: ReceiptVoid | None = None  # never in the snapshot as issued: set on a reprint of a voided one

    @property
    def practitioner(self) -> PractitionerBlock:
        """The practice's details as every document's header prints them (as issued)."""
        p = self.practice
        return PractitionerBlock(p.name, p.credentials, p.contact, p.locale)

    @property
    def balance(self) -> int:
        """Still owed; below zero, a credit (paid more than these sessions cost)."""
        return self.total - self.paid


@dataclass(frozen=True)
class Receipt:
    """An issued receipt: its number and its sealed snapshot."""

    client_id: str
    data: ReceiptData
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now)
    voided: ReceiptVoid | None = None

    @property
    def number(self) -> int:
        return self.data.number

    @property
    def as_printed(self) -> ReceiptData:
        """What a reprint shows: the snapshot as issued, marked void when it was voided since."""
        return self.data if self.voided is None else replace(self.data, voided=self.voided)


@dataclass(frozen=True)
class ReceiptCounter:
    """The last receipt number issued in this vault (a vault-level setting): numbers are never
    reused, even after the receipt's client record is destroyed at the end of retention."""

    last: int = 0
    id: str = RECEIPT_COUNTER_ID
