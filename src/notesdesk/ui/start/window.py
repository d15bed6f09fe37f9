"""The window before the vault is open: routes between first-run, unlock and recovery pages.

Every key derivation (create, unlock, recovery, new passphrase, demo) runs in the background
runner with a busy bar, so the window never freezes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk import paths
from notesdesk.core.errors import NotesdeskError, VaultDamaged, VaultInUse, WrongPassphrase
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.start.first_run import ChoicePage, CreatePage, RecoveryKeyPage, system_region
from notesdesk.ui.start.restore_file import (
    WRONG_SECRET,
    RestoredNotOpened,
    RestoreFilePage,
    Secret,
    question,
    restored,
)
from notesdesk.ui.start.unlock import NewPassphrasePage, RecoveryPage, UnlockPage
from notesdesk.ui.widgets.labels import CopyableMessage

if TYPE_CHECKING:  # the vault stack loads on the runner thread, inside the work that needs it
    from notesdesk.core.backup.preview import BackupPreview
    from notesdesk.core.domain.practice import PractitionerProfile
    from notesdesk.core.storage.vault import Vault
    from notesdesk.ui.start.about_you import AboutYouPage

DEMO_FILENAME = "demo.notesdesk"
OFFER_RESTORE = (
    "{problem}\n\nRestore that backup now? The vault it replaces is not deleted: it is kept beside the "
    "restored one, as a file ending in “.bak”."
)
# Shown on the demo's screens: the demo vault holds synthetic records only.
DEMO_PASSPHRASE = "demo practice only"


def _vault_class() -> type[Vault]:
    """The vault, imported on first use: called on the runner thread, so the start window shows
    without SQLAlchemy, alembic and the crypto stack (tests/ui/test_startup_imports.py)."""
    from notesdesk.core.storage.vault import Vault

    return Vault


def ask_yes_no(parent: QWidget, title: str, question: str) -> bool:
    """The backups dialog's question box, loaded only when a refused vault needs it."""
    from notesdesk.ui.dialogs.backups_dialog import ask_yes_no as ask

    return ask(parent, title, question)


def preview_backup(path: Path, target: Path) -> BackupPreview:
    """Runs in the background: what the backup's header says, read without a secret."""
    from notesdesk.core.backup.preview import preview_backup as preview

    return preview(path, target)


def open_or_create_demo(path: Path, passphrase: str) -> Vault:
    """Runs in the background: open the demo vault, or create and fill it the first time."""
    vault_class = _vault_class()
    if path.exists():
        return vault_class.open(path, passphrase=passphrase)
    from notesdesk import demo  # inline: only the demo's first opening needs it

    vault, _recovery = vault_class.create(path, passphrase)
    try:
        demo.build_demo(vault)
    except BaseException:
        vault.close()
        raise
    return vault


def start_size(window: QWidget) -> QSize:
    """Room for the tallest and widest page (the recovery key and its explanation whole), within
    the screen: never the fixed few hundred pixels that cut the explanation off."""
    width = window.fontMetrics().averageCharWidth()
    hint = window.sizeHint().expandedTo(QSize(width * 90, width * 70))
    layout = window.layout()
    if layout is not None and layout.hasHeightForWidth():  # wrapped text: as tall as at this width
        hint.setHeight(max(hint.height(), layout.totalHeightForWidth(hint.width())))
    screen = window.screen()
    if screen is not None:
        hint = hint.boundedTo(screen.availableGeometry().size())
    return hint


class StartWindow(QWidget):
    sig_unlocked = Signal(object)
    """Emitted with the open Vault; the receiver owns it from then on."""
    sig_unlocking = Signal(object)
    """A passphrase was submitted for the vault at this Path: its key is being derived."""

    def __init__(
        self,
        vault_path: Path,
        runner: BackgroundRunner,
        errors: ErrorPresenter,
        demo_path: Path | None = None,
        parent: QWidget | None = None,
        backup_folders: list[Path] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("NotesDesk")
        self.vault_path = Path(vault_path)
        # Whose backups the vault must not be older than (default: the backup folder only).
        self.backup_folders = backup_folders
        self.demo_path = demo_path or self.vault_path.with_name(DEMO_FILENAME)
        self._runner = runner
        self._errors = errors
        self.confirm: Callable[[QWidget, str, str], bool] = ask_yes_no  # replaced in tests
        # Run on the runner thread once a vault is open, before it is handed over: the launcher loads
        # the main window's modules there, so the UI thread does not stop to import them (ui/app.py).
        self.preload: Callable[[], object] | None = None
        # Then, with the vault that opened (and passed its checks): what the main window shows first,
        # read on the runner thread in the same job (ui/app.py).
        self.prepare: Callable[[Vault], object] | None = None
        self._vault: Vault | None = None
        # A vault was created here: the main window then goes on to the first client (ui/app.py).
        self.first_run = False
        self.about_you: AboutYouPage | None = None  # made after the vault is created: see about_you.py
        self._demo_passphrase = DEMO_PASSPHRASE
        is_demo = self.vault_path.name == DEMO_FILENAME
        hint = f"This is the demo practice; its passphrase is “{self._demo_passphrase}”." if is_demo else ""

        self.choice = ChoicePage(self.vault_path, self.demo_path, self._demo_passphrase)
        self.create_page = CreatePage()
        self.recovery_key = RecoveryKeyPage()
        self.unlock = UnlockPage(self.vault_path, hint)
        self.recovery = RecoveryPage()
        self.new_passphrase = NewPassphrasePage()
        self.restore_file = RestoreFilePage()
        self.stack = QStackedWidget(self)
        for page in (
            self.choice,
            self.create_page,
            self.recovery_key,
            self.unlock,
            self.recovery,
            self.new_passphrase,
            self.restore_file,
        ):
            self.stack.addWidget(page)

        self.busy_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setAccessibleName("Working")
        self.busy_bar.setTextVisible(False)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        # A readable column, centred: lines of ~80 characters, not the width of the screen.
        self.stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        column = QWidget(self)
        column.setMaximumWidth(self.fontMetrics().averageCharWidth() * 84)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        # Said before anything else: the last run ended without closing (ui/lifecycle/crash_watch.py).
        self.notice = CopyableMessage(self)
        inner.addWidget(self.notice)
        inner.addWidget(self.stack)
        inner.addLayout(busy)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 12)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        margin = self.fontMetrics().height() * 2
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._set_busy(False)

        self.choice.sig_create.connect(lambda: self._show(self.create_page))
        self.choice.sig_demo.connect(self._on_demo)
        self.create_page.sig_back.connect(lambda: self._show(self.choice))
        self.create_page.sig_submitted.connect(self._on_create)
        self.recovery_key.sig_confirmed.connect(self._ask_about_you)
        self.recovery_key.present_error = lambda exc: errors.present(exc, title="Recovery sheet")
        self.unlock.sig_submitted.connect(self._on_unlock)
        self.unlock.sig_forgot.connect(lambda: self._show(self.recovery))
        self.recovery.sig_back.connect(lambda: self._show(self.unlock))
        self.recovery.sig_submitted.connect(self._on_recovery)
        self.new_passphrase.sig_submitted.connect(self._on_new_passphrase)
        self.restore_file.sig_back.connect(self._show_first_page)
        self.restore_file.sig_submitted.connect(self._on_restore_file)
        runner.sig_busy_changed.connect(self._set_busy)

        self._show_first_page()

    def _show_first_page(self) -> None:
        self._show(self.unlock if self.vault_path.exists() else self.choice)

    def show_notice(self, text: str) -> None:
        self.notice.show_message(text)

    # -- routing -----------------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        if self.isVisible():  # a page added later (about you) may need more room than the first
            wanted = start_size(self)
            if wanted.width() > self.width() or wanted.height() > self.height():
                self.resize(wanted.expandedTo(self.size()))
        page.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.stack.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)

    def _work(
        self,
        status: str,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.busy_label.setText(status)
        self._runner.run(fn, done, failed or self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, VaultInUse):
            self._errors.present(exc, title="Vault in use")
        else:
            self._errors.present(exc)

    def _preloaded[T](self, result: T) -> T:
        """Runs on the runner thread, after the vault opened (`result`: the work's): the preload, if
        any, then the preparation for a vault handed over as it is. Their failure is not this vault's:
        the UI thread then imports the same modules itself and reports what fails, and the main window
        reads its list itself."""
        preload, prepare = self.preload, self.prepare
        if preload is not None:
            with contextlib.suppress(Exception):
                preload()
        if prepare is not None and isinstance(result, _vault_class()):
            with contextlib.suppress(Exception):
                prepare(result)
        return result

    def _hand_over(self, _result: object = None) -> None:
        vault, self._vault = self._vault, None
        if vault is not None:
            self.sig_unlocked.emit(vault)

    # -- create and demo ---------------------------------------------------------------------------

    def _on_create(self, passphrase: str) -> None:
        path = self.vault_path
        self._work(
            "Creating your vault… this takes a moment on purpose.",
            lambda: self._preloaded(_vault_class().create(path, passphrase)),
            self._on_created,
        )

    def _on_created(self, result: tuple[Vault, str]) -> None:
        self._vault, key = result
        self.create_page.form.clear()
        profile = self._vault.profile()
        # Inline: the record types load after the start window shows (tests/ui/test_startup_imports.py).
        from notesdesk.core.domain.summaries import PractitionerBlock

        practitioner = PractitionerBlock(profile.name, profile.credentials, profile.contact, profile.locale)
        self.recovery_key.vault_path = self._vault.path
        self.recovery_key.set_key(key, self._vault.vault_id, practitioner)
        self._show(self.recovery_key)

    def _ask_about_you(self) -> None:
        """After the recovery key: who signs, the country and the contact, before the first note."""
        vault = self._vault
        if vault is None:
            return
        from notesdesk.ui.start.about_you import AboutYouPage  # inline: see about_you.py

        page = AboutYouPage(vault.profile(), system_region(), self)
        page.sig_done.connect(self._on_about_you)
        self.stack.addWidget(page)
        self.about_you = page
        self._show(page)

    def _on_about_you(self, profile: PractitionerProfile | None) -> None:
        vault = self._vault
        if vault is None or self.about_you is None:
            return
        if profile is not None:
            from notesdesk.core.services.profile import save_profile  # inline: see about_you.py

            try:
                save_profile(vault.unit_of_work(), profile)  # checked as Settings and the CLI check it
            except Exception as exc:  # said once, by the presenter; the page keeps what was typed
                self._errors.present(exc, title="Your details were not saved")
                return
        self.first_run = True
        self._hand_over()

    def _on_demo(self) -> None:
        path, passphrase = self.demo_path, self._demo_passphrase
        self._work(
            "Opening the demo practice…",
            lambda: self._preloaded(open_or_create_demo(path, passphrase)),
            self.sig_unlocked.emit,
        )

    # -- unlock and recovery -----------------------------------------------------------------------

    def _on_unlock(self, passphrase: str) -> None:
        path, folders = self.vault_path, self.backup_folders
        self._work(
            "Unlocking…",
            lambda: self._preloaded(_vault_class().open(path, passphrase=passphrase, backups=folders)),
            self._on_unlocked,
            lambda exc: self._on_unlock_failed(exc, passphrase),
        )
        self.sig_unlocking.emit(path)

    def _on_unlocked(self, vault: Vault) -> None:
        self.unlock.passphrase.clear()
        self.sig_unlocked.emit(vault)

    def _on_unlock_failed(self, exc: BaseException, passphrase: str) -> None:
        if isinstance(exc, WrongPassphrase):
            self.unlock.show_wrong(f"{exc.message} Try again, or use “Forgot passphrase?”.")
        elif isinstance(exc, VaultDamaged) and exc.backup is not None:
            self._offer_restore(exc, exc.backup, passphrase)
        else:
            self._on_failed(exc)

    def _offer_restore(self, exc: VaultDamaged, backup: Path, passphrase: str) -> None:
        """A tampered or rolled-back vault: offer the newest authentic backup the check found. The
        restore checks the backup completely before it replaces anything (backup/service.py)."""
        if not self.confirm(self, "Vault refused", OFFER_RESTORE.format(problem=exc.message)):
            self._errors.present(exc, title="Vault refused")
            return
        path = self.vault_path

        folders = self.backup_folders

        def restore_and_open() -> Vault:
            from notesdesk.core.backup.service import restore  # inline: rarely needed at start

            restore(backup, path, passphrase, None, fresh_backup_to=paths.backup_dir())
            return self._preloaded(_vault_class().open(path, passphrase=passphrase, backups=folders))

        self._work("Restoring the backup…", restore_and_open, self._on_unlocked, self._on_restore_failed)

    def _on_restore_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WrongPassphrase):
            exc = WrongPassphrase(
                "That backup opens with the passphrase in use when it was made, or with the recovery "
                "key: restore it from a terminal with 'notesdesk restore FILE --recovery-key-stdin'."
            )
        self._errors.present(exc, title="Restore backup")

    def _on_recovery(self, key: str) -> None:
        path, folders = self.vault_path, self.backup_folders
        self._work(
            "Unlocking with the recovery key…",
            # repair: a damaged passphrase slot or header setting is what sends people here; it is
            # repaired with the new passphrase (core/storage/header_repair.py).
            lambda: _vault_class().open(path, recovery_key=key, backups=folders, repair=True),
            self._on_recovered,
            self._on_recovery_failed,
        )

    def _on_recovered(self, vault: Vault) -> None:
        self._vault = vault
        self.recovery.key.clear()
        repair = vault.header_repair
        self.new_passphrase.show_repair(repair.describe() if repair else "")
        self._show(self.new_passphrase)

    def _on_recovery_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WrongPassphrase):
            self.recovery.show_wrong(exc.message)
        else:
            self._on_failed(exc)

    def _on_new_passphrase(self, passphrase: str) -> None:
        vault = self._vault
        if vault is None:
            return
        def change() -> None:
            vault.change_passphrase(passphrase)
            self._preloaded(None)

        self._work("Setting the new passphrase…", change, self._hand_over)

    # -- a backup opened from the desktop ----------------------------------------------------------

    def open_backup(self, path: Path) -> None:
        """`notesdesk FILE.ndbk`, a double-click or macOS's open-file event: read what the backup
        says about itself (no secret), then ask for its secret on the restore page. A file that is
        missing, unreadable or no backup is said in one line, and the page in view stays."""
        target = self.vault_path
        self._work(
            "Reading the backup…",
            lambda: preview_backup(path, target),
            self._on_backup_read,
            lambda exc: self._errors.present(exc, title="Open backup"),
        )

    def _on_backup_read(self, preview: BackupPreview) -> None:
        self.restore_file.show_preview(preview)
        self._show(self.restore_file)

    def _on_restore_file(self, secret: Secret) -> None:
        """Asked first, as the Backups dialog asks; then the same restore (backup/service.py), which
        checks the whole backup before it replaces anything and keeps the replaced vault."""
        preview = self.restore_file.preview
        if preview is None or not self.confirm(self, "Restore backup", question(preview)):
            return
        source, path, folders = preview.path, self.vault_path, self.backup_folders
        passphrase, recovery_key = secret
        other = preview.other_vault

        def restore_and_open() -> tuple[Path | None, Vault]:
            from notesdesk.core.backup.service import restore  # inline: rarely needed at start

            kept = restore(source, path, passphrase, recovery_key, fresh_backup_to=paths.backup_dir(),
                           different_vault_ok=other)
            try:  # with the recovery key: open as "Forgot passphrase?" does, then a new passphrase
                vault = _vault_class().open(path, passphrase=passphrase, recovery_key=recovery_key,
                                            backups=folders, repair=recovery_key is not None)
            except NotesdeskError as exc:  # restored all the same: never "nothing was changed"
                said = f"{restored(source.name, kept)} It did not open: {exc.message}"
                raise RestoredNotOpened(said) from exc
            return kept, self._preloaded(vault)

        self._work("Checking and restoring the backup…", restore_and_open,
                   lambda result: self._on_file_restored(result, recovery_key is not None),
                   self._on_file_restore_failed)

    def _on_file_restored(self, result: tuple[Path | None, Vault], with_key: bool) -> None:
        kept, vault = result
        self.restore_file.clear_secret()
        source = self.restore_file.preview.path.name if self.restore_file.preview else "the backup"
        self._errors.inform(restored(source, kept), title="Backup restored")
        if with_key:
            self._on_recovered(vault)
        else:
            self.sig_unlocked.emit(vault)

    def _on_file_restore_failed(self, exc: BaseException) -> None:
        if isinstance(exc, WrongPassphrase):
            self.restore_file.show_wrong(WRONG_SECRET)
        elif isinstance(exc, VaultInUse):
            self.restore_file.show_in_use(True)
        elif isinstance(exc, RestoredNotOpened):
            self.restore_file.clear_secret()
            self._errors.present(exc, title="Backup restored")
            self._show_first_page()  # the restored vault: unlock it there
        else:
            self._errors.present(exc, title="Not restored")

    # -- leaving -----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.recovery_key.close_sheet()
        if self._vault is not None:  # opened but not handed over: release the lock and keys
            self._vault.close()
            self._vault = None
        super().closeEvent(event)
