"""Save PNGs of the group practice in the app into docs/screenshots/ (15-practice-*): the overview's
"Shared with" line, Client ▸ Share with colleague…, File ▸ Practice… before and after a clinician is
removed (the practice key's new version), and the sync status bar in each of its states, at 1366×768,
light and dark. The demo practice shares a client with synthetic colleagues through a throw-away
PostgreSQL cluster (the sync tests' own, tests/sync/pg_cluster.py), so Debian's `postgresql` must be
installed, as for `make test`.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/practice_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import screenshots as shots  # noqa: E402  (sets up the 1366×768 offscreen screen)
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from tests.signer import ready_to_sign  # noqa: E402
from tests.sync.helpers import join_practice, signed_note  # noqa: E402
from tests.sync.pg_cluster import remove_cluster, start_cluster  # noqa: E402

from notesdesk.core.domain.practice import PractitionerProfile  # noqa: E402
from notesdesk.core.services import clients, practice, practice_access  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.core.sync import state as st  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402

PASSPHRASE = "correct horse battery staple practice"


def colleague(folder: Path, name: str) -> Vault:
    vault = Vault.create(folder / f"{name.split()[-1].lower()}.notesdesk", PASSPHRASE)[0]
    return ready_to_sign(vault, PractitionerProfile(name=name, credentials="LCSW"))


def window_for(ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx, relaunch=lambda _path: None)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*shots.SIZE)
    window.show()
    shots.wait_until(lambda: window.practice_sync.member and not window.practice_sync.running, 120)
    return window


def status_bar(window: MainWindow, name: str) -> None:
    shots.settle()
    window.statusBar().grab().save(str(shots.OUT / f"{name}.png"))
    print(f"docs/screenshots/{name}.png")


def practice_screens(window: MainWindow, shared_id: str, dark: str) -> None:
    window.panel.select_client(shared_id)
    workspace = window.host.workspace
    assert workspace is not None
    overview = workspace.overview_tab  # type: ignore[attr-defined]
    shots.wait_until(lambda: overview.sharing.text() != "", 60)
    shots.save(window, f"15-practice-{dark}overview-shared-with")
    window.practice.share.trigger()
    dialog = window.practice.dialog
    shots.wait_until(lambda: not dialog.busy, 60)
    shots.save(window, f"15-practice-{dark}share-dialog", over=dialog)
    dialog.reject()
    window.practice.practice.trigger()
    dialog = window.practice.dialog
    shots.wait_until(lambda: not dialog.busy, 60)
    shots.save(window, f"15-practice-{dark}practice-dialog", over=dialog)
    dialog.reject()


def main() -> int:
    shots.OUT.mkdir(parents=True, exist_ok=True)
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="notesdesk-practice-shots-") as tmp:
            folder = Path(tmp)
            _app, errors, runner, prefs = shots.offscreen_app(folder)
            url = cluster.create_database("notesdesk")
            demo = shots.open_demo(folder)
            founded = practice.init(demo.unit_of_work(), url)
            names = ("Dr Bea Okafor", "Dr Sam Lindqvist", "Dr Cy Noor")
            bob, sam, carol = (colleague(folder, name) for name in names)
            b = join_practice(demo, bob, url, founded.practice_fingerprint).clinician_id
            s = join_practice(demo, sam, url, founded.practice_fingerprint).clinician_id
            practice.join(carol.unit_of_work(), url, founded.practice_fingerprint)  # waiting to be added
            shared = max(clients.list_clients(demo.unit_of_work()), key=lambda c: len(c.name))
            practice.sync(demo.unit_of_work())
            practice_access.assign(demo.unit_of_work(), shared.id, b)
            practice_access.assign(demo.unit_of_work(), shared.id, s, supervisor=True)
            practice.sync(demo.unit_of_work())
            for vault in (bob, sam):
                practice.sync(vault.unit_of_work())
            signed_note(bob, shared.id, "Cover session while on leave.")
            practice.sync(bob.unit_of_work())

            ctx = AppContext(vault=demo, runner=runner, errors=errors, prefs=prefs)
            window = window_for(ctx)
            status_bar(window, "15-practice-status-synced")
            practice_screens(window, shared.id, "")
            # Two edits of the client's details from the same version: one waits to be resolved.
            theirs = clients.get_client(bob.unit_of_work(), shared.id)
            clients.update_client(bob.unit_of_work(), replace(theirs, phone="555-0199"))
            practice.sync(bob.unit_of_work())
            mine = clients.get_client(demo.unit_of_work(), shared.id)
            clients.update_client(demo.unit_of_work(), replace(mine, phone="555-0142"))
            window.practice_sync.action.trigger()
            status_bar(window, "15-practice-status-syncing")
            shots.wait_until(lambda: not window.practice_sync.running, 60)
            status_bar(window, "15-practice-status-to-resolve")

            window.shutdown()
            window.close()
            runner.wait()
            light = QApplication.palette()  # dark: as the app starts under a dark system scheme
            QApplication.setPalette(shots.dark_palette())
            window = window_for(ctx)
            practice_screens(window, shared.id, "dark-")
            status_bar(window, "15-practice-dark-status")
            window.shutdown()
            window.close()
            runner.wait()
            QApplication.setPalette(light)
            window = window_for(ctx)

            # A removal: the practice key's next version, shown in File ▸ Practice….
            practice_access.remove_clinician(demo.unit_of_work(), s)
            window.practice.practice.trigger()
            dialog = window.practice.dialog
            shots.wait_until(lambda: not dialog.busy, 60)
            shots.save(window, "15-practice-after-removal", over=dialog)
            dialog.reject()

            # The server away: a quiet state.
            with demo.unit_of_work() as uow:
                ident = st.required_identity(uow)
                port = make_url(ident.server_url).port
                st.save(uow, replace(ident, server_url=ident.server_url.replace(f":{port}/", ":1/")))
                uow.commit()
            window.practice_sync.sync(asked=False)
            shots.wait_until(lambda: not window.practice_sync.running, 60)
            status_bar(window, "15-practice-status-offline")
            window.shutdown()
            window.close()
            runner.wait()

            # The removed clinician's own app.
            removed = AppContext(vault=sam, runner=runner, errors=errors, prefs=prefs)
            window = MainWindow(removed, relaunch=lambda _path: None)
            window.setWindowState(Qt.WindowState.WindowNoState)
            window.resize(*shots.SIZE)
            window.show()
            shots.wait_until(lambda: window.practice_sync.label.isVisible()
                             and not window.practice_sync.running, 120)
            status_bar(window, "15-practice-status-removed")
            print("error shown on the removed device:", errors.last_message)
            window.shutdown()
            window.close()
            runner.wait()
    finally:
        remove_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
