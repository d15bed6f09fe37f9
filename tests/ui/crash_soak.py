"""The crash soak: a therapist's mixed use of the real main window over the demo practice, as fast as
Qt will go, in a process of its own (tests/ui/test_crash_soak.py starts it, so an abort fails that
test instead of killing the run).

    QT_QPA_PLATFORM=offscreen NOTESDESK_INSECURE_TEST_KDF=1 \
        .venv/bin/python -m tests.ui.crash_soak --actions 2500 --clients 25 --seed 1

Each action is one thing a user does: choose a client, change workspace tab, open a drop-down and pick
from it, click a row, type into a note, open and close a dialog or a menu, give a questionnaire,
preview a PDF, click a button. Widgets are found the way a user finds them — visible and enabled on
screen — so the soak keeps up with the screens as they change. A message box that a click opens is
answered "no"/"cancel" as soon as it shows, nested event loop or not.

After every action it checks that the reference counts of None, True and False have not fallen (on
interpreters where they are mortal a Qt binding that drops references to them aborts the process,
which is how PySide6 6.12.0 on Python 3.11 crashed), and it records every exception that reached
sys.excepthook (a slot that raised: the user would have seen "unexpected error"). The last line is
`SOAK OK …` with the counts, or `SOAK FAILED …`; the exit code says the same. Synthetic data only.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")

import shiboken6  # noqa: E402
from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.demo import build_demo  # noqa: E402
from notesdesk.ui.app_setup import where_it_failed  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402
from notesdesk.ui.printing.documents import ReportsMenu  # noqa: E402
from notesdesk.ui.printing.view import PdfPreviewDialog  # noqa: E402
from notesdesk.ui.workspace import ClientWorkspace  # noqa: E402
from tests.ui.soak_tools import (  # noqa: E402
    Failure,
    ModalCloser,
    RecordingPresenter,
    centre_of_row,
    mark_windows,
    new_windows,
    on_screen,
    pump,
    type_chars,
    wait_for,
)

PASSPHRASE = "soak passphrase for a synthetic practice"
WORDS = ("slept", "better", "walked", "bus", "diary", "calm", "breathing", "worry", "plan", "week",
         "practised", "exposure", "ladder", "mood", "lifted", "Tuesday", "café", "Zoë", "naïve", "—")
# Buttons a monkey must not press: they end the session, destroy drafts or sign for the clinician.
# Everything else is fair game (a question they raise is answered "no").
FORBIDDEN = ("sign", "delete", "discard", "lock", "quit", "restore", "remove", "purge", "hand",
             "discharge", "reopen", "stop", "print", "export", "browse", "choose folder", "save as")
DIALOG_ACTIONS = ("new", "edit", "search", "settings", "backups", "shortcuts", "discharge")


class Soak:
    def __init__(self, window: MainWindow, ctx: AppContext, rng: random.Random) -> None:
        self.window, self.ctx, self.rng = window, ctx, rng
        self.closer = ModalCloser()
        self.verbose = False
        self.abort_at = 0
        self.typed_into: list[QWidget] = []  # fields the soak typed into (emptied before the close)
        self.done: Counter[str] = Counter()
        self.exceptions: list[str] = []
        self.errors_presented = 0
        self.start_counts = self.singleton_counts()
        self.lowest = dict(self.start_counts)
        self.actions: list[tuple[str, int, Callable[[], None]]] = [
            ("client", 10, self.choose_client),
            ("tab", 20, self.change_tab),
            ("dropdown", 14, self.use_dropdown),
            ("row", 14, self.click_row),
            ("type", 10, self.type_text),
            ("new note", 3, self.new_note),
            ("dialog", 8, self.open_dialog),
            ("menu", 5, self.open_menu),
            ("pdf", 2, self.preview_pdf),
            ("questionnaire", 3, self.give_questionnaire),
            ("button", 10, self.click_button),
            ("privacy", 1, self.toggle_privacy),
        ]

    # -- checks --------------------------------------------------------------------------------------

    @staticmethod
    def singleton_counts() -> dict[str, int]:
        return {"None": sys.getrefcount(None), "True": sys.getrefcount(True),
                "False": sys.getrefcount(False)}

    def check_counts(self, step: int, action: str) -> None:
        for name, count in self.singleton_counts().items():
            self.lowest[name] = min(self.lowest[name], count)
            if count < self.start_counts[name]:
                raise Failure(
                    f"reference count of {name} fell from {self.start_counts[name]} to {count} "
                    f"(action {step}: {action})"
                )

    def record_exception(self, kind: type[BaseException], _exc: BaseException,
                         tb: TracebackType | None) -> None:
        self.exceptions.append(f"{kind.__name__} at {where_it_failed(tb)}")

    # -- where things are ------------------------------------------------------------------------------

    def workspace(self) -> ClientWorkspace | None:
        workspace = self.window.host.workspace
        return workspace if isinstance(workspace, ClientWorkspace) and workspace.isVisible() else None

    def workspace_tabs(self) -> QTabWidget | None:
        workspace = self.workspace()
        return workspace.findChild(QTabWidget) if workspace is not None else None

    def current_page(self) -> QWidget:
        tabs = self.workspace_tabs()
        page = tabs.currentWidget() if tabs is not None else None
        return page if page is not None else self.window

    # -- actions ---------------------------------------------------------------------------------------

    def choose_client(self) -> None:
        view = self.window.panel.view
        rows = view.model().rowCount()
        if rows == 0:
            return
        point = centre_of_row(view, self.rng.randrange(rows))
        if point is not None:
            QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             point)

    def change_tab(self) -> None:
        tabs = self.workspace_tabs()
        if tabs is None:
            self.choose_client()
            return
        bar = tabs.tabBar()
        index = self.rng.randrange(bar.count())
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         bar.tabRect(index).center())

    def use_dropdown(self) -> None:
        combos = on_screen(self.current_page(), QComboBox) + on_screen(self.window.panel, QComboBox)
        if not combos:
            return
        combo = self.rng.choice(combos)
        assert isinstance(combo, QComboBox)
        combo.showPopup()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            self.closer.allow(popup)
        pump()
        view = combo.view()
        for _ in range(self.rng.randrange(3)):
            QTest.keyClick(view, Qt.Key.Key_Down)
        QTest.keyClick(view, self.rng.choice((Qt.Key.Key_Return, Qt.Key.Key_Escape)))
        pump()
        if combo.view().isVisible():
            combo.hidePopup()

    def click_row(self) -> None:
        views = [v for v in on_screen(self.current_page(), QAbstractItemView)
                 if v.model() is not None and v.model().rowCount() > 0]
        if not views:
            return
        view = self.rng.choice(views)
        assert isinstance(view, QAbstractItemView)
        point = centre_of_row(view, self.rng.randrange(view.model().rowCount()))
        if point is not None:
            QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             point)

    def type_text(self) -> None:
        page = self.current_page()
        fields = [w for kind in (QPlainTextEdit, QTextEdit, QLineEdit) for w in on_screen(page, kind)
                  if not getattr(w, "isReadOnly", lambda: True)()]
        fields = [w for w in fields if not isinstance(w.parentWidget(), QComboBox)]
        if not fields:
            return
        field = self.rng.choice(fields)
        field.setFocus()
        self.typed_into.append(field)
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 5)))
        type_chars(field, words + " ")

    def new_note(self) -> None:
        workspace = self.workspace()
        if workspace is not None:
            QTest.keyClick(workspace, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    def open_dialog(self) -> None:
        action = self.window.actions_by_name[self.rng.choice(DIALOG_ACTIONS)]
        if not action.isEnabled():
            return
        mark_windows()
        action.trigger()
        opened = [w for w in new_windows() if w.isVisible()]
        for window in opened:
            self.closer.allow(window)
        pump()
        for dialog in opened:
            if not shiboken6.isValid(dialog):
                continue
            for field in on_screen(dialog, QLineEdit)[:1]:
                field.setFocus()
                type_chars(field, self.rng.choice(WORDS))
                pump()
            for _ in range(self.rng.randrange(4)):
                QTest.keyClick(dialog, Qt.Key.Key_Tab)
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            pump()
            if shiboken6.isValid(dialog) and dialog.isVisible():
                # Escape was taken by a child (a completer, say): close it as a user would
                if isinstance(dialog, QDialog):
                    dialog.reject()
                else:
                    dialog.close()
            self.closer.allow(dialog, False)
        pump()

    def open_menu(self) -> None:
        menus = [a.menu() for a in self.window.menuBar().actions() if a.menu() is not None]
        menu = self.rng.choice(menus)
        assert isinstance(menu, QMenu)
        menu.popup(self.window.mapToGlobal(QPoint(10, 10)))
        self.closer.allow(menu)
        pump()
        for _ in range(self.rng.randrange(3)):
            QTest.keyClick(menu, Qt.Key.Key_Down)
        QTest.keyClick(menu, Qt.Key.Key_Escape)
        pump()
        menu.hide()
        self.closer.allow(menu, False)

    def preview_pdf(self) -> None:
        menu = self.window.reports_menu
        menu.refresh()
        asks_first = ("client", "record")  # these ask a question first; the closer would cancel it
        keys = [k for k, a in menu.document_actions.items() if a.isEnabled() and k not in asks_first]
        if not keys:
            return
        mark_windows()
        errors_before = self.ctx.errors.last_message
        self.closer.allowed_kind = PdfPreviewDialog
        try:
            self._preview(menu, self.rng.choice(keys), errors_before)
        finally:
            self.closer.allowed_kind = None

    def _preview(self, menu: ReportsMenu, key: str, errors_before: str | None) -> None:
        if not menu.trigger(key):
            return

        def preview() -> PdfPreviewDialog | None:
            return next((w for w in new_windows() if isinstance(w, PdfPreviewDialog) and w.isVisible()), None)

        wait_for(lambda: preview() is not None or self.ctx.errors.last_message != errors_before,
                 "the PDF preview")
        shown = preview()
        if shown is None:
            return
        self.closer.allow(shown)
        wait_for(lambda: shown.page_count() > 0, "the PDF's pages")
        for _ in range(self.rng.randrange(3)):
            QTest.keyClick(shown, Qt.Key.Key_PageDown)
        pump()
        shown.close()
        self.closer.allow(shown, False)
        pump()

    def give_questionnaire(self) -> None:
        workspace = self.workspace()
        if workspace is None:
            return
        tab = workspace.measures_tab
        tabs = self.workspace_tabs()
        assert tabs is not None
        tabs.setCurrentWidget(tab)
        pump()
        if not tab.start_button.isEnabled():
            return
        tab.form.advance_ms = 0
        QTest.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        pump()
        for _ in range(40):  # longer than any questionnaire: each click answers one question
            finish = tab.form.finish_button
            if finish.isVisible() and finish.isEnabled():
                QTest.mouseClick(finish, Qt.MouseButton.LeftButton)
                break
            options = [b for b in tab.form.option_buttons if b.isVisible() and b.isEnabled()]
            if not options:
                break
            QTest.mouseClick(self.rng.choice(options), Qt.MouseButton.LeftButton)
            pump(1)
        pump()

    def click_button(self) -> None:
        buttons = [b for b in on_screen(self.current_page(), QPushButton)
                   if not any(word in b.text().replace("&", "").lower() for word in FORBIDDEN)]
        if not buttons:
            return
        QTest.mouseClick(self.rng.choice(buttons), Qt.MouseButton.LeftButton)

    def toggle_privacy(self) -> None:
        self.window.actions_by_name["privacy"].trigger()

    def take_back_typing(self) -> None:
        """Before the final close, empty what the soak typed into forms that are still open, as a
        therapist would clear a half-filled homework or milestone form she does not want: the close
        refuses (rightly) to drop a form it cannot save, such as homework without a description."""
        for field in self.typed_into:
            if shiboken6.isValid(field) and field.isEnabled():
                field.clear()  # type: ignore[attr-defined]  # only text fields are typed into
        pump()

    # -- the run ---------------------------------------------------------------------------------------

    def run(self, count: int) -> None:
        names = [name for name, _w, _f in self.actions]
        weights = [w for _n, w, _f in self.actions]
        functions = {name: f for name, _w, f in self.actions}
        previous_hook = sys.excepthook
        sys.excepthook = self.record_exception
        started = time.monotonic()
        try:
            for step in range(1, count + 1):
                name = self.rng.choices(names, weights)[0]
                if self.verbose:
                    print(f"soak: action {step}: {name}", flush=True)
                if step == self.abort_at:
                    # what CPython does on "Fatal Python error: none_dealloc"
                    faulthandler._sigabrt()  # type: ignore[attr-defined]  # CPython's private hook
                functions[name]()
                pump()
                self.done[name] += 1
                if self.ctx.errors.last_message is not None:
                    self.errors_presented += 1
                    self.ctx.errors.last_message = None
                self.check_counts(step, name)
                if step % 250 == 0:
                    print(f"soak: {step} actions, {time.monotonic() - started:.0f} s", flush=True)
        finally:
            sys.excepthook = previous_hook


def make_practice(folder: Path, clients: int, seed: int) -> Path:
    path = folder / "practice.notesdesk"
    vault, _recovery = Vault.create(path, PASSPHRASE)
    with vault:
        build_demo(vault, clients=clients, seed=seed)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crash_soak")
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="print each action before it runs")
    parser.add_argument("--abort-at", type=int, default=0, metavar="N",
                        help="abort the process at action N, as a crashing binding would (tests the harness)")
    args = parser.parse_args(argv)
    faulthandler.enable()  # an abort prints where it happened to the test's captured stderr

    with tempfile.TemporaryDirectory(prefix="notesdesk-soak-") as tmp:
        folder = Path(tmp)
        # Everything the app keeps beside the vault stays in this run's folder, never the user's.
        os.environ["NOTESDESK_BACKUP_DIR"] = str(folder / "backups")
        os.environ["NOTESDESK_ANCHOR_DIR"] = str(folder / "anchors")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
        path = make_practice(folder, args.clients, args.seed)
        app = QApplication.instance() or QApplication([])
        vault = Vault.open(path, PASSPHRASE)
        presenter = RecordingPresenter()
        ctx = AppContext(vault, BackgroundRunner(app), presenter,
                         Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat)))
        window = MainWindow(ctx, relaunch=lambda _path: None, system_lock=SystemLockWatcher(bus_signals=()))
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        soak = Soak(window, ctx, random.Random(args.seed))
        soak.verbose = args.verbose
        soak.abort_at = args.abort_at
        try:
            wait_for(lambda: not window.search_keeper.building, "the search index")
            soak.choose_client()
            soak.run(args.actions)
            soak.take_back_typing()
            ctx.errors.last_message = None
            window.close()  # the real close: drafts saved, final backup, vault closed
            if window.isVisible():
                raise Failure(f"the window did not close: {ctx.errors.last_message}")
        except Failure as failure:
            print(f"SOAK FAILED {failure}; done {dict(soak.done)}; said {dict(presenter.said)}", flush=True)
            return 1
        finally:
            ctx.runner.wait()
        pump()
        done = sum(soak.done.values())
        if soak.exceptions or presenter.unexpected():
            print(f"SOAK FAILED {len(soak.exceptions)} unexpected exceptions: "
                  + "; ".join(sorted(set(soak.exceptions))) + f"; said {presenter.unexpected()}", flush=True)
            return 1
        print(f"SOAK OK actions={done} kinds={dict(sorted(soak.done.items()))} "
              f"boxes_answered={soak.closer.closed} errors_shown={soak.errors_presented} "
              f"refcounts_start={soak.start_counts} refcounts_lowest={soak.lowest}", flush=True)
        print(f"soak: what the app said: {dict(presenter.said.most_common())}", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
