"""The app's path from the key derived to the client list with its flags (issue 11): the main window is
built while the key is derived, hidden and without a vault, and the list with its flags is read in the
unlock's own background job once the vault has passed its checks. What a person must never see: a
client name from a vault that a wrong passphrase did not open, or that failed its integrity check —
not even briefly — nor a window made for one vault file given another."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.app import Launcher
from notesdesk.ui.keepers import client_list as client_list_keeper
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.models.client_list_model import COL_FLAGS, COL_NAME
from tests.attacker import edit
from tests.core import records
from tests.ui.conftest import PASSPHRASE, FakeWorkspace

WAIT_MS = 10_000


def _launcher(qtbot, path: Path, prefs, errors, runner) -> Launcher:
    launcher = Launcher(path, prefs, errors, runner, lambda _path: None, FakeWorkspace)
    launcher.start()  # deleted by the launcher once a vault is handed over
    qtbot.waitUntil(launcher.preloader.done, timeout=WAIT_MS)  # the passphrase is typed meanwhile
    return launcher


def _submit(qtbot, launcher: Launcher, passphrase: str) -> None:
    start = launcher.start_window
    assert start is not None
    start.unlock.passphrase.edit.clear()
    qtbot.keyClicks(start.unlock.passphrase.edit, passphrase)
    qtbot.keyClick(start.unlock.passphrase.edit, Qt.Key.Key_Return)


def _prebuilt(launcher: Launcher) -> MainWindow:
    assert launcher.prebuilt is not None
    return launcher.prebuilt[1]


def _names_ever_listed(window: MainWindow) -> list[str]:
    """Every name the window's list is given from now on, as it is given."""
    listed: list[str] = []
    model = window.panel.model
    model.rowsInserted.connect(lambda _parent, first, last: listed.extend(
        model.index(row, COL_NAME).data() for row in range(first, last + 1)))
    model.modelReset.connect(lambda: listed.extend(model.names_shown()))
    return listed


def _listed_with_flags(launcher: Launcher, window: MainWindow) -> bool:
    return launcher.main_window is window and bool(window.client_list._flags)


def _shown(window: MainWindow) -> dict[str, str]:
    proxy = window.panel.proxy
    return {proxy.index(r, COL_NAME).data(): proxy.index(r, COL_FLAGS).data() or ""
            for r in range(proxy.rowCount())}


def _practice(path: Path) -> None:
    vault, _key = Vault.create(path, PASSPHRASE)
    with vault:
        ana = clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
        clients.add_client(vault.unit_of_work(), Client(name="Ben Ode"))
        notes.create_note(vault.unit_of_work(), records.note(ana.id, "draft "))  # unsigned, risk noted


def test_a_wrong_passphrase_typed_while_the_window_is_built_ahead_shows_nothing_of_the_vault(
    qtbot, ui_vault_path, prefs, errors, runner
) -> None:
    _practice(ui_vault_path)
    launcher = _launcher(qtbot, ui_vault_path, prefs, errors, runner)
    _submit(qtbot, launcher, "not the passphrase at all")
    qtbot.waitUntil(lambda: launcher.prebuilt is not None, timeout=WAIT_MS)  # built while the key is derived
    window = _prebuilt(launcher)
    qtbot.addWidget(window)
    listed = _names_ever_listed(window)
    start = launcher.start_window
    assert start is not None
    qtbot.waitUntil(lambda: bool(start.unlock.message.text()), timeout=WAIT_MS)
    assert "passphrase" in start.unlock.message.text().lower()
    assert not window.isVisible() and not window.ctx.has_vault and launcher.main_window is None
    assert window.panel.model.rowCount() == 0 and listed == []
    # The right passphrase then: the same window, given the vault that opened, lists it with its flags.
    _submit(qtbot, launcher, PASSPHRASE)
    qtbot.waitUntil(lambda: _listed_with_flags(launcher, window), timeout=WAIT_MS)
    assert launcher.main_window is window and window.isVisible()
    shown = _shown(window)
    assert set(shown) == {"Ana Lima", "Ben Ode"}
    assert "unsigned" in shown["Ana Lima"] and shown["Ben Ode"] == ""
    qtbot.waitUntil(lambda: not window.search_keeper.building, timeout=WAIT_MS)
    window.shutdown()


def test_the_list_is_read_with_its_flags_in_the_unlocks_job_and_shown_with_them(
    qtbot, ui_vault_path, prefs, errors, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _practice(ui_vault_path)
    read_on: list[bool] = []  # for each read of the flags: on the UI thread?
    real_flags = client_list_keeper.client_flags  # type: ignore[attr-defined]  # the name the keeper calls

    def counted(*args, **kwargs):
        read_on.append(threading.current_thread() is threading.main_thread())
        return real_flags(*args, **kwargs)

    monkeypatch.setattr(client_list_keeper, "client_flags", counted)
    launcher = _launcher(qtbot, ui_vault_path, prefs, errors, runner)
    _submit(qtbot, launcher, PASSPHRASE)
    qtbot.waitUntil(lambda: (launcher.prebuilt or launcher.main_window) is not None, timeout=WAIT_MS)
    window = launcher.main_window or _prebuilt(launcher)
    qtbot.addWidget(window)
    flags_as_listed: dict[str, str] = {}
    model = window.panel.model
    model.rowsInserted.connect(lambda _parent, first, last: flags_as_listed.update(
        {model.index(r, COL_NAME).data(): model.index(r, COL_FLAGS).data() for r in range(first, last + 1)}))
    qtbot.waitUntil(lambda: _listed_with_flags(launcher, window), timeout=WAIT_MS)
    assert "unsigned" in flags_as_listed["Ana Lima"]  # a name never shows without its flags
    assert _shown(window)["Ana Lima"] == flags_as_listed["Ana Lima"]
    assert read_on == [False]  # once, on the runner, with the unlock: not again by the window
    qtbot.waitUntil(lambda: not window.search_keeper.building, timeout=WAIT_MS)
    window.shutdown()


_sql = edit  # as someone with the file but not the key


def _newest_seq(path: Path) -> int:
    return int(_sql(path, ("SELECT max(seq) FROM audit", ()))[0][0][0])  # type: ignore[call-overload]


def _delete_client_and_what_came_after(path: Path, client_id: str, since: int) -> None:
    owned = [name for (name,) in _sql(path, ("SELECT name FROM sqlite_master WHERE type='table'", ()))[0]
             if "client_id" in {col[1] for col in _sql(path, (f"PRAGMA table_info({name})", ()))[0]}]
    _sql(path, *[(f"DELETE FROM {name} WHERE client_id = ?", (client_id,)) for name in owned],
         ("DELETE FROM client WHERE id = ?", (client_id,)), ("DELETE FROM audit WHERE seq > ?", (since,)))


ATTACKS = ["tail cut", "row and tail deleted", "one row rolled back", "whole vault rolled back"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_vault_failing_its_integrity_check_never_shows_a_client_name(
    qtbot, ui_vault_path, prefs, errors, runner, tmp_path: Path, attack: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _practice(ui_vault_path)
    old = tmp_path / "old-copy.notesdesk"
    shutil.copy(ui_vault_path, old)
    since = _newest_seq(ui_vault_path)
    [[(ben_id, rev, data)]] = _sql(ui_vault_path, ("SELECT id, rev, data FROM client "
                                                   "WHERE rowid = (SELECT max(rowid) FROM client)", ()))
    with Vault.open(ui_vault_path, passphrase=PASSPHRASE) as vault:
        [ben] = [c for c in clients.list_clients(vault.unit_of_work()) if c.id == ben_id]
        clients.update_client(vault.unit_of_work(), replace(ben, name="Ben Odé"))
        cleo = clients.add_client(vault.unit_of_work(), Client(name="Cleo Park"))
    if attack == "tail cut":
        _sql(ui_vault_path, ("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)", ()))
    elif attack == "row and tail deleted":
        _delete_client_and_what_came_after(ui_vault_path, cleo.id, since)
    elif attack == "one row rolled back":
        _sql(ui_vault_path, ("UPDATE client SET rev = ?, data = ? WHERE id = ?", (rev, data, ben_id)))
    else:
        shutil.copy(old, ui_vault_path)  # the anchor of this computer knows better
    before = ui_vault_path.read_bytes()
    read: list[object] = []
    real_fill = client_list_keeper.first_fill
    monkeypatch.setattr(client_list_keeper, "first_fill", lambda v: read.append(v) or real_fill(v))
    launcher = _launcher(qtbot, ui_vault_path, prefs, errors, runner)
    start = launcher.start_window
    assert start is not None
    qtbot.addWidget(start)  # refused: it stays
    start.confirm = lambda _parent, _title, _question: False  # offered a backup: not now
    _submit(qtbot, launcher, PASSPHRASE)
    qtbot.waitUntil(lambda: launcher.prebuilt is not None, timeout=WAIT_MS)
    window = _prebuilt(launcher)
    qtbot.addWidget(window)
    listed = _names_ever_listed(window)
    qtbot.waitUntil(lambda: errors.last_message is not None, timeout=WAIT_MS)
    assert all(name not in errors.last_message for name in ("Ana", "Ben", "Cleo"))
    qtbot.waitUntil(lambda: start.stack.isEnabled(), timeout=WAIT_MS)
    assert launcher.main_window is None and not window.isVisible() and not window.ctx.has_vault
    assert listed == [] and window.panel.model.rowCount() == 0
    assert read == []  # the list was never even read
    assert ui_vault_path.read_bytes() == before


def test_a_window_built_for_one_vault_file_is_never_given_another(
    qtbot, ui_vault_path, prefs, errors, runner, tmp_path: Path
) -> None:
    _practice(ui_vault_path)
    other = tmp_path / "demo.notesdesk"
    Vault.create(other, PASSPHRASE)[0].close()
    launcher = _launcher(qtbot, ui_vault_path, prefs, errors, runner)
    _submit(qtbot, launcher, "not the passphrase at all")  # a window is built for this vault meanwhile
    qtbot.waitUntil(lambda: launcher.prebuilt is not None, timeout=WAIT_MS)
    built_ahead = _prebuilt(launcher)
    gone: list[bool] = []
    built_ahead.destroyed.connect(lambda: gone.append(True))
    start = launcher.start_window
    assert start is not None
    qtbot.waitUntil(lambda: start.stack.isEnabled(), timeout=WAIT_MS)
    opened = Vault.open(other, passphrase=PASSPHRASE)
    start.sig_unlocked.emit(opened)  # what the demo, or a backup restored and opened, hands over
    window = launcher.main_window
    assert window is not None and window is not built_ahead
    qtbot.addWidget(window)
    assert window.ctx.vault is opened and not built_ahead.ctx.has_vault
    qtbot.waitUntil(lambda: gone == [True], timeout=WAIT_MS)  # dropped, not kept hidden
    qtbot.waitUntil(lambda: not window.search_keeper.building, timeout=WAIT_MS)
    window.shutdown()
