"""Reports in the app: the Reports menu and Ctrl+P in the main window, privacy in titles, password
protected export, the audit of preview/print/export, and the recovery sheet at vault creation."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError
from PySide6.QtCore import QCoreApplication, QDir, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog

from notesdesk.core.storage.vault import Vault
from notesdesk.ui.context import AppContext
from notesdesk.ui.printing.documents import ExportChoice, PdfPreviewDialog
from notesdesk.ui.printing.export import ExportOptionsDialog
from notesdesk.ui.start.window import StartWindow
from tests.core.test_reports_data import NAME, PRIVATE_TEXT, Practice, build_practice, flat
from tests.ui.conftest import PASSPHRASE
from tests.ui.workspace_helpers import painted

PDF_PASSWORD = "amber-otter-71"
SURNAME = NAME.split()[-1]


@pytest.fixture
def practice(ctx: AppContext) -> Practice:
    return build_practice(ctx.vault)


def _text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return flat("\n".join(p.extract_text() or "" for p in reader.pages))


def _audit(vault: Vault) -> list[tuple[str, str]]:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return [(e.action, e.detail) for e in vault.audit.entries(uow.session) if e.action != "unlock"]


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


class Previews:
    """A preview factory that opens the real preview and remembers what it was given."""

    def __init__(self, real: bool = True) -> None:
        self.real = real
        self.shown: list[tuple[bytes, str, str]] = []
        self.dialogs: list[PdfPreviewDialog] = []

    def __call__(self, data: bytes, title: str, parent: Any, suggested_name: str = "", **kw: Any) -> Any:
        self.shown.append((data, title, suggested_name))
        if not self.real:
            return None
        dialog = PdfPreviewDialog(data, title, parent, suggested_name=suggested_name, **kw)
        self.dialogs.append(dialog)
        return dialog


def _visible_titles() -> list[str]:
    return [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]


# -- the main window ----------------------------------------------------------------------------------


def test_the_reports_menu_sits_in_the_menu_bar_and_follows_the_selected_client(
    qtbot, ctx: AppContext, practice: Practice, make_window
) -> None:
    window = make_window()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Client", "&Reports", "&View", "&Help"]
    menu = window.reports_menu
    assert not any(a.isEnabled() for a in menu.document_actions.values())  # no client chosen
    assert not window.actions_by_name["summary"].isEnabled()
    window.panel.select_client(practice.client_id)
    assert all(a.isEnabled() for a in menu.document_actions.values())
    assert window.actions_by_name["summary"].shortcut().toString() == "Ctrl+P"
    assert "Ctrl+P" in window.actions_by_name["summary"].toolTip()


def test_ctrl_p_previews_the_summary_with_no_name_in_any_title_in_privacy_mode(
    qtbot, ctx: AppContext, practice: Practice, make_window, events
) -> None:
    window = make_window()
    window.actions_by_name["privacy"].trigger()
    assert ctx.prefs.privacy_mode
    window.panel.select_client(practice.client_id)
    previews = Previews()
    window.reports_menu.preview_factory = previews
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(previews.dialogs) == 1, timeout=15000)
    (dialog,) = previews.dialogs
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Treatment summary (clinician copy) — preview"
    assert previews.shown[0][2].startswith("treatment-summary-clinician-")
    assert NAME not in previews.shown[0][2] and SURNAME not in previews.shown[0][2]
    for title in _visible_titles():
        assert NAME not in title and SURNAME not in title, title
    assert ("save_all_drafts", practice.client_id) in events  # drafts written before the document is made
    data = previews.shown[0][0]
    assert NAME in _text(data) and PRIVATE_TEXT not in _text(data)
    assert _audit(ctx.vault)[-1] == ("preview", "treatment summary (clinician)")
    dialog.close()


def test_no_client_no_preview(qtbot, ctx: AppContext, practice: Practice, make_window) -> None:
    audit_before = _audit(ctx.vault)
    window = make_window()
    previews = Previews(real=False)
    window.reports_menu.preview_factory = previews
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.reports_menu.trigger("clinician") is False
    ctx.runner.wait()  # had anything been started in the background, it is done...
    QCoreApplication.processEvents()  # ...and its result delivered
    assert previews.shown == [] and _audit(ctx.vault) == audit_before


def test_print_and_password_protected_export_are_audited(
    qtbot, ctx: AppContext, practice: Practice, make_window, tmp_path: Path
) -> None:
    window = make_window()
    window.panel.select_client(practice.client_id)
    previews = Previews()
    window.reports_menu.preview_factory = previews
    window.actions_by_name["summary"].trigger()
    qtbot.waitUntil(lambda: len(previews.dialogs) == 1, timeout=15000)
    (dialog,) = previews.dialogs
    plain = previews.shown[0][0]

    assert dialog.print_document(_pdf_printer(tmp_path / "printed.pdf"))
    dialog.ask_choice = lambda _parent: None  # the password dialog was cancelled: nothing written
    assert dialog.export_document(tmp_path / "cancelled.pdf") is None
    assert not (tmp_path / "cancelled.pdf").exists()
    dialog.ask_choice = lambda _parent: ExportChoice(PDF_PASSWORD)
    out = tmp_path / "protected.pdf"
    assert dialog.export_document(out) == out
    assert out.stat().st_mode & 0o777 == 0o600
    reader = PdfReader(out)
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(out).decrypt("wrong password")
    assert NAME in _text(out.read_bytes(), PDF_PASSWORD)
    assert len(PdfReader(io.BytesIO(out.read_bytes()), password=PDF_PASSWORD).pages) == len(
        PdfReader(io.BytesIO(plain)).pages
    )
    dialog.ask_choice = lambda _parent: ExportChoice()  # the box left unticked: a plain PDF
    unprotected = tmp_path / "plain.pdf"
    assert dialog.export_document(unprotected) == unprotected and not PdfReader(unprotected).is_encrypted
    assert _audit(ctx.vault)[-4:] == [
        ("preview", "treatment summary (clinician)"),
        ("print", "treatment summary (clinician)"),
        ("export", "treatment summary (clinician); password-protected"),
        ("export", "treatment summary (clinician); not password-protected"),
    ]
    assert not any(NAME in detail or SURNAME in detail for _action, detail in _audit(ctx.vault))
    dialog.close()


def test_the_export_dialog_asks_for_the_password_twice(qtbot) -> None:
    dialog = ExportOptionsDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.password.isEnabled() and not dialog.repeat.isEnabled()
    assert dialog.choice() == ExportChoice(None)
    dialog.protect_box.setChecked(True)
    assert dialog.password.isEnabled() and dialog.repeat.isEnabled()
    dialog.password.setText("short")
    dialog.try_accept()
    assert dialog.isVisible() and "at least 8" in dialog.message.text()
    dialog.password.setText(PDF_PASSWORD)
    dialog.repeat.setText(PDF_PASSWORD + "x")
    dialog.try_accept()
    assert dialog.isVisible() and "not the same" in dialog.message.text()
    dialog.repeat.setText(PDF_PASSWORD)
    assert dialog.message.text() == ""
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen() == ExportChoice(PDF_PASSWORD)
    assert dialog.password.text() == "" and dialog.repeat.text() == ""  # not kept in the widgets
    cancelled = ExportOptionsDialog()
    qtbot.addWidget(cancelled)
    cancelled.open()
    cancelled.reject()
    assert cancelled.chosen() is None


# -- the recovery sheet at vault creation ---------------------------------------------------------------


def _create_vault(qtbot, tmp_path: Path, runner, errors) -> tuple[StartWindow, str]:
    window = StartWindow(tmp_path / "vault" / "mine.notesdesk", runner, errors)
    (tmp_path / "vault").mkdir()
    qtbot.addWidget(window)
    window.show()
    window.choice.create_button.click()
    window.create_page.form.first.setText(PASSPHRASE)
    window.create_page.form.second.setText(PASSPHRASE)
    window.create_page.form.submit.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.recovery_key, timeout=15000)
    return window, window.recovery_key.key_label.text()


def test_the_recovery_sheet_button_previews_a_pdf_with_the_key(
    qtbot, tmp_path: Path, runner, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch-tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert Path(QDir.tempPath()).resolve() == scratch.resolve()
    window, key = _create_vault(qtbot, tmp_path, runner, errors)
    page = window.recovery_key
    before = sorted(p.name for p in (tmp_path / "vault").iterdir())
    previews = Previews(real=False)
    page.preview_factory = previews
    assert page.sheet_button.text() == "&Print or save the recovery sheet…"
    page.sheet_button.click()
    ((data, title, name),) = previews.shown
    assert title == "Recovery sheet" and name == "notesdesk-recovery-sheet.pdf"
    text = _text(data)
    groups = key.split("-")
    assert len(groups) == 8 and all(group in text for group in groups)
    assert window._vault is not None and window._vault.vault_id in text
    # The key went nowhere else: no temporary file, nothing new beside the vault.
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "vault").iterdir()) == before
    window.close()


def test_the_recovery_sheet_preview_prints_and_exports_and_closes_on_continue(
    qtbot, tmp_path: Path, runner, errors
) -> None:
    window, key = _create_vault(qtbot, tmp_path, runner, errors)
    page = window.recovery_key
    page.sheet_button.click()
    dialog = page.preview
    assert isinstance(dialog, PdfPreviewDialog)
    qtbot.waitExposed(dialog)
    assert dialog.isModal() and dialog.windowTitle() == "Recovery sheet — preview"
    assert dialog.page_count() == 1
    printed = tmp_path / "printed.pdf"
    assert dialog.print_document(_pdf_printer(printed))
    assert printed.stat().st_size > 0
    dialog.ask_choice = lambda _parent: ExportChoice(PDF_PASSWORD)
    out = tmp_path / "sheet.pdf"
    assert dialog.export_document(out) == out
    assert PdfReader(out).is_encrypted
    assert all(group in _text(out.read_bytes(), PDF_PASSWORD) for group in key.split("-"))
    signals: list[object] = []
    window.sig_unlocked.connect(signals.append)
    page.confirm.setText(page.last_group())
    page.continue_button.click()
    assert page.preview is None and not dialog.isVisible()
    assert window.about_you is not None
    window.about_you.skip_button.click()  # the practitioner's details: another test's
    assert len(signals) == 1
    vault = signals[0]
    assert isinstance(vault, Vault)
    vault.close()
    window.close()


def test_a_failed_sheet_is_said_on_the_page(qtbot, tmp_path: Path, runner, errors) -> None:
    window, _key = _create_vault(qtbot, tmp_path, runner, errors)
    page = window.recovery_key

    def broken(*_args: Any, **_kw: Any) -> None:
        from notesdesk.core.errors import NotesdeskError

        raise NotesdeskError("The document could not be shown; nothing was printed or saved.")

    page.preview_factory = broken
    page.sheet_button.click()
    assert errors.last_message == "The document could not be shown; nothing was printed or saved."
    assert page.preview is None
    window.close()


def test_nothing_from_the_recovery_page_lands_in_the_system_temp_folder(
    qtbot, tmp_path: Path, runner, errors
) -> None:
    system_tmp = Path("/tmp")
    before = set(os.listdir(system_tmp)) if system_tmp.is_dir() else set()
    window, _key = _create_vault(qtbot, tmp_path, runner, errors)
    window.recovery_key.sheet_button.click()
    qtbot.waitExposed(window.recovery_key.preview)
    qtbot.waitUntil(lambda: painted(window.recovery_key.preview.view))  # the sheet is rendered
    after = set(os.listdir(system_tmp)) if system_tmp.is_dir() else set()
    assert [n for n in after - before if n.lower().endswith(".pdf")] == []
    window.close()


def test_a_guessable_pdf_password_is_warned_about_but_accepted(qtbot) -> None:
    dialog = ExportOptionsDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.protect_box.setChecked(True)
    dialog.password.setText("letmein123")
    assert "easy to guess" in dialog.warning.text() and dialog.warning.isVisibleTo(dialog)
    dialog.repeat.setText("letmein123")
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen() == ExportChoice("letmein123")
    again = ExportOptionsDialog()
    qtbot.addWidget(again)
    again.protect_box.setChecked(True)
    again.password.setText("plum kettle orbit lantern")
    assert again.warning.text() == ""
