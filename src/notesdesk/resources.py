"""Where bundled resources (fonts) live, wherever NotesDesk runs from.

Looked for in this order:
1. frozen (PyInstaller): ``sys._MEIPASS/resources``;
2. development checkout: the repository's ``resources/`` (``src/notesdesk`` is two levels below it);
3. installed wheel: ``notesdesk/_data`` inside the package (the wheel maps ``resources/`` there).

No Qt here: the PDF reports (core) and the UI both use it.
"""

from __future__ import annotations

import sys
from pathlib import Path

FONT_FILES: dict[str, str] = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "mono": "DejaVuSansMono.ttf",
}


class ResourceMissing(FileNotFoundError):
    """A bundled file is not where the build should have put it (a packaging mistake)."""


def _candidates() -> list[Path]:
    here = Path(__file__).resolve().parent
    found = []
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        found.append(Path(frozen_base) / "resources")
    found.append(here.parents[1] / "resources")
    found.append(here / "_data")
    return found


def resources_dir() -> Path:
    """The first resources folder that holds the fonts; raises ResourceMissing if none does."""
    candidates = _candidates()
    for folder in candidates:
        if (folder / "fonts" / FONT_FILES["regular"]).is_file():
            return folder
    tried = ", ".join(str(c) for c in candidates)
    raise ResourceMissing(f"NotesDesk's bundled fonts are missing (looked in: {tried}).")


def font_path(role: str) -> Path:
    """Path of the TTF for a role: 'regular', 'bold', 'italic' or 'mono'."""
    path = resources_dir() / "fonts" / FONT_FILES[role]
    if not path.is_file():
        raise ResourceMissing(f"NotesDesk's bundled font {path.name} is missing.")
    return path


def font_files() -> list[Path]:
    """Every bundled font file (for registering with Qt)."""
    folder = resources_dir() / "fonts"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in {".ttf", ".otf"})
