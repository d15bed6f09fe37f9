"""Receipts and superbills: what they show, the money on them, their numbers, their privacy, and a
reprint that is the same document as the first print."""

from __future__ import annotations

import io
import subprocess
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.domain.billing import PaymentMethod, ReceiptKind
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import Delivery, PrivateNote, SessionType
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.services import diagnoses, notes, payments, profile, receipts
from notesdesk.core.storage.vault import Vault
from tests.core import billing, records

FROM, TO = date(2026, 10, 1), date(2026, 10, 31)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pages_of(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    """Each page rendered by poppler (what a reader or printer shows), as PNG bytes."""
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(folder / name)], check=True)
    return [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.png"))]


def practice_with_sessions(vault: Vault) -> tuple[str, list[str]]:
    billing.practice(vault)
    cid = billing.client(vault)
    billing.fee(vault, 15000)
    billing.fee(vault, 14000, delivery=Delivery.VIDEO)
    billing.fee(vault, 0, service=SessionType.COUPLE)  # a zero fee: listed, costs nothing
    sessions = [
        billing.session(vault, cid, date(2026, 10, 5), cpt="90834"),
        billing.session(vault, cid, date(2026, 10, 12), time(16, 0), time(16, 55), delivery=Delivery.VIDEO,
                        cpt="90837"),
        billing.session(vault, cid, date(2026, 10, 19), service=SessionType.COUPLE),
    ]
    return cid, sessions


def test_a_receipt_lists_each_session_with_its_fee_and_the_totals(vault: Vault) -> None:
    cid, sessions = practice_with_sessions(vault)
    payments.record_payment(vault.unit_of_work(), cid, 10000, PaymentMethod.CARD, date(2026, 10, 5),
                            (sessions[0],))
    issued = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    data = issued.receipt.data
    assert [line.fee for line in data.lines] == [15000, 14000, 0]
    assert [line.minutes for line in data.lines] == [50, 55, 50]
    assert (data.total, data.paid, data.balance) == (29000, 10000, 19000)
    shown = text_of(issued.pdf)
    for expected in ("Receipt 1", "R name Ó Briain", "Feb 29, 1988", "Dr Synthetic Test", "1234567893",
                     "12-3456789", "Oct 12, 2026", "4:00 pm–4:55 pm", "individual, video", "90837",
                     "$150.00", "$140.00", "$0.00", "$290.00", "$100.00", "Balance due", "$190.00"):
        assert expected in shown, expected
    assert "Diagnoses" not in shown  # a receipt, not a superbill


def test_an_overpayment_shows_as_a_credit(vault: Vault) -> None:
    cid, sessions = practice_with_sessions(vault)
    payments.record_payment(vault.unit_of_work(), cid, 20000, PaymentMethod.CASH, date(2026, 10, 5),
                            (sessions[0],))
    payments.record_payment(vault.unit_of_work(), cid, 15000, PaymentMethod.TRANSFER, date(2026, 10, 20))
    payments.record_payment(vault.unit_of_work(), cid, 99900, PaymentMethod.CASH, date(2026, 11, 2))  # after
    issued = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    assert (issued.receipt.data.paid, issued.receipt.data.balance) == (35000, -6000)
    shown = text_of(issued.pdf)
    assert "Credit" in shown and "$60.00" in shown and "Balance due" not in shown and "$999.00" not in shown


def test_two_receipts_take_consecutive_numbers_and_a_refused_one_takes_none(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    cid, _sessions = practice_with_sessions(vault)
    first = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO).receipt
    with pytest.raises(InvalidInput, match="No signed session"):
        receipts.issue_receipt(vault.unit_of_work(), cid, date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(InvalidInput, match="after its --to"):
        receipts.issue_receipt(vault.unit_of_work(), cid, TO, FROM)

    def broken_printer(*_args: object, **_kwargs: object) -> bytes:
        raise OSError("the renderer failed")

    monkeypatch.setattr(receipts, "render", broken_printer)
    with pytest.raises(OSError):
        receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    monkeypatch.undo()
    second = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO).receipt
    assert (first.number, second.number) == (1, 2)
    assert [r.number for r in receipts.list_receipts(vault.unit_of_work(), cid)] == [1, 2]
    other = billing.client(vault, "S ")
    billing.session(vault, other, date(2026, 10, 7))
    assert receipts.issue_receipt(vault.unit_of_work(), other, FROM, TO).receipt.number == 3  # per vault


def test_a_session_without_a_fee_refuses_the_receipt_and_names_the_service(vault: Vault) -> None:
    cid, _sessions = practice_with_sessions(vault)
    billing.session(vault, cid, date(2026, 10, 26), service=SessionType.GROUP)
    with pytest.raises(InvalidInput, match="no fee for group, in person"):
        receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    assert receipts.list_receipts(vault.unit_of_work(), cid) == []


def test_no_fee_schedule_no_receipt(vault: Vault) -> None:
    billing.practice(vault)
    cid = billing.client(vault)
    billing.session(vault, cid, date(2026, 10, 5))
    with pytest.raises(InvalidInput, match="No fees are set"):
        receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)


def test_a_receipt_never_shows_note_text_psychotherapy_notes_or_drafts(vault: Vault) -> None:
    cid, _sessions = practice_with_sessions(vault)
    with vault.unit_of_work() as uow:
        uow.private_notes.add(PrivateNote(cid, date(2026, 10, 5), "private-process-words"))
        uow.commit()
    draft = records.note(cid, "draft-words ")
    notes.create_note(vault.unit_of_work(), draft)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    for kind in ReceiptKind:
        shown = text_of(receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO, kind).pdf)
        assert "secret-text" not in shown and "private-process" not in shown and "draft-words" not in shown
        assert "Oct 6, 2026" not in shown  # the draft's date: drafts are not sessions billed
        assert len([line for line in shown.splitlines() if "$" in line]) >= 3


def test_a_superbill_carries_the_diagnoses_and_says_no_claim_was_made(vault: Vault) -> None:
    cid, _sessions = practice_with_sessions(vault)
    with pytest.raises(InvalidInput, match="needs at least one diagnosis"):
        receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO, ReceiptKind.SUPERBILL)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10")
    issued = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO, ReceiptKind.SUPERBILL)
    assert issued.receipt.number == 1  # the refusal used no number
    shown = " ".join(text_of(issued.pdf).split())
    assert "Superbill 1" in shown and "F41.1" in shown and "Generalized anxiety disorder" in shown
    assert "F43.10" in shown and "not submitted a claim" in shown


def test_outside_the_us_no_cpt_npi_or_tax_id_is_printed(vault: Vault) -> None:
    billing.practice(vault, "UK")
    cid = billing.client(vault)
    billing.fee(vault, 9000)
    billing.session(vault, cid, date(2026, 10, 5))
    shown = text_of(receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO).pdf)
    assert "£90.00" in shown and "5 Oct 2026" in shown and "10:00–10:50" in shown
    assert "1234567893" not in shown and "NPI" not in shown and "CPT" not in shown


def test_a_reprint_after_the_fees_and_profile_change_is_the_same_document(
        vault: Vault, tmp_path: Path) -> None:
    cid, sessions = practice_with_sessions(vault)
    payments.record_payment(vault.unit_of_work(), cid, 5000, PaymentMethod.INSURANCE, date(2026, 10, 6),
                            (sessions[1],))
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    first = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO, ReceiptKind.SUPERBILL)
    billing.fee(vault, 99000)  # the fees change, a payment and a diagnosis are added, the profile moves
    payments.record_payment(vault.unit_of_work(), cid, 7000, PaymentMethod.CASH, date(2026, 10, 7))
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10")
    profile.save_profile(vault.unit_of_work(), PractitionerProfile(
        name="Someone Else", contact="Elsewhere", locale="US"))
    again, pdf = receipts.reprint_receipt(vault.unit_of_work(), cid, first.receipt.number)
    assert again.id == first.receipt.id
    assert text_of(pdf) == text_of(first.pdf)
    assert pages_of(pdf, tmp_path, "reprint") == pages_of(first.pdf, tmp_path, "first")
    assert "$990.00" not in text_of(pdf) and "Someone Else" not in text_of(pdf)
    fresh = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO, ReceiptKind.SUPERBILL)
    assert "$990.00" in text_of(fresh.pdf)  # a new receipt takes today's fees


def test_reprinting_a_number_the_client_does_not_have_is_refused(vault: Vault) -> None:
    cid, _sessions = practice_with_sessions(vault)
    with pytest.raises(NotFound, match="no receipt yet"):
        receipts.reprint_receipt(vault.unit_of_work(), cid)
    receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    with pytest.raises(NotFound, match="number 7"):
        receipts.reprint_receipt(vault.unit_of_work(), cid, 7)
    with pytest.raises(NotFound, match="no such receipt"):
        receipts.reprint_receipt(vault.unit_of_work(), cid, receipt_id="not-a-receipt-id")


def test_a_number_issued_twice_is_reprinted_by_id_and_never_guessed(vault: Vault) -> None:
    cid, _sessions = practice_with_sessions(vault)
    receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    earlier, later = billing.issued_twice(vault, cid, 1)
    with pytest.raises(InvalidInput, match="issued twice") as refused:
        receipts.reprint_receipt(vault.unit_of_work(), cid, 1)
    said = str(refused.value)
    assert "\n" not in said and earlier[:8] in said and later[:8] in said
    for chosen in (earlier, later):
        assert receipts.reprint_receipt(vault.unit_of_work(), cid, 1, receipt_id=chosen)[0].id == chosen
    assert receipts.find_receipt(vault.unit_of_work(), cid).id == later  # "the latest": issued last


def test_payments_are_checked_before_anything_is_stored(vault: Vault) -> None:
    cid, sessions = practice_with_sessions(vault)
    other = billing.client(vault, "S ")
    theirs = billing.session(vault, other, date(2026, 10, 5))
    with pytest.raises(InvalidInput, match="above zero"):
        payments.record_payment(vault.unit_of_work(), cid, 0, PaymentMethod.CASH, date(2026, 10, 5))
    with pytest.raises(InvalidInput, match="signed sessions only"):
        payments.record_payment(vault.unit_of_work(), cid, 100, PaymentMethod.CASH, date(2026, 10, 5),
                                (theirs,))
    with pytest.raises(InvalidInput, match="in the future"):
        payments.record_payment(vault.unit_of_work(), cid, 100, PaymentMethod.CASH,
                                today() + timedelta(days=30))
    assert payments.list_payments(vault.unit_of_work(), cid) == []
    paid = payments.record_payment(vault.unit_of_work(), cid, 100, PaymentMethod.CARD, date(2026, 10, 5),
                                   (sessions[0], sessions[0]))
    assert paid.note_ids == (sessions[0],) and paid.currency == "USD"


def test_an_npi_with_a_wrong_check_digit_is_refused(vault: Vault) -> None:
    with pytest.raises(InvalidInput, match="check digit"):
        profile.save_profile(vault.unit_of_work(), PractitionerProfile(locale="US", npi="1234567890"))
    with pytest.raises(InvalidInput, match="tax id"):
        profile.save_profile(vault.unit_of_work(), PractitionerProfile(locale="US", tax_id="12345"))
    assert profile.check_npi(" 1234567893 ") == "1234567893"


def test_a_voided_receipt_keeps_its_number_reprints_marked_void_and_audits_no_reason(vault: Vault) -> None:
    cid, _sessions = practice_with_sessions(vault)
    first = receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO).receipt
    for bad, message in (("   ", "Say why"), ("x" * 201, "200 characters")):
        with pytest.raises(InvalidInput, match=message):
            receipts.void_receipt(vault.unit_of_work(), cid, 1, bad)
    with pytest.raises(InvalidInput, match="future"):
        receipts.void_receipt(vault.unit_of_work(), cid, 1, "wrong period", today() + timedelta(days=1))
    with pytest.raises(NotFound, match="no receipt number 7"):
        receipts.void_receipt(vault.unit_of_work(), cid, 7, "wrong period")
    assert receipts.list_receipts(vault.unit_of_work(), cid) == [first]  # nothing changed by a refusal

    why = "Issued for the wrong  month, Canary-Void-31"
    voided = receipts.void_receipt(vault.unit_of_work(), cid, 1, why)
    assert voided.voided is not None and voided.voided.reason == "Issued for the wrong month, Canary-Void-31"
    with pytest.raises(InvalidInput, match="already voided"):
        receipts.void_receipt(vault.unit_of_work(), cid, 1, "again")
    _receipt, pdf = receipts.reprint_receipt(vault.unit_of_work(), cid, 1)
    shown = " ".join(text_of(pdf).split())
    assert "Receipt 1 (VOID)" in shown and "VOID: this receipt was voided on" in shown
    assert "Issued for the wrong month" in shown and "$290.00" in shown  # the snapshot is unchanged
    assert receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO).receipt.number == 2  # 1 not reused
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        entries = [(e.action, e.table, e.detail) for e in vault.audit.entries(uow.session)]
    assert ("void", "receipt", "") in entries and not any("Canary" in detail for *_x, detail in entries)
    vault.close()
    assert b"Canary-Void-31" not in vault.path.read_bytes()
