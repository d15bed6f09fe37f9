"""Diagnoses: ICD-10-CM codes from the offline list, validated, sealed and audited; in the clinician's
summary, the JSON record, the practice export and FHIR Conditions; never in the client's copy."""

from __future__ import annotations

import gzip
import importlib
import io
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.codes import icd10cm
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.summaries import ClientCopyOptions
from notesdesk.core.errors import Conflict, InvalidInput, NotFound, VaultDamaged
from notesdesk.core.exports import fhir, practice, record
from notesdesk.core.exports.snapshot import take
from notesdesk.core.reports import render_client_summary, render_clinician_summary
from notesdesk.core.services import clients, diagnoses, notes, plans, retention, summary, verify, visits
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.core.test_fhir import bundle_model, resources


def _client(vault: Vault) -> str:
    return clients.add_client(vault.unit_of_work(), records.client("Dx ")).id


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _audited(vault: Vault) -> list[tuple[str, str]]:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return [(e.action, e.table) for e in vault.audit.entries(uow.session)]


def test_the_shipped_list_has_the_codes_a_therapist_records() -> None:
    codes = icd10cm.icd10cm()
    assert codes.release.startswith("ICD-10-CM ")
    assert len(codes.codes) > 70_000
    assert codes.codes["F41.1"] == "Generalized anxiety disorder"
    assert codes.codes["F43.10"] == "Post-traumatic stress disorder, unspecified"
    assert codes.codes["R47.01"] == "Aphasia"  # speech therapists use more than chapter F


@pytest.mark.parametrize(("typed", "code"), [("F41.1", "F41.1"), (" f411 ", "F41.1"), ("F43.10", "F43.10")])
def test_a_code_is_found_typed_with_or_without_its_dot(typed: str, code: str) -> None:
    assert icd10cm.lookup(typed).code == code


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("F41", "F41 is a category, not a code that can be recorded; choose a more specific one "
                "(such as F41.0, F41.1, F41.3)."),
        ("F41.2", "F41.2 is not an ICD-10-CM code"),
        ("Q99.99", "Q99.99 is not an ICD-10-CM code"),
        ("panic", "Give an ICD-10-CM code, for example F41.1."),
        ("", "Give an ICD-10-CM code, for example F41.1."),
    ],
)
def test_an_unknown_code_is_refused_in_one_line(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        icd10cm.lookup(typed)
    assert refused.value.message.startswith(message) and "\n" not in refused.value.message


def test_search_finds_by_code_start_or_by_words() -> None:
    by_code = icd10cm.search("F43.1")
    assert [c.code for c in by_code] == ["F43.10", "F43.11", "F43.12"]
    by_words = icd10cm.search("generalized anx")
    assert [c.code for c in by_words] == ["F41.1"]
    assert len(icd10cm.search("disorder", limit=5)) == 5
    assert icd10cm.search("   ") == []


@pytest.mark.parametrize("words", ["panic", "generalized anx", "disorder of", "fracture fracture", "stress"])
def test_word_search_finds_what_testing_every_description_finds(words: str) -> None:
    codes = icd10cm.icd10cm()
    wanted = [" " + w for w in words.split()]
    every = [c for c, folded in zip(codes.codes, codes.folded, strict=True)
             if all(w in folded for w in wanted)]
    assert [c.code for c in codes.search(words, limit=200)] == every[:200]


def test_the_shipped_list_is_exactly_what_the_package_gives() -> None:
    """scripts/build_icd10cm.py --check, as a test: the data file is current and reproducible."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_icd10cm.py"
    spec = importlib.util.spec_from_file_location("build_icd10cm", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # The text, not the compressed bytes: gzip's header differs between Python versions (3.13 writes
    # another OS byte), and what must match is the list.
    built = gzip.decompress(module.build())
    assert built == gzip.decompress(module.TARGET.read_bytes())
    assert built.startswith(b"# ICD-10-CM ")


def test_add_and_list_a_diagnosis_sealed_and_audited(vault: Vault, vault_path: Path) -> None:
    cid = _client(vault)
    added = diagnoses.add_diagnosis(vault.unit_of_work(), cid, "f41.1", " worry most days ", date(2026, 3, 2))
    assert (added.code, added.description, added.text) == ("F41.1", "Generalized anxiety disorder",
                                                           "worry most days")
    assert added.code_list == icd10cm.icd10cm().release
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10", recorded_on=date(2026, 3, 9))
    listed = diagnoses.list_diagnoses(vault.unit_of_work(), cid)
    assert [d.code for d in listed] == ["F41.1", "F43.10"]
    assert ("create", "diagnosis") in _audited(vault)
    raw = vault_path.read_bytes()
    assert b"Generalized anxiety" not in raw and b"worry most days" not in raw and b"F41.1" not in raw


def test_bad_input_changes_no_stored_byte(vault: Vault, vault_path: Path) -> None:
    cid = _client(vault)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    before = vault_path.read_bytes()
    with pytest.raises(InvalidInput, match="not an ICD-10-CM code"):
        diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.2")
    with pytest.raises(Conflict, match="already recorded"):
        diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F411")
    with pytest.raises(InvalidInput, match="control characters"):
        diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10", "bad\x1b[2J")
    with pytest.raises(InvalidInput, match="at most 2000"):
        diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10", "x" * 2001)
    with pytest.raises(NotFound):
        diagnoses.add_diagnosis(vault.unit_of_work(), "no-such-client", "F43.10")
    assert vault_path.read_bytes() == before


def test_remove_takes_it_off_and_the_audit_keeps_the_fact(vault: Vault) -> None:
    cid = _client(vault)
    added = diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    diagnoses.remove_diagnosis(vault.unit_of_work(), added.id)
    assert diagnoses.list_diagnoses(vault.unit_of_work(), cid) == []
    assert ("delete", "diagnosis") in _audited(vault)


def test_clinician_summary_has_the_codes_and_the_client_copy_none(vault: Vault) -> None:
    cid = _client(vault)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1", "worry most days")
    model = summary.client_summary(vault.unit_of_work(), cid)
    clinician = _text(render_clinician_summary(model))
    assert "F41.1 Generalized anxiety disorder — worry most days" in clinician
    for ticked in (False, True):
        copy = _text(render_client_summary(model, copy=ClientCopyOptions(include_diagnoses=ticked)))
        assert "F41.1" not in copy and "Generalized anxiety" not in copy and "worry most days" not in copy


def test_a_plan_line_naming_the_same_code_is_not_repeated(vault: Vault) -> None:
    cid = _client(vault)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    plan = plans.save_plan(vault.unit_of_work(), records.plan(cid, "p "))
    plans.activate_plan(vault.unit_of_work(), plan.id)
    model = summary.client_summary(vault.unit_of_work(), cid)
    lines = model.clinician_diagnoses
    assert lines[0] == "F41.1 Generalized anxiety disorder"
    assert lines[1:] == tuple(d for d in model.diagnoses if not d.upper().startswith("F41.1"))


def test_fhir_conditions_are_valid_r4_with_the_icd10cm_code(vault: Vault) -> None:
    cid = _client(vault)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1", "worry most days", date(2026, 3, 2))
    bundle = fhir.client_bundle(vault.unit_of_work(), cid)
    bundle_model().model_validate(bundle)
    (condition,) = resources(bundle, "Condition")
    assert condition["code"]["coding"] == [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F41.1",
                                            "display": "Generalized anxiety disorder"}]
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
    assert condition["recordedDate"] == "2026-03-02"
    assert condition["note"] == [{"text": "worry most days"}]
    (patient,) = resources(bundle, "Patient")
    assert condition["subject"]["reference"] == f"urn:uuid:{patient['id']}"


def test_json_record_and_practice_export_carry_diagnoses(vault: Vault, tmp_path: Path) -> None:
    cid = _client(vault)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1", "worry most days")
    exported = record.client_record(vault.unit_of_work(), cid)
    assert [(d["code"], d["description"], d["text"]) for d in exported["diagnoses"]] == [
        ("F41.1", "Generalized anxiety disorder", "worry most days")]
    data = practice.export_practice(vault, "export passphrase for the move")
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    counts = practice.import_practice(target, data, "export passphrase for the move")
    assert counts["diagnoses"] == 1
    assert take(target.unit_of_work()).diagnoses == take(vault.unit_of_work()).diagnoses
    target.close()


def test_verify_opens_every_diagnosis_and_a_flipped_byte_is_damage(vault: Vault, vault_path: Path) -> None:
    cid = _client(vault)
    before = verify.verify_vault(vault.unit_of_work()).records
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F41.1")
    assert verify.verify_vault(vault.unit_of_work()).records == before + 1
    vault.close()
    conn = sqlite3.connect(vault_path)
    (row_id, data) = conn.execute("SELECT id, data FROM diagnosis").fetchone()
    flipped = bytearray(data)
    flipped[20] ^= 0x01
    conn.execute("UPDATE diagnosis SET data = ? WHERE id = ?", (bytes(flipped), row_id))
    conn.commit()
    conn.close()
    with pytest.raises(VaultDamaged), Vault.open(vault_path, passphrase=PASSPHRASE) as reopened:
        verify.verify_vault(reopened.unit_of_work())


def test_retention_destroys_the_diagnoses_and_next_session_with_the_record(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered = datetime(2011, 9, 1, 12, tzinfo=UTC)  # entered then: retention cannot start later
    old = replace(records.client("Old "), intake_date=date(2011, 9, 1), created_at=entered)
    old = clients.add_client(vault.unit_of_work(), old)
    note = replace(records.note(old.id, "n"), session_date=date(2012, 1, 9))
    note = notes.create_note(vault.unit_of_work(), note)
    notes.sign_note(vault.unit_of_work(), note.id)
    diagnoses.add_diagnosis(vault.unit_of_work(), old.id, "F41.1")
    visits.set_next_session(vault.unit_of_work(), old.id, date(2012, 1, 16), every_days=7)
    with monkeypatch.context() as then:  # discharged and recorded in 2012
        then.setattr(clients, "today", lambda: date(2012, 6, 2))
        clients.set_status(vault.unit_of_work(), old.id, ClientStatus.DISCHARGED, date(2012, 6, 1))
    assert retention.delete_client_record(vault.unit_of_work(), old.id, confirmed=True) == 5
    with vault.unit_of_work() as uow:
        assert uow.diagnoses.all() == [] and uow.next_sessions.all() == []


def test_diagnoses_recorded_in_the_same_second_keep_the_order_they_were_recorded(vault: Vault) -> None:
    """The first is the principal diagnosis; timestamps have whole seconds, and ids are random, so
    the order they were recorded in is what breaks a tie (it once fell to the ids)."""
    cid = _client(vault)
    codes = ["F41.1", "F43.10", "F32.1", "F40.10", "F51.01", "F42.2"]
    for code in codes:  # well inside one second, or close: the order must hold either way
        diagnoses.add_diagnosis(vault.unit_of_work(), cid, code)
    assert [d.code for d in diagnoses.list_diagnoses(vault.unit_of_work(), cid)] == codes
