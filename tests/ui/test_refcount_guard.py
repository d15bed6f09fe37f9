"""The guard against PySide6 6.12.0's lost references to True keeps a busy session alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    GUARD = sys.argv[1] == "guard"
    if GUARD:
        from notesdesk.ui import refcount_guard
    class Source(QObject):
        fired = Signal(str)
    source = Source()
    for n in range(20_000):
        source.fired.emit("x")
        if GUARD and n % 1000 == 0:
            refcount_guard.top_up()
    print("survived", flush=True)
    """
)


def _run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120)


def test_twenty_thousand_emits_survive_with_the_guard() -> None:
    guarded = _run("guard")
    assert guarded.returncode == 0 and "survived" in guarded.stdout
