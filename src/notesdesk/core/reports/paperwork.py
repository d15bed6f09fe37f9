"""The practice's agreements filled in for a client (consent, fees, telehealth, a release of
information) with lines to sign, and letters, printed exactly from the text kept sealed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from notesdesk.core.domain.paperwork import CONSENT_TITLES, HOW_WORDS, Consent, Letter
from notesdesk.core.domain.summaries import ConsentForm, PractitionerBlock
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.flow import (
    WriteLines,
    bullets,
    gap,
    heading,
    keep,
    markup,
    nothing,
    para,
    section,
)
from notesdesk.core.reports.styles import Styles
from notesdesk.core.reports.text import clean


def text_flow(text: str, styles: Styles) -> list[Flowable]:
    """Plain text as paragraphs, in order: an empty line ends a paragraph (each further one leaves
    room, as for a signature), lines starting "- " are bullets, other line breaks are kept."""
    out: list[Flowable] = []
    lines: list[str] = []
    items: list[str] = []
    blank = 0

    def flush() -> None:
        if lines:
            out.append(para("\n".join(lines), styles))
            lines.clear()
        if items:
            out.extend(bullets(list(items), styles))
            items.clear()

    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush()
            blank += 1
            if blank >= 2:
                out.append(gap(4 * mm))
            continue
        blank = 0
        if line.startswith("- ") != bool(items):
            flush()
        (items if line.startswith("- ") else lines).append(line[2:] if line.startswith("- ") else line)
    flush()
    return out


def agreement_line(c: Consent, date_words: Callable[[date | None], str]) -> str:
    """"1 October 2026: Release of information, signed on paper; to …, valid until …" (plain text)."""
    line = f"{date_words(c.agreed_on)}: {CONSENT_TITLES[c.kind]}, {HOW_WORDS[c.how]}"
    if c.until is not None:
        line += f"; to {c.to}, for {c.purpose}, valid until {date_words(c.until)}"
    line += f" ({c.note})" if c.note else ""
    return line + (f"; withdrawn {date_words(c.withdrawn_on)}" if c.withdrawn_on else "")


def paperwork_sections(consents: Sequence[Consent], letters: Sequence[Letter], styles: Styles,
                       date_words: Callable[[date | None], str]) -> list[Flowable]:
    """The agreements and the letters as sent, for the record of care."""
    lines = [agreement_line(c, date_words) for c in consents]
    out = section("Agreements and consent", bullets(lines, styles) if lines else [
        nothing("None recorded.", styles)], styles)
    if not letters:
        return out + section("Letters sent", [nothing("None.", styles)], styles)
    out.append(heading("Letters sent", styles))
    for x in letters:
        out.append(keep([heading(f"{date_words(x.sent_on)}: {x.title}", styles, 2),
                         *text_flow(x.body, styles)]))
    return out


class ConsentFormPage(Renderer):
    title = "Agreement"  # generic: the PDF's metadata never names a client
    base_size = 10.5

    def __init__(self, form: ConsentForm, options: PdfOptions) -> None:
        self.form = form
        super().__init__(form.practitioner, options, running=f"{form.title} \u00b7 {form.client_name}")

    def _recorded(self) -> list[Flowable]:
        if not self.form.recorded:
            return []
        lines = [agreement_line(c, self.date) for c in self.form.recorded]
        return section("Recorded in the client's file", bullets(lines, self.styles), self.styles)

    def _signatures(self) -> list[Flowable]:
        rows: list[Flowable] = []
        for who in ("Client", "Therapist"):
            rows += [markup(f"{who}\u2019s signature", self.styles, "Small"), WriteLines(1, 9 * mm),
                     markup("Date", self.styles, "Small"), WriteLines(1, 9 * mm)]
        return [gap(6 * mm), keep(rows)]

    def story(self) -> list[Flowable]:
        out: list[Flowable] = [
            markup(clean(self.form.title), self.styles, "Title"),
            markup(f"For {clean(self.form.client_name)}", self.styles, "Subtitle"),
        ]
        out += text_flow(self.form.body, self.styles)
        out += self._signatures()
        out += self._recorded()
        return out


def render_consent_form(form: ConsentForm, options: PdfOptions | None = None) -> bytes:
    return ConsentFormPage(form, options or PdfOptions()).render()


class LetterPage(Renderer):
    title = "Letter"
    base_size = 11.0

    def __init__(self, letter: Letter, options: PdfOptions) -> None:
        self.letter = letter
        letterhead = PractitionerBlock(letter.practitioner_name, letter.practitioner_credentials,
                                       letter.practitioner_contact, letter.locale)
        # The date printed is the day it was sent, so a reprint is the same letter.
        options = PdfOptions(paper=options.paper, password=options.password, printed_on=letter.sent_on)
        super().__init__(letterhead, options, running=f"Letter \u00b7 {letter.sent_on.isoformat()}")

    def story(self) -> list[Flowable]:
        sent = markup(clean(self.date(self.letter.sent_on)), self.styles, "Body")
        out: list[Flowable] = [sent, gap(6 * mm)]
        return out + text_flow(self.letter.body, self.styles)


def render_letter(letter: Letter, options: PdfOptions | None = None) -> bytes:
    return LetterPage(letter, options or PdfOptions()).render()
