"""Preview from memory, print onto a QPrinter, export, and the documents menu (offscreen)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDir
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from notesdesk.core.domain.common import today
from notesdesk.core.domain.summaries import ClientCopyOptions
from notesdesk.core.reports import PdfOptions, render_clinician_summary
from notesdesk.core.services import summary
from notesdesk.core.services.summary_measures import summary_measures
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.context import AppContext
from notesdesk.ui.printing.documents import (
    NO_MAINTENANCE_PLAN,
    NO_RECEIPT,
    NO_SAFETY_PLAN,
    ExportChoice,
    PdfPreviewDialog,
    RecordChoice,
    ReportActions,
    ReportsMenu,
    export_pdf,
    print_pdf,
)
from notesdesk.ui.printing.view import PdfInMemory
from tests.core import billing
from tests.core.test_reports_data import DIAGNOSIS, PRIVATE_TEXT, Practice, build_practice, flat
from tests.ui.workspace_helpers import painted


@pytest.fixture(autouse=True)
def _previews_closed(qtbot):
    """A preview a test leaves open would stay a visible top-level window for the tests after it."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PdfPreviewDialog) and widget.isVisible():
            widget.close()


@pytest.fixture
def practice(ctx: AppContext) -> Practice:
    built = build_practice(ctx.vault)
    billing.with_receipt(ctx.vault, built.client_id)  # every document of the menu can be made
    return built


@pytest.fixture
def summary_pdf(practice: Practice) -> bytes:
    uow = practice.vault.unit_of_work
    model = summary.client_summary(
        uow(), practice.client_id, measures=summary_measures(uow(), practice.client_id)
    )
    return render_clinician_summary(model, PdfOptions())


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _text(data: bytes) -> str:
    return flat("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _audit(vault: Vault) -> list[tuple[str, str]]:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return [(e.action, e.detail) for e in vault.audit.entries(uow.session) if e.action != "unlock"]


class Previews:
    """Stands in for PdfPreviewDialog: records what would have been shown."""

    def __init__(self) -> None:
        self.shown: list[tuple[bytes, str, str]] = []

    def __call__(self, data: bytes, title: str, parent: Any, suggested_name: str = "", **_: Any) -> None:
        self.shown.append((data, title, suggested_name))


def open_preview(qtbot, ctx: AppContext, practice: Practice, key: str, choice: object = None):
    """The document's preview, as the Reports menu opens it: rendered off the UI thread, then shown."""
    reports = ReportActions(ctx, practice.client_id)
    assert reports.preview(key, choice)
    qtbot.waitUntil(lambda: len(reports._open) == 1, timeout=15000)
    (dialog,) = reports._open
    return reports, dialog


def test_the_preview_loads_a_summary_from_bytes_and_shows_its_pages(qtbot, summary_pdf: bytes) -> None:
    pages = _pages(summary_pdf)
    assert pages >= 2
    dialog = PdfPreviewDialog(summary_pdf, "Treatment summary (clinician copy)")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.page_count() == pages and dialog.pages_label.text() == f"of {pages}"
    assert dialog.view.document().pageCount() == pages
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.current_page() == 1)
    assert dialog.page_box.value() == 2 and dialog.previous_button.isEnabled()
    dialog.go_to(pages - 1)
    qtbot.waitUntil(lambda: dialog.current_page() == pages - 1)
    assert not dialog.next_button.isEnabled()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth and dialog.fit_button.isChecked()
    fitted = dialog.zoom()  # the fitted zoom, not QPdfView's zoomFactor() (1.0 until zoomed by hand)
    assert 0.3 < fitted < 2 and dialog.zoom_label.text() == f"{round(fitted * 100)}%"
    dialog.zoom_in_button.click()  # zooms from what is on screen
    assert dialog.view.zoomFactor() == pytest.approx(fitted * 1.25)
    assert not dialog.fit_button.isChecked() and dialog.zoom_label.text() == f"{round(fitted * 125)}%"
    dialog.page_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitInView
    assert dialog.page_button.isChecked() and not dialog.fit_button.isChecked()
    assert dialog.zoom() < fitted  # a whole page is narrower than the width
    dialog.fit_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth
    assert dialog.zoom() == pytest.approx(fitted)
    dialog.close()
    assert dialog.view.document().pageCount() == 0  # the document is closed, its bytes dropped
    assert dialog.view.document().status() == dialog.view.document().Status.Null


def test_print_renders_every_page_onto_the_printer(qtbot, summary_pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    assert print_pdf(summary_pdf, None, printer=_pdf_printer(out))
    assert _pages(out.read_bytes()) == _pages(summary_pdf)


def test_print_honours_a_page_range(qtbot, summary_pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "page-2.pdf"
    printer = _pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_pdf(summary_pdf, None, printer=printer)
    assert _pages(out.read_bytes()) == 1


def test_export_writes_the_bytes_readable_by_the_owner_only(
    qtbot, summary_pdf: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "treatment-summary.pdf"
    assert export_pdf(summary_pdf, None, "treatment-summary.pdf", path=out) == out
    assert out.read_bytes() == summary_pdf and out.stat().st_mode & 0o777 == 0o600


def test_a_bad_pdf_is_refused_with_a_message(qtbot) -> None:
    from notesdesk.core.errors import NotesdeskError

    with pytest.raises(NotesdeskError):
        PdfInMemory(b"%PDF-1.4 not really")


def test_the_menu_builds_through_the_runner_and_opens_the_preview(
    qtbot, ctx: AppContext, practice: Practice
) -> None:
    previews = Previews()
    menu = ReportsMenu(ctx, lambda: practice.client_id, preview_factory=previews)
    qtbot.addWidget(menu)
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Treatment summary (clinician)…",  # every item opens a preview first: one pattern, one "…"
        "Treatment summary (client copy)…",
        "Safety plan…",
        "Blank safety plan worksheet…",
        "Homework sheet…",
        "Record for an access request…",
        "Maintenance plan…",
        "Consent form…",
        "Latest receipt (reprint)…",
        "Plan signature page…",
    ]
    menu.document_actions["clinician"].trigger()
    qtbot.waitUntil(lambda: len(previews.shown) == 1, timeout=15000)
    data, title, name = previews.shown[0]
    assert data.startswith(b"%PDF") and title == "Treatment summary (clinician copy)"
    # The document, the client's initials in plain letters and the day; never the name (issue 15).
    assert name == f"treatment-summary-clinician-LW-{today().isoformat()}.pdf" and "Wiśniewski" not in name
    assert "recovered on this questionnaire (baseline 14); response and remission met" in _text(data)
    assert PRIVATE_TEXT not in _text(data)
    assert _audit(ctx.vault)[-1] == ("preview", "treatment summary (clinician)")
    for shown, key in enumerate(("safety", "homework", "maintenance", "safety-blank"), start=2):
        menu.document_actions[key].trigger()
        qtbot.waitUntil(lambda shown=shown: len(previews.shown) == shown, timeout=15000)
    assert [t for _d, t, _n in previews.shown[1:]] == ["Safety plan", "Homework sheet", "Maintenance plan",
                                                       "Blank safety plan worksheet"]
    blank = _text(previews.shown[-1][0])
    assert "to fill in together" in blank and "Warning signs that a crisis may be building" in blank
    assert all(d.startswith(b"%PDF") for d, _t, _n in previews.shown)


def test_the_choices_behind_the_ellipsis_reach_the_document(
    qtbot, ctx: AppContext, practice: Practice
) -> None:
    previews = Previews()
    menu = ReportsMenu(
        ctx,
        lambda: practice.client_id,
        preview_factory=previews,
        ask_copy=lambda _parent: ClientCopyOptions(include_diagnoses=True),
        ask_record_choice=lambda _parent: RecordChoice(include_private=False),
    )
    qtbot.addWidget(menu)
    menu.document_actions["client"].trigger()
    menu.document_actions["record"].trigger()
    qtbot.waitUntil(lambda: len(previews.shown) == 2, timeout=15000)
    copy, record = previews.shown[0][0], previews.shown[1][0]
    assert DIAGNOSIS in _text(copy) and PRIVATE_TEXT not in _text(copy)
    assert "Record of care" in _text(record) and PRIVATE_TEXT not in _text(record)
    cancelled = ReportsMenu(
        ctx, lambda: practice.client_id, preview_factory=previews, ask_copy=lambda _p: None
    )
    qtbot.addWidget(cancelled)
    assert cancelled.trigger("client") is False


def test_no_client_no_documents_and_a_missing_record_is_greyed_out_with_the_reason(
    qtbot, ctx: AppContext, practice: Practice
) -> None:
    chosen: list[str | None] = [None]
    previews = Previews()
    menu = ReportsMenu(ctx, lambda: chosen[0], preview_factory=previews)
    qtbot.addWidget(menu)
    assert not any(a.isEnabled() for a in menu.document_actions.values())
    chosen[0] = practice.bare_id  # a client with no safety plan and no discharge note
    menu.aboutToShow.emit()  # as when the menu opens
    enabled = {key for key, action in menu.document_actions.items() if action.isEnabled()}
    # The blank worksheet is for exactly this client: one with no plan yet.
    assert enabled == {"clinician", "client", "homework", "record", "safety-blank", "consent"}
    safety, maintenance = menu.document_actions["safety"], menu.document_actions["maintenance"]
    assert safety.toolTip() == safety.statusTip() == NO_SAFETY_PLAN
    assert "Safety plan tab" in NO_SAFETY_PLAN
    assert maintenance.toolTip() == NO_MAINTENANCE_PLAN and "discharge note" in NO_MAINTENANCE_PLAN
    assert menu.document_actions["receipt"].toolTip() == NO_RECEIPT
    assert menu.toolTipsVisible()
    assert previews.shown == []
    chosen[0] = practice.client_id  # has both: everything is available again, the reasons are gone
    menu.refresh()
    assert all(a.isEnabled() for a in menu.document_actions.values())
    assert safety.statusTip() == "" and safety.toolTip() != NO_SAFETY_PLAN
    # Asked for anyway (not through the menu), the document still says why it cannot be made.
    chosen[0] = practice.bare_id
    assert menu.trigger("safety") is False
    assert ctx.errors.last_message == "This client has no safety plan yet."
    assert previews.shown == []


def test_print_and_export_from_the_preview_are_audited(
    qtbot, ctx: AppContext, practice: Practice, tmp_path: Path
) -> None:
    reports, dialog = open_preview(qtbot, ctx, practice, "clinician")
    assert isinstance(dialog, PdfPreviewDialog) and dialog.isVisible()
    assert dialog.print_document(_pdf_printer(tmp_path / "printed.pdf"))
    assert dialog.export_document(tmp_path / "exported.pdf", ExportChoice()) == tmp_path / "exported.pdf"
    assert (tmp_path / "exported.pdf").stat().st_mode & 0o777 == 0o600
    assert _audit(ctx.vault)[-3:] == [
        ("preview", "treatment summary (clinician)"),
        ("print", "treatment summary (clinician)"),
        ("export", "treatment summary (clinician); not password-protected"),
    ]
    dialog.close()


def test_printing_the_record_with_psychotherapy_notes_logs_it_without_reading_them_again(
    qtbot, ctx: AppContext, practice: Practice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports, dialog = open_preview(qtbot, ctx, practice, "record", RecordChoice(include_private=True))
    reads: list[str] = []
    original = summary.access_record
    monkeypatch.setattr(summary, "access_record", lambda *a, **k: reads.append("read") or original(*a, **k))
    assert dialog.print_document(_pdf_printer(tmp_path / "printed.pdf"))
    assert _audit(ctx.vault)[-2:] == [
        ("preview", "record for access request with psychotherapy notes"),
        ("print", "record for access request with psychotherapy notes"),
    ]
    assert reads == []  # the audit entry is written without decrypting the record a second time
    dialog.close()


def test_preview_writes_nothing_to_the_temp_folder(
    qtbot, ctx: AppContext, practice: Practice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch-tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert Path(QDir.tempPath()).resolve() == scratch.resolve()
    system_tmp = Path("/tmp")
    before = set(os.listdir(system_tmp)) if system_tmp.is_dir() else set()
    menu = ReportsMenu(ctx, lambda: practice.client_id)
    qtbot.addWidget(menu)
    menu.document_actions["clinician"].trigger()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, PdfPreviewDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=15000,
    )
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()
    )
    qtbot.waitExposed(dialog)
    dialog.go_to(dialog.page_count() - 1)
    qtbot.waitUntil(lambda: dialog.current_page() == dialog.page_count() - 1 and painted(dialog.view))
    assert list(scratch.iterdir()) == []
    # Nothing of ours in the system temp folder either (other processes may use it, so only PDFs count).
    after = set(os.listdir(system_tmp)) if system_tmp.is_dir() else set()
    assert [name for name in after - before if name.lower().endswith(".pdf")] == []
    dialog.close()


def test_export_from_the_preview_never_writes_over_the_vault_or_a_link_to_it(
    qtbot, ctx: AppContext, practice: Practice, tmp_path: Path
) -> None:
    reports, dialog = open_preview(qtbot, ctx, practice, "clinician")
    vault = ctx.vault.path
    before = vault.read_bytes()
    link = tmp_path / "summary.pdf"
    link.symlink_to(vault)
    for target in (vault, link):
        assert dialog.export_document(target, ExportChoice()) is None
        said = ctx.errors.last_message or ""
        assert "NotesDesk never writes over it" in said or "symbolic link" in said
    assert vault.read_bytes() == before and link.is_symlink()
    assert _audit(ctx.vault)[-1] == ("preview", "treatment summary (clinician)")
