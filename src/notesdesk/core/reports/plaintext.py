"""Plain text laid out without Paragraph markup: wrapping, and a one-style text block.

Paragraph parses markup and breaks lines fragment by fragment; headings, "nothing recorded" lines and
user text in one style need none of that, and drawing them directly keeps a summary's rendering close
to a bare document's (bench/bench_summary.py).
"""

from __future__ import annotations

import re

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.platypus import Flowable

from notesdesk.core.reports.text import plain


def _hard_split(line: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the column (a long email address, a pasted link) breaks between characters."""
    if stringWidth(line, font, size) <= width:
        return [line]
    out, current = [], ""
    for ch in line:
        if current and stringWidth(current + ch, font, size) > width:
            out.append(current)
            current = ""
        current += ch
    return [*out, current] if current else out


JOIN = "\u2060"  # word joiner: not a space, so the line breaker keeps what it joins on one line
_PHONE = re.compile(r"\+?\(?\d[\d ().\-/]{4,}\d")


def wrap_keeping_phones(text: str, style: ParagraphStyle, width: float) -> list[str]:
    """As wrap_text, but a phone number ("(312) 555-0148", "+44 20 7946 0018") is never broken
    across lines: the line breaks before it instead."""
    joined = _PHONE.sub(lambda m: m.group(0).replace(" ", JOIN), text)
    slack = stringWidth("   ", style.fontName, style.fontSize)  # the joined spaces, measured as none
    return [line.replace(JOIN, " ") for line in wrap_text(joined, style, width - slack)]


def wrap_text(text: str, style: ParagraphStyle, width: float, blank_lines: bool = False) -> list[str]:
    """The lines `text` takes in `style` at `width`; its own line breaks are kept, and its blank lines
    too when `blank_lines` (running text) rather than dropped (table cells)."""
    font, size = style.fontName, style.fontSize
    lines: list[str] = []
    for piece in plain(text).strip().split("\n"):
        piece = piece.strip()
        if not piece:
            if blank_lines:
                lines.append("")
            continue
        if stringWidth(piece, font, size) <= width:  # most cells: one short line, no splitting needed
            lines.append(piece)
            continue
        for line in simpleSplit(piece, font, size, width):
            lines += _hard_split(line, font, size, width)
    return lines


class TextBlock(Flowable):
    """Left-aligned text in one paragraph style: wrapped once per width, split between lines across
    pages, drawn as one text object, with the style's space before and after."""

    def __init__(self, text: str, style: ParagraphStyle, bullet: str = "") -> None:
        super().__init__()
        if style.alignment != TA_LEFT:
            raise ValueError("TextBlock draws left-aligned styles only")
        self.text, self.style, self.bullet = text, style, bullet
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self.lines: list[str] = []
        self._wrapped_at: float | None = None

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        if self._wrapped_at != available_width:
            room = available_width - self.style.leftIndent - self.style.rightIndent
            self.lines = wrap_text(self.text, self.style, room, blank_lines=True)
            self._wrapped_at = available_width
        self.width = available_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fits = int(available_height // self.style.leading)
        if fits < 1 or fits >= len(self.lines):
            return [] if fits < 1 else [self]
        return [self._part(self.lines[:fits], after=0.0), self._part(self.lines[fits:], before=0.0)]

    def _part(self, lines: list[str], before: float | None = None, after: float | None = None) -> TextBlock:
        part = TextBlock(self.text, self.style, self.bullet if before is None else "")
        part.lines, part._wrapped_at = lines, self._wrapped_at
        if before is not None:
            part.spaceBefore = before
        if after is not None:
            part.spaceAfter = after
        return part

    def draw(self) -> None:
        style = self.style
        first_baseline = self.height - getAscent(style.fontName, style.fontSize)
        text = self.canv.beginText(style.leftIndent, first_baseline)
        text.setFont(style.fontName, style.fontSize, style.leading)
        text.setFillColor(style.textColor)
        for line in self.lines:
            text.textLine(line)
        if self.bullet and self.lines:
            text.setFont(style.bulletFontName, style.bulletFontSize)
            text.setTextOrigin(style.bulletIndent, first_baseline)
            text.textOut(self.bullet)
        self.canv.drawText(text)
