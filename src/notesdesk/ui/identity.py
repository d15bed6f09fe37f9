"""The app's identity for the desktop: its icon and the desktop-entry id that installer/linux ships, so
window managers (Wayland especially) show NotesDesk's icon and group its windows under its menu entry."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QIcon

from notesdesk.resources import ResourceMissing, resources_dir

# installer/linux/org.notesdesk.NotesDesk.desktop and its AppStream metainfo use the same id.
APP_ID = "org.notesdesk.NotesDesk"


def app_icon() -> QIcon | None:
    """The icon from resources/icons (SVG plus PNG sizes), or None when the files are missing."""
    try:
        folder = resources_dir() / "icons"
    except ResourceMissing:
        return None
    icon = QIcon()
    for png in sorted((folder / "png").glob("notesdesk-*.png")):
        icon.addFile(str(png))
    return None if icon.isNull() else icon


def apply_identity(app: QGuiApplication) -> None:
    app.setDesktopFileName(APP_ID)
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
