"""A crash is never silent: a run that ended without closing is found at the next start, a fatal
error's stack is in crash.log in the log folder (and no client data is), and the app says so —
before the unlock on the start window, after it in the main window's banner with what was kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, notes
from notesdesk.ui.app import Launcher
from notesdesk.ui.lifecycle.crash_watch import CRASH_LOG_NAME, Busy, CrashWatch, LastRun
from tests.core import records
from tests.ui.conftest import PASSPHRASE, FakeWorkspace

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_watch_child.py")


def child(folder: Path, how: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(CHILD), str(folder), how], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("READY")
    return proc


def finish(proc: subprocess.Popen[str]) -> int:
    proc.communicate(timeout=60)
    return proc.returncode


def test_a_run_that_closes_normally_leaves_nothing_to_report(tmp_path: Path) -> None:
    first = CrashWatch(tmp_path)
    assert first.start() is None
    first.stop()
    second = CrashWatch(tmp_path)
    assert second.start() is None
    second.stop()


def test_a_fatal_error_is_found_at_the_next_start_with_its_stack_and_no_client_data(tmp_path: Path) -> None:
    assert finish(child(tmp_path, "abort")) == -signal.SIGABRT
    watch = CrashWatch(tmp_path)
    last = watch.start()
    watch.stop()
    assert isinstance(last, LastRun)
    assert last.fatal_error
    assert last.crash_log == tmp_path / CRASH_LOG_NAME
    assert last.started_at is not None and datetime.now(UTC) - last.started_at < timedelta(minutes=5)
    log = last.crash_log.read_text()
    assert "Fatal Python error: Aborted" in log and "crash_watch_child.py" in log
    assert "CANARY" not in log


def test_a_process_killed_outright_is_found_too_without_a_fatal_error(tmp_path: Path) -> None:
    proc = child(tmp_path, "kill")
    os.kill(proc.pid, signal.SIGKILL)
    assert finish(proc) == -signal.SIGKILL
    watch = CrashWatch(tmp_path)
    last = watch.start()
    watch.stop()
    assert isinstance(last, LastRun) and not last.fatal_error


def test_a_live_run_is_never_taken_for_a_crashed_one(tmp_path: Path) -> None:
    # A second window, or the fresh process a lock starts while the old one is still finishing.
    proc = child(tmp_path, "hold")
    try:
        assert CrashWatch(tmp_path).start() is Busy.BUSY
    finally:
        assert finish(proc) == 0  # its stdin closed: it stops its watch and ends normally
    watch = CrashWatch(tmp_path)
    assert watch.start() is None
    watch.stop()


def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    watch = CrashWatch(blocked / "logs")
    assert watch.start() is None and not watch.watching
    watch.stop()


def crashed_run(tmp_path: Path) -> CrashWatch:
    assert finish(child(tmp_path / "logs", "abort")) == -signal.SIGABRT
    return CrashWatch(tmp_path / "logs")


def test_the_start_window_says_the_last_run_closed_unexpectedly(qtbot, ui_vault_path, prefs, errors, runner,
                                                                  relaunch, tmp_path):
    watch = crashed_run(tmp_path)
    launcher = Launcher(ui_vault_path, prefs, errors, runner, relaunch, FakeWorkspace, crash_watch=watch)
    start = launcher.start()
    qtbot.addWidget(start)
    try:
        text = start.notice.text()
        assert text.startswith("NotesDesk closed unexpectedly last time: an internal error stopped it.")
        assert str(tmp_path / "logs" / CRASH_LOG_NAME) in text
    finally:
        watch.stop()


def test_after_the_unlock_the_banner_lists_what_the_crashed_run_kept(qtbot, ui_vault_path, prefs, errors,
                                                                     runner, relaunch, tmp_path, created):
    vault, _key = created
    robin = clients.add_client(vault.unit_of_work(), Client("Robin Okafor"))
    old = clients.add_client(vault.unit_of_work(), Client("Sam Idris"))
    signed = notes.create_note(vault.unit_of_work(), records.note(old.id, "earlier "))
    notes.sign_note(vault.unit_of_work(), signed.id)
    watch = crashed_run(tmp_path)  # the crashed run began here ...
    last = watch.start()
    assert isinstance(last, LastRun)
    notes.create_note(vault.unit_of_work(), records.note(robin.id, "typed then "))  # ... and saved this
    vault.close()

    launcher = Launcher(ui_vault_path, prefs, errors, runner, relaunch, FakeWorkspace)
    launcher.last_run = last
    start = launcher.start()
    qtbot.keyClicks(start.unlock.passphrase.edit, PASSPHRASE)
    qtbot.keyClick(start.unlock.passphrase.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10000)
    window = launcher.main_window
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: len(window.banner.messages()) > 0)  # once the list has the names
        [message] = window.banner.messages()
        assert message.startswith("NotesDesk closed unexpectedly last time. Kept from that session: "
                                  "1 note draft (Robin Okafor), last saved ")
        assert "Sam" not in message  # his note was signed before: not something that crash left
        assert window.banner.isVisible()
    finally:
        window.shutdown()
        watch.stop()


def test_the_banner_words_what_was_kept_and_says_so_when_nothing_was(tmp_path: Path) -> None:
    from notesdesk.core.services.recovery import Recovered
    from notesdesk.ui.lifecycle import crash_notice

    last = LastRun(datetime.now(UTC), False, tmp_path / CRASH_LOG_NAME)
    nothing = crash_notice.after_unlock(Recovered(0, 0, 0, (), None), last, [])
    assert "This vault holds no draft or unsent text saved during that session." in nothing
    some = Recovered(2, 1, 1, ("a", "b"), datetime.now(UTC))
    kept = crash_notice.after_unlock(some, last, ["R. O.", "S. I."])
    assert "2 note drafts, 1 psychotherapy note, 1 unsent addendum or review (R. O., S. I.)" in kept
    assert str(tmp_path / CRASH_LOG_NAME) in nothing and str(tmp_path / CRASH_LOG_NAME) in kept
