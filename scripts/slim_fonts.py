"""Rebuild resources/fonts from the DejaVu release without the long name-table records.

Every PDF embeds a subset of each DejaVu face it uses, and reportlab copies the font's whole `name`
table into that subset: for DejaVu that is ~15 KB of licence text per face (nameIDs 7-14), almost half
of each embedded subset, compressed again on every document. This keeps nameIDs 0-6 (copyright, family,
style, unique id, full name, version, PostScript name), which is what fontTools' own subsetter keeps by
default; glyphs, metrics and hinting are untouched. The licence travels as resources/fonts/LICENSE-DejaVu.txt.

    pip install fonttools   # a tool for this script only, not a NotesDesk dependency
    python scripts/slim_fonts.py [/usr/share/fonts/truetype/dejavu]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf")
KEEP_NAME_IDS = range(0, 7)
TARGET = Path(__file__).resolve().parents[1] / "resources" / "fonts"


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
    for face in FACES:
        font = TTFont(source / face, recalcTimestamp=False)  # the same bytes on every rebuild
        font["name"].names = [r for r in font["name"].names if r.nameID in KEEP_NAME_IDS]
        font.save(TARGET / face)
        print(f"{face}: {(TARGET / face).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
