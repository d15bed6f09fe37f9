"""Each printed document: its sections and content, read back with pypdf."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from notesdesk.core import reports
from notesdesk.core.domain.summaries import ClientCopyOptions
from notesdesk.core.errors import NotFound
from notesdesk.core.reports import PdfOptions
from notesdesk.core.services import summary
from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import (
    ADDENDUM_TEXT,
    CLIENT_WORDS,
    DIAGNOSIS,
    NAME,
    PRIVATE_TEXT,
    Practice,
    build_practice,
    flat,
    pdf_text,
    phq_scorer,
)

TODAY = date(2026, 3, 4)
OPTIONS = PdfOptions(printed_on=TODAY)


@pytest.fixture
def practice(vault: Vault) -> Practice:
    return build_practice(vault)


def _summary(p: Practice, client_id: str | None = None):
    return summary.client_summary(
        p.vault.unit_of_work(), client_id or p.client_id, measures=phq_scorer, on=TODAY
    )


def test_clinician_summary_has_every_section_and_the_facts(practice: Practice) -> None:
    text = flat(pdf_text(reports.render_clinician_summary(_summary(practice), OPTIONS)))
    for heading in (
        "Treatment summary",
        "Client",
        "Presenting concerns",
        "Diagnoses",
        "Treatment plan",
        "Plan reviews",
        "Sessions attended",
        "Homework and practice",
        "Milestones and phase of care",
        "Measures",
        "Risk and safety",
        "Signature",
    ):
        assert heading in text, heading
    assert NAME in text and DIAGNOSIS in text and CLIENT_WORDS in text
    assert "Attend the weekly team meeting" in text and "Goals still relevant." in text
    assert "7 sessions" in text  # six progress notes and the discharge note
    assert "Worry time, 15 minutes" in text and "Names the worry out loud" in text
    assert "active work" in text and "moderate" in text and "reliable improvement" in text
    assert "Passive thoughts, no plan." in text and "Safety plan: version 1" in text
    fingerprint = _summary(practice).key_fingerprint
    assert fingerprint and fingerprint in text
    assert "Dr. Zoë Ó Briain" in text and "12 Harbour St, Cork" in text  # the header


def test_client_copy_is_plain_and_leaves_clinical_detail_out_unless_ticked(practice: Practice) -> None:
    s = _summary(practice)
    text = flat(
        pdf_text(
            reports.render_client_summary(
                s, OPTIONS, ClientCopyOptions(next_steps=("Try the meeting on Thursday.",))
            )
        )
    )
    for heading in (
        "Your progress so far",
        "What we are working on",
        "What you are practising",
        "Milestones reached",
        "Your progress chart",
        "Next steps",
    ):
        assert heading in text, heading
    assert (
        CLIENT_WORDS in text and "Worry time, 15 minutes" in text and "Try the meeting on Thursday." in text
    )
    assert "Names the worry out loud" in text and "988" in text
    assert DIAGNOSIS not in text and "F41" not in text and "Worry most days" not in text
    assert "moderate" not in text  # band labels are clinical assessment
    ticked = flat(
        pdf_text(
            reports.render_client_summary(
                s, OPTIONS, ClientCopyOptions(include_diagnoses=True, include_assessment=True)
            )
        )
    )
    assert DIAGNOSIS in ticked and "Worry most days" in ticked and "active work" in ticked


def test_client_copy_uses_larger_type(practice: Practice) -> None:
    from notesdesk.core.reports.client_copy import ClientCopy
    from notesdesk.core.reports.clinician import ClinicianSummary

    assert ClientCopy.base_size >= ClinicianSummary.base_size * 1.2


def test_safety_plan_is_one_page_with_seven_sections_and_crisis_lines(practice: Practice) -> None:
    sheet = summary.safety_plan_sheet(practice.vault.unit_of_work(), practice.client_id)
    data = reports.render_safety_plan(sheet, OPTIONS)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = flat(pdf_text(data))
    from notesdesk.core.domain.care import SAFETY_PLAN_SECTIONS

    for _key, title in SAFETY_PLAN_SECTIONS:
        assert title in text, title
    for item in ("Not sleeping", "Walk the dog", "Ania", "555-0100", "Pills kept by Ania", "My daughter"):
        assert item in text
    assert "988" in text and "911" in text


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("US", ("988", "911")),
        ("UK", ("Samaritans", "116 123", "999")),
        ("IE", ("116 123", "112")),
        ("CA", ("9-8-8", "911")),
        ("AU", ("Lifeline", "13 11 14", "000")),
        ("FR", ("local emergency number",)),
        ("", ("local emergency number", "appear once the practice's country is set in Settings")),
    ],
)
def test_safety_plan_prints_the_locale_s_crisis_lines(
    practice: Practice, locale: str, expected: tuple[str, ...]
) -> None:
    sheet = summary.safety_plan_sheet(practice.vault.unit_of_work(), practice.client_id)
    from dataclasses import replace

    sheet = replace(sheet, practitioner=replace(sheet.practitioner, locale=locale))
    text = flat(pdf_text(reports.render_safety_plan(sheet, OPTIONS)))
    for item in expected:
        assert item in text, (locale, item)
    if not locale:  # no country set: no country's numbers guessed (the plan's own lines aside)
        assert "911" not in text and "999" not in text and "000" not in text


def test_a_long_safety_plan_still_fits_one_page(practice: Practice) -> None:
    from dataclasses import replace

    sheet = summary.safety_plan_sheet(practice.vault.unit_of_work(), practice.client_id)
    long_plan = replace(sheet.plan, warning_signs=tuple(f"Warning sign number {i}" for i in range(40)))
    data = reports.render_safety_plan(replace(sheet, plan=long_plan), OPTIONS)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert "Warning sign number 39" in pdf_text(data)


def test_homework_sheet_lists_this_week_s_tasks(practice: Practice) -> None:
    sheet = summary.homework_sheet(
        practice.vault.unit_of_work(), practice.client_id, week_of=date(2026, 1, 7)
    )
    assert sheet.week_start == date(2026, 1, 5)
    text = flat(pdf_text(reports.render_homework_sheet(sheet, OPTIONS)))
    assert "This week's practice" in text and "Worry time, 15 minutes" in text and "Book the dentist" in text
    assert all(day in text for day in ("Mon", "Tue", "Sun")) and "Contain the worry." in text


def test_recovery_sheet_carries_key_vault_id_and_the_warning(created: tuple[Vault, str]) -> None:
    vault, key = created
    data = reports.render_recovery_sheet(summary.recovery_sheet(key, vault.vault_id, TODAY), OPTIONS)
    text = flat(pdf_text(data))
    groups = key.split("-")
    assert all(g in text for g in groups) and vault.vault_id in text
    assert "lose both your passphrase and this recovery key" in text
    assert "March 4, 2026" in text


def test_access_record_has_signed_notes_addenda_plans_and_measures(practice: Practice) -> None:
    record = summary.access_record(practice.vault.unit_of_work(), practice.client_id, measures=phq_scorer)
    assert all(entry.verified for entry in record.notes)
    text = flat(pdf_text(reports.render_access_record(record, OPTIONS)))
    for item in (
        "Record of care",
        "Progress notes",
        "Treatment plans",
        "Questionnaire scores",
        "Session 1 report.",
        "Session 6 report.",
        ADDENDUM_TEXT,
        "Signed electronically by Dr. Zoë Ó Briain",
        "signature checked",
        DIAGNOSIS,
        "Attend the weekly team meeting",
        "Goes to meetings again.",
    ):
        assert item in text, item
    assert PRIVATE_TEXT not in text and "Psychotherapy notes" not in text


def test_access_record_includes_psychotherapy_notes_only_when_asked(practice: Practice) -> None:
    record = summary.access_record(practice.vault.unit_of_work(), practice.client_id, include_private=True)
    text = flat(pdf_text(reports.render_access_record(record, OPTIONS)))
    assert PRIVATE_TEXT in text and "Psychotherapy notes" in text


def test_drafts_stay_out_of_the_access_record(vault: Vault) -> None:
    p = build_practice(vault, sessions=2, sign=False)
    record = summary.access_record(vault.unit_of_work(), p.client_id)
    assert record.notes == () and record.drafts_left_out == 3
    assert "Session 1 report." not in pdf_text(reports.render_access_record(record, OPTIONS))


def test_maintenance_plan_comes_from_the_discharge_note(practice: Practice) -> None:
    sheet = summary.maintenance_sheet(practice.vault.unit_of_work(), practice.client_id)
    text = flat(pdf_text(reports.render_maintenance_plan(sheet, OPTIONS)))
    for item in (
        "What changed",
        "Goes to meetings again.",
        "Worry time at 6 pm",
        "Skipping meetings",
        "Restart worry time.",
        "If it lasts two weeks.",
        "When and how to come back",
    ):
        assert item in text, item
    with pytest.raises(NotFound):
        summary.maintenance_sheet(practice.vault.unit_of_work(), practice.bare_id)


def test_psychotherapy_notes_appear_in_no_document_by_default(practice: Practice) -> None:
    uow, cid = practice.vault.unit_of_work, practice.client_id
    s = _summary(practice)
    documents = [
        reports.render_clinician_summary(s, OPTIONS),
        reports.render_client_summary(
            s, OPTIONS, ClientCopyOptions(include_diagnoses=True, include_assessment=True)
        ),
        reports.render_safety_plan(summary.safety_plan_sheet(uow(), cid), OPTIONS),
        reports.render_homework_sheet(summary.homework_sheet(uow(), cid), OPTIONS),
        reports.render_access_record(summary.access_record(uow(), cid), OPTIONS),
        reports.render_maintenance_plan(summary.maintenance_sheet(uow(), cid), OPTIONS),
    ]
    for data in documents:
        assert "PSYNOTE" not in pdf_text(data)


def test_an_empty_record_still_prints_every_document(practice: Practice) -> None:
    bare = _summary(practice, practice.bare_id)
    for data in (
        reports.render_clinician_summary(bare, OPTIONS),
        reports.render_client_summary(bare, OPTIONS),
    ):
        text = flat(pdf_text(data))
        assert "Ann <Smith> & Co" in text  # escaped on the way in, intact on the way out
    homework = summary.homework_sheet(practice.vault.unit_of_work(), practice.bare_id)
    assert "No tasks set for this week." in pdf_text(reports.render_homework_sheet(homework, OPTIONS))
    record = summary.access_record(practice.vault.unit_of_work(), practice.bare_id)
    assert "No signed progress notes." in pdf_text(reports.render_access_record(record, OPTIONS))
    with pytest.raises(NotFound):
        summary.safety_plan_sheet(practice.vault.unit_of_work(), practice.bare_id)
