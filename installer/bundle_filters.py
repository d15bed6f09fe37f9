"""What the PyInstaller bundle leaves out, kept apart from notesdesk.spec so the tests can read it.

Sizes measured on Linux with PySide6 6.12 (installer/README.md has the table). PyInstaller bundles only
the Qt Python modules NotesDesk imports, but Qt's plugins drag in their own libraries: those are what
the filters below drop. Nothing here may remove something the app or `--selftest` uses; the bundle's
self-test and the About dialog test (tests/ui/test_about_dialog.py) check that.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

# Python modules never needed at run time. pygments is imported by Mako (alembic's templates) only
# when installed, for coloured error pages; setuptools/_distutils_hack come from a venv's .pth file.
# PIL stays: reportlab imports PIL.Image when it loads (reportlab/lib/utils.py).
EXCLUDES = [
    "tkinter", "unittest", "pydoc", "doctest", "pygments", "setuptools", "_distutils_hack",
    "pkg_resources", "pip", "IPython", "readline",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
    "PySide6.QtMultimedia", "PySide6.Qt3DCore", "PySide6.QtCharts", "PySide6.QtOpenGL",
    # Pillow's optional codecs: reportlab never draws an image in NotesDesk's documents.
    "PIL.ImageQt", "PIL.ImageTk", "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin",
    "PIL._imagingtk", "PIL.ImageFont", "PIL._imagingft", "PIL.ImageCms", "PIL._imagingcms",
]

# Qt libraries and plugins an offline desktop app never loads (matched against bundle paths).
DROP_FRAGMENTS = (
    "plugins/platforminputcontexts/libqtvirtualkeyboardplugin", "libQt6VirtualKeyboard",
    "libQt6Qml", "libQt6Quick",
    "plugins/tls/", "plugins/networkinformation/", "plugins/egldeviceintegrations/",
    "libQt6EglFsKmsSupport", "libQt6EglFSDeviceIntegration", "plugins/generic/",
    # The GTK platform theme plugin copies the whole GTK 3 stack from the build machine.
    "plugins/platformthemes/libqgtk3", "libgtk-3", "libgdk-3",
    "libQt6WebEngine", "libQt6Multimedia",
)

# Qt translations: only Qt's own strings in the languages NotesDesk's UI is written in (English).
KEEP_TRANSLATIONS = ("qtbase_en", "qt_en")


def keep(dest: str) -> bool:
    """Whether a file (its path inside the bundle) stays in the bundle."""
    path = dest.replace(os.sep, "/")
    if "/translations/" in path and "PySide6/Qt/" in path:
        return os.path.basename(path).startswith(KEEP_TRANSLATIONS)
    return not any(fragment in path for fragment in DROP_FRAGMENTS)


def _needed(path: str) -> set[str]:
    """The sonames an ELF file links (DT_NEEDED), read with binutils' objdump."""
    out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False).stdout
    return set(re.findall(r"^\s*NEEDED\s+(\S+)", out, re.MULTILINE))


def prune_orphans(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop shared libraries that only dropped files needed (Linux). PyInstaller collects a plugin's
    dependencies as separate top-level entries, so removing the GTK theme plugin leaves cairo, pango,
    ATK and gdk-pixbuf behind unless they are pruned here. Roots are everything that is not a bare
    top-level library: Python extension modules, Qt plugins and libraries, libpython."""
    if not shutil.which("objdump"):
        raise SystemExit("objdump is missing: apt-get install binutils (installer/README.md)")
    top_level = {os.path.basename(dest): (dest, src, kind) for dest, src, kind in binaries
                 if "/" not in dest.replace(os.sep, "/") and dest.startswith("lib") and ".so" in dest
                 and not dest.startswith("libpython")}
    reachable: set[str] = set()
    pending = [src for dest, src, _ in binaries if os.path.basename(dest) not in top_level]
    while pending:
        for soname in _needed(pending.pop()):
            if soname in top_level and soname not in reachable:
                reachable.add(soname)
                pending.append(top_level[soname][1])
    return [b for b in binaries
            if os.path.basename(b[0]) not in top_level or os.path.basename(b[0]) in reachable]
