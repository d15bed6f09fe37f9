"""Windows: the messages that say the computer is about to sleep or the session was locked.

Windows sends WM_POWERBROADCAST (PBT_APMSUSPEND) to every top-level window on its own; session
lock messages (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) come only to a window registered with
WTSRegisterSessionNotification. Everything that touches the Win32 API is guarded by sys.platform,
so on Linux and macOS this module is inert (the filter only ever sees other event types there).
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray

log = logging.getLogger("notesdesk")

WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x0004
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x0007
NOTIFY_FOR_THIS_SESSION = 0
WINDOWS_MESSAGE_TYPES = (b"windows_generic_MSG", b"windows_dispatcher_MSG")

REASON_SLEEP = "the computer is going to sleep"
REASON_SCREEN_LOCKED = "the screen was locked"


class _Msg(ctypes.Structure):
    """The leading fields of the Win32 MSG structure (hwnd, message, wParam, lParam)."""

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
    ]


def lock_reason(message: int, wparam: int) -> str | None:
    """Why a Windows message means "lock now", or None when it does not."""
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return REASON_SLEEP
    if message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK:
        return REASON_SCREEN_LOCKED
    return None


class WindowsLockFilter(QAbstractNativeEventFilter):
    """Calls `on_lock(reason)` for the suspend and session-lock messages; never filters anything out.

    Install it on the application (installNativeEventFilter). The callback must not run the lock
    itself: it is called from inside the window procedure, so the caller defers it to the event loop.
    """

    def __init__(self, on_lock: Callable[[str], None]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(  # noqa: N802 (Qt naming)
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: object
    ) -> tuple[bool, int]:
        kind = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
        if kind not in WINDOWS_MESSAGE_TYPES or not message:
            return False, 0
        # a pointer to the MSG (shiboken's VoidPtr, which int() accepts; its stubs say int)
        msg = _Msg.from_address(int(message))  # type: ignore[call-overload]
        reason = lock_reason(msg.message, msg.wParam)
        if reason is not None:
            self._on_lock(reason)
        return False, 0


def register_session_notifications(hwnd: int) -> bool:
    """Ask Windows to send this window WM_WTSSESSION_CHANGE; False where that is not possible."""
    if sys.platform != "win32":
        return False
    try:
        wtsapi32 = ctypes.WinDLL("wtsapi32")
        wtsapi32.WTSRegisterSessionNotification.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        ok = bool(wtsapi32.WTSRegisterSessionNotification(ctypes.c_void_p(hwnd), NOTIFY_FOR_THIS_SESSION))
    except (OSError, AttributeError):
        ok = False
    if not ok:
        log.debug("session lock notifications are not available")
    return ok


def unregister_session_notifications(hwnd: int) -> None:
    if sys.platform != "win32":
        return
    try:
        wtsapi32 = ctypes.WinDLL("wtsapi32")
        wtsapi32.WTSUnRegisterSessionNotification.argtypes = [ctypes.c_void_p]
        wtsapi32.WTSUnRegisterSessionNotification(ctypes.c_void_p(hwnd))
    except (OSError, AttributeError):
        pass
