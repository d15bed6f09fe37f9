"""Backups in the app: automatic on lock, close and daily; the Backups page (list, back up now, the
restore drill, verify, restore); the banner; the client dialog on lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from notesdesk import paths
from notesdesk.core.backup import service as backup_service
from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import StorageFull
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.backup_rows import APP_FOLDER, SECOND_FOLDER, BackupListModel, read_rows
from notesdesk.ui.lifecycle import backups as ui_backups
from notesdesk.ui.lifecycle.backups import human_size, status_text
from notesdesk.ui.main_window import READ_ONLY, MainWindow
from notesdesk.ui.prefs import Preferences
from tests.ui.conftest import PASSPHRASE, FakeWorkspace


def backups_in(folder: Path) -> list[Path]:
    return [b.path for b in backup_service.list_backups(folder)]


def add(ctx, name: str) -> Client:
    return clients.add_client(ctx.uow(), Client(name=name))


# -- plain helpers and the model ---------------------------------------------------------------------


def test_sizes_and_status_lines_read_well():
    assert human_size(512) == "512 bytes"
    assert human_size(7712) == "7.5 KB"
    assert human_size(3 * 1024 * 1024) == "3.0 MB"
    assert status_text(None) == "No backup yet"


def test_rows_come_from_both_folders_newest_first(ctx, tmp_path, qapp):
    usb = tmp_path / "usb"
    usb.mkdir()
    first = backup_service.make_backup(ctx.vault, paths.backup_dir())
    second = backup_service.make_backup(ctx.vault, usb)
    rows, problems = read_rows(paths.backup_dir(), usb)
    assert {(r.path, r.where) for r in rows} == {(second, SECOND_FOLDER), (first, APP_FOLDER)}
    assert rows[0].info.created >= rows[1].info.created  # newest first
    assert problems == [] and {r.size for r in rows} == {first.stat().st_size, second.stat().st_size}
    model = BackupListModel()
    model.set_rows(rows)
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert {model.index(r, model.COL_WHERE).data() for r in range(2)} == {APP_FOLDER, SECOND_FOLDER}
    assert model.index(0, model.COL_SIZE).data().endswith("KB")
    assert model.index(0, model.COL_WHEN).data()[:4].isdigit()
    assert [r.path for r in read_rows(paths.backup_dir(), tmp_path / "unplugged")[0]] == [first]


# -- automatic backups -------------------------------------------------------------------------------


def test_lock_makes_a_verified_backup_first(qtbot, ctx, make_window, relaunch):
    window = make_window()
    assert window.backup_status.text() == "No backup yet"
    window.lock()
    [made] = backups_in(paths.backup_dir())
    assert relaunch.paths == [ctx.vault.path]
    assert backup_service.check_backup(made, PASSPHRASE).report.ok


def test_close_makes_a_backup_into_both_folders(qtbot, ctx, make_window, prefs, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    prefs.backup_folder = str(usb)
    window = make_window()
    window.close()
    assert len(backups_in(paths.backup_dir())) == 1 and len(backups_in(usb)) == 1
    Vault.open(ctx.vault.path, passphrase=PASSPHRASE).close()  # the vault was closed


def test_an_unplugged_second_folder_is_skipped(qtbot, ctx, make_window, prefs, tmp_path, errors):
    prefs.backup_folder = str(tmp_path / "not-plugged-in")
    window = make_window()
    window.lock()
    assert len(backups_in(paths.backup_dir())) == 1 and errors.last_message is None


def test_a_failed_backup_is_said_but_the_lock_goes_on(qtbot, ctx, make_window, relaunch, errors, monkeypatch):
    def full(*_args, **_kwargs):
        raise StorageFull("The disk at /backups is full; the backup was not written.")

    monkeypatch.setattr(ui_backups, "automatic_backup", full)
    window = make_window()
    assert window.lock() is True
    assert relaunch.paths == [ctx.vault.path]
    assert errors.last_message == "The disk at /backups is full; the backup was not written."
    Vault.open(ctx.vault.path, passphrase=PASSPHRASE).close()


def test_the_daily_check_backs_up_once_a_day(qtbot, ctx, make_window, monkeypatch):
    checks: list[Path] = []
    due = ui_backups.backup_due
    monkeypatch.setattr(ui_backups, "backup_due", lambda folder: (checks.append(folder), due(folder))[1])
    window = make_window()
    window.backups.start(first_check_ms=10, every_ms=30)
    qtbot.waitUntil(lambda: len(backups_in(paths.backup_dir())) == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.backup_status.text().startswith("Last backup: "), timeout=5000)
    checked = len(checks)
    qtbot.waitUntil(lambda: len(checks) >= checked + 3, timeout=5000)  # several more checks...
    assert len(backups_in(paths.backup_dir())) == 1  # ...and a backup from today exists: no more


# -- the Backups page --------------------------------------------------------------------------------


class Secrets:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, _parent, title, _explanation):
        self.asked.append(title)
        return self.answers.pop(0) if self.answers else None


def open_page(qtbot, window, *answers):
    window.actions_by_name["backups"].trigger()
    dialog = window.backups_dialog
    qtbot.waitExposed(dialog)
    dialog.ask = Secrets(*answers)
    dialog.confirm = lambda _parent, _title, _question: True
    return dialog


def test_back_up_now_and_test_the_newest_backup(qtbot, ctx, make_window):
    add(ctx, "Ana Lima")
    window = make_window()
    dialog = open_page(qtbot, window, (PASSPHRASE, None))
    assert dialog.model.rowCount() == 0 and not dialog.drill_button.isEnabled()
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.result_label.text().startswith("Backed up and verified")
    assert window.backup_status.text().startswith("Last backup: ")
    qtbot.mouseClick(dialog.drill_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("OK"), timeout=5000)
    expected = "OK: 1 client, 0 notes (0 signed, every signature verified), audit chain intact."
    assert dialog.result_label.text() == expected
    assert "Ana" not in dialog.result_label.text()


def test_back_up_now_says_what_rotation_removed_and_left_alone(qtbot, ctx, make_window):
    folder = paths.backup_dir()
    earlier = backup_service.make_backup(ctx.vault, folder)  # today too: rotation keeps the newer one
    junk = folder / "notesdesk-backup-20990101-000000.ndbk"
    junk.write_bytes(b"")
    window = make_window()
    dialog = open_page(qtbot, window)
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "removed by rotation" in dialog.result_label.text(), timeout=5000)
    text = dialog.result_label.text()
    assert f"Older backups removed by rotation: {earlier.name}." in text
    assert "Left alone: 1 file named like backups but not backups of this vault." in text
    assert not earlier.exists() and junk.exists()


def test_a_wrong_passphrase_or_a_damaged_backup_is_reported(qtbot, ctx, make_window, errors):
    made = backup_service.make_backup(ctx.vault, paths.backup_dir())
    window = make_window()
    dialog = open_page(qtbot, window, ("not the passphrase", None), (PASSPHRASE, None))
    dialog.test_newest()
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Not OK"), timeout=5000)
    assert "Wrong passphrase" in errors.last_message
    data = bytearray(made.read_bytes())
    data[-100] ^= 0x01
    made.write_bytes(bytes(data))
    dialog.verify_selected()
    qtbot.waitUntil(lambda: "cannot be trusted" in dialog.result_label.text(), timeout=5000)
    assert dialog.verify_button.isEnabled()


def test_verify_selected_with_the_recovery_key(qtbot, created, ctx, make_window):
    backup_service.make_backup(ctx.vault, paths.backup_dir())
    window = make_window()
    dialog = open_page(qtbot, window, (None, created[1]))
    dialog.view.selectRow(0)
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("OK"), timeout=5000)
    assert dialog.ask.asked == ["Verify backup"]


def test_the_settings_dialog_leads_to_the_backups_page(qtbot, ctx, make_window):
    window = make_window()
    window.open_settings()
    window.settings_dialog.backups_button.click()
    assert window.backups_dialog is not None and window.backups_dialog.isVisible()
    assert window.backups_dialog.parent() is window.settings_dialog


def test_restore_replaces_the_vault_keeps_the_old_one_and_relaunches(qtbot, ctx, make_window, relaunch):
    add(ctx, "Ana Lima")
    older = backup_service.make_backup(ctx.vault, paths.backup_dir())
    add(ctx, "Ben Ode")
    window = make_window()
    told: list[str] = []
    window.inform = lambda title, text: told.append(text)
    dialog = open_page(qtbot, window, (PASSPHRASE, None))
    assert dialog.model.row_at(0).path == older
    dialog.view.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: relaunch.paths == [ctx.vault.path], timeout=10000)
    assert ".bak" in told[0] and "recovery key" in told[0]
    with Vault.open(ctx.vault.path, passphrase=PASSPHRASE) as restored:
        assert [c.name for c in clients.list_clients(restored.unit_of_work())] == ["Ana Lima"]
        backup_service.check_anchor(restored, paths.backup_dir())  # the fresh backup matches
    [kept] = ctx.vault.path.parent.glob("*.replaced-*.bak")
    assert kept.stat().st_size > 0
    assert len(backups_in(paths.backup_dir())) == 2


def test_restoring_another_vaults_backup_asks_first(qtbot, ctx, make_window, relaunch, tmp_path):
    add(ctx, "Ana Lima")
    other, _key = Vault.create(tmp_path / "other" / "other.notesdesk", PASSPHRASE)
    clients.add_client(other.unit_of_work(), Client(name="Other Practice Client"))
    backup_service.make_backup(other, paths.backup_dir())
    other.close()
    window = make_window()
    window.inform = lambda _title, _text: None
    dialog = open_page(qtbot, window, (PASSPHRASE, None), (PASSPHRASE, None))
    questions: list[str] = []

    def answer(no_then_yes: list[bool]):
        def confirm(_parent, _title, question):
            questions.append(question)
            return no_then_yes.pop(0)
        return confirm

    dialog.confirm = answer([True, False])
    dialog.view.selectRow(0)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: len(questions) == 2, timeout=5000)
    assert "different vault" in questions[1] and "its own passphrase and recovery sheet" in questions[1]
    assert dialog.result_label.text().startswith("Not restored") and relaunch.paths == []
    assert [c.name for c in clients.list_clients(ctx.uow())] == ["Ana Lima"]
    dialog.confirm = answer([True, True])
    dialog.restore_selected()
    qtbot.waitUntil(lambda: relaunch.paths == [ctx.vault.path], timeout=10000)
    with Vault.open(ctx.vault.path, passphrase=PASSPHRASE) as restored:
        assert [c.name for c in clients.list_clients(restored.unit_of_work())] == ["Other Practice Client"]


def test_a_restore_declined_or_failing_its_check_changes_nothing(qtbot, ctx, make_window, relaunch, errors):
    add(ctx, "Ana Lima")
    backup_service.make_backup(ctx.vault, paths.backup_dir())
    window = make_window()
    dialog = open_page(qtbot, window, ("wrong passphrase entirely", None))
    dialog.confirm = lambda *_a: False
    dialog.restore_selected()
    assert dialog.ask.asked == []
    dialog.confirm = lambda *_a: True
    dialog.restore_selected()
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Not OK"), timeout=5000)
    assert relaunch.paths == [] and "Wrong passphrase" in errors.last_message
    assert [c.name for c in clients.list_clients(ctx.uow())] == ["Ana Lima"]  # still open


# -- the banner ---------------------------------------------------------------------------------------


@pytest.fixture
def read_only_window(qtbot, ui_vault_path, runner, errors, tmp_path, relaunch):
    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
    vault.close()
    vault = Vault.open(ui_vault_path, passphrase=PASSPHRASE, read_only=True)
    prefs = Preferences(QSettings(str(tmp_path / "ro.ini"), QSettings.Format.IniFormat))
    ctx = AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)
    window = MainWindow(ctx, relaunch=relaunch, workspace_factory=FakeWorkspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    yield window
    window.shutdown()


def test_a_read_only_vault_shows_the_banner_and_refuses_changes(qtbot, read_only_window, errors, relaunch):
    window = read_only_window
    assert window.banner.isVisible() and window.banner.messages() == [READ_ONLY]
    a = window.actions_by_name
    ana = window.panel.model.client_at(0)
    window.panel.select_client(ana.id)
    assert not a["new"].isEnabled() and not a["hold"].isEnabled() and not a["discharge"].isEnabled()
    window.edit_client()
    dialog = window.client_dialog
    dialog.phone.setText("555 0100")
    dialog.accept()
    assert dialog.isVisible() and "read-only" in dialog.message.text()
    dialog.reject()
    qtbot.mouseClick(window.banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()
    assert window.lock() is True  # nothing to save, nothing changed: locks at once
    assert relaunch.paths == [window.ctx.vault.path]


def test_a_vault_in_a_synced_folder_gets_the_warning(qtbot, tmp_path, runner, errors, prefs, relaunch):
    path = tmp_path / "Dropbox" / "practice.notesdesk"
    path.parent.mkdir()
    vault, _key = Vault.create(path, PASSPHRASE)
    window = MainWindow(AppContext(vault, runner, errors, prefs), relaunch, FakeWorkspace)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.banner.isVisible()
        assert "cloud-synced" in window.banner.messages()[0]
    finally:
        qtbot.waitUntil(lambda: not window.search_keeper.building)
        window.shutdown()


def test_a_local_vault_has_no_banner(qtbot, make_window):
    assert not make_window().banner.isVisible()


# -- the client dialog on lock ------------------------------------------------------------------------


def test_lock_saves_the_client_dialog_when_it_is_valid(qtbot, ctx, make_window, relaunch):
    window = make_window()
    window.add_client()
    qtbot.keyClicks(window.client_dialog.name, "Ana Lima")
    qtbot.keyClicks(window.client_dialog.phone, "555 0100")
    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: relaunch.paths == [ctx.vault.path], timeout=5000)
    with Vault.open(ctx.vault.path, passphrase=PASSPHRASE) as vault:
        [ana] = clients.list_clients(vault.unit_of_work())
    assert (ana.name, ana.phone) == ("Ana Lima", "555 0100")


def test_lock_waits_when_the_client_dialog_cannot_be_saved(qtbot, ctx, make_window, relaunch, errors):
    window = make_window()
    window.add_client()
    qtbot.keyClicks(window.client_dialog.phone, "555 0100")  # no name yet
    assert window.lock() is False
    assert relaunch.paths == [] and "client details" in errors.last_message
    assert window.client_dialog.isVisible() and window.client_dialog.phone.text() == "555 0100"
    assert "needs a name" in window.client_dialog.message.text()
    assert window.idle.is_running()
    window.client_dialog.name.setText("Ana Lima")
    assert window.lock() is True
    assert relaunch.paths == [ctx.vault.path]


def test_an_untouched_client_dialog_does_not_hold_up_the_lock(qtbot, ctx, make_window, relaunch):
    window = make_window()
    window.add_client()
    assert window.lock() is True
    with Vault.open(ctx.vault.path, passphrase=PASSPHRASE) as vault:
        assert clients.list_clients(vault.unit_of_work()) == []


# -- a second folder that is not there ---------------------------------------------------------------


def test_back_up_now_says_when_the_second_folder_was_skipped(qtbot, ctx, make_window, prefs, tmp_path):
    unplugged = tmp_path / "usb-not-plugged-in"
    prefs.backup_folder = str(unplugged)
    window = make_window()
    dialog = open_page(qtbot, window)
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.result_label.text() == (
        f"Backed up and verified: written to this computer; the second folder {unplugged} was not available."
    )
    status = window.backup_status.text()
    assert status.startswith("Last backup: ") and f"the second folder {unplugged} was not available" in status
    unplugged.mkdir()  # plugged in: the next backup goes to both, and the warning goes
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(backups_in(unplugged)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: "and the second folder" in dialog.result_label.text(), timeout=5000)
    assert "not available" not in window.backup_status.text()


def test_a_relative_second_folder_saved_earlier_is_never_used(qtbot, ctx, make_window, prefs, tmp_path,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "relative").mkdir()
    prefs.backup_folder = "relative"
    window = make_window()
    assert "the second folder relative was not available" in window.backup_status.text()
    dialog = open_page(qtbot, window)
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "was not available" in dialog.result_label.text(), timeout=5000)
    assert backups_in(tmp_path / "relative") == []


def test_second_folder_checks(tmp_path):
    media = tmp_path / "media"
    (media / "me").mkdir(parents=True)
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    check = ui_backups.check_second_folder
    assert check("") == ui_backups.FolderCheck()
    assert check(str(tmp_path)) == ui_backups.FolderCheck()
    assert "not a full path" in check("usb/backups").problem
    assert "is a file, not a folder" in check(str(a_file)).problem
    assert "There is no folder" in check(str(tmp_path / "nope")).problem
    for unplugged in (media / "me" / "STICK" / "NotesDesk", media / "STICK", tmp_path / "gone" / "X"):
        roots = (media, tmp_path / "gone")
        result = check(str(unplugged), roots)
        assert result.problem is None
        assert result.note == f"{unplugged} is not connected now; backups will go there when it is."


def test_a_file_named_for_a_future_day_is_neither_the_last_backup_nor_the_one_tested(
    qtbot, ctx, make_window
):
    add(ctx, "Ana Lima")
    real = backup_service.make_backup(ctx.vault, paths.backup_dir())
    (paths.backup_dir() / "notesdesk-backup-20990101-000000.ndbk").write_bytes(b"")
    window = make_window()
    assert window.backup_status.text().startswith("Last backup: ")
    assert "2099" not in window.backup_status.text()
    dialog = open_page(qtbot, window, (PASSPHRASE, None))
    assert dialog.model.rowCount() == 2  # the list still shows everything in the folder
    qtbot.mouseClick(dialog.drill_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith(("OK", "Not OK")), timeout=5000)
    assert dialog.result_label.text().startswith("OK: 1 client") and real.exists()
