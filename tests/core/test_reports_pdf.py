"""The PDF files themselves: fonts embedded, page sizes, page numbers, metadata, encryption."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PasswordType, PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from notesdesk.core import reports
from notesdesk.core.domain.summaries import ClientSummary
from notesdesk.core.reports import Paper, PdfOptions
from notesdesk.core.services import summary
from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import NAME, Practice, build_practice, flat, pdf_text, phq_scorer

TODAY = date(2026, 3, 4)


@pytest.fixture
def practice(vault: Vault) -> Practice:
    return build_practice(vault)


@pytest.fixture
def client_summary(practice: Practice) -> ClientSummary:
    return summary.client_summary(
        practice.vault.unit_of_work(), practice.client_id, measures=phq_scorer, on=TODAY
    )


def _all_documents(practice: Practice, s: ClientSummary, options: PdfOptions) -> dict[str, bytes]:
    uow, cid = practice.vault.unit_of_work, practice.client_id
    return {
        "Treatment summary": reports.render_clinician_summary(s, options),
        "Your progress summary": reports.render_client_summary(s, options),
        "Safety plan": reports.render_safety_plan(summary.safety_plan_sheet(uow(), cid), options),
        "Homework sheet": reports.render_homework_sheet(summary.homework_sheet(uow(), cid), options),
        "Record of care": reports.render_access_record(summary.access_record(uow(), cid), options),
        "Maintenance plan": reports.render_maintenance_plan(summary.maintenance_sheet(uow(), cid), options),
        "Recovery key": reports.render_recovery_sheet(
            summary.recovery_sheet("ABCD-EFGH", "vault-1"), options
        ),
    }


def _font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    assert "/FontFile2" in descriptor.get_object()
    return names


def test_dejavu_is_embedded_and_names_extract_intact(client_summary: ClientSummary) -> None:
    data = reports.render_clinician_summary(client_summary, PdfOptions(printed_on=TODAY))
    reader = PdfReader(io.BytesIO(data))
    names = _font_names(reader)
    assert any("DejaVuSans" in n for n in names), names
    assert not any("Helvetica" in n for n in names), names
    for page in reader.pages:  # every font is a subset of an embedded TrueType file
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    text = pdf_text(data)
    assert NAME in text and "Dr. Zoë Ó Briain" in text


def test_every_document_says_page_x_of_y_and_keeps_client_names_out_of_metadata(
    practice: Practice, client_summary: ClientSummary
) -> None:
    for title, data in _all_documents(practice, client_summary, PdfOptions(printed_on=TODAY)).items():
        reader = PdfReader(io.BytesIO(data))
        total = len(reader.pages)
        assert f"Page 1 of {total}" in (reader.pages[0].extract_text() or ""), title
        assert f"Page {total} of {total}" in (reader.pages[-1].extract_text() or ""), title
        assert "Printed March 4, 2026" in flat(reader.pages[0].extract_text() or ""), title
        meta: Any = reader.metadata or {}
        assert meta.get("/Title") == title
        assert meta.get("/Creator") == "NotesDesk"
        for value in meta.values():
            assert "Wiśniewski" not in str(value) and "Łukasz" not in str(value), (title, value)
        assert b"Wi\\305\\233niewski" not in data and b"Wisniewski" not in data


@pytest.mark.parametrize(("paper", "size"), [(Paper.A4, A4), (Paper.LETTER, LETTER)])
def test_a4_and_us_letter(
    practice: Practice, client_summary: ClientSummary, paper: Paper, size: tuple[float, float]
) -> None:
    for title, data in _all_documents(practice, client_summary, PdfOptions(paper=paper)).items():
        for page in PdfReader(io.BytesIO(data)).pages:
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == (round(size[0]), round(size[1])), (
                title
            )


def test_default_paper_follows_the_locale() -> None:
    assert reports.default_paper("US") is Paper.LETTER and reports.default_paper("CA") is Paper.LETTER
    assert reports.default_paper("UK") is Paper.A4 and reports.default_paper("AU") is Paper.A4


def test_a_password_protected_pdf_opens_only_with_its_password(client_summary: ClientSummary) -> None:
    data = reports.render_clinician_summary(client_summary, PdfOptions(password="tide-lantern-91"))
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    encrypt: Any = reader.trailer["/Encrypt"].get_object()
    assert encrypt["/V"] == 5 and encrypt["/R"] in (5, 6)  # AES-256
    assert reader.decrypt("wrong password") == PasswordType.NOT_DECRYPTED
    with pytest.raises(Exception):  # noqa: B017 - pypdf raises its own error type for a locked file
        reader.pages[0].extract_text()
    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt("tide-lantern-91") != PasswordType.NOT_DECRYPTED
    assert NAME in (reader.pages[0].extract_text() or "")
    assert NAME.encode() not in data


def test_user_text_is_escaped_before_paragraph_markup(client_summary: ClientSummary) -> None:
    from dataclasses import replace

    hostile = replace(
        client_summary,
        presenting_concerns="<b>bold?</b> & <font size=90>big</font> <br/> ]]>",
        identification=replace(client_summary.identification, name="A & B <i>C</i>"),
    )
    text = flat(pdf_text(reports.render_clinician_summary(hostile)))
    assert "<b>bold?</b> & <font size=90>big</font> <br/> ]]>" in text
    assert "A & B <i>C</i>" in text
