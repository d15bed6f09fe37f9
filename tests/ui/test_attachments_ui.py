"""The overview's Attachments: add with the file dialog, list, open in the in-memory viewer (a PDF in
the print preview, an image scaled), export a copy, delete with a reason; no temporary file, ever."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from notesdesk.core.services import attachments, audit_log
from notesdesk.demo.attachments import consent_pdf, referral_png
from notesdesk.ui.printing.image_view import ImageViewerDialog
from notesdesk.ui.printing.view import PdfPreviewDialog

pytest_plugins = ["tests.ui.workspace_fixtures"]


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder Python and Qt would use, fresh and watched: it must stay empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("TMP", str(folder))
    monkeypatch.setenv("TEMP", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _attach(qtbot, box, path: Path) -> None:
    box.choose_file = lambda _parent: path
    box.add()
    qtbot.waitUntil(lambda: not box.busy, timeout=60000)


def test_attach_open_export_and_delete_without_a_temp_file(workspace, ws_ctx, ws_client, qtbot, tmp_path,
                                                           temp_dir):
    box = workspace.overview_tab.attachments
    assert box.list.item(0).text() == "No attachments." and not box.open_button.isEnabled()
    outside = tmp_path / "from the scanner"
    outside.mkdir()
    pdf_path, png_path = outside / "Robin consent.pdf", outside / "referral.png"
    pdf_path.write_bytes(consent_pdf("Robin Example", date(2024, 1, 8)))
    png_path.write_bytes(referral_png())

    _attach(qtbot, box, pdf_path)
    _attach(qtbot, box, png_path)
    texts = sorted(box.list.item(i).text() for i in range(box.list.count()))
    assert [t.split("  ", 1)[1] for t in texts] == sorted([
        "Robin consent.pdf — other, PDF, 1 KB", "referral.png — other, PNG, 1 KB"])
    assert ws_ctx.errors.last_message is None

    # The PDF opens in the print preview, from memory.
    box.list.setCurrentRow(_row(box, "Robin consent.pdf"))
    box.open_chosen()
    qtbot.waitUntil(lambda: isinstance(box.viewer, PdfPreviewDialog), timeout=60000)
    preview = box.viewer
    assert preview.page_count() == 1 and preview.windowTitle() == "Attached document — preview"
    preview.close()

    # The image opens scaled to its window, and at its own size when asked.
    box.list.setCurrentRow(_row(box, "referral.png"))
    box.open_chosen()
    qtbot.waitUntil(lambda: isinstance(box.viewer, ImageViewerDialog), timeout=60000)
    viewer = box.viewer
    assert viewer.windowTitle() == "Attached document — view"
    assert viewer.size_label.text() == "240 × 160 pixels"
    viewer.resize(200, 200)
    qtbot.waitUntil(lambda: viewer.shown_size().width() < 240)
    viewer.fit_button.setChecked(False)
    assert (viewer.shown_size().width(), viewer.shown_size().height()) == (240, 160)

    # Export a copy from the viewer: byte for byte where the user chose.
    copy = tmp_path / "copy.png"
    box.choose_target = lambda _parent, suggested: (suggested.name == "attachment.png" or None) and copy
    viewer.export_button.click()
    qtbot.waitUntil(lambda: not box.busy and copy.exists(), timeout=60000)
    assert copy.read_bytes() == png_path.read_bytes() and (copy.stat().st_mode & 0o777) == 0o600
    assert box.status.text().startswith("Saved as “copy.png”")
    viewer.close()

    # Nothing was ever written to the temporary folder; the vault holds neither name nor bytes in clear.
    assert list(temp_dir.iterdir()) == []
    stored = ws_ctx.vault.path.read_bytes()
    assert b"Robin consent" not in stored and b"Consent to treatment" not in stored

    # Deleting asks why; the reason is kept in the audit log.
    png_id = box.chosen().id
    box.ask_reason = lambda _parent: None  # cancelled: nothing happens
    box.delete_chosen()
    assert box.list.count() == 2
    box.ask_reason = lambda _parent: "scanned twice"
    box.delete_chosen()
    assert box.list.count() == 1 and "Robin consent.pdf" in box.list.item(0).text()
    kept = attachments.list_attachments(ws_ctx.uow(), ws_client)
    assert [a.file_name for a in kept] == ["Robin consent.pdf"]
    assert any(e.action == "delete-reason" and e.row_id == png_id and e.detail == "scanned twice"
               for e in audit_log.audit_entries(ws_ctx.uow()))


def test_a_refused_file_says_why_in_one_line_and_nothing_is_added(workspace, ws_ctx, qtbot, tmp_path):
    box = workspace.overview_tab.attachments
    text = tmp_path / "notes.pdf"
    text.write_bytes(b"just text, named like a PDF")
    box.choose_file = lambda _parent: text
    box.add()
    qtbot.waitUntil(lambda: not box.busy, timeout=60000)
    assert ws_ctx.errors.last_message == ("Only PDF, PNG and JPEG files can be attached (this file is none "
                                          "of them); nothing was stored.")
    assert box.list.item(0).text() == "No attachments."
    box.choose_file = lambda _parent: tmp_path  # a folder
    box.add()
    said = ws_ctx.errors.last_message
    assert said.startswith("Not attached:") and "is a folder" in said


def _row(box, name: str) -> int:
    return next(i for i in range(box.list.count()) if name in box.list.item(i).text())



def test_privacy_mode_masks_the_clients_name_in_attachment_titles(workspace, ws_ctx, ws_client, qtbot,
                                                                  tmp_path, temp_dir):
    # A scanner names its files after the client ("Robin Example"): shared on screen, only initials.
    box = workspace.overview_tab.attachments
    path = tmp_path / "Robin Example consent.pdf"
    path.write_bytes(consent_pdf("Robin Example", date(2024, 1, 8)))
    _attach(qtbot, box, path)
    assert "Robin Example consent.pdf" in box.list.item(0).text()

    ws_ctx.prefs.privacy_mode = True  # as from View ▸ Privacy mode: the overview redraws at once
    shown = box.list.item(0).text()
    assert "Robin" not in shown and "Example" not in shown and "R. E. consent.pdf" in shown

    ws_ctx.prefs.privacy_mode = False
    assert "Robin Example consent.pdf" in box.list.item(0).text()


def test_privacy_mode_hides_a_title_when_the_clients_names_are_not_known(workspace, ws_ctx, ws_client, qtbot,
                                                                          tmp_path, temp_dir):
    # The overview could not be read (its names never reached the box): the title is hidden, not shown.
    box = workspace.overview_tab.attachments
    path = tmp_path / "Robin Example consent.pdf"
    path.write_bytes(consent_pdf("Robin Example", date(2024, 1, 8)))
    _attach(qtbot, box, path)
    box.set_masked(())
    ws_ctx.prefs.signals.sig_privacy_changed.disconnect(workspace.overview_tab._on_privacy)

    ws_ctx.prefs.privacy_mode = True

    shown = box.list.item(0).text()
    assert "Robin" not in shown and "title hidden in privacy mode" in shown
