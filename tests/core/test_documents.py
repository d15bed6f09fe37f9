"""The document registry (core/services/documents.py): every document the app's Reports menu and the
CLI offer renders from a practice's record, and its read is audited under its own name."""

from __future__ import annotations

import io

from pypdf import PdfReader

from notesdesk.core.domain.summaries import ClientCopyOptions
from notesdesk.core.reports import PdfOptions
from notesdesk.core.services.documents import DOCUMENTS, RecordChoice, document_sources, make_document
from notesdesk.core.storage.vault import Vault
from tests.core import billing
from tests.core.test_reports_data import build_practice, flat

CHOICES = {"client": ClientCopyOptions(), "record": RecordChoice(include_private=True)}


def test_every_document_renders_and_its_export_is_audited_by_name(vault: Vault) -> None:
    practice = build_practice(vault)  # once: it has what every document needs
    billing.with_receipt(vault, practice.client_id)
    sources = document_sources(vault.unit_of_work(), practice.client_id)
    for key, kind in DOCUMENTS.items():
        assert not kind.needs or getattr(sources, kind.needs), key
        choice = CHOICES.get(key)
        data = make_document(vault.unit_of_work(), key, practice.client_id, PdfOptions(), choice)
        reader = PdfReader(io.BytesIO(data))
        assert data.startswith(b"%PDF") and reader.pages, key
        assert flat(reader.pages[0].extract_text() or ""), key  # a page with text on it, not a blank
        with vault.unit_of_work() as uow:
            assert uow.session is not None
            last = list(vault.audit.entries(uow.session))[-1]
        assert (last.action, last.row_id) == ("export", practice.client_id), key
        assert last.detail == f"{kind.audit_name(choice)}; not password-protected", key
