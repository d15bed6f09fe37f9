"""One stylesheet per document, scaled from a base size (the client's copies use larger type)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1

from notesdesk.core.reports.fonts import MONO, SANS, SANS_BOLD, SANS_ITALIC, register_fonts

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5B6770")
ACCENT = colors.HexColor("#2F5D73")
RULE = colors.HexColor("#C5D0D8")
HEADER_FILL = colors.HexColor("#E9EFF3")
ZEBRA = colors.HexColor("#F6F8FA")
WARN_FILL = colors.HexColor("#FBEDEA")
WARN_INK = colors.HexColor("#8A2D1B")
CALM_FILL = colors.HexColor("#EEF4F1")


class Styles(StyleSheet1):
    """reportlab's stylesheet, whose entries here are all paragraph styles (its stubs say PropertySet)."""

    def __getitem__(self, key: str) -> ParagraphStyle:
        style = super().__getitem__(key)
        assert isinstance(style, ParagraphStyle)
        return style


def stylesheet(base: float = 10.0) -> Styles:
    """Named styles: Title, Subtitle, H1, H2, Body, Small, Muted, Cell, CellHead, Bullet, Mono, Key,
    Label."""
    register_fonts()
    lead = base * 1.35
    sheet = Styles()

    def add(name: str, **kw: object) -> None:
        defaults: dict[str, Any] = {
            "fontName": SANS,
            "fontSize": base,
            "leading": lead,
            "textColor": INK,
            "alignment": TA_LEFT,
            "bulletFontName": SANS,
        }
        defaults.update(kw)
        sheet.add(ParagraphStyle(name, **defaults))

    add("Title", fontName=SANS_BOLD, fontSize=base * 1.8, leading=base * 2.2, spaceAfter=base * 0.2)
    add("Subtitle", textColor=MUTED, fontSize=base * 1.05, leading=base * 1.4, spaceAfter=base * 1.0)
    add("H1", fontName=SANS_BOLD, fontSize=base * 1.25, leading=base * 1.6, textColor=ACCENT,
        spaceBefore=base * 1.3, spaceAfter=base * 0.45)
    add("H2", fontName=SANS_BOLD, fontSize=base * 1.05, leading=base * 1.4, spaceBefore=base * 0.7,
        spaceAfter=base * 0.25)
    add("Body", spaceAfter=base * 0.4)
    add("BodyItalic", fontName=SANS_ITALIC, spaceAfter=base * 0.4)
    add("Small", fontSize=base * 0.85, leading=base * 1.15)
    add("Muted", fontSize=base * 0.85, leading=base * 1.15, textColor=MUTED)
    add("MutedRight", fontSize=base * 0.85, leading=base * 1.15, textColor=MUTED, alignment=TA_RIGHT)
    add("Cell", fontSize=base * 0.9, leading=base * 1.18)
    add("CellHead", fontName=SANS_BOLD, fontSize=base * 0.85, leading=base * 1.12, textColor=ACCENT)
    add("Key", fontSize=base * 0.9, leading=base * 1.18, textColor=MUTED)
    add("Label", fontName=SANS_BOLD, spaceAfter=base * 0.4)
    add("Bullet", leftIndent=base * 1.2, bulletIndent=base * 0.3, spaceAfter=base * 0.2)
    add("Mono", fontName=MONO, fontSize=base * 0.9, leading=base * 1.2)
    add("Warn", fontName=SANS_BOLD, textColor=WARN_INK)
    add("HeaderName", fontName=SANS_BOLD, fontSize=10.5, leading=13)
    add("HeaderText", fontSize=8.5, leading=10.5, textColor=MUTED)
    add("HeaderRight", fontSize=8.5, leading=10.5, textColor=MUTED, alignment=TA_RIGHT)
    return sheet
