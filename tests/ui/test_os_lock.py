"""Locking when the computer sleeps or its screen locks: the D-Bus signals (on a private bus that
plays logind and the screensavers), the Windows messages, the clock-jump check, and the main
window taking the same lock path as Ctrl+L."""

from __future__ import annotations

import ctypes
import itertools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QCoreApplication, Qt
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusVirtualObject

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.lifecycle.os_lock import (
    DEFAULT_TICK_MS,
    GNOME_SCREENSAVER,
    LOGIN1,
    LOGIN1_MANAGER,
    LOGIN1_PATH,
    LOGIN1_SESSION,
    REASON_CLOCK_JUMP,
    ClockJumpDetector,
    SystemLockWatcher,
    linux_bus_signals,
    session_object_path,
)
from notesdesk.ui.lifecycle.os_lock_windows import (
    PBT_APMSUSPEND,
    REASON_SCREEN_LOCKED,
    REASON_SLEEP,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    WindowsLockFilter,
    _Msg,
)
from notesdesk.ui.main_window import MainWindow
from tests.ui.conftest import PASSPHRASE, FakeWorkspace

SCREENSAVER = "org.freedesktop.ScreenSaver"
OUR_SESSION = "2"
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
_names = itertools.count()

needs_dbus = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None,
    reason="needs dbus-daemon (the dbus-daemon package; .ci/run installs it)",
)


class FakeLogin1(QDBusVirtualObject):
    """logind's Manager as far as Inhibit goes: records the calls, answers each."""

    def __init__(self) -> None:
        super().__init__()
        self.inhibits: list[list[object]] = []

    def introspect(self, path: str) -> str:
        return ""

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:  # noqa: N802
        if message.interface() == LOGIN1_MANAGER and message.member() == "Inhibit":
            self.inhibits.append(list(message.arguments()))
            return connection.send(message.createReply(["stands in for the inhibitor's descriptor"]))
        return False


class PrivateBus:
    """A dbus-daemon of our own. `desktop` owns the logind and screensaver names and sends their
    signals; `watched` is the connection the watcher is given for both "system" and "session"."""

    def __init__(self, tmp_path: Path) -> None:
        config = tmp_path / "bus.conf"
        config.write_text(BUS_CONFIG, encoding="utf-8")
        self.daemon = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.daemon.stdout is not None
        self.address = self.daemon.stdout.readline().strip()
        self.names: list[str] = []
        self.desktop = self.connect()
        for service in (LOGIN1, SCREENSAVER, GNOME_SCREENSAVER):
            assert self.desktop.registerService(service), service
        self.login1 = FakeLogin1()
        assert self.desktop.registerVirtualObject(LOGIN1_PATH, self.login1)
        self.watched = self.connect()

    def connect(self) -> QDBusConnection:
        name = f"notesdesk-test-{next(_names)}"
        connection = QDBusConnection.connectToBus(self.address, name)
        assert connection.isConnected(), connection.lastError().message()
        self.names.append(name)
        return connection

    def emit(self, path: str, interface: str, member: str, *arguments: object) -> None:
        signal = QDBusMessage.createSignal(path, interface, member)
        signal.setArguments(list(arguments))
        assert self.desktop.send(signal)

    def close(self) -> None:
        try:
            self.desktop.unregisterObject(LOGIN1_PATH)
            for name in self.names:
                QDBusConnection.disconnectFromBus(name)
        finally:
            self.daemon.terminate()
            self.daemon.wait(10)


@pytest.fixture
def private_bus(qapp, tmp_path: Path) -> Iterator[PrivateBus]:
    bus = PrivateBus(tmp_path)
    yield bus
    bus.close()


def bus_watcher(bus: PrivateBus, **kwargs) -> SystemLockWatcher:
    """The watcher with the real signal list, both buses being the private one."""
    signals = linux_bus_signals({"XDG_SESSION_ID": OUR_SESSION})
    return SystemLockWatcher(bus_signals=signals, bus=lambda _kind: bus.watched, **kwargs)


def requests_of(watcher: SystemLockWatcher) -> list[str]:
    seen: list[str] = []
    watcher.sig_lock_requested.connect(seen.append)
    return seen


def settle(qtbot, bus: PrivateBus) -> None:
    """Let everything already sent arrive: a round trip to the bus daemon on the sending connection,
    then on the watching one, comes back after it (the daemon keeps each connection's order); then
    deliver what the watching connection queued before the reply."""
    bus_daemon = "org.freedesktop.DBus"
    ping = QDBusMessage.createMethodCall(bus_daemon, "/org/freedesktop/DBus", bus_daemon, "GetId")
    for connection in (bus.desktop, bus.watched):
        connection.call(ping)
    QCoreApplication.processEvents()


# -- D-Bus ------------------------------------------------------------------------------------------


@needs_dbus
def test_screensaver_active_true_requests_a_lock_and_false_does_not(qtbot, private_bus):
    watcher = bus_watcher(private_bus, quiet_s=0)
    seen = requests_of(watcher)
    watcher.start()
    private_bus.emit("/ScreenSaver", SCREENSAVER, "ActiveChanged", False)  # the screen came back
    settle(qtbot, private_bus)
    assert seen == []
    private_bus.emit("/org/freedesktop/ScreenSaver", SCREENSAVER, "ActiveChanged", True)
    qtbot.waitUntil(lambda: seen == [REASON_SCREEN_LOCKED], timeout=5000)
    watcher.stop()


@needs_dbus
def test_gnome_screensaver_and_our_sessions_lock_signal(qtbot, private_bus):
    watcher = bus_watcher(private_bus, quiet_s=0)
    seen = requests_of(watcher)
    watcher.start()
    private_bus.emit("/org/gnome/ScreenSaver", GNOME_SCREENSAVER, "ActiveChanged", True)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    private_bus.emit(session_object_path("7"), LOGIN1_SESSION, "Lock")  # someone else's session
    settle(qtbot, private_bus)
    assert len(seen) == 1
    private_bus.emit(session_object_path(OUR_SESSION), LOGIN1_SESSION, "Lock")  # loginctl lock-session
    qtbot.waitUntil(lambda: seen == [REASON_SCREEN_LOCKED, REASON_SCREEN_LOCKED], timeout=5000)
    watcher.stop()


@needs_dbus
def test_prepare_for_sleep_requests_a_lock_while_sleep_waits_for_us(qtbot, private_bus):
    watcher = bus_watcher(private_bus, quiet_s=0)
    seen = requests_of(watcher)
    watcher.start()
    assert len(watcher.watched()) == 4
    qtbot.waitUntil(watcher.holds_sleep_delay, timeout=5000)
    assert private_bus.login1.inhibits == [
        ["sleep", "NotesDesk", "Locking the notes before the computer sleeps", "delay"]
    ]
    private_bus.emit(LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", False)  # waking up
    settle(qtbot, private_bus)
    assert seen == []
    private_bus.emit(LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", True)
    qtbot.waitUntil(lambda: seen == [REASON_SLEEP], timeout=5000)
    watcher.stop()
    assert not watcher.holds_sleep_delay()


@needs_dbus
def test_a_burst_of_signals_makes_one_request_and_stop_ends_watching(qtbot, private_bus):
    watcher = bus_watcher(private_bus)  # the default quiet period
    seen = requests_of(watcher)
    watcher.start()
    private_bus.emit("/org/gnome/ScreenSaver", GNOME_SCREENSAVER, "ActiveChanged", True)
    private_bus.emit("/ScreenSaver", SCREENSAVER, "ActiveChanged", True)
    private_bus.emit(LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", True)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    settle(qtbot, private_bus)
    assert len(seen) == 1
    watcher.stop()
    assert watcher.watched() == []
    quiet = bus_watcher(private_bus, quiet_s=0)
    quiet_seen = requests_of(quiet)
    quiet.start()
    quiet.stop()
    private_bus.emit("/ScreenSaver", SCREENSAVER, "ActiveChanged", True)
    settle(qtbot, private_bus)
    assert quiet_seen == []


def test_missing_buses_are_skipped_quietly(qtbot, caplog):
    watcher = SystemLockWatcher(bus_signals=linux_bus_signals({}), bus=lambda _kind: None)
    seen = requests_of(watcher)
    watcher.start()
    assert watcher.is_running() and watcher.watched() == []
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    watcher.clock_jump.sig_jumped.emit()  # the clock check still works without any bus
    assert seen == [REASON_CLOCK_JUMP]
    watcher.stop()


def test_session_paths_follow_systemd_escaping():
    assert session_object_path("2") == "/org/freedesktop/login1/session/_32"
    assert session_object_path("c12") == "/org/freedesktop/login1/session/c12"
    assert session_object_path("a-b") == "/org/freedesktop/login1/session/a_2db"
    assert not [s for s in linux_bus_signals({}) if s.member == "Lock"]  # no session id: not guessed


# -- Windows messages -------------------------------------------------------------------------------


def test_windows_suspend_and_session_lock_messages_request_a_lock():
    seen: list[str] = []
    native = WindowsLockFilter(seen.append)

    def deliver(event_type: bytes, message: int, wparam: int) -> object:
        msg = _Msg(None, message, wparam, 0)
        return native.nativeEventFilter(QByteArray(event_type), ctypes.addressof(msg))

    assert deliver(b"windows_generic_MSG", WM_POWERBROADCAST, PBT_APMSUSPEND) == (False, 0)
    assert deliver(b"windows_generic_MSG", WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == (False, 0)
    deliver(b"windows_generic_MSG", WM_POWERBROADCAST, 0x0007)  # resumed: nothing to do
    deliver(b"windows_generic_MSG", WM_WTSSESSION_CHANGE, 0x0008)  # unlocked
    deliver(b"xcb_generic_event_t", WM_POWERBROADCAST, PBT_APMSUSPEND)  # not a Windows message
    assert seen == [REASON_SLEEP, REASON_SCREEN_LOCKED]


# -- the clock ---------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_clock_jump_means_the_machine_slept(qtbot):
    clock = FakeClock()
    detector = ClockJumpDetector(clock=clock)
    detector.start()
    tick = DEFAULT_TICK_MS / 1000
    clock.now += tick
    assert detector.check() is False  # an ordinary tick
    clock.now += tick + 50
    assert detector.check() is False  # a late tick, not a sleep
    clock.now += -3600  # the clock set back: nothing to lock for
    assert detector.check() is False
    clock.now += tick + 20 * 60  # twenty minutes with the lid closed
    with qtbot.waitSignal(detector.sig_jumped, timeout=1000):
        assert detector.check() is True
    clock.now += tick
    assert detector.check() is False  # once, not on every tick after
    detector.stop()


def test_the_timer_does_the_checking(qtbot):
    clock = FakeClock()
    watcher = SystemLockWatcher(bus_signals=(), clock_jump=ClockJumpDetector(tick_ms=50, clock=clock))
    seen = requests_of(watcher)
    watcher.start()
    clock.now += 3600
    qtbot.waitUntil(lambda: seen == [REASON_CLOCK_JUMP], timeout=3000)
    watcher.stop()
    assert not watcher.clock_jump.is_running()  # stopped: no tick can come to check the clock
    clock.now += 3600
    QCoreApplication.processEvents()
    assert seen == [REASON_CLOCK_JUMP]


# -- the main window --------------------------------------------------------------------------------


@pytest.fixture
def window_with(qtbot, ctx, relaunch, events):
    windows: list[MainWindow] = []

    def make(watcher: SystemLockWatcher) -> MainWindow:
        window = MainWindow(ctx, relaunch=relaunch, workspace_factory=FakeWorkspace, system_lock=watcher)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: not window.search_keeper.building)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


def clock_watcher() -> tuple[SystemLockWatcher, FakeClock]:
    clock = FakeClock()
    return SystemLockWatcher(bus_signals=(), clock_jump=ClockJumpDetector(clock=clock)), clock


def test_waking_up_locks_like_ctrl_l(qtbot, ctx, window_with, events, relaunch):
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    watcher, clock = clock_watcher()
    window = window_with(watcher)
    window.panel.select_client(ana.id)
    clock.now += 8 * 3600  # the lid was closed overnight
    watcher.clock_jump.check()
    assert relaunch.paths == [ctx.vault.path]
    assert events.index(("save_all_drafts", ana.id)) < events.index(("relaunch", str(ctx.vault.path)))
    assert not window.isVisible()
    Vault.open(ctx.vault.path, passphrase=PASSPHRASE).close()  # the vault was released
    assert not watcher.is_running()


@needs_dbus
def test_the_screen_locking_locks_the_window(qtbot, ctx, window_with, relaunch, private_bus):
    window = window_with(bus_watcher(private_bus))
    assert window.system_lock.is_running()
    private_bus.emit("/org/freedesktop/ScreenSaver", SCREENSAVER, "ActiveChanged", True)
    qtbot.waitUntil(lambda: relaunch.paths == [ctx.vault.path], timeout=5000)
    assert not window.isVisible()


def test_a_draft_that_cannot_be_saved_keeps_the_window_open(qtbot, ctx, window_with, relaunch, errors):
    ana = clients.add_client(ctx.uow(), Client(name="Ana Lima"))
    watcher, clock = clock_watcher()
    window = window_with(watcher)
    window.panel.select_client(ana.id)

    def fail() -> None:
        raise OSError("disk gone")

    window.host.workspace.save_all_drafts = fail
    clock.now += 3600
    watcher.clock_jump.check()
    assert relaunch.paths == [] and window.isVisible()
    assert "could not be read or written" in errors.last_message
    assert watcher.is_running()  # the next sleep tries again
    window.host.workspace.save_all_drafts = lambda: True


def test_the_preference_off_means_no_lock_and_settings_switch_it(qtbot, ctx, window_with, relaunch, prefs):
    assert prefs.lock_on_system_lock is True  # on unless turned off
    prefs.lock_on_system_lock = False
    watcher, clock = clock_watcher()
    window = window_with(watcher)
    assert not watcher.is_running()
    clock.now += 3600
    watcher.clock_jump.check()
    assert relaunch.paths == [] and window.isVisible()

    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    assert not dialog.system_lock.isChecked()
    assert dialog.system_lock.accessibleName() == "Lock when the computer sleeps or the screen locks"
    qtbot.mouseClick(dialog.system_lock, Qt.MouseButton.LeftButton)
    dialog.accept()
    assert prefs.lock_on_system_lock is True and watcher.is_running()
    clock.now += 3600
    watcher.clock_jump.check()
    assert relaunch.paths == [ctx.vault.path]


def test_turning_it_off_in_settings_stops_watching(qtbot, ctx, window_with, relaunch, prefs):
    watcher, clock = clock_watcher()
    window = window_with(watcher)
    assert watcher.is_running()
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    assert dialog.system_lock.isChecked()
    dialog.system_lock.setChecked(False)
    dialog.accept()
    assert prefs.lock_on_system_lock is False and not watcher.is_running()
    clock.now += 3600
    watcher.clock_jump.check()
    assert relaunch.paths == [] and window.isVisible()
