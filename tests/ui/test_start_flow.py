"""First run, unlock and recovery, driven through the widgets as a person would."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from notesdesk import demo
from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import WrongPassphrase
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.start import window as start_window
from notesdesk.ui.start.window import StartWindow
from tests.ui.conftest import PASSPHRASE

NEW_PASSPHRASE = "plum kettle orbit lantern"


@pytest.fixture
def start(qtbot, runner, errors):
    made: list[StartWindow] = []

    def make(path: Path) -> StartWindow:
        window = StartWindow(path, runner, errors)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    return make


def _type_new_passphrase(qtbot, form, passphrase: str) -> None:
    qtbot.keyClicks(form.first.edit, passphrase)
    qtbot.keyClicks(form.second.edit, passphrase)


def test_create_vault_then_it_opens_with_that_passphrase(qtbot, start, ui_vault_path):
    window = start(ui_vault_path)
    assert window.stack.currentWidget() is window.choice
    qtbot.mouseClick(window.choice.create_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.create_page

    form = window.create_page.form
    qtbot.keyClicks(form.first.edit, "short")
    assert not form.submit.isEnabled()
    assert form.meter.value() == 0
    assert "at least" in form.message.text()
    form.first.clear()
    _type_new_passphrase(qtbot, form, PASSPHRASE)
    assert form.meter.value() >= 2
    assert form.submit.isEnabled()

    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.recovery_key, timeout=10000)
    page = window.recovery_key
    key = page.key_label.text()
    assert len(key.split("-")) == 8
    shown = [label.text() for label in page.findChildren(QLabel)]
    assert any("lose both the passphrase and this key" in text for text in shown)

    qtbot.keyClicks(page.confirm, "ZZZZ" if not key.endswith("ZZZZ") else "YYYY")
    assert not page.continue_button.isEnabled()
    page.confirm.clear()
    qtbot.keyClicks(page.confirm, key.rsplit("-", 1)[1].lower())
    assert page.continue_button.isEnabled()
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    about = window.about_you  # then who signs: name and credentials (issue 15)
    assert window.stack.currentWidget() is about
    qtbot.keyClicks(about.form.name, "Dr Ada Byrne")
    qtbot.keyClicks(about.form.credentials, "LCSW")
    with qtbot.waitSignal(window.sig_unlocked, timeout=5000) as unlocked:
        qtbot.keyClick(about.form.credentials, Qt.Key.Key_Return)
    vault = unlocked.args[0]
    assert vault.path == ui_vault_path and window.first_run
    assert (vault.profile().name, vault.profile().credentials) == ("Dr Ada Byrne", "LCSW")
    vault.close()

    Vault.open(ui_vault_path, passphrase=PASSPHRASE).close()
    Vault.open(ui_vault_path, recovery_key=key).close()


def test_recovery_key_can_be_saved_to_a_private_text_file(qtbot, start, ui_vault_path, tmp_path):
    window = start(ui_vault_path)
    window.recovery_key.set_key("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789")
    out = tmp_path / "key.txt"
    window.recovery_key.save_to(out)
    text = out.read_text(encoding="utf-8")
    assert "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789" in text
    assert "lose both" in text
    assert out.stat().st_mode & 0o077 == 0


def test_saving_the_key_where_it_cannot_be_written_says_so_on_the_page(qtbot, start, ui_vault_path, tmp_path):
    window = start(ui_vault_path)
    page = window.recovery_key
    page.set_key("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789")
    gone = tmp_path / "unplugged drive"  # a folder that is not there (any user, root included)
    assert page.save_to(gone / "key.txt") is False
    assert "was not saved" in page.message.text()
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_wrong_passphrase_says_so_inline_and_leaves_the_vault_untouched(qtbot, start, ui_vault_path, errors):
    Vault.create(ui_vault_path, PASSPHRASE)[0].close()
    before = ui_vault_path.read_bytes()
    window = start(ui_vault_path)
    assert window.stack.currentWidget() is window.unlock
    qtbot.keyClicks(window.unlock.passphrase.edit, "not the passphrase at all")
    qtbot.keyClick(window.unlock.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong passphrase" in window.unlock.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.stack.isEnabled())
    assert errors.last_message is None  # inline, not a dialog
    assert ui_vault_path.read_bytes() == before

    window.unlock.passphrase.clear()
    qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
    with qtbot.waitSignal(window.sig_unlocked, timeout=5000) as unlocked:
        qtbot.mouseClick(window.unlock.unlock_button, Qt.MouseButton.LeftButton)
    unlocked.args[0].close()


def test_forgot_passphrase_unlocks_with_the_recovery_key_and_sets_a_new_one(qtbot, start, ui_vault_path):
    vault, key = Vault.create(ui_vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
    vault.close()
    window = start(ui_vault_path)
    qtbot.mouseClick(window.unlock.forgot_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.recovery

    qtbot.keyClicks(window.recovery.key, "0000-0000-0000-0000-0000-0000-0000-0000")
    qtbot.keyClick(window.recovery.key, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.recovery.message.text()), timeout=5000)
    assert window.stack.currentWidget() is window.recovery

    window.recovery.key.clear()
    qtbot.keyClicks(window.recovery.key, key.replace("-", " ").lower())
    qtbot.mouseClick(window.recovery.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.new_passphrase, timeout=5000)

    _type_new_passphrase(qtbot, window.new_passphrase.form, NEW_PASSPHRASE)
    with qtbot.waitSignal(window.sig_unlocked, timeout=5000) as unlocked:
        qtbot.mouseClick(window.new_passphrase.form.submit, Qt.MouseButton.LeftButton)
    unlocked.args[0].close()

    with Vault.open(ui_vault_path, passphrase=NEW_PASSPHRASE) as reopened:
        assert [c.name for c in clients.list_clients(reopened.unit_of_work())] == ["Ana Lima"]
    with pytest.raises(WrongPassphrase):
        Vault.open(ui_vault_path, passphrase=PASSPHRASE)


def test_vault_in_use_gets_a_clear_dialog(qtbot, start, ui_vault_path, errors):
    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)  # still open: holds the lock
    try:
        window = start(ui_vault_path)
        qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
        qtbot.mouseClick(window.unlock.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: errors.last_message is not None, timeout=5000)
        assert "already open" in errors.last_message
        assert not window.unlock.message.text()
    finally:
        vault.close()


def test_demo_practice_is_created_apart_with_a_known_passphrase(qtbot, start, ui_vault_path, monkeypatch):
    built: list[str] = []

    def build_demo(vault: Vault) -> None:
        built.append(str(vault.path))
        clients.add_client(vault.unit_of_work(), Client(name="Demo Client"))

    monkeypatch.setattr(demo, "build_demo", build_demo)  # start/window.py loads it when used
    window = start(ui_vault_path)
    assert start_window.DEMO_PASSPHRASE in window.choice.demo_button.description()
    with qtbot.waitSignal(window.sig_unlocked, timeout=10000) as unlocked:
        qtbot.mouseClick(window.choice.demo_button, Qt.MouseButton.LeftButton)
    vault = unlocked.args[0]
    assert vault.path == ui_vault_path.with_name("demo.notesdesk")
    assert not ui_vault_path.exists()
    vault.close()
    # A second time it opens the existing demo instead of building another.
    with qtbot.waitSignal(window.sig_unlocked, timeout=10000) as again:
        qtbot.mouseClick(window.choice.demo_button, Qt.MouseButton.LeftButton)
    again.args[0].close()
    assert len(built) == 1


def test_unlock_screen_of_the_demo_shows_its_passphrase(qtbot, start, tmp_path, monkeypatch):
    demo = tmp_path / "demo.notesdesk"
    Vault.create(demo, start_window.DEMO_PASSPHRASE)[0].close()
    window = start(demo)
    assert window.stack.currentWidget() is window.unlock
    labels = [label.text() for label in window.unlock.findChildren(type(window.busy_label))]
    assert any(start_window.DEMO_PASSPHRASE in text for text in labels)


def test_a_vault_whose_newest_entries_were_cut_is_refused_with_what_to_do(
    qtbot, start, ui_vault_path, errors
):
    import sqlite3

    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
    vault.close()
    conn = sqlite3.connect(ui_vault_path)  # as someone with the file but not the key
    (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_delete'").fetchone()
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    conn.execute(guard)  # put back: a vault missing it is refused earlier (storage/schema.py)
    conn.commit()
    conn.close()
    before = ui_vault_path.read_bytes()
    window = start(ui_vault_path)
    unlocked: list[object] = []
    window.sig_unlocked.connect(unlocked.append)
    qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
    qtbot.mouseClick(window.unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: errors.last_message is not None, timeout=5000)
    assert "entries were cut" in errors.last_message
    assert "notesdesk restore" in errors.last_message and "Ana" not in errors.last_message
    qtbot.waitUntil(lambda: window.stack.isEnabled())
    assert window.stack.currentWidget() is window.unlock and unlocked == []
    assert ui_vault_path.read_bytes() == before


def test_a_refused_vault_is_offered_its_newest_authentic_backup_and_restored(
    qtbot, start, ui_vault_path, errors
):
    import sqlite3

    from notesdesk import paths
    from notesdesk.core.backup.service import make_backup

    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
    backup = make_backup(vault, paths.backup_dir())
    clients.add_client(vault.unit_of_work(), Client(name="Ngozi Okafor"))
    vault.close()
    conn = sqlite3.connect(ui_vault_path)  # someone rolls Ngozi's record back out of the vault
    conn.execute("DELETE FROM episode WHERE client_id = (SELECT id FROM client ORDER BY rowid DESC LIMIT 1)")
    conn.execute("DELETE FROM client WHERE rowid = (SELECT max(rowid) FROM client)")
    conn.commit()
    conn.close()
    window = start(ui_vault_path)
    asked: list[str] = []
    window.confirm = lambda _parent, _title, question: asked.append(question) or True
    qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
    with qtbot.waitSignal(window.sig_unlocked, timeout=10000) as unlocked:
        qtbot.mouseClick(window.unlock.unlock_button, Qt.MouseButton.LeftButton)
    restored = unlocked.args[0]
    try:
        assert [c.name for c in clients.list_clients(restored.unit_of_work())] == ["Ana Lima"]
    finally:
        restored.close()
    [question] = asked
    assert str(backup) in question and "kept beside" in question and "Ngozi" not in question
    assert errors.last_message is None
    assert len(list(ui_vault_path.parent.glob("*.replaced-*.bak"))) == 1


def test_the_estimators_feedback_shows_as_the_passphrase_is_typed(qtbot, start, ui_vault_path):
    window = start(ui_vault_path)
    qtbot.mouseClick(window.choice.create_button, Qt.MouseButton.LeftButton)
    form = window.create_page.form
    _type_new_passphrase(qtbot, form, "Password1!")
    assert not form.submit.isEnabled() and form.meter.value() <= 1
    assert "too easy to guess" in form.message.text() and "." in form.message.text().split("guess.", 1)[1]
    assert not ui_vault_path.exists()


def test_the_same_passphrase_typed_with_composed_and_decomposed_accents_matches(qtbot, start, ui_vault_path):
    window = start(ui_vault_path)
    qtbot.mouseClick(window.choice.create_button, Qt.MouseButton.LeftButton)
    form = window.create_page.form
    composed = unicodedata.normalize("NFC", "crème brûlée à minuit sur la jetée")
    form.first.edit.setText(composed)
    form.second.edit.setText(unicodedata.normalize("NFD", composed))
    assert form.problem() is None and form.submit.isEnabled()


def test_the_main_windows_modules_load_on_the_runner_thread_before_the_hand_over(qtbot, start, ui_vault_path):
    Vault.create(ui_vault_path, PASSPHRASE)[0].close()
    window = start(ui_vault_path)
    calls: list[tuple[bool, bool]] = []  # (on the UI thread, vault handed over yet)
    handed: list[object] = []
    window.sig_unlocked.connect(handed.append)
    window.preload = lambda: calls.append((threading.current_thread() is threading.main_thread(),
                                          bool(handed)))
    qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
    with qtbot.waitSignal(window.sig_unlocked, timeout=10000) as unlocked:
        qtbot.keyClick(window.unlock.passphrase.edit, Qt.Key.Key_Return)
    unlocked.args[0].close()
    assert calls == [(False, False)]


def test_a_failing_preload_still_hands_over_the_vault(qtbot, start, ui_vault_path, errors):
    Vault.create(ui_vault_path, PASSPHRASE)[0].close()
    window = start(ui_vault_path)

    def broken() -> None:
        raise ImportError("no such module")

    window.preload = broken
    qtbot.keyClicks(window.unlock.passphrase.edit, PASSPHRASE)
    with qtbot.waitSignal(window.sig_unlocked, timeout=10000) as unlocked:
        qtbot.keyClick(window.unlock.passphrase.edit, Qt.Key.Key_Return)
    unlocked.args[0].close()
    assert errors.last_message is None


def test_the_recovery_key_opens_a_vault_with_a_damaged_passphrase_slot_and_says_what_it_repaired(
    qtbot, start, ui_vault_path
):
    import sqlite3

    vault, key = Vault.create(ui_vault_path, PASSPHRASE)
    clients.add_client(vault.unit_of_work(), Client(name="Ana Lima"))
    vault.close()
    conn = sqlite3.connect(ui_vault_path)
    wrapped = bytearray(conn.execute("SELECT wrapped FROM keyslot WHERE kind = 'passphrase'").fetchone()[0])
    wrapped[30] ^= 0x01
    conn.execute("UPDATE keyslot SET wrapped = ? WHERE kind = 'passphrase'", (bytes(wrapped),))
    conn.commit()
    conn.close()

    window = start(ui_vault_path)
    qtbot.mouseClick(window.unlock.forgot_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.recovery.key, key)
    qtbot.mouseClick(window.recovery.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.new_passphrase, timeout=5000)
    assert "passphrase key slot" in window.new_passphrase.repair.text()
    assert window.new_passphrase.repair.isVisible()

    _type_new_passphrase(qtbot, window.new_passphrase.form, NEW_PASSPHRASE)
    with qtbot.waitSignal(window.sig_unlocked, timeout=5000) as unlocked:
        qtbot.mouseClick(window.new_passphrase.form.submit, Qt.MouseButton.LeftButton)
    unlocked.args[0].close()
    with Vault.open(ui_vault_path, passphrase=NEW_PASSPHRASE) as reopened:
        assert [c.name for c in clients.list_clients(reopened.unit_of_work())] == ["Ana Lima"]
