"""Save PNGs of a client the vault only supervises into docs/screenshots/ (18-supervised-*): the
workspace with the Client menu open (its writing actions off), Edit client… showing the details with
Save off, Payments and receipts… with its write buttons off, and the psychotherapy notes' Find box (it
only filters, so it stays usable), at 1366×768. A synthetic colleague founds a practice on a throw-away
PostgreSQL cluster (the sync tests' own, tests/sync/pg_cluster.py) and shares a client with the
supervisor's vault of its own, so Debian's `postgresql` must be installed, as for `make test`.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/supervised_screenshots.py
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
from practice_screenshots import colleague  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QPainter  # noqa: E402
from PySide6.QtWidgets import QMenu  # noqa: E402
from tests.sync.helpers import supervised_client  # noqa: E402
from tests.sync.pg_cluster import remove_cluster, start_cluster  # noqa: E402

from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402


def client_menu(window: MainWindow) -> QMenu:
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Client"]
    assert isinstance(menu, QMenu)
    return menu


def save_with_menu(window: MainWindow, menu: QMenu, name: str) -> None:
    """The window with `menu` open under its title, painted where it drops down."""
    bar = window.menuBar()
    corner = bar.mapTo(window, bar.actionGeometry(menu.menuAction()).bottomLeft())
    menu.popup(window.mapToGlobal(corner))
    shots.settle(0.5)
    pixmap = window.grab()
    painter = QPainter(pixmap)
    painter.drawPixmap(QPoint(corner.x(), corner.y()), menu.grab())
    painter.end()
    menu.hide()
    path = shots.OUT / f"{name}.png"
    pixmap.save(str(path))
    print(path.relative_to(shots.OUT.parents[1]))


def main() -> int:
    shots.OUT.mkdir(parents=True, exist_ok=True)
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="notesdesk-supervised-shots-") as tmp:
            folder = Path(tmp)
            _app, errors, runner, prefs = shots.offscreen_app(folder)
            url = cluster.create_database("notesdesk")
            alice = colleague(folder, "Dr Alice Moreau")
            sam = colleague(folder, "Dr Sam Lindqvist")
            _sam_id, client_id, _note_id = supervised_client(alice, sam, url)

            ctx = AppContext(vault=sam, runner=runner, errors=errors, prefs=prefs)
            window = MainWindow(ctx, relaunch=lambda _path: None)
            window.setWindowState(Qt.WindowState.WindowNoState)
            window.resize(*shots.SIZE)
            window.show()
            shots.wait_until(lambda: window.practice_sync.member and not window.practice_sync.running, 120)
            window.panel.select_client(client_id)
            shots.settle(0.5)
            save_with_menu(window, client_menu(window), "18-supervised-client-menu")

            window.actions_by_name["edit"].trigger()
            assert window.client_dialog is not None
            shots.save(window, "18-supervised-edit-client", over=window.client_dialog)
            window.client_dialog.reject()

            window.actions_by_name["billing"].trigger()
            billing = window.billing_dialog
            shots.save(window, "18-supervised-billing", over=billing)
            billing.reject()

            workspace = window.host.workspace
            workspace.tabs.setCurrentWidget(workspace.private_tab)  # type: ignore[union-attr]
            find = workspace.private_tab.find_box  # type: ignore[union-attr]
            find.setFocus()
            find.setText("sleep")
            shots.save(window, "18-supervised-psychotherapy-find")
            print("error shown:", errors.last_message)

            window.shutdown()
            window.close()
            runner.wait()
            alice.close()
    finally:
        remove_cluster(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
