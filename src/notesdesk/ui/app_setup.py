"""Process-wide setup for the desktop app: core dumps, logging, fonts, and the last-resort hooks.

Nothing here logs client data: records carry exception types and ids, never messages or text.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFontDatabase

from notesdesk.ui.errors import ErrorPresenter

log = logging.getLogger("notesdesk")

APP_NAME = "NotesDesk"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
MAX_RECORD_CHARS = 300


def disable_core_dumps() -> bool:
    """A core dump would hold decrypted notes; turn them off where the OS lets us (POSIX)."""
    try:
        import resource  # inline: POSIX only
    except ImportError:
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        return False
    return True


class _Truncate(logging.Filter):
    """Keeps records short: a runaway message (say, from Qt) cannot carry a page of text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if len(message) > MAX_RECORD_CHARS:
            record.msg, record.args = message[:MAX_RECORD_CHARS] + "…", None
        return True


def log_dir() -> Path:
    from platformdirs import user_log_dir  # inline: only the app needs it

    return Path(user_log_dir(APP_NAME, appauthor=False))


def configure_logging(folder: Path | None = None) -> Path | None:
    """A rotating log file in the user's log folder; returns its path (None if it cannot be made)."""
    folder = folder or log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            folder / "notesdesk.log", maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Truncate())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return folder / "notesdesk.log"


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    log.log(_QT_LEVELS.get(kind, logging.WARNING), "qt: %s", message)


def install_qt_message_handler() -> None:
    qInstallMessageHandler(_qt_message)


def where_it_failed(tb: TracebackType | None) -> str:
    """File, line and function of each frame: enough to find the bug, no values, no messages."""
    frames = traceback.extract_tb(tb)
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames))


def install_excepthook(presenter: ErrorPresenter) -> None:
    """Unexpected errors in slots reach the one presenter; the log gets the type and the frames."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("unexpected %s at %s", kind.__name__, where_it_failed(tb))
        try:
            presenter.present(exc)
        except Exception:  # the presenter itself failed: nothing more we can safely do
            log.error("error presenter failed")

    sys.excepthook = hook


def load_bundled_fonts() -> int:
    """Register fonts shipped in resources/fonts (DejaVu) so glyphs never render as boxes."""
    from notesdesk.resources import ResourceMissing, font_files  # inline: only the app needs it

    try:
        files = font_files()
    except (ResourceMissing, OSError):
        return 0
    loaded = 0
    for path in files:
        if QFontDatabase.addApplicationFont(str(path)) >= 0:
            loaded += 1
    return loaded
