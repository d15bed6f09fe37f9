"""Run by test_workspace_crash.py: type into a draft, wait until the autosave timer has written it,
print TYPED, then sleep until killed.
Usage: workspace_crash_script.py VAULT PASSPHRASE CLIENT_ID SETTINGS.ini TEXT"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.errors import ErrorPresenter  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402
from notesdesk.ui.workspace import ClientWorkspace  # noqa: E402


def main(vault_path: str, passphrase: str, client_id: str, ini: str, text: str) -> None:
    app = QApplication([])
    vault = Vault.open(Path(vault_path), passphrase)
    prefs = Preferences(QSettings(ini, QSettings.Format.IniFormat))
    ctx = AppContext(vault, BackgroundRunner(), ErrorPresenter(interactive=False), prefs)
    workspace = ClientWorkspace(ctx, client_id, confirm=lambda *_args: True)
    workspace.resize(1200, 800)
    workspace.show()
    workspace.new_note()
    editor = workspace.notes_tab.editor.section_edit("subjective")
    editor.setFocus()
    QTest.keyClicks(editor, text)
    # Only the autosave timer may save: no focus change, no switch, no explicit save. Wait until it
    # has written the draft (the session announces the note), not for a guessed length of time.
    autosaver = workspace.notes_tab.editor.autosaver
    written: list[object] = []
    ctx.session.sig_changed.connect(written.append)
    deadline = time.monotonic() + prefs.autosave_seconds + 60
    while (autosaver.dirty or not written) and ctx.errors.last_message is None \
            and time.monotonic() < deadline:
        QTest.qWait(20)
    saved = written and not autosaver.dirty
    print("TYPED" if saved else f"ERROR {ctx.errors.last_message or 'no autosave'}", flush=True)
    app.processEvents()
    time.sleep(120)  # killed long before this ends


if __name__ == "__main__":
    main(*sys.argv[1:6])
