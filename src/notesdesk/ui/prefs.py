"""Window geometry and UI preferences in QSettings: never client data (names, ids, text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

DEFAULT_IDLE_MINUTES = 10


def second_folder(setting: str) -> Path | None:
    """The optional second backup folder from the preference ("" when none is set). Here rather than in
    ui/lifecycle/backups.py so the start window can read it without loading the backup service."""
    text = setting.strip()
    return Path(text).expanduser() if text else None


class PreferenceSignals(QObject):
    sig_privacy_changed = Signal(bool)
    """Privacy mode was switched on or off (from the View menu or Settings): redraw what shows names."""


class Preferences:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings("NotesDesk", "NotesDesk")
        self.signals = PreferenceSignals()

    def _get(self, key: str, default: object, kind: type) -> Any:  # QSettings.value is untyped
        return self._settings.value(key, default, type=kind)

    @property
    def idle_minutes(self) -> int:
        return int(self._get("lock/idle_minutes", DEFAULT_IDLE_MINUTES, int))

    @idle_minutes.setter
    def idle_minutes(self, value: int) -> None:
        self._settings.setValue("lock/idle_minutes", max(1, int(value)))

    @property
    def lock_on_system_lock(self) -> bool:
        """Lock when the computer sleeps or the screen locks (ui/lifecycle/os_lock.py)."""
        return bool(self._get("lock/on_system_lock", True, bool))

    @lock_on_system_lock.setter
    def lock_on_system_lock(self, value: bool) -> None:
        self._settings.setValue("lock/on_system_lock", bool(value))

    @property
    def privacy_mode(self) -> bool:
        return bool(self._get("view/privacy_mode", False, bool))

    @privacy_mode.setter
    def privacy_mode(self, value: bool) -> None:
        changed = bool(value) != self.privacy_mode
        self._settings.setValue("view/privacy_mode", bool(value))
        if changed:
            self.signals.sig_privacy_changed.emit(bool(value))

    @property
    def default_note_format(self) -> str:
        return str(self._get("notes/default_format", "SOAP", str))

    @default_note_format.setter
    def default_note_format(self, value: str) -> None:
        self._settings.setValue("notes/default_format", value)

    @property
    def autosave_seconds(self) -> int:
        return int(self._get("notes/autosave_seconds", 3, int))

    @autosave_seconds.setter
    def autosave_seconds(self, value: int) -> None:
        self._settings.setValue("notes/autosave_seconds", max(1, int(value)))

    @property
    def backup_folder(self) -> str:
        return str(self._get("backup/second_folder", "", str))

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._settings.setValue("backup/second_folder", value)

    def save_geometry(self, key: str, data: bytes) -> None:
        from PySide6.QtCore import QByteArray

        self._settings.setValue(f"geometry/{key}", QByteArray(data))

    def geometry(self, key: str) -> bytes | None:
        value = self._settings.value(f"geometry/{key}")
        return bytes(value) if value is not None else None

    def sync(self) -> None:
        self._settings.sync()
