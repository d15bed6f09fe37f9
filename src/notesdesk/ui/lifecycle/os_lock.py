"""Lock when the computer goes to sleep or its screen locks: one signal, `sig_lock_requested`.

A therapist closes the lid between clients; the notes must be locked when it opens again. The
watcher listens where each system says so and asks the main window to lock (the same path as
Ctrl+L: drafts saved first, then the backup, then a fresh process at the unlock screen):

- Linux and other D-Bus desktops: logind's PrepareForSleep(true) on the system bus, the session's
  Lock signal (`loginctl lock-session`), and ActiveChanged(true) from org.freedesktop.ScreenSaver
  (KDE and others) or org.gnome.ScreenSaver on the session bus. While watching, it holds a logind
  "delay" inhibitor, so the system waits (at most InhibitDelayMaxSec, 5 s by default) for the lock:
  the inhibitor goes when this process ends. A bus that is not there is skipped without a fuss.
- Windows: WM_POWERBROADCAST/PBT_APMSUSPEND and WM_WTSSESSION_CHANGE/WTS_SESSION_LOCK
  (ui/lifecycle/os_lock_windows.py).
- macOS: sleep and screen-lock news comes only through NSWorkspace/NSDistributedNotificationCenter
  observers, which need Objective-C (pyobjc, or hand-made objc_msgSend calls and blocks through
  ctypes); we add neither. There, the clock-jump check below locks within seconds of waking, and the
  idle timer still applies; a screen lock without sleep is not seen.
- Everywhere: a timer that notices the wall clock moved far more than it should between two ticks,
  which is what a suspended machine looks like when it wakes.

Nothing here logs client data: only which kind of event asked for the lock.
"""

from __future__ import annotations

import logging
import os
import string
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import SLOT, QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher
from PySide6.QtWidgets import QWidget

from notesdesk.ui.lifecycle import os_lock_windows
from notesdesk.ui.lifecycle.os_lock_windows import REASON_SCREEN_LOCKED, REASON_SLEEP, WindowsLockFilter

log = logging.getLogger("notesdesk")

REASON_CLOCK_JUMP = "the computer was asleep"

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
FREEDESKTOP_SCREENSAVER = "org.freedesktop.ScreenSaver"
GNOME_SCREENSAVER = "org.gnome.ScreenSaver"
INHIBIT_WHY = "Locking the notes before the computer sleeps"

DEFAULT_TICK_MS = 10_000  # after waking, the notes stay on screen at most this long (no native signal)
DEFAULT_JUMP_S = 60.0  # more than the tick plus this, and the machine was asleep (or frozen)
DEFAULT_QUIET_S = 3.0  # one sleep sends several signals: they make one lock request


@dataclass(frozen=True)
class BusSignal:
    """One D-Bus signal that means "lock now". `flag`: it carries a boolean and only true counts."""

    bus: str  # "system" or "session": which connection `bus()` is asked for
    service: str
    path: str  # "" for any object of the service
    interface: str
    member: str
    flag: bool
    reason: str
    delays_sleep: bool = False  # hold a logind delay inhibitor on this service while watching


def session_object_path(session_id: str) -> str:
    """logind's object path for a session id (systemd escapes all but letters, and digits after
    the first character, as _xx)."""
    letters, digits = string.ascii_letters.encode(), string.digits.encode()
    escaped = "".join(
        chr(byte) if byte in letters or (i > 0 and byte in digits) else f"_{byte:02x}"
        for i, byte in enumerate(session_id.encode())
    )
    return f"{LOGIN1_PATH}/session/{escaped or '_'}"


def linux_bus_signals(environ: Mapping[str, str] = os.environ) -> tuple[BusSignal, ...]:
    signals = [
        BusSignal("system", LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", True, REASON_SLEEP, True),
        BusSignal("session", FREEDESKTOP_SCREENSAVER, "", FREEDESKTOP_SCREENSAVER, "ActiveChanged", True,
                  REASON_SCREEN_LOCKED),
        BusSignal("session", GNOME_SCREENSAVER, "", GNOME_SCREENSAVER, "ActiveChanged", True,
                  REASON_SCREEN_LOCKED),
    ]  # fmt: skip
    session_id = environ.get("XDG_SESSION_ID", "")
    if session_id:  # only our own session's Lock: another user's locking is not ours to follow
        path = session_object_path(session_id)
        signals.append(BusSignal("system", LOGIN1, path, LOGIN1_SESSION, "Lock", False, REASON_SCREEN_LOCKED))
    return tuple(signals)


def platform_bus_signals() -> tuple[BusSignal, ...]:
    return () if sys.platform in ("win32", "darwin") else linux_bus_signals()


def default_bus(kind: str) -> QDBusConnection | None:
    """The system or session bus, or None when there is none (without starting one: with no
    session bus address, libdbus would otherwise try to autolaunch a daemon)."""
    if kind == "session":
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") and not (runtime and Path(runtime, "bus").exists()):
            return None
        connection = QDBusConnection.sessionBus()
    else:
        connection = QDBusConnection.systemBus()
    return connection if connection.isConnected() else None


class _BusReceiver(QObject):
    """The slot a D-Bus signal is delivered to."""

    def __init__(self, signal: BusSignal, on_lock: Callable[[str], None], parent: QObject) -> None:
        super().__init__(parent)
        self.signal = signal
        self._on_lock = on_lock

    @Slot(bool)
    def on_flag(self, value: bool) -> None:
        if value:
            self._on_lock(self.signal.reason)

    @Slot()
    def on_signal(self) -> None:
        self._on_lock(self.signal.reason)

    def slot(self) -> bytes:
        # PySide6's stubs disagree with each other: SLOT() gives str, QDBusConnection.connect() wants
        # bytes. At runtime connect() takes SLOT()'s str, as Qt's SLOT macro intends.
        return cast(bytes, SLOT("on_flag(bool)") if self.signal.flag else SLOT("on_signal()"))

    def signature(self) -> str:
        return "b" if self.signal.flag else ""


class SleepDelay(QObject):
    """A logind "delay" inhibitor for sleep: while held, logind waits for us before suspending.

    The inhibitor is a file descriptor inside the Inhibit reply; keeping that reply message keeps it
    open, dropping it (or ending the process) closes it.
    """

    def __init__(self, connection: QDBusConnection, service: str, path: str, parent: QObject) -> None:
        super().__init__(parent)
        self._connection = connection
        self._service, self._path = service, path
        self._reply: QDBusMessage | None = None
        self._pending: QDBusPendingCallWatcher | None = None

    @property
    def held(self) -> bool:
        return self._reply is not None

    def take(self) -> None:
        if self._reply is not None or self._pending is not None:
            return
        call = QDBusMessage.createMethodCall(self._service, self._path, LOGIN1_MANAGER, "Inhibit")
        call.setArguments(["sleep", "NotesDesk", INHIBIT_WHY, "delay"])
        self._pending = QDBusPendingCallWatcher(self._connection.asyncCall(call), self)
        self._pending.finished.connect(self._on_reply)

    def _on_reply(self, watcher: QDBusPendingCallWatcher) -> None:
        if watcher is not self._pending:
            return  # released before the answer came
        self._pending = None
        reply = watcher.reply()
        watcher.deleteLater()
        if reply.type() == QDBusMessage.MessageType.ReplyMessage:
            self._reply = reply
        else:
            log.debug("no sleep delay: %s", reply.errorName())

    def release(self) -> None:
        if self._pending is not None:
            self._pending.deleteLater()
            self._pending = None
        self._reply = None


class ClockJumpDetector(QObject):
    """Ticks every `tick_ms`; when the wall clock moved more than `jump_s` beyond the tick, the
    machine was suspended in between (or the clock was set forward, or the app was frozen for that
    long: all three are safer locked). The wall clock is used because it runs on through sleep on
    every system, where monotonic clocks differ (Linux and macOS stop them, Windows does not)."""

    sig_jumped = Signal()

    def __init__(
        self,
        tick_ms: int = DEFAULT_TICK_MS,
        jump_s: float = DEFAULT_JUMP_S,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._jump_s = jump_s
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)

    def is_running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._last = self._clock()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> bool:
        """Compare the clock with the last check; True (and sig_jumped) after a jump."""
        now = self._clock()
        elapsed, self._last = now - self._last, now
        if elapsed - self._timer.interval() / 1000 > self._jump_s:
            self.sig_jumped.emit()
            return True
        return False


class SystemLockWatcher(QObject):
    """Emits `sig_lock_requested(reason)` when the computer is about to sleep, its screen locks, or
    it has just woken. Inert until `start()`; `stop()` lets go of everything (buses, filter, timer).

    `bus_signals` and `bus` choose what is watched and on which connection (tests point both the
    "system" and "session" ones at a private bus); `clock_jump` is the wake-up check.
    """

    sig_lock_requested = Signal(str)

    def __init__(
        self,
        bus_signals: Sequence[BusSignal] | None = None,
        bus: Callable[[str], QDBusConnection | None] = default_bus,
        clock_jump: ClockJumpDetector | None = None,
        quiet_s: float = DEFAULT_QUIET_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus_signals = tuple(platform_bus_signals() if bus_signals is None else bus_signals)
        self._bus = bus
        self.clock_jump = clock_jump or ClockJumpDetector()
        self.clock_jump.setParent(self)
        self.clock_jump.sig_jumped.connect(lambda: self.request(REASON_CLOCK_JUMP))
        self._quiet_s = quiet_s
        self._running = False
        self._emitting = False
        self._last_request = float("-inf")
        self._connected: list[tuple[QDBusConnection, _BusReceiver]] = []
        self._sleep_delays: list[SleepDelay] = []
        self._native_filter: WindowsLockFilter | None = None
        self._hwnd: int | None = None

    def is_running(self) -> bool:
        return self._running

    def watched(self) -> list[BusSignal]:
        """The bus signals actually being listened to (the buses that were there)."""
        return [receiver.signal for _connection, receiver in self._connected]

    def holds_sleep_delay(self) -> bool:
        return any(delay.held for delay in self._sleep_delays)

    def start(self, window: QWidget | None = None) -> None:
        """Begin watching; `window` is the one Windows sends session-lock messages to."""
        if self._running:
            return
        self._running = True
        self._connect_buses()
        if sys.platform == "win32":
            self._start_windows(window)
        self.clock_jump.start()

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self.clock_jump.stop()
        for connection, receiver in self._connected:
            signal = receiver.signal
            connection.disconnect(
                signal.service, signal.path, signal.interface, signal.member,
                receiver.signature(), receiver, receiver.slot(),
            )  # fmt: skip
            receiver.deleteLater()
        self._connected.clear()
        for delay in self._sleep_delays:
            delay.release()
            delay.deleteLater()
        self._sleep_delays.clear()
        self._stop_windows()

    def request(self, reason: str) -> None:
        """Ask for a lock, once per burst: the signals of one sleep, and any that arrive while the
        lock (or its error message) is still running, make one request."""
        if not self._running or self._emitting:
            return
        now = time.monotonic()
        if now - self._last_request < self._quiet_s:
            return
        self._last_request = now
        log.info("lock requested: %s", reason)
        self._emitting = True
        try:
            self.sig_lock_requested.emit(reason)
        finally:
            self._emitting = False

    # -- D-Bus -------------------------------------------------------------------------------------

    def _connect_buses(self) -> None:
        connections: dict[str, QDBusConnection | None] = {}
        for signal in self._bus_signals:
            if signal.bus not in connections:
                connections[signal.bus] = self._bus(signal.bus)
                if connections[signal.bus] is None:
                    log.debug("no %s bus: its lock signals are not watched", signal.bus)
            connection = connections[signal.bus]
            if connection is None:
                continue
            receiver = _BusReceiver(signal, self.request, self)
            ok = connection.connect(
                signal.service, signal.path, signal.interface, signal.member,
                receiver.signature(), receiver, receiver.slot(),
            )  # fmt: skip
            if not ok:
                log.debug("cannot watch %s.%s", signal.interface, signal.member)
                receiver.deleteLater()
                continue
            self._connected.append((connection, receiver))
            if signal.delays_sleep:
                delay = SleepDelay(connection, signal.service, signal.path, self)
                delay.take()
                self._sleep_delays.append(delay)

    # -- Windows -----------------------------------------------------------------------------------

    def _start_windows(self, window: QWidget | None) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        # Not from inside the window procedure: the lock runs from the event loop.
        self._native_filter = WindowsLockFilter(
            lambda reason: QTimer.singleShot(0, self, lambda: self.request(reason))
        )
        app.installNativeEventFilter(self._native_filter)
        if window is not None:
            hwnd = int(window.winId())
            if os_lock_windows.register_session_notifications(hwnd):
                self._hwnd = hwnd

    def _stop_windows(self) -> None:
        app = QCoreApplication.instance()
        if self._native_filter is not None and app is not None:
            app.removeNativeEventFilter(self._native_filter)
        self._native_filter = None
        if self._hwnd is not None:
            os_lock_windows.unregister_session_notifications(self._hwnd)
            self._hwnd = None
