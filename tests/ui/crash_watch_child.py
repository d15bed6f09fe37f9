"""Run by test_crash_watch.py: start the crash watch on FOLDER, print READY, then end as told —
`clean` (stop the watch), `abort` (a fatal error, as PySide6 6.12.0 on Python 3.11 gave), `kill`
(wait to be killed, as power loss or a task manager would) or `hold` (stay alive until stdin closes).
Usage: crash_watch_child.py FOLDER HOW"""

from __future__ import annotations

import faulthandler
import sys
from pathlib import Path

from notesdesk.ui.lifecycle.crash_watch import CrashWatch


def main(folder: str, how: str) -> None:
    watch = CrashWatch(Path(folder))
    client_words = "Client said: CANARY-7f3e the panic started on the bus"  # must never reach a log
    print("READY", watch.start(), flush=True)
    if how == "clean":
        watch.stop()
    elif how == "abort":
        faulthandler._sigabrt()  # type: ignore[attr-defined]  # CPython's private hook, not in typeshed
    else:  # kill, hold: wait until killed or until the test closes our stdin
        sys.stdin.read()
        watch.stop()
    del client_words


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
