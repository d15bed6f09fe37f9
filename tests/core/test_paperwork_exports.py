"""Agreements and letters travel with the record: the JSON export, the FHIR bundle (Consent, and a
letter as a DocumentReference), the record for an access request, a backup and its restore."""

from __future__ import annotations

import base64
import importlib
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from notesdesk.core.backup import service
from notesdesk.core.domain.paperwork import Consent, ConsentHow, ConsentKind, LetterTemplate
from notesdesk.core.exports import fhir, record
from notesdesk.core.exports.snapshot import take
from notesdesk.core.reports.base import PdfOptions
from notesdesk.core.services import clients, consent, documents, letters
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records

LETTER = "To whom it may concern,\n\nCanary-Sent-3301 attended every session.\n"


def paperwork(vault: Vault) -> str:
    cid = clients.add_client(vault.unit_of_work(), records.client("X ")).id
    consent.add_consent(vault.unit_of_work(), Consent(cid, ConsentKind.INFORMED, date(2026, 9, 1),
                                                       ConsentHow.VERBAL, note="by video"))
    consent.add_consent(vault.unit_of_work(), Consent(
        cid, ConsentKind.RELEASE, date(2026, 9, 2), to="Dr Rahman (GP)", purpose="coordinating care",
        until=date.today() - timedelta(days=1)))
    letters.send_letter(vault.unit_of_work(), cid, LetterTemplate.WHOM, LETTER)
    return cid


def r4_bundle() -> Any:
    for version in ("R4", "R4B"):
        try:
            return importlib.import_module(f"fhir.resources.{version}.bundle").Bundle
        except ModuleNotFoundError:
            continue
    raise AssertionError("the installed fhir.resources has neither an R4 nor an R4B package")


def test_the_json_record_carries_agreements_and_letters(vault: Vault) -> None:
    cid = paperwork(vault)
    data = record.client_record(vault.unit_of_work(), cid)
    assert sorted((c["kind"], c["how"], c["to"], c["until"]) for c in data["consents"]) == [
        ("informed", "verbal", "", None),
        ("release", "paper", "Dr Rahman (GP)", (date.today() - timedelta(days=1)).isoformat())]
    [sent] = data["letters"]
    assert (sent["template"], sent["body"], sent["with_diagnosis"]) == ("whom", LETTER.strip(), False)


def test_fhir_has_a_consent_per_agreement_and_the_letter_as_a_document(vault: Vault) -> None:
    cid = paperwork(vault)
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    r4_bundle().model_validate(bundle)
    found = [e["resource"] for e in bundle["entry"]]
    informed, released = [r for r in found if r["resourceType"] == "Consent"]
    assert informed["status"] == "active" and informed["scope"]["coding"][0]["code"] == "treatment"
    assert informed["extension"][0]["valueString"] == "agreed verbally"
    assert released["status"] == "inactive"  # its last day was yesterday
    assert released["category"][0]["coding"][0]["code"] == "64292-6"
    assert released["provision"]["actor"][0]["reference"] == {"display": "Dr Rahman (GP)"}
    assert released["provision"]["period"]["end"] == (date.today() - timedelta(days=1)).isoformat()
    [letter] = [r for r in found if r["resourceType"] == "DocumentReference"]
    assert letter["type"]["coding"][0]["code"] == "51852-2"
    assert base64.b64decode(letter["content"][0]["attachment"]["data"]).decode() == LETTER.strip()

    # The client withdraws the informed consent: inactive from that day, the day in an extension
    first = consent.list_consents(vault.unit_of_work(), cid)[0]
    assert first.kind is ConsentKind.INFORMED
    consent.withdraw_consent(vault.unit_of_work(), first.id)
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    r4_bundle().model_validate(bundle)
    informed = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Consent"][0]
    assert informed["status"] == "inactive"
    assert {"url": "urn:notesdesk:fhir:consent-withdrawn", "valueDate": date.today().isoformat()} in \
        informed["extension"]


def test_the_access_request_record_lists_agreements_and_letters_as_sent(vault: Vault) -> None:
    cid = paperwork(vault)
    pdf = documents.make_document(vault.unit_of_work(), "record", cid, PdfOptions())
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Agreements and consent" in text
    assert "Informed consent to treatment, agreed verbally (by video)" in text
    assert "Release of information, signed on paper; to Dr Rahman (GP), for coordinating care" in text
    assert "Letters sent" in text and "Canary-Sent-3301 attended every session." in text


def test_backup_and_restore_keep_agreements_letters_and_templates(
    vault: Vault, vault_path: Path, tmp_path: Path
) -> None:
    cid = paperwork(vault)
    consent.save_template_text(vault.unit_of_work(), ConsentKind.FEES, "Our fees, {client}.")
    before = take(vault.unit_of_work())
    backup = service.make_backup(vault, tmp_path / "backups")
    consent.add_consent(vault.unit_of_work(), Consent(cid, ConsentKind.TELEHEALTH))  # after: gone on restore
    vault.close()
    service.restore(backup, vault_path, passphrase=PASSPHRASE)
    with Vault.open(vault_path, passphrase=PASSPHRASE) as restored:
        after = take(restored.unit_of_work())
        assert after.consents == before.consents and len(after.consents) == 2
        assert after.letters == before.letters
        assert consent.template_text(restored.unit_of_work(), ConsentKind.FEES) == "Our fees, {client}."
