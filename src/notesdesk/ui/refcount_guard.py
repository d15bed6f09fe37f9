"""Keeps PySide6 6.12.0 from crashing the app on Python 3.11.

That release drops one reference to `True` on every signal emitted from Python (measured: 100
emits lower sys.getrefcount(True) by 100; 6.11.3 does not). After a few hundred emits CPython
deallocates `True` and aborts with "bool_dealloc" — a crash that could lose the text being typed.
PySide6-Pdf exists only for 6.12.0, so we cannot step back a release. Until a fixed PySide6 ships,
we raise True's reference count back above a wide margin every couple of seconds, so it never
reaches zero. The count is raised in place (ob_refcnt, the first field of every CPython object)
rather than by holding references in a list: a list would be freed at interpreter exit and the
missing references would crash the shutdown instead. Python 3.12+ makes True immortal and needs
none of this. Remove this module when PySide6 is fixed.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

MARGIN = 1_000_000  # far more emits than happen between two top-ups


def top_up(margin: int = MARGIN) -> int:
    """Bring True's reference count back above `margin`; returns how many references were added."""
    if sys.version_info >= (3, 12):
        return 0
    deficit = margin - sys.getrefcount(True)
    if deficit > 0:
        ctypes.c_ssize_t.from_address(id(True)).value += deficit
        return deficit
    return 0


def install(parent: QObject, every_ms: int = 2000) -> QTimer:
    """Top up now and then every couple of seconds for the life of `parent`."""
    top_up()
    timer = QTimer(parent)
    timer.setInterval(every_ms)
    timer.timeout.connect(top_up)
    timer.start()
    return timer
