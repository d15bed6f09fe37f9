"""Session times, service and CPT code on notes: checked, signed with the note, exported; a note
signed before these fields existed still verifies."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.codes import cpt
from notesdesk.core.domain.notes import Delivery, NoteFormat, SessionNote, SessionType
from notesdesk.core.errors import InvalidInput
from notesdesk.core.exports import fhir, record
from notesdesk.core.reports import render_access_record
from notesdesk.core.services import clients, diagnoses, notes, summary, verify
from notesdesk.core.services.signatures import signed_body
from notesdesk.core.storage import migrate
from notesdesk.core.storage.sealer import encode
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.core.test_fhir import bundle_model, resources


def _note(cid: str, start: time | None, end: time | None, **more: object) -> SessionNote:
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Synthetic session"})
    return SessionNote(client_id=cid, session_date=date(2026, 11, 2), format=NoteFormat.FREE,
                       sections=sections, start_time=start, end_time=end, **more)  # type: ignore[arg-type]


def test_duration_comes_from_start_and_end() -> None:
    assert _note("c", time(10, 0), time(10, 50)).minutes == 50
    assert _note("c", time(10, 0), None).minutes is None
    assert not _note("c", None, time(10, 50)).has_times


def test_a_note_signed_before_the_new_fields_hashes_as_it_did() -> None:
    """While delivery and CPT code hold their defaults, the signed body is the old encoding."""
    note = _note("c", time(10, 0), time(10, 50))
    later = ',"delivery":"in person","cpt_code":"","risk":null'  # the fields added after the first notes
    old = encode(replace(note, signature=None)).decode().replace(later, "")
    assert signed_body(note) == old
    coded = replace(note, delivery=Delivery.VIDEO, cpt_code="90834")
    assert signed_body(coded).endswith('"signature":null,"delivery":"video","cpt_code":"90834"}')


def test_an_old_vaults_signed_note_still_verifies_after_the_upgrade(legacy_vault: Path) -> None:
    with Vault.open(legacy_vault, passphrase=PASSPHRASE) as vault:
        assert migrate.current_revision(vault.engine) == migrate.head_revision()
        report = verify.verify_vault(vault.unit_of_work())
        assert report.signed_notes == 1
        (client,) = clients.list_clients(vault.unit_of_work())
        diagnoses.add_diagnosis(vault.unit_of_work(), client.id, "F41.1")  # the new table is there


def test_times_service_and_code_are_signed_and_any_change_breaks_the_signature(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("T ")).id
    draft = notes.create_note(vault.unit_of_work(), _note(cid, time(10, 0), time(10, 50),
                                                          session_type=SessionType.COUPLE,
                                                          delivery=Delivery.VIDEO, cpt_code="90847"))
    signed = notes.sign_note(vault.unit_of_work(), draft.id)
    assert notes.verify_note(vault.unit_of_work(), signed, [])
    for changed in (replace(signed, cpt_code="90834"), replace(signed, delivery=Delivery.IN_PERSON),
                    replace(signed, end_time=time(10, 45))):
        assert not notes.verify_note(vault.unit_of_work(), changed, [])
    exported = record.client_record(vault.unit_of_work(), cid)["notes"][0]
    assert (exported["start_time"], exported["end_time"], exported["session_type"], exported["delivery"],
            exported["cpt_code"]) == ("10:00:00", "10:50:00", "couple", "video", "90847")


@pytest.mark.parametrize(
    ("start", "end", "code", "message"),
    [
        (time(10, 0), time(9, 50), "", "The session's end time is not after its start time"),
        (time(10, 0), time(10, 0), "", "The session's end time is not after its start time"),
        (time(10, 0), time(10, 50), "99999", "99999 is not one of the CPT codes NotesDesk knows."),
    ],
)
def test_inconsistent_session_details_are_refused_in_one_line(
    vault: Vault, vault_path: Path, start: time, end: time, code: str, message: str
) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("T ")).id
    before = vault_path.read_bytes()
    with pytest.raises(InvalidInput, match=message):
        notes.create_note(vault.unit_of_work(), _note(cid, start, end, cpt_code=code))
    assert vault_path.read_bytes() == before


def test_signing_checks_the_times_too(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("T ")).id
    draft = notes.create_note(vault.unit_of_work(), _note(cid, time(10, 0), time(10, 50)))
    notes.save_draft(vault.unit_of_work(), replace(draft, end_time=time(9, 0)))  # autosave keeps typing
    with pytest.raises(InvalidInput, match="end time is not after"):
        notes.sign_note(vault.unit_of_work(), draft.id)


def test_cpt_codes_belong_to_us_practices_and_to_the_list() -> None:
    assert cpt.check_cpt("90834", "US") == "90834" and cpt.check_cpt("", "GB") == ""
    assert cpt.cpt_label("90834") == "90834 — psychotherapy, about 45 minutes"
    with pytest.raises(InvalidInput, match="CPT codes are used in the US; this practice's country is GB"):
        cpt.check_cpt("90834", "GB")
    with pytest.raises(InvalidInput, match="not one of the CPT codes"):
        cpt.check_cpt("12345", "us")


def test_a_signed_note_is_a_fhir_encounter_with_its_times_delivery_and_code(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("T ")).id
    draft = notes.create_note(vault.unit_of_work(), _note(cid, time(10, 0), time(10, 50),
                                                          delivery=Delivery.VIDEO, cpt_code="90834"))
    notes.sign_note(vault.unit_of_work(), draft.id)
    notes.create_note(vault.unit_of_work(), _note(cid, None, None))  # a draft is no encounter
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    bundle_model().model_validate(bundle)
    (encounter,) = resources(bundle, "Encounter")
    assert encounter["status"] == "finished" and encounter["class"]["code"] == "VR"
    assert encounter["type"] == [{"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "90834"}],
                                  "text": "90834 — psychotherapy, about 45 minutes"}]
    start, end = encounter["period"]["start"], encounter["period"]["end"]
    assert start.startswith("2026-11-02T10:00:00") and end.startswith("2026-11-02T10:50:00")
    assert encounter["length"]["value"] == 50 and encounter["serviceType"] == {"text": "individual"}
    (document,) = resources(bundle, "DocumentReference")
    assert document["context"]["encounter"] == [{"reference": f"urn:uuid:{encounter['id']}"}]


def test_the_access_request_record_shows_diagnoses_and_each_sessions_details(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("T ")).id
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1", "worry most days")
    draft = notes.create_note(vault.unit_of_work(), _note(cid, time(10, 0), time(10, 50),
                                                          delivery=Delivery.VIDEO, cpt_code="90834"))
    notes.sign_note(vault.unit_of_work(), draft.id)
    model = summary.access_record(vault.unit_of_work(), cid)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_access_record(model)))
                             .pages).split())
    assert "F41.1 Generalized anxiety disorder — worry most days" in text
    assert "individual · video · 10:00" in text and "CPT 90834" in text
