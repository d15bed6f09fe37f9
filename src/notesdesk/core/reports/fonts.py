"""DejaVu, registered once and embedded (subset) in every PDF, so every client's name prints.

reportlab's built-in Helvetica is not embedded and draws boxes for ł ę ś (docs/design-notes.md §6).
"""

from __future__ import annotations

from threading import Lock

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from notesdesk.resources import font_path

SANS = "NotesDeskSans"
SANS_BOLD = "NotesDeskSans-Bold"
SANS_ITALIC = "NotesDeskSans-Oblique"
MONO = "NotesDeskMono"

_lock = Lock()
_done = False


def register_fonts() -> None:
    """Idempotent and thread-safe: reports may be rendered from a worker thread."""
    global _done
    with _lock:
        if _done:
            return
        for name, role in ((SANS, "regular"), (SANS_BOLD, "bold"), (SANS_ITALIC, "italic"), (MONO, "mono")):
            pdfmetrics.registerFont(TTFont(name, str(font_path(role))))
        # <b> and <i> inside Paragraph markup pick these faces; bold italic falls back to bold.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS_ITALIC)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _done = True
