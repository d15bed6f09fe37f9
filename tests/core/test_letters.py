"""Letters: drafted from the record, checked like the client's copy (no psychotherapy-note text, no
diagnosis unless ticked), kept sealed as printed, reprinted identically, audited without names."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.domain.paperwork import LetterTemplate
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput
from notesdesk.core.reports.paperwork import render_letter
from notesdesk.core.services import clients, diagnoses, letters, notes, plans, profile
from notesdesk.core.storage.vault import Vault
from tests.core import records

CANARY = "Canary-PN-4417 she spoke about the attic and the blue suitcase"


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def client_id(vault: Vault) -> str:
    profile.save_profile(vault.unit_of_work(), PractitionerProfile("Dr Ada Lee", "PhD", "01 555 0101", "IE"))
    cid = clients.add_client(vault.unit_of_work(), records.client("L ")).id
    for day in (date(2026, 10, 6), date(2026, 10, 13)):
        note = notes.create_note(vault.unit_of_work(), replace(records.note(cid, "n "), session_date=day))
        notes.sign_note(vault.unit_of_work(), note.id)
    notes.add_private_note(vault.unit_of_work(), PrivateNote(cid, date(2026, 10, 6), CANARY))
    plan = plans.save_plan(vault.unit_of_work(), records.plan(cid, "goal "))
    plans.activate_plan(vault.unit_of_work(), plan.id)
    diagnoses.add_diagnosis(vault.unit_of_work(), cid, "F43.10")
    return cid


def test_no_draft_ever_holds_a_psychotherapy_note_or_an_unticked_diagnosis(vault: Vault, client_id: str
                                                                          ) -> None:
    for template in LetterTemplate:
        for goals in (False, True):
            body = letters.draft_letter(vault.unit_of_work(), client_id, template, with_goals=goals).body
            assert "Canary-PN" not in body and "suitcase" not in body
            assert "F43.10" not in body and "stress disorder" not in body.casefold()
            letters.send_letter(vault.unit_of_work(), client_id, template, body)  # passes its own check
    ticked = letters.draft_letter(vault.unit_of_work(), client_id, LetterTemplate.GP,
                                  with_diagnosis=True).body
    assert "Diagnosis: F43.10 Post-traumatic stress disorder, unspecified." in ticked
    with pytest.raises(InvalidInput, match="mentions a diagnosis"):
        letters.send_letter(vault.unit_of_work(), client_id, LetterTemplate.GP, ticked)


def test_the_draft_is_filled_from_the_record(vault: Vault, client_id: str) -> None:
    gp = letters.draft_letter(vault.unit_of_work(), client_id, LetterTemplate.GP, with_goals=True,
                              to="Dr Rahman")
    assert gp.sessions == (date(2026, 10, 6), date(2026, 10, 13))
    assert gp.body.startswith("Dear Dr Rahman,\n\nRe: L name Ó Briain, date of birth 29 February 1988")
    assert "has attended 2 sessions with me since 6 October 2026, most recently on 13 October 2026" in gp.body
    assert "The goals we are working on together, in their own words:\n- goal " in gp.body
    assert gp.body.endswith("Yours sincerely,\n\n\nDr Ada Lee, PhD")


@pytest.mark.parametrize("quoted", [
    "As she said: SPOKE about the attic, and the blue suitcase.",  # six words, other case and punctuation
    "Canary-PN-4417",
])
def test_text_from_a_psychotherapy_note_is_refused_and_nothing_stored(
    vault: Vault, client_id: str, quoted: str
) -> None:
    body = f"To whom it may concern,\n\n{quoted}\n"
    if quoted == "Canary-PN-4417":  # fewer words than a quotation: only the whole of a short note counts
        notes.add_private_note(vault.unit_of_work(), PrivateNote(client_id, date(2026, 10, 7), quoted))
    with pytest.raises(InvalidInput, match="quotes a psychotherapy note"):
        letters.send_letter(vault.unit_of_work(), client_id, LetterTemplate.WHOM, body)
    assert letters.list_letters(vault.unit_of_work(), client_id) == []


def test_a_few_shared_everyday_words_are_not_a_quotation(vault: Vault, client_id: str) -> None:
    body = "To whom it may concern,\n\nShe spoke about the attic of the school.\n"  # five words in common
    sent = letters.send_letter(vault.unit_of_work(), client_id, LetterTemplate.WHOM, body)
    assert sent.body == body.strip()


def test_a_letter_is_kept_sealed_and_reprinted_identically(vault: Vault, client_id: str) -> None:
    body = "To whom it may concern,\n\nCanary-Letter-9931 attended.\n"
    sent = letters.send_letter(vault.unit_of_work(), client_id, LetterTemplate.WHOM, body, protected=False)
    first = pdf_text(render_letter(sent))
    profile.save_profile(vault.unit_of_work(), PractitionerProfile("Dr Other", "MSc", "elsewhere", "US"))
    again = letters.reprint_letter(vault.unit_of_work(), sent.id)
    assert again == sent and pdf_text(render_letter(again)) == first
    assert "Dr Ada Lee" in first and "Canary-Letter-9931 attended." in first
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        logged = [(e.action, e.detail) for e in vault.audit.entries(uow.session) if e.table == "letter"
                  and e.action == "export"]
    assert logged == [("export", "letter to whom it may concern; not password-protected"),
                      ("export", "letter to whom it may concern; reprint")]
    vault.close()
    assert b"Canary-Letter-9931" not in vault.path.read_bytes()


@pytest.mark.parametrize("body", ["", "   ", "x\x1b[2Jy", "x" * 20_001])
def test_a_bad_body_is_refused(vault: Vault, client_id: str, body: str) -> None:
    with pytest.raises(InvalidInput):
        letters.send_letter(vault.unit_of_work(), client_id, LetterTemplate.GP, body)
    assert letters.list_letters(vault.unit_of_work(), client_id) == []
