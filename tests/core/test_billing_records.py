"""Fees, payments and receipts are part of the record: in the JSON export and the record for an
access request, kept by a backup and its restore and by a practice export and import; a receipt's
number is never reused, even after its client's record is destroyed at the end of retention."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.backup import service
from notesdesk.core.domain.billing import PaymentMethod
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.exports import practice, record
from notesdesk.core.exports.snapshot import take
from notesdesk.core.reports import render_access_record
from notesdesk.core.services import clients, fees, payments, receipts, retention, summary
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import billing

FROM, TO = date(2026, 10, 1), date(2026, 10, 31)


def billed(vault: Vault) -> str:
    billing.practice(vault)
    cid = billing.client(vault)
    billing.fee(vault, 15000)
    session = billing.session(vault, cid, date(2026, 10, 5))
    payments.record_payment(vault.unit_of_work(), cid, 15000, PaymentMethod.TRANSFER, date(2026, 10, 6),
                            (session,), "ref 42")
    receipts.issue_receipt(vault.unit_of_work(), cid, FROM, TO)
    return cid


def test_the_json_export_carries_the_payments_and_receipts(vault: Vault) -> None:
    cid = billed(vault)
    exported = json.loads(record.client_record_json(vault.unit_of_work(), cid))
    (paid,) = exported["payments"]
    assert (paid["amount"], paid["currency"], paid["method"], paid["reference"]) == (15000, "USD", "transfer",
                                                                                     "ref 42")
    (issued,) = exported["receipts"]
    data = issued["data"]
    assert (data["number"], data["kind"], data["total"], data["paid"]) == (1, "receipt", 15000, 15000)
    assert data["lines"][0]["start_time"] == "10:00:00" and "secret-text" not in json.dumps(issued)
    assert issued["voided"] is None
    receipts.void_receipt(vault.unit_of_work(), cid, 1, "issued for the wrong month")
    (issued,) = json.loads(record.client_record_json(vault.unit_of_work(), cid))["receipts"]
    assert issued["voided"] == {"on": today().isoformat(), "reason": "issued for the wrong month"}
    schema = Path("docs/export-schema.md").read_text("utf-8")
    assert "| `payments` |" in schema and "| `receipts` |" in schema


def test_the_record_for_an_access_request_lists_payments_and_receipts(vault: Vault) -> None:
    cid = billed(vault)
    model = summary.access_record(vault.unit_of_work(), cid)
    pdf = render_access_record(model)
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Payments and receipts" in text and "transfer" in text and "$150.00" in text
    assert "Receipt 1" in text and "(VOID)" not in text
    receipts.void_receipt(vault.unit_of_work(), cid, 1, "issued for the wrong month")
    pdf = render_access_record(summary.access_record(vault.unit_of_work(), cid))
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Receipt 1 (VOID)" in text


def test_backup_and_restore_keep_fees_payments_receipts_and_the_numbering(
        vault: Vault, vault_path: Path, tmp_path: Path) -> None:
    cid = billed(vault)
    before = take(vault.unit_of_work())
    schedule = fees.fee_schedule(vault.unit_of_work())
    backup = service.make_backup(vault, tmp_path / "backups")
    vault.close()
    service.restore(backup, vault_path, passphrase=PASSPHRASE)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as restored:
        after = take(restored.unit_of_work())
        assert (after.payments, after.receipts) == (before.payments, before.receipts)
        assert fees.fee_schedule(restored.unit_of_work()) == schedule
        _, pdf = receipts.reprint_receipt(restored.unit_of_work(), cid, 1)
        assert "Receipt 1" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        nxt = receipts.issue_receipt(restored.unit_of_work(), cid, FROM, TO)
        assert nxt.receipt.number == 2


def test_a_practice_export_and_import_keep_fees_and_the_next_number(vault: Vault, tmp_path: Path) -> None:
    cid = billed(vault)
    data = practice.export_practice(vault, "export passphrase that is long")
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    practice.import_practice(target, data, "export passphrase that is long")
    assert fees.fee_schedule(target.unit_of_work()) == fees.fee_schedule(vault.unit_of_work())
    assert take(target.unit_of_work()).receipts == take(vault.unit_of_work()).receipts
    assert receipts.issue_receipt(target.unit_of_work(), cid, FROM, TO).receipt.number == 2
    target.close()


def test_a_number_is_never_reused_after_its_clients_record_is_destroyed(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = billed(vault)  # receipt 1
    kept = billing.client(vault, "K ")
    billing.session(vault, kept, date(2026, 10, 7))
    clients.set_status(vault.unit_of_work(), gone, ClientStatus.DISCHARGED, date(2026, 10, 31))
    monkeypatch.setattr(clients, "today", lambda: date(2100, 1, 1))  # long after any retention date
    retention.delete_client_record(vault.unit_of_work(), gone, confirmed=True)
    assert take(vault.unit_of_work()).receipts == ()
    assert receipts.issue_receipt(vault.unit_of_work(), kept, FROM, TO).receipt.number == 2
