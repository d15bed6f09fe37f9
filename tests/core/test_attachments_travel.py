"""Attachments survive a backup and its restore, and the practice export and its import."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import replace
from pathlib import Path

import pytest

from notesdesk.core import reports
from notesdesk.core.backup import service
from notesdesk.core.backup.container import BackupDamaged
from notesdesk.core.domain.attachments import AttachmentKind
from notesdesk.core.exports import fhir, practice, record
from notesdesk.core.services import attachments, clients, summary, verify
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.core.test_attachments import MB, PNG_HEAD, add, read, scan
from tests.core.test_fhir import bundle_model
from tests.core.test_reports import OPTIONS
from tests.core.test_reports_data import flat, pdf_text

EXPORT_PASSPHRASE = "export passphrase for the move"


def test_a_20_mb_attachment_round_trips_through_backup_and_restore(
    vault: Vault, vault_path: Path, tmp_path: Path
) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Bk ")).id
    data = scan(20 * MB)
    kept = add(vault, cid, data, name="scanned intake form.pdf")
    backup = service.make_backup(vault, tmp_path / "backups")
    later = add(vault, cid, scan(3000))  # after the backup: gone on restore
    vault.close()
    assert b"scanned intake form" not in backup.read_bytes()
    service.restore(backup, vault_path, passphrase=PASSPHRASE)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as restored:
        assert [a.id for a in attachments.list_attachments(restored.unit_of_work(), cid)] == [kept]
        assert read(restored, kept) == data  # byte for byte
        assert later != kept
        assert verify.verify_vault(restored.unit_of_work()).ok


def test_the_practice_export_carries_attachments_and_the_import_checks_them(
    vault: Vault, tmp_path: Path
) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Ex ")).id
    pdf, png = scan(2 * MB + 5), PNG_HEAD + b"\x01" * 500
    pdf_id, png_id = add(vault, cid, pdf), add(vault, cid, png, name="photo.png")
    data = practice.export_practice(vault, EXPORT_PASSPHRASE)
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    counts = practice.import_practice(target, data, EXPORT_PASSPHRASE)
    assert counts["attachments"] == 2 and counts["attachment_chunks"] == 4
    assert read(target, pdf_id) == pdf and read(target, png_id) == png
    assert verify.verify_vault(target.unit_of_work()).ok
    target.close()


def test_an_export_with_an_altered_attachment_imports_nothing(vault: Vault, tmp_path: Path) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Al ")).id
    add(vault, cid, scan(2 * MB))
    export = practice.read_export(practice.export_practice(vault, EXPORT_PASSPHRASE), EXPORT_PASSPHRASE)
    chunks = export.records.attachment_chunks
    altered = replace(chunks[0], data=chunks[0].data[:-1] + b"!")
    variants = {
        "altered": (altered, *chunks[1:]),
        "missing": chunks[:1],
        "swapped": (replace(chunks[0], part=chunks[1].part), replace(chunks[1], part=chunks[0].part)),
    }
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    for name, crafted in variants.items():
        bad = replace(export, records=replace(export.records, attachment_chunks=crafted))
        with pytest.raises(BackupDamaged, match="Nothing was imported"):
            practice.import_practice(target, practice.seal_export(bad, EXPORT_PASSPHRASE), EXPORT_PASSPHRASE)
        with target.unit_of_work() as uow:
            assert uow.clients.ids() == [] and uow.attachment_chunks.ids() == [], name
    target.close()


def test_the_client_record_lists_attachments_without_their_bytes(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Rc ")).id
    attachments.add_attachment(vault.unit_of_work(), cid, io.BytesIO(scan(4000)), "letter from GP.pdf",
                               "Letter from the GP")
    found = record.client_record(vault.unit_of_work(), cid)
    [listed] = found["attachments"]
    assert listed["title"] == "Letter from the GP" and listed["file_name"] == "letter from GP.pdf"
    assert listed["media_type"] == "application/pdf" and listed["size"] == 4000
    assert "attachment_chunks" not in found


def test_the_fhir_bundle_carries_each_attachment_as_a_document_reference(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Fh ")).id
    png = PNG_HEAD + b"\x02" * 700
    attachments.add_attachment(vault.unit_of_work(), cid, io.BytesIO(png), "referral.png", "Referral",
                               AttachmentKind.LETTER)
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    bundle_model().model_validate(bundle)
    entries = [e["resource"] for e in bundle["entry"]]
    [document] = [r for r in entries if r["resourceType"] == "DocumentReference"]
    content = document["content"][0]["attachment"]
    assert (document["type"]["text"], document["description"]) == ("Letter received", "Referral")
    assert (content["contentType"], content["title"]) == ("image/png", "referral.png")
    assert content["size"] == len(png)
    assert base64.b64decode(content["data"]) == png
    assert content["hash"] == base64.b64encode(hashlib.sha1(png).digest()).decode("ascii")


def test_the_access_request_record_lists_the_attachments(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("Ar ")).id
    attachments.add_attachment(vault.unit_of_work(), cid, io.BytesIO(scan(3 * 1024)), "gp-letter.pdf",
                               "Letter from the GP")
    access = summary.access_record(vault.unit_of_work(), cid)
    text = flat(pdf_text(reports.render_access_record(access, OPTIONS)))
    assert "Attached documents" in text
    assert "Letter from the GP · gp-letter.pdf (application/pdf, 3 KB)" in text
