"""UI fixtures: offscreen Qt, the tiny test KDF, a temp vault, isolated QSettings, fake workspace."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from notesdesk.core.domain.practice import PractitionerProfile  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.errors import ErrorPresenter  # noqa: E402
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher  # noqa: E402
from notesdesk.ui.main_window import MainWindow  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402
from tests.signer import ready_to_sign

PASSPHRASE = "correct horse battery"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    # Automatic backups (on lock, on close, daily) go to a temporary folder, never the user's.
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(tmp_path / "backups"))
    settings_dir = str(tmp_path / "qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)


@pytest.fixture
def ui_vault_path(tmp_path: Path) -> Path:
    return tmp_path / "practice.notesdesk"


@pytest.fixture
def prefs(tmp_path: Path) -> Preferences:
    return Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def errors() -> ErrorPresenter:
    return ErrorPresenter(interactive=False)


@pytest.fixture
def runner(qapp) -> Iterator[BackgroundRunner]:
    runner = BackgroundRunner()
    yield runner
    runner.wait()


@pytest.fixture
def created(ui_vault_path: Path) -> Iterator[tuple[Vault, str]]:
    vault, key = Vault.create(ui_vault_path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    yield vault, key
    vault.close()


@pytest.fixture
def alice(tmp_path: Path) -> Iterator[Vault]:
    """A colleague's vault of its own, ready to sign (the practice tests' founding clinician)."""
    vault = Vault.create(tmp_path / "alice.notesdesk", PASSPHRASE)[0]
    ready_to_sign(vault, PractitionerProfile(name="Dr Alice", credentials="LCSW"))
    yield vault
    vault.close()


@pytest.fixture
def ctx(created, runner, errors, prefs) -> AppContext:
    return AppContext(vault=created[0], runner=runner, errors=errors, prefs=prefs)


class FakeWorkspace(QWidget):
    """Stands in for notesdesk.ui.workspace.ClientWorkspace; records what the shell asks of it."""

    def __init__(self, ctx: AppContext, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_id = client_id
        self.log: list[tuple[str, str]] = FakeWorkspace.shared_log
        self.log.append(("open_workspace", client_id))

    shared_log: list[tuple[str, str]] = []

    def save_all_drafts(self) -> bool:
        self.log.append(("save_all_drafts", self.client_id))
        return True

    def unsaved_parts(self) -> list[str]:
        return []

    def open_note(self, note_id: str) -> None:
        self.log.append(("open_note", note_id))

    def open_plan(self, plan_id: str) -> None:
        self.log.append(("open_plan", plan_id))

    def start_discharge_note(self) -> bool:
        self.log.append(("start_discharge_note", self.client_id))
        return True

    def start_note(self) -> None:
        self.log.append(("start_note", self.client_id))

    def open_part(self, part: str) -> None:
        self.log.append(("open_part", part))


class Relaunch:
    def __init__(self, log: list[tuple[str, str]]) -> None:
        self.log = log
        self.paths: list[Path] = []

    def __call__(self, path: Path) -> None:
        self.paths.append(path)
        self.log.append(("relaunch", str(path)))


@pytest.fixture
def events() -> Iterator[list[tuple[str, str]]]:
    FakeWorkspace.shared_log = []
    yield FakeWorkspace.shared_log


@pytest.fixture
def relaunch(events) -> Relaunch:
    return Relaunch(events)


@pytest.fixture
def make_window(qtbot, ctx, relaunch, events):
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        # No bus signals: a developer's own screen lock must not lock the test windows (tests/ui/
        # test_os_lock.py covers the watcher on a private bus and the default one at start-up).
        window = MainWindow(ctx, relaunch=relaunch, workspace_factory=FakeWorkspace,
                            system_lock=SystemLockWatcher(bus_signals=()))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: not window.search_keeper.building)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
