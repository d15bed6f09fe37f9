"""The practice recovery key that setting up a practice shows once is stored nowhere else: while it is
on screen and its last group not typed back, an idle lock is held (the window covered, the key kept in
this process behind the passphrase) and a lock or quit the person asks for refuses and says why."""

from __future__ import annotations

from PySide6.QtCore import Qt

from notesdesk.core.services.practice import Founded
from notesdesk.ui.dialogs.join_practice_dialog import JoinPracticeDialog
from notesdesk.ui.lifecycle.lock import UNKEPT_PRACTICE_KEY
from tests.ui.conftest import PASSPHRASE

KEY = "ABCD-EFGH-IJKL-MNOP"


def _key_on_screen(window) -> JoinPracticeDialog:
    window.practice.join.trigger()
    dialog = window.practice.dialog
    assert isinstance(dialog, JoinPracticeDialog)
    dialog._done(Founded("practice-1", "clinician-1", "FP", KEY))  # as the set-up job returns
    assert dialog.key_label.text() == KEY and not dialog.key_kept()
    return dialog


def test_an_idle_lock_keeps_an_unkept_practice_recovery_key_behind_the_passphrase(qtbot, make_window,
                                                                                 relaunch):
    window = make_window()
    dialog = _key_on_screen(window)
    window.idle.set_interval_ms(1)
    qtbot.waitUntil(lambda: window.cover.isVisible())
    assert relaunch.paths == []  # the process stays: the key lives only here
    assert UNKEPT_PRACTICE_KEY in window.cover.problems.text()
    assert not dialog.isVisible()  # covered like every other window
    window.cover.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(window.cover.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.key_label.text() == KEY
    dialog.last_group.setText("MNOP")
    dialog.reject()
    assert not dialog.isVisible()
    assert window.lock()  # kept: the lock goes on
    assert relaunch.paths


def test_a_lock_or_quit_asked_for_refuses_while_the_key_is_unkept(qtbot, make_window, relaunch, errors):
    window = make_window()
    dialog = _key_on_screen(window)
    assert not window.lock()
    assert UNKEPT_PRACTICE_KEY in (window.ctx.errors.last_message or "")
    assert not window.quit_app()
    assert relaunch.paths == [] and dialog.isVisible() and dialog.key_label.text() == KEY
    dialog.last_group.setText("mnop")
    dialog.reject()
    assert window.lock()
