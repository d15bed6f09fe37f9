"""The recovery sheet, offered once at vault creation: the key, the vault id, what to do with it."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from notesdesk.core.domain.summaries import RecoverySheet
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.flow import Para, boxed, bullets, gap, keep, kv_table, markup, section
from notesdesk.core.reports.fonts import MONO
from notesdesk.core.reports.styles import ACCENT, CALM_FILL, INK, WARN_FILL, WARN_INK
from notesdesk.core.reports.text import clean

KEY_SIZE = 22
GROUPS_PER_LINE = 4

KEEP_IT = (
    "Print this page and keep it somewhere safe and away from your computer: a locked drawer, a safe, "
    "or with your important papers.",
    "Do not keep it as a photo, in email or in cloud storage. If you saved this page as a PDF, delete "
    "the file once it is printed.",
    "Keep it apart from your vault backups: anyone who has both can read every record.",
    "Do not write your passphrase on this page.",
)
USE_IT = (
    "When NotesDesk asks for your passphrase, choose to unlock with the recovery key instead.",
    "Type the key as printed. Dashes and spaces are optional, and O, I and L are read as 0, 1 and 1.",
    "Once the vault is open, set a new passphrase straight away.",
)


def key_lines(key: str) -> list[str]:
    groups = key.split("-")
    step = GROUPS_PER_LINE
    return ["\u2009-\u2009".join(groups[i : i + step]) for i in range(0, len(groups), step)]


class RecoveryPage(Renderer):
    title = "Recovery key"
    base_size = 10.5
    footer_note = "Keep this page private: it opens your records."

    def __init__(self, sheet: RecoverySheet, options: PdfOptions) -> None:
        self.sheet = sheet
        super().__init__(sheet.practitioner, options, running="NotesDesk recovery key")

    def _key(self) -> Flowable:
        style = ParagraphStyle("RecoveryKey", fontName=MONO, fontSize=KEY_SIZE, leading=KEY_SIZE * 1.45,
                               alignment=TA_CENTER, textColor=INK)
        lines = "<br/>".join(clean(line) for line in key_lines(self.sheet.recovery_key))
        label = Para("<font color='#2F5D73'><b>Your recovery key</b></font>", self.styles["Body"])
        return boxed([label, gap(2 * mm), Para(lines, style), gap(1 * mm)], self.frame_width, CALM_FILL,
                     ACCENT, pad=12)

    def story(self) -> list[Flowable]:
        sheet = self.sheet
        facts = kv_table(
            [("Vault id", [(self.styles["Mono"], sheet.vault_id)]),
             ("Created", self.date(sheet.created_on))],
            self.frame_width, self.styles, key_share=0.2,
        )
        warning = boxed(
            [Para("If you lose both your passphrase and this recovery key, your records are lost for "
                       "good. Nobody can open the vault without one of them, not even the makers of "
                       "NotesDesk.", self.styles["Warn"])],
            self.frame_width, WARN_FILL, WARN_INK,
        )
        out: list[Flowable] = [
            markup("NotesDesk recovery key", self.styles, "Title"),
            markup("This key opens your NotesDesk vault if you forget your passphrase.", self.styles,
                   "Subtitle"),
            self._key(),
            gap(4 * mm),
            facts,
            gap(4 * mm),
            warning,
        ]
        out += section("What to do with this page", bullets(KEEP_IT, self.styles), self.styles)
        out += [keep(section("If you forget your passphrase", bullets(USE_IT, self.styles),
                                     self.styles))]
        return out


def render_recovery_sheet(sheet: RecoverySheet, options: PdfOptions | None = None) -> bytes:
    """The recovery sheet as PDF bytes. It holds no client data."""
    return RecoveryPage(sheet, options or PdfOptions()).render()
