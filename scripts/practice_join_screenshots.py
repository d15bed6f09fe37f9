"""Save PNGs of setting up and joining a group practice in the app into docs/screenshots/ (15-practice-
join-*, 15-practice-add-computer): File ▸ Join a practice… (its choices, the new practice's recovery key
shown once, a colleague waiting to be added) and File ▸ Practice… ▸ Add another computer…, at 1366×768,
against a throw-away PostgreSQL cluster (the sync tests' own, tests/sync/pg_cluster.py), as
scripts/practice_screenshots.py does.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/practice_join_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import screenshots as shots  # noqa: E402  (sets up the 1366×768 offscreen screen)
from PySide6.QtCore import Qt  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from tests.sync.pg_cluster import remove_cluster, start_cluster  # noqa: E402

from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.dialogs.join_practice_dialog import JOIN, SET_UP, JoinPracticeDialog  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402

PASSPHRASE = "correct horse battery staple practice"


def window_for(ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx, relaunch=lambda _path: None)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*shots.SIZE)
    window.show()
    shots.wait_until(lambda: not window.search_keeper.building, 120)
    return window


def fill(dialog: JoinPracticeDialog, choice: str, address: str, password: str, fingerprint: str = "") -> None:
    dialog.choices[choice].setChecked(True)
    dialog.address.setText(address)
    dialog.password.setText(password)
    dialog.fingerprint.setText(fingerprint)


def main() -> int:
    shots.OUT.mkdir(parents=True, exist_ok=True)
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="notesdesk-join-shots-") as tmp:
            folder = Path(tmp)
            _app, errors, runner, prefs = shots.offscreen_app(folder)
            url = make_url(cluster.create_database("notesdesk"))
            address = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
            password = str(url.password)
            # Not the demo: its made-up clients are never offered to a practice (no Join a practice… there).
            founder = Vault.create(folder / "founder.notesdesk", PASSPHRASE)[0]
            ctx = AppContext(vault=founder, runner=runner, errors=errors, prefs=prefs)
            window = window_for(ctx)
            window.practice.join.trigger()
            dialog = window.practice.dialog
            assert isinstance(dialog, JoinPracticeDialog)
            fill(dialog, SET_UP, address, password)
            shots.save(window, "15-practice-join-set-up", over=dialog)
            dialog.go.click()
            shots.wait_until(lambda: dialog.result_shown is not None or errors.last_message is not None, 120)
            assert errors.last_message is None, errors.last_message
            shots.save(window, "15-practice-join-recovery-key", over=dialog)
            fingerprint = dialog.fact_labels["Practice fingerprint"].text()
            dialog.last_group.setText(dialog.recovery_key.rsplit("-", 1)[-1])
            dialog.reject()
            shots.wait_until(lambda: window.practice.practice.isVisible()
                             and not window.practice_sync.running, 120)
            window.practice.practice.trigger()
            members = window.practice.dialog
            shots.wait_until(lambda: not members.busy, 60)
            members.add_computer.click()
            invite = members.invite_dialog
            shots.wait_until(lambda: not invite.busy, 60)
            shots.save(window, "15-practice-add-computer", over=invite)
            invite.reject()
            members.reject()
            window.shutdown()
            window.close()
            runner.wait()

            colleague = Vault.create(folder / "okafor.notesdesk", PASSPHRASE)[0]
            theirs = AppContext(vault=colleague, runner=runner, errors=errors, prefs=prefs)
            window = window_for(theirs)
            window.practice.join.trigger()
            dialog = window.practice.dialog
            fill(dialog, JOIN, address, password, fingerprint)
            shots.save(window, "15-practice-join-form", over=dialog)
            dialog.go.click()
            shots.wait_until(lambda: dialog.result_shown is not None or errors.last_message is not None, 120)
            assert errors.last_message is None, errors.last_message
            shots.save(window, "15-practice-join-waiting", over=dialog)
            dialog.reject()
            shots.wait_until(lambda: window.practice_sync.label.isVisible()
                             and not window.practice_sync.running, 120)
            print("status bar after joining:", window.practice_sync.label.text())
            window.shutdown()
            window.close()
            runner.wait()
    finally:
        remove_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
