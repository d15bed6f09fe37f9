"""Save PNGs of NotesDesk's main screens into docs/screenshots/, using the demo practice, at
1366×768, and the main ones again under a dark palette (as when the system is in dark mode).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py

Everything happens in a temporary folder (vaults, settings) with the test-only fast key derivation;
nothing touches the user's real vault or preferences.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":  # its screen is 800×600: give it a laptop's
    # 1366×768 inside the 2-pixel frame the offscreen platform draws round a window (Xvfb has none).
    _SCREEN = Path(tempfile.mkdtemp(prefix="notesdesk-screen-")) / "screen.json"
    _SCREEN.write_text('{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1370, "height": 772, '
                       '"dpr": 1, "logicalDpi": 96, "logicalBaseDpi": 96}]}', encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"

from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget  # noqa: E402

from notesdesk import paths  # noqa: E402
from notesdesk.core.backup.service import list_backups  # noqa: E402
from notesdesk.core.services import care, notes  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.demo import build_demo  # noqa: E402
from notesdesk.ui.app_setup import load_bundled_fonts  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.errors import ErrorPresenter  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402
from notesdesk.ui.models.client_list_model import COL_FLAGS  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402
from notesdesk.ui.printing.documents import PdfPreviewDialog  # noqa: E402
from notesdesk.ui.start.window import DEMO_PASSPHRASE, StartWindow  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SIZE = (1366, 768)  # the most common laptop screen (issue 15); the windows fill it as on a laptop


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.2) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, name: str, over: QWidget | None = None) -> None:
    """Grab a window; with `over`, paint that dialog centred on it as a window manager would."""
    settle()
    pixmap: QPixmap = widget.grab()
    if over is not None:
        dialog = over.grab()
        corner = QPoint((pixmap.width() - dialog.width()) // 2, (pixmap.height() - dialog.height()) // 2)
        painter = QPainter(pixmap)
        painter.drawPixmap(corner, dialog)
        painter.setPen(over.palette().color(QPalette.ColorRole.Dark))
        painter.drawRect(corner.x() - 1, corner.y() - 1, dialog.width() + 1, dialog.height() + 1)
        painter.end()
    if (pixmap.width(), pixmap.height()) != SIZE:  # a part's minimum size has outgrown the window
        print(f"warning: {name} is {pixmap.width()}×{pixmap.height()}, not {SIZE[0]}×{SIZE[1]}")
    path = OUT / f"{name}.png"
    pixmap.save(str(path))
    print(path.relative_to(OUT.parents[1]))


def open_demo(folder: Path) -> Vault:
    vault, _key = Vault.create(folder / "demo.notesdesk", DEMO_PASSPHRASE)
    build_demo(vault)
    return vault


def start_screens(folder: Path, runner: BackgroundRunner, errors: ErrorPresenter) -> None:
    first = StartWindow(folder / "vault.notesdesk", runner, errors)
    first.resize(*SIZE)
    first.show()
    save(first, "01-first-run")
    first.choice.create_button.click()
    first.create_page.form.first.setText("plum kettle orbit lantern")
    first.create_page.form.second.setText("plum kettle orbit")
    save(first, "02-create-vault")
    first.create_page.form.second.setText("plum kettle orbit lantern")
    first.create_page.form.submit.click()
    wait_until(lambda: first.stack.currentWidget() is first.recovery_key)
    save(first, "03-recovery-key")
    first.recovery_key.sheet_button.click()
    sheet = first.recovery_key.preview
    wait_until(lambda: sheet is not None and sheet.isVisible())
    sheet.resize(sheet.width(), SIZE[1] - 40)
    sheet.page_button.click()
    save(first, "13-recovery-sheet-preview", over=sheet)
    first.recovery_key.close_sheet()
    first.recovery_key.confirm.setText(first.recovery_key.last_group())
    first.recovery_key.continue_button.click()
    about = first.about_you
    if about is not None:
        about.form.name.setText("Dr. Ilse Marjanović-Achebe")
        about.form.credentials.setText("PsyD, Licensed Clinical Psychologist")
        save(first, "03b-about-you")
    first.close()

    unlock = StartWindow(folder / "vault.notesdesk", runner, errors)
    unlock.resize(*SIZE)
    unlock.show()
    unlock.unlock.passphrase.setText("not the passphrase")
    unlock.unlock.unlock_button.click()
    wait_until(lambda: bool(unlock.unlock.message.text()))
    save(unlock, "04-unlock-wrong-passphrase")
    unlock.close()


def earlier_backups(folder: Path) -> None:
    """Copies of the one backup under earlier days' names, so the list looks as it does after a
    few weeks of rotation (7 daily, 4 weekly, 12 monthly)."""
    newest = list_backups(folder)[0]
    for days in (1, 2, 3, 5, 12, 19, 40):
        when = newest.created - timedelta(days=days, hours=days % 3, minutes=7 * days)
        shutil.copyfile(newest.path, folder / f"notesdesk-backup-{when:%Y%m%d-%H%M%S}.ndbk")


def backups_screen(window: MainWindow, folder: Path) -> None:
    usb = folder / "usb"
    usb.mkdir()
    window.ctx.prefs.backup_folder = str(usb)
    window.backups.back_up_now()
    wait_until(lambda: not window.backups.running)
    earlier_backups(paths.backup_dir())
    window.open_backups()
    dialog = window.backups_dialog
    dialog.ask = lambda *_args: (DEMO_PASSPHRASE, None)
    dialog.test_newest()
    wait_until(lambda: dialog.result_label.text().startswith(("OK", "Not OK")), timeout=120)
    save(window, "09-backups", over=dialog)
    dialog.reject()


def read_only_screen(vault_path: Path, runner: BackgroundRunner, errors: ErrorPresenter, prefs) -> None:
    vault = Vault.open(vault_path, passphrase=DEMO_PASSPHRASE, read_only=True)
    ctx = AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)
    window = MainWindow(ctx, relaunch=lambda _path: None)
    window.setWindowState(Qt.WindowState.WindowNoState)  # it opens maximised on the small offscreen screen
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: ctx.index is not None)
    window.panel.select_client(window.panel.model.clients()[0].id)
    save(window, "11-read-only-banner")
    window.shutdown()
    window.close()


def main_screens(ctx: AppContext, folder: Path) -> None:
    window = MainWindow(ctx, relaunch=lambda _path: None)
    window.setWindowState(Qt.WindowState.WindowNoState)  # it opens maximised on the small offscreen screen
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: ctx.index is not None)
    model = window.panel.model
    # Show a client in active care with the fullest record (most measures), so every tab has content.
    active = [c for c in model.clients() if c.status.value == "active"] or model.clients()
    chosen = max(active, key=lambda c: len(care.list_measures(ctx.uow(), c.id)))
    window.panel.select_client(chosen.id)
    save(window, "05-main-window")

    window.actions_by_name["privacy"].trigger()
    save(window, "06-privacy-mode")
    window.actions_by_name["privacy"].trigger()

    window.open_search()
    window.search_dialog.query.setText("panic")
    wait_until(lambda: bool(window.search_dialog.hits()))
    save(window, "07-search", over=window.search_dialog)
    window.search_dialog.reject()

    window.open_settings()
    save(window, "08-settings", over=window.settings_dialog)
    window.settings_dialog.reject()
    backups_screen(window, folder)

    tabs = window.host.workspace.findChild(QTabWidget) if window.host.workspace else None
    if tabs is not None:
        latest = notes.list_notes(ctx.uow(), chosen.id)
        signed = [n for n in latest if n.is_signed]
        if signed:
            window.host.open_note(signed[0].id)  # the notes tab shows a filled editor
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            slug = "".join(ch if ch.isalnum() else "-" for ch in tabs.tabText(i).replace("&", "").lower())
            save(window, f"10-workspace-{i}-{slug.strip('-')}")
    report_preview(window, chosen.id)
    paperwork_screens(window, ctx)
    window.shutdown()
    window.close()


def paperwork_screens(window: MainWindow, ctx: AppContext) -> None:
    """The paperwork dialogs over the demo client that has them (attachments, consent, payments)."""
    from notesdesk.core.services import attachments
    from notesdesk.ui.dialogs.billing_dialog import BillingDialog
    from notesdesk.ui.dialogs.fees_dialog import FeeScheduleDialog
    from notesdesk.ui.dialogs.paperwork_dialog import PaperworkDialog
    from notesdesk.ui.workspace.overview.paperwork_box import AgreementDialog, LetterDialog

    with_files = [c for c in window.panel.model.clients() if attachments.list_attachments(ctx.uow(), c.id)]
    client_id = with_files[0].id if with_files else window.panel.model.clients()[0].id
    window.panel.select_client(client_id)
    tabs = window.host.workspace.findChild(QTabWidget) if window.host.workspace else None
    if tabs is not None:
        tabs.setCurrentIndex(0)
    save(window, "15-overview-paperwork")
    dialogs: list[tuple[str, QWidget]] = [
        ("15-billing", BillingDialog(ctx, client_id, window)),
        ("15-fee-schedule", FeeScheduleDialog(ctx, window)),
        ("15-paperwork-templates", PaperworkDialog(ctx, window)),
        ("15-record-agreement", AgreementDialog(window)),
        ("15-write-letter", LetterDialog(ctx, client_id, window)),
    ]
    for name, dialog in dialogs:
        dialog.show()
        save(window, name, over=dialog)
        dialog.close()


def report_preview(window: MainWindow, client_id: str) -> None:
    """The clinician treatment summary of a demo client, as Reports → Preview (Ctrl+P) shows it."""
    shown: list[PdfPreviewDialog] = []

    def factory(*args, **kwargs) -> PdfPreviewDialog:
        shown.append(PdfPreviewDialog(*args, **kwargs))
        return shown[-1]

    window.panel.select_client(client_id)
    tabs = window.host.workspace.findChild(QTabWidget) if window.host.workspace else None
    if tabs is not None:
        tabs.setCurrentIndex(0)  # the overview behind the preview
    window.reports_menu.preview_factory = factory
    window.actions_by_name["summary"].trigger()
    wait_until(lambda: bool(shown) and shown[0].isVisible())
    dialog = shown[0]
    dialog.resize(dialog.width(), SIZE[1] - 40)  # as on a 1366×768 screen, whose height it fits
    settle(0.5)
    save(window, "12-report-preview", over=dialog)
    dialog.close()


def dark_palette() -> QPalette:
    """A dark system scheme, as a desktop in dark mode hands it to Qt."""
    palette = QPalette(QColor("#303134"), QColor("#202124"))  # button, window: Qt derives the shades
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for r, colour in ((role.WindowText, "#e8eaed"), (role.Text, "#e8eaed"), (role.ButtonText, "#e8eaed"),
                      (role.Base, "#2b2c2f"), (role.AlternateBase, "#26272a"), (role.Highlight, "#8ab4f8"),
                      (role.HighlightedText, "#202124"), (role.ToolTipBase, "#303134"),
                      (role.ToolTipText, "#e8eaed"), (role.PlaceholderText, "#9aa0a6"),
                      (role.Link, "#8ab4f8"), (role.BrightText, "#ffffff")):
        palette.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, r, QColor("#80868b"))
    return palette


def dark_screens(vault_path: Path, runner: BackgroundRunner, errors: ErrorPresenter, prefs) -> None:
    """The main window, the demo's strip and tint, and the tabs with colours of their own, dark."""
    light = QApplication.palette()
    QApplication.setPalette(dark_palette())
    vault = Vault.open(vault_path, passphrase=DEMO_PASSPHRASE)
    ctx = AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)
    window = MainWindow(ctx, relaunch=lambda _path: None)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: ctx.index is not None)
    model = window.panel.model
    active = [c for c in model.clients() if c.status.value == "active"] or model.clients()
    chosen = max(active, key=lambda c: len(care.list_measures(ctx.uow(), c.id)))
    window.panel.select_client(chosen.id)
    save(window, "14-dark-main-window")
    workspace = window.host.workspace
    if workspace is not None:
        signed = [n for n in notes.list_notes(ctx.uow(), chosen.id) if n.is_signed]
        if signed:
            window.host.open_note(signed[0].id)
        for tab in (workspace.notes_tab, workspace.measures_tab, workspace.homework_tab,
                    workspace.safety_tab):
            workspace.tabs.setCurrentWidget(tab)
            index = workspace.tabs.indexOf(tab)
            slug = "-".join(workspace.tabs.tabText(index).replace("&", "").lower().split())
            save(window, f"14-dark-workspace-{slug}")
    flags = window.panel.model
    risky = next((flags.client_at(r) for r in range(flags.rowCount())
                  if "safety plan" in str(flags.index(r, COL_FLAGS).data() or "")), None)
    if risky is not None and workspace is not None:  # the risk loop's red, on the dark background
        window.panel.select_client(risky.id)
        workspace = window.host.workspace
        if workspace is not None:
            save(window, "14-dark-risk-overview")
            workspace.tabs.setCurrentWidget(workspace.safety_tab)
            save(window, "14-dark-risk-safety-plan")
    window.shutdown()
    window.close()
    QApplication.setPalette(light)


def offscreen_app(folder: Path) -> tuple[QApplication, ErrorPresenter, BackgroundRunner, Preferences]:
    """The application as the app sets it up, its settings, backups and preferences kept in `folder`."""
    os.environ[paths.BACKUP_DIR_ENV] = str(folder / "backups")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("NotesDesk")
    app.setApplicationName("NotesDesk")
    load_bundled_fonts()
    errors = ErrorPresenter(interactive=False)
    runner = BackgroundRunner(app)
    prefs = Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat))
    return app, errors, runner, prefs


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="notesdesk-shots-") as tmp:
        folder = Path(tmp)
        _app, errors, runner, prefs = offscreen_app(folder)
        start_screens(folder, runner, errors)
        vault = open_demo(folder)
        main_screens(AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs), folder)
        runner.wait()
        read_only_screen(vault.path, runner, errors, prefs)
        runner.wait()
        dark_screens(vault.path, runner, errors, prefs)
        runner.wait()
        if errors.last_message:
            print(f"an error was shown: {errors.last_message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
