"""Run by test_sigterm.py: the whole app (`notesdesk.ui.app.main`) on VAULT, driven from inside —
unlock, open the first client, type TEXT into a new note (autosave off in effect) — then print READY
and run until the test sends SIGTERM, as a logout or shutdown would. With TEXT empty it stays at the
unlock screen: READY once that shows.
Usage: sigterm_child.py VAULT PASSPHRASE TEXT"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from notesdesk.ui import app as ui_app
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.start.window import StartWindow


def windows[T](kind: type[T]) -> list[T]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind)]


def drive(passphrase: str, text: str) -> None:
    """Each step waits for the one before on the event loop (a timer), never by sleeping."""
    starts, mains = windows(StartWindow), windows(MainWindow)
    if not text and starts and starts[0].isVisible():
        print("READY", flush=True)
        return
    if not mains:
        if starts and not getattr(drive, "submitted", False):
            drive.submitted = True  # type: ignore[attr-defined]
            starts[0].unlock.passphrase.setText(passphrase)
            starts[0].unlock.sig_submitted.emit(passphrase)
        QTimer.singleShot(20, lambda: drive(passphrase, text))
        return
    window = mains[0]
    clients = window.panel.model.clients()
    if window.search_keeper.building or not clients:
        QTimer.singleShot(20, lambda: drive(passphrase, text))
        return
    window.ctx.prefs.autosave_seconds = 3600  # only the close may save what is typed next
    window.panel.select_client(clients[0].id)
    workspace = window.host.workspace
    workspace.new_note()
    editor = workspace.notes_tab.editor.section_edit("subjective")
    editor.setFocus()
    QTest.keyClicks(editor, text)
    unsaved = workspace.notes_tab.editor.autosaver.dirty
    print("READY" if unsaved else "ERROR the text was saved before the signal", flush=True)


def main(vault: str, passphrase: str, text: str) -> int:
    app = QApplication(sys.argv[:1])
    QTimer.singleShot(0, lambda: drive(passphrase, text))
    code = ui_app.main(Path(vault))
    del app
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
