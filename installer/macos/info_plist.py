"""NotesDesk.app's Info.plist (macOS), for the spec's BUNDLE (installer/notesdesk.spec). A module of
its own so tests/test_installer_identity.py can check it on any platform with plistlib.

Backups (`.ndbk`) are a document type the app owns: a double-click in Finder starts (or activates)
NotesDesk, which receives the file as a QFileOpenEvent and opens its restore page (ui/app.py).
"""

from __future__ import annotations

from typing import Any

APP_ID = "org.notesdesk.NotesDesk"
BACKUP_TYPE = "org.notesdesk.backup"  # the uniform type identifier of a backup file
BACKUP_EXTENSION = "ndbk"  # core/backup/service.py SUFFIX, without the dot
BACKUP_MIME = "application/x-notesdesk-backup"  # as in linux/org.notesdesk.NotesDesk.mime.xml
# PySide6 6.12 ships only macosx_14_0 wheels: Qt needs macOS 14 (Sonoma) or newer.
MINIMUM_MACOS = "14.0"


def info_plist(version: str) -> dict[str, Any]:
    return {
        "CFBundleName": "NotesDesk",
        "CFBundleDisplayName": "NotesDesk",
        "CFBundleIdentifier": APP_ID,
        "CFBundleShortVersionString": version,
        "LSMinimumSystemVersion": MINIMUM_MACOS,
        "NSHighResolutionCapable": True,
        "NSHumanReadableCopyright": "Proprietary (LicenseRef-Proprietary)",
        "LSApplicationCategoryType": "public.app-category.medical",
        "CFBundleDocumentTypes": [{
            "CFBundleTypeName": "NotesDesk backup",
            "CFBundleTypeRole": "Viewer",  # it reads a backup to restore it, never edits one
            "LSHandlerRank": "Owner",
            "LSItemContentTypes": [BACKUP_TYPE],
            "CFBundleTypeExtensions": [BACKUP_EXTENSION],  # for macOS versions that ignore the type
        }],
        "UTExportedTypeDeclarations": [{
            "UTTypeIdentifier": BACKUP_TYPE,
            "UTTypeDescription": "NotesDesk backup",
            "UTTypeConformsTo": ["public.data"],
            "UTTypeTagSpecification": {
                "public.filename-extension": [BACKUP_EXTENSION],
                "public.mime-type": [BACKUP_MIME],
            },
        }],
    }
