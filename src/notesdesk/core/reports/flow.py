"""Small flowable builders shared by the documents. Every user string passes through `clean`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from notesdesk.core.reports.fonts import SANS
from notesdesk.core.reports.grid import Grid, GridCell, GridLook
from notesdesk.core.reports.plaintext import TextBlock
from notesdesk.core.reports.styles import HEADER_FILL, INK, RULE, ZEBRA, Styles
from notesdesk.core.reports.text import clean


class Para(Paragraph):
    """A Paragraph that remembers its last wrap: tables and KeepTogether wrap every cell two or three
    times at the same width, and line breaking is most of a summary's layout time."""

    _wrapped: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # split() may drop blPara (orphan control), so a cached size is only good while it exists
        if self._wrapped is not None and self._wrapped[0] == availWidth and hasattr(self, "blPara"):
            return self._wrapped[1], self._wrapped[2]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height)
        return width, height


FONT = ("FONTNAME", (0, 0), (-1, -1), SANS)  # plain-string cells: DejaVu, never Helvetica
TABLE_START_ROOM = 40 * mm
CELL_PAD = 4  # a heading over a table starts a new page when less room than this is left


def para(text: str, styles: Styles, style: str = "Body") -> Flowable:
    """A paragraph of user text, drawn as plain text (never read as markup)."""
    st = styles[style]
    return TextBlock(text, st) if st.alignment == TA_LEFT else Para(clean(text), st)


def markup(text: str, styles: Styles, style: str = "Body", bullet: str | None = None) -> Para:
    """A paragraph of our own markup; any user text inside must already be cleaned."""
    return Para(text, styles[style], bulletText=bullet)


def heading(text: str, styles: Styles, level: int = 1) -> Flowable:
    return TextBlock(text, styles["H1" if level == 1 else "H2"])


def _flat(items: Sequence[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for item in items:
        if isinstance(item, KeepTogether):
            out += _flat(item._content)  # type: ignore[attr-defined]  # reportlab's, not in its stubs
        else:
            out.append(item)
    return out


def keep(items: Sequence[Flowable]) -> KeepTogether:
    """KeepTogether that never nests: an inner KeepTogether reports an 'infinite' height to force a
    split, which would push the outer block to a new page even when it fits."""
    return KeepTogether(_flat(items))


def section(title: str, body: Sequence[Flowable], styles: Styles) -> list[Flowable]:
    """A heading kept with the start of its body, so no heading ends a page alone.

    A body that starts with a table is not kept whole with its heading (a long table would leave a
    page half empty): the heading only needs room for the first rows below it.
    """
    if not body:
        return [heading(title, styles)]
    if isinstance(body[0], (Table, Grid)):
        return [CondPageBreak(TABLE_START_ROOM), heading(title, styles), *body]
    return [keep([heading(title, styles), body[0]]), *body[1:]]


def bullets(items: Sequence[str], styles: Styles, style: str = "Bullet") -> list[Flowable]:
    return [TextBlock(item, styles[style], bullet="\u2022") for item in items if item.strip()]


def nothing(text: str, styles: Styles) -> Flowable:
    return TextBlock(text, styles["Muted"])


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[GridCell]],
    widths: Sequence[float],
    styles: Styles,
    zebra: bool = True,
) -> Grid:
    """A table with a shaded header row, repeated on every page it runs onto; cells wrap."""
    look = GridLook(pad_left=CELL_PAD, pad_right=CELL_PAD, header_fill=HEADER_FILL,
                    zebra=ZEBRA if zebra else None, rule=RULE)
    return Grid(rows, widths, [styles["Cell"]] * len(widths), look, header=header,
                header_style=styles["CellHead"])


def kv_table(
    pairs: Sequence[tuple[str, GridCell]], width: float, styles: Styles, key_share: float = 0.3,
    key_style: str = "Key", value_style: str = "Cell",
) -> Grid:
    """Label / value rows without a grid, for identification blocks. Empty values are skipped."""
    rows = [[k, v] for k, v in pairs if (v.strip() if isinstance(v, str) else v)]
    look = GridLook(pad_left=0, pad_right=6, pad_top=1.5, pad_bottom=1.5)
    return Grid(rows, [width * key_share, width * (1 - key_share)], [styles[key_style], styles[value_style]],
                look)


def boxed(content: Sequence[Flowable], width: float, fill: colors.Color, stroke: colors.Color | None = None,
          pad: float = 8) -> Table:
    """A shaded panel around some flowables (callouts, warnings)."""
    table = Table([[list(content)]], colWidths=[width], hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        FONT,
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.8),
    ]
    if stroke is not None:
        commands.append(("BOX", (0, 0), (-1, -1), 0.8, stroke))
    table.setStyle(TableStyle(commands))
    return table


class TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float = 4.5 * mm) -> None:
        super().__init__()
        self.size = size
        self.width = self.height = size

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class WriteLines(Flowable):
    """Ruled lines to write on by hand (for empty sections of a handout)."""

    def __init__(self, count: int = 2, gap: float = 8 * mm) -> None:
        super().__init__()
        self.count = count
        self.gap = gap

    def wrap(self, available_width: float, _ah: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.count * self.gap
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.7)
        for i in range(self.count):
            y = self.height - (i + 1) * self.gap + 1.5
            self.canv.line(0, y, self.width, y)


def gap(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)
