"""The desktop app: `main()` sets up the process, shows the unlock or first-run window, then the
main window. Locking ends the process (docs/design-notes.md §1), so one run of `main()` holds one unlock."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from notesdesk import paths
from notesdesk.core.errors import VaultInUse
from notesdesk.paths import default_vault_path
from notesdesk.ui.app_setup import (
    APP_NAME,
    configure_logging,
    disable_core_dumps,
    install_excepthook,
    install_qt_message_handler,
    load_bundled_fonts,
    log_dir,
)
from notesdesk.ui.background import COLLECTOR_PAUSE, BackgroundRunner, settle_long_lived_objects
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.identity import apply_identity
from notesdesk.ui.lifecycle import crash_notice
from notesdesk.ui.lifecycle.crash_watch import Busy, CrashWatch, LastRun
from notesdesk.ui.lifecycle.termination import TerminationRequests
from notesdesk.ui.prefs import Preferences, second_folder
from notesdesk.ui.start.window import StartWindow, start_size

if TYPE_CHECKING:  # the vault stack and the main window load after the unlock, not before the start window
    from notesdesk.core.storage.vault import Vault
    from notesdesk.ui.keepers.client_list import FirstFill
    from notesdesk.ui.main_window import MainWindow
    from notesdesk.ui.workspace_host import WorkspaceFactory

log = logging.getLogger("notesdesk")

# While another run holds the crash watch (the process a lock just replaced, still finishing), try
# again this often, this many times: a lock's old process is gone within a second or two.
WATCH_RETRY_MS = 250
WATCH_RETRIES = 120

HOLDS_THE_VAULT = (
    "This NotesDesk window has the vault open: lock it (Ctrl+L) or quit, then open the backup again. "
    "Nothing was changed."
)


def load_main_window_modules() -> None:
    """Import the vault stack and what the main window needs. Called off the UI thread (importing is
    safe there, creating widgets is not)."""
    import notesdesk.core.storage.vault
    import notesdesk.ui.context
    import notesdesk.ui.lifecycle.lock
    import notesdesk.ui.main_window  # noqa: F401


class Preloader:
    """Runs load_main_window_modules on a thread of its own while the passphrase is typed, so neither
    the unlock nor the UI thread waits for those imports later. `wait` (the start window's preload, on
    the runner thread) joins it, then imports anything it did not. `on_done` is called on its thread
    once it has finished (loaded or not)."""

    def __init__(self, on_done: Callable[[], object] = lambda: None) -> None:
        self._thread = threading.Thread(target=self._run, name="notesdesk-preload", daemon=True)
        self._on_done = on_done

    def _run(self) -> None:
        # A failure here is said where it can be shown: `wait`, then the UI thread, import it again.
        # Importing allocates in bulk: no collection holding the UI thread up (ui/background.py).
        with contextlib.suppress(Exception), COLLECTOR_PAUSE.held():
            load_main_window_modules()
        self._on_done()

    def done(self) -> bool:
        return self._thread.ident is not None and not self._thread.is_alive()

    def start(self) -> None:
        if not self._thread.is_alive() and self._thread.ident is None:
            self._thread.start()

    def join(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()

    def wait(self) -> None:
        self.join()
        load_main_window_modules()


class Application(QApplication):
    """The app object. macOS hands a double-clicked file (a backup, through Info.plist's document
    types) to the running app as a QFileOpenEvent sent to this object, not in argv: passed on as
    `sig_file_opened`. Overriding `event` here, not an application-wide event filter, keeps every
    other event off Python."""

    sig_file_opened = Signal(object)  # the Path of the file

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            self.sig_file_opened.emit(Path(event.file()))
            return True
        return super().event(event)


class Launcher(QObject):
    """Start window first; once it hands over an open vault, the main window with its context.

    The main window is built while the key is derived (`_prebuild`: the passphrase submitted and the
    modules loaded), hidden and without a vault: the hand-over then only gives it the vault that passed
    its checks, with its list read in the same job (`_prepare_first_fill`). A window built for one vault
    file is never given another (the demo, say): it is dropped and a new one built."""

    sig_preloaded = Signal()  # from the preload's thread: delivered on the UI thread

    def __init__(
        self,
        vault_path: Path,
        prefs: Preferences,
        errors: ErrorPresenter,
        runner: BackgroundRunner,
        relaunch: Callable[[Path], object] | None = None,
        workspace_factory: WorkspaceFactory | None = None,
        parent: QObject | None = None,
        crash_watch: CrashWatch | None = None,
    ) -> None:
        super().__init__(parent)
        self.crash_watch = crash_watch
        self.last_run: LastRun | None = None  # the run before ended without closing
        self._watch_tries = 0
        self.vault_path = vault_path
        self.prefs = prefs
        self.errors = errors
        self.runner = runner
        self.relaunch = relaunch  # None: lifecycle/lock.py's relaunch_detached, loaded later
        self.workspace_factory = workspace_factory
        self.preloader = Preloader(self.sig_preloaded.emit)
        self.sig_preloaded.connect(self._prebuild)
        self.start_window: StartWindow | None = None
        self.main_window: MainWindow | None = None
        self._first_fill: FirstFill | None = None  # made on the runner for the vault about to be handed over
        self._unlocking: Path | None = None  # the vault file a passphrase was submitted for
        self.prebuilt: tuple[Path, MainWindow] | None = None  # hidden, without a vault

    def start(self) -> StartWindow:
        second = second_folder(self.prefs.backup_folder)
        folders = [paths.backup_dir(), *([second] if second is not None else [])]
        window = StartWindow(self.vault_path, self.runner, self.errors, backup_folders=folders)
        window.sig_unlocked.connect(self._on_unlocked)
        window.sig_unlocking.connect(self._on_unlocking)
        window.preload = self._ready_for_main_window
        window.prepare = self._prepare_first_fill
        self.errors.set_parent(window)
        window.resize(start_size(window))
        window.show()
        self.start_window = window
        self._watch_crashes()
        QTimer.singleShot(0, self.preloader.start)  # once the event loop runs: the window is drawn first
        return window

    def open_backup(self, path: Path) -> None:
        """A backup given on the command line (`notesdesk FILE.ndbk`, what a double-click runs) or
        opened from the desktop while running (macOS's open-file event): the restore page. While the
        main window holds the vault, nothing is restored from here; say so in one line."""
        log.info("a backup file was opened")  # never its path: a file name could say whose it is
        if self.main_window is not None:
            self.errors.present(VaultInUse(HOLDS_THE_VAULT), title="Open backup")
        elif self.start_window is not None:
            self.start_window.open_backup(path)

    def _ready_for_main_window(self) -> None:
        """On the runner thread, once the vault is open: the main window's modules loaded, and all
        that is alive now (those modules, the open vault) set aside from the collector for good
        (ui/background.py), or the first collection after the unlock would hold the UI thread up."""
        self.preloader.wait()
        settle_long_lived_objects()

    def _on_unlocking(self, path: Path) -> None:
        self._unlocking = path
        if self.preloader.done():
            self._prebuild()  # else once the preload is done (sig_preloaded)

    def _prebuild(self) -> None:
        """On the UI thread while the key is derived on the runner: the main window, hidden, with no
        vault and so nothing to show or read. Its modules are loaded by now (the preload); should
        building it fail, the hand-over builds it again and reports what failed."""
        path = self._unlocking
        if path is None or self.main_window is not None or self.prebuilt is not None:
            return
        from notesdesk.ui.context import AppContext
        from notesdesk.ui.lifecycle.lock import relaunch_detached
        from notesdesk.ui.main_window import MainWindow

        ctx = AppContext(None, self.runner, self.errors, self.prefs)
        try:
            window = MainWindow(ctx, self.relaunch or relaunch_detached, self.workspace_factory)
        except Exception as exc:  # noqa: BLE001 - built again at the hand-over, which says why
            log.warning("the main window could not be built ahead (%s)", type(exc).__name__)
            return
        self.prebuilt = (path, window)

    def _prepare_first_fill(self, vault: Vault) -> None:
        """On the runner thread, in the unlock's own job, once the vault has passed its checks: the
        client list with its flags, so the main window adds rows at once instead of queueing the reads."""
        from notesdesk.ui.keepers.client_list import first_fill

        self._first_fill = first_fill(vault)

    def _watch_crashes(self) -> None:
        """Start watching this run; if the last one ended without closing, say so where it shows."""
        if self.crash_watch is None:
            return
        result = self.crash_watch.start()
        if result is Busy.BUSY:
            self._watch_tries += 1
            if self._watch_tries <= WATCH_RETRIES:
                QTimer.singleShot(WATCH_RETRY_MS, self._watch_crashes)
            return
        if result is None:
            return
        self.last_run = result
        if self.main_window is not None:
            self.main_window.show_recovered(result)
        elif self.start_window is not None:
            self.start_window.show_notice(crash_notice.before_unlock(result))

    def terminate(self) -> None:
        """SIGTERM (ui/lifecycle/termination.py): end as Quit would. If something typed cannot be saved the
        window stays open with it, as a Quit would leave it, and says why."""
        log.info("asked to end (SIGTERM)")
        if self.main_window is not None and not self.main_window.close():
            return
        if self.start_window is not None:
            self.start_window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def _on_unlocked(self, vault: Vault) -> None:
        log.info("vault unlocked")
        # Loaded only now, so the start window shows without them (tests/ui/test_startup_imports.py).
        from notesdesk.ui.context import AppContext
        from notesdesk.ui.lifecycle.lock import relaunch_detached
        from notesdesk.ui.main_window import MainWindow

        ready, self._first_fill = self._first_fill, None  # of this vault only: the list checks
        prebuilt, self.prebuilt = self.prebuilt, None
        self._unlocking = None
        if prebuilt is not None and prebuilt[0] == vault.path and not prebuilt[1].attached:
            prebuilt[1].attach(vault, ready)
            self.main_window = prebuilt[1]
        else:
            if prebuilt is not None:  # built for another vault file: never given this one
                prebuilt[1].deleteLater()
            ctx = AppContext(vault=vault, runner=self.runner, errors=self.errors, prefs=self.prefs)
            self.main_window = MainWindow(ctx, self.relaunch or relaunch_detached, self.workspace_factory,
                                          first_fill=ready)
        self.main_window.show()
        settle_long_lived_objects()
        if self.start_window is not None and self.start_window.first_run:
            self.main_window.add_client()  # on to the first client, then their first note
        if self.last_run is not None:
            self.main_window.show_recovered(self.last_run)
        if self.start_window is not None:
            self.start_window.close()
            self.start_window.deleteLater()
            self.start_window = None


def main(vault_path: Path | None = None, argv: list[str] | None = None, backup: Path | None = None) -> int:
    """Run the desktop app on `vault_path` (default: the OS app-data folder), on the restore page for
    `backup` when one is given; returns the exit code."""
    disable_core_dumps()
    configure_logging()
    # instance() is typed as the core application; here it is always the widgets one
    app = cast(QApplication,
               QApplication.instance() or Application(argv if argv is not None else sys.argv[:1]))
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    apply_identity(app)
    app.setQuitOnLastWindowClosed(True)
    load_bundled_fonts()
    install_qt_message_handler()
    errors = ErrorPresenter()
    install_excepthook(errors)
    runner = BackgroundRunner(app)
    watch = CrashWatch(log_dir())
    launcher = Launcher(Path(vault_path or default_vault_path()), Preferences(), errors, runner,
                        crash_watch=watch)
    if isinstance(app, Application):
        app.sig_file_opened.connect(launcher.open_backup)
    launcher.start()
    if backup is not None:
        launcher.open_backup(backup)
    terminations = TerminationRequests(launcher.terminate)
    log.info("app started")
    code = app.exec()
    terminations.uninstall()
    runner.wait(-1)  # every job ends before the interpreter does (its thread is a daemon)
    launcher.preloader.join()  # an import still under way when the window closed: finish it first
    watch.stop()  # a clean end: the next start has nothing to report
    return int(code)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="notesdesk-ui")
    parser.add_argument("--vault", type=Path, default=None)
    parser.add_argument("--restore", type=Path, default=None, metavar="FILE")
    args, rest = parser.parse_known_args()
    sys.exit(main(args.vault, sys.argv[:1] + rest, args.restore))
