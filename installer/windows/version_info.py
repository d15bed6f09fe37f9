"""The Windows version resource of NotesDesk.exe and notesdesk.exe (Explorer → Properties → Details).

Written as the text PyInstaller's EXE(version=FILE) reads (the VSVersionInfo form its grab_version
tool prints); notesdesk.spec writes it to the build folder from the project version. Plain Python,
no PyInstaller import, so tests/test_installer_identity.py can check it on any platform.
"""

from __future__ import annotations

import re

COMPANY = "NotesDesk"
DESCRIPTION = "NotesDesk: encrypted, offline session notes"
COPYRIGHT = "Proprietary (LicenseRef-Proprietary). Third-party notices: THIRD-PARTY-NOTICES.txt"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0); a suffix such as '0.2.0rc1' keeps only the numbers before it."""
    numbers: list[int] = []
    for part in version.split(".")[:4]:
        leading = re.match(r"\d*", part).group()  # type: ignore[union-attr]
        numbers.append(int(leading or 0))
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_info_text(version: str, internal_name: str, original_filename: str) -> str:
    nums = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": internal_name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": original_filename,
        "ProductName": "NotesDesk",
        "ProductVersion": version,
    }
    string_structs = ",\n".join(f"        StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
{string_structs}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
