"""The base renderer: page geometry, header and footer, "Page X of Y", metadata, encryption.

Modelled on pretix's BaseReportlabInvoiceRenderer (docs/design-notes.md §6): geometry as class
attributes in mm, registered TTF fonts, one stylesheet, a BaseDocTemplate with a first-page and an
other-pages template, a NumberedCanvas, and bytes out. No Qt, no files: plain data in, PDF out.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate

from notesdesk.core.domain.common import today
from notesdesk.core.domain.summaries import PractitionerBlock
from notesdesk.core.errors import NotesdeskError
from notesdesk.core.reports.fonts import SANS, SANS_BOLD
from notesdesk.core.reports.plaintext import wrap_keeping_phones, wrap_text
from notesdesk.core.reports.styles import INK, MUTED, RULE, Styles, stylesheet
from notesdesk.core.reports.text import long_date

CREATOR = "NotesDesk"


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


PAGE_SIZES: dict[Paper, tuple[float, float]] = {Paper.A4: A4, Paper.LETTER: LETTER}


def default_paper(locale: str) -> Paper:
    return Paper.LETTER if locale.upper() in ("US", "CA") else Paper.A4


@dataclass(frozen=True)
class PdfOptions:
    """How to produce the file. A password encrypts it with AES-256 (see `protect`)."""

    paper: Paper = Paper.A4
    password: str | None = None
    printed_on: date | None = None


class PdfPasswordUnavailable(NotesdeskError):
    """Password protection needs the `pypdf` package (with `cryptography` for AES)."""


def protect(data: bytes, password: str) -> bytes:
    """Encrypt a finished PDF with AES-256 (PDF 2.0 security handler, revision 6).

    Not reportlab's StandardEncryption(strength=256): in reportlab 5.1 it writes 48-byte /UE and /OE
    and a 32-byte /Perms (PKCS#7 padding where the standard wants none) and pads every encrypted
    stream twice, so poppler and pypdf refuse the file (PDFium happens to open it). The owner
    password is random and discarded: nobody can lift the protection without re-exporting.
    """
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise PdfPasswordUnavailable("Password-protected PDFs need the 'pypdf' package.") from exc
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24), algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class NumberedCanvas(Canvas):
    """Holds pages back until the end so the footer can say "Page X of Y"."""

    def __init__(self, *args: Any, footer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own recipe; not in its stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(self, self.getPageNumber(), total)
            super().showPage()
        super().save()


class Renderer(ABC):
    """Subclasses set `title` and implement `story()`; `render()` returns the PDF bytes.

    `title` goes into the PDF metadata and must stay generic: never a client's name.
    """

    title = "Document"
    base_size = 10.0
    footer_note = "Confidential health information. Please keep it private."
    left_margin = 18 * mm
    right_margin = 18 * mm
    top_margin = 27 * mm
    bottom_margin = 20 * mm
    header_top = 11 * mm  # distance from the page top to the header's first baseline area

    def __init__(self, practitioner: PractitionerBlock, options: PdfOptions, running: str = "") -> None:
        self.practitioner = practitioner
        self.options = options
        self.running = running  # continuation-page header, e.g. "Treatment summary · client name"
        self.printed_on = options.printed_on or today()
        self.pagesize = PAGE_SIZES[Paper(options.paper)]
        self.styles: Styles = stylesheet(self.base_size)

    # -- to override -----------------------------------------------------------------------------

    @abstractmethod
    def story(self) -> list[Flowable]:
        """The document's flowables; each report defines its own."""

    # -- geometry ----------------------------------------------------------------------------------

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.left_margin - self.right_margin

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - self.top_margin - self.bottom_margin

    def locale(self) -> str:
        """For date formats: the practice's country, US conventions until it is set."""
        return self.practitioner.locale or "US"

    def country(self) -> str:
        """For crisis lines: the practice's country as set, "" until then (never a guessed one)."""
        return self.practitioner.locale

    def date(self, day: date | None) -> str:
        return long_date(day, self.locale())

    # -- page furniture ----------------------------------------------------------------------------

    def _draw_header(self, canvas: Canvas, right: str) -> None:
        """Practitioner name and credentials on the left, `right` (plain text) on the right, a rule.
        Drawn as plain text: the header repeats on every page, and Paragraphs there cost a tenth of a
        summary's rendering time."""
        p, styles = self.practitioner, self.styles
        width, height = self.pagesize
        top = height - self.header_top
        left_w = self.frame_width * 0.55
        name_style, right_style = styles["HeaderName"], styles["HeaderRight"]
        credentials_style = ParagraphStyle("HeaderCredentials", parent=name_style, fontName=SANS,
                                           fontSize=right_style.fontSize)
        left = [(name_style, line) for line in wrap_text(p.name, name_style, left_w)]
        left += [(credentials_style, line) for line in wrap_text(p.credentials, credentials_style, left_w)]
        lines = wrap_keeping_phones(right, right_style, self.frame_width - left_w - 6 * mm)
        text = canvas.beginText()
        y = top - getAscent(name_style.fontName, name_style.fontSize)
        for style, line in left:
            text.setFont(style.fontName, style.fontSize)
            text.setFillColor(style.textColor)
            text.setTextOrigin(self.left_margin, y)
            text.textOut(line)
            y -= name_style.leading  # both lines keep the name's leading, as the old paragraph did
        text.setFont(right_style.fontName, right_style.fontSize)
        text.setFillColor(right_style.textColor)
        y = top - getAscent(right_style.fontName, right_style.fontSize)
        for line in lines:
            line_w = stringWidth(line, right_style.fontName, right_style.fontSize)
            text.setTextOrigin(width - self.right_margin - line_w, y)
            text.textOut(line)
            y -= right_style.leading
        canvas.saveState()
        canvas.drawText(text)
        if left or lines:
            rule_y = height - self.top_margin + 5 * mm
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.line(self.left_margin, rule_y, width - self.right_margin, rule_y)
        canvas.restoreState()

    def _first_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        self._draw_header(canvas, self.practitioner.contact)

    def _later_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        """Continuation pages name the document (and client) in case the pages come apart."""
        self._draw_header(canvas, self.running or self.title)

    def _footer(self, canvas: Canvas, page: int, total: int) -> None:
        width = self.pagesize[0]
        y = self.bottom_margin - 9 * mm
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.left_margin, y + 9.5, width - self.right_margin, y + 9.5)
        canvas.setFont(SANS_BOLD, 8)
        canvas.setFillColor(INK)
        canvas.drawRightString(width - self.right_margin, y, f"Page {page} of {total}")
        canvas.setFont(SANS, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.left_margin, y, f"Printed {self.date(self.printed_on)}")
        if self.footer_note:
            canvas.setFont(SANS, 7)
            canvas.drawString(self.left_margin, y - 9, self.footer_note)
        canvas.restoreState()

    # -- build -------------------------------------------------------------------------------------

    def _doc(self, out: BytesIO) -> BaseDocTemplate:
        p = self.practitioner
        doc = BaseDocTemplate(
            out,
            pagesize=self.pagesize,
            leftMargin=self.left_margin,
            rightMargin=self.right_margin,
            topMargin=self.top_margin,
            bottomMargin=self.bottom_margin,
            title=self.title,
            author=p.name or CREATOR,
            subject=self.title,
            creator=CREATOR,
            producer=CREATOR,
            keywords=[],
            lang="en",
            initialFontName=SANS,  # no stray, unembedded Helvetica resource on any page
        )
        frame = Frame(
            self.left_margin, self.bottom_margin, self.frame_width, self.frame_height,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
        )
        doc.addPageTemplates([
            PageTemplate(id="FirstPage", frames=[frame], onPage=self._first_header),
            PageTemplate(id="OtherPages", frames=[frame], onPage=self._later_header),
        ])
        return doc

    def render(self) -> bytes:
        out = BytesIO()
        doc = self._doc(out)
        story: list[Flowable] = [NextPageTemplate("OtherPages"), *self.story()]
        doc.build(story, canvasmaker=partial(NumberedCanvas, footer=self._footer))
        data = out.getvalue()
        return protect(data, self.options.password) if self.options.password else data
