"""The one place errors reach the user: a one-line message, never a traceback or client data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QMessageBox, QWidget

from notesdesk.core.errors import NotesdeskError

log = logging.getLogger("notesdesk")


def user_message(exc: BaseException) -> str:
    if isinstance(exc, NotesdeskError):
        return exc.message
    if isinstance(exc, MemoryError):
        return "The computer ran out of memory; nothing was changed."
    if isinstance(exc, OSError):
        return "The file could not be read or written; check the disk and its permissions."
    # Unexpected: name the type only, its text could contain client data.
    return f"Something went wrong ({type(exc).__name__}); nothing was changed."


class ErrorPresenter:
    """Shows errors as a dialog; tests replace `show` or read `last_message`."""

    def __init__(self, parent: QWidget | None = None, interactive: bool = True) -> None:
        self._parent = parent
        self.interactive = interactive
        self.last_message: str | None = None
        self.last_info: str | None = None
        self._collected: list[str] | None = None

    @contextmanager
    def collecting(self) -> Iterator[list[str]]:
        """While open, messages are gathered into the list it yields instead of shown: for a step
        that must not stop on a dialog (an involuntary lock says them on its cover instead)."""
        outer, self._collected = self._collected, []
        try:
            yield self._collected
        finally:
            self._collected = outer

    def set_parent(self, parent: QWidget | None) -> None:
        self._parent = parent

    def present(self, exc: BaseException, title: str = "NotesDesk") -> None:
        message = user_message(exc)
        self.last_message = message
        # Log the type only: messages are safe, but keep logs free of anything record-shaped.
        log.warning("error shown to user: %s", type(exc).__name__)
        if self._collected is not None:
            self._collected.append(message)
        elif self.interactive:
            QMessageBox.warning(self._parent, title, message)

    def inform(self, text: str, title: str = "NotesDesk") -> None:
        """A one-line confirmation that something worked (no client data), through the same place."""
        self.last_info = text
        if self.interactive:
            QMessageBox.information(self._parent, title, text)
