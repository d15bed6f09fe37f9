"""Plain-text tables laid out once and drawn as one text object.

reportlab's Table is general (spans, a style per cell, nested flowables) and draws every line of every
cell as a text object of its own; a clinician summary has a few hundred cells, and Table took about 40%
of its rendering time (bench/bench_summary.py). Our tables only ever hold plain text in a few styles, so
a Grid wraps each cell once with reportlab's simpleSplit, draws the whole table's text in one text object,
and splits across pages by rows with the header repeated. A row taller than a page (a very long plan
review, say) splits between its lines instead of stopping the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from notesdesk.core.reports.plaintext import wrap_text

# A cell is plain text in its column's style, or blocks of text each in a style of its own
# (an objective, then its criterion in grey).
type GridCell = "str | Sequence[tuple[ParagraphStyle, str]]"
type Line = tuple[ParagraphStyle, str]

# Rows up to this tall move whole to the next page; only taller ones are split between lines.
WHOLE_ROW_LIMIT = 120 * mm


@dataclass(frozen=True)
class GridLook:
    """Padding (points) and the few decorations our tables use."""

    pad_left: float = 4
    pad_right: float = 4
    pad_top: float = 3
    pad_bottom: float = 3
    header_fill: Color | None = None
    zebra: Color | None = None
    rule: Color | None = None  # below the header row and below the last row
    rule_width: float = 0.6
    muted_columns: frozenset[int] = frozenset()  # drawn in `muted` instead of the style's colour
    muted: Color | None = None


@dataclass(frozen=True)
class Row:
    cells: tuple[tuple[Line, ...], ...]
    index: int  # position among the data rows, so zebra stripes continue across pages

    @property
    def content_height(self) -> float:
        return max((sum(style.leading for style, _ in cell) for cell in self.cells), default=0.0)

    def split(self, room: float) -> tuple[Row, Row] | None:
        """The lines that fit in `room` points, and the rest; None when not one line fits."""
        heads, tails = [], []
        for cell in self.cells:
            used, cut = 0.0, 0
            while cut < len(cell) and used + cell[cut][0].leading <= room:
                used += cell[cut][0].leading
                cut += 1
            heads.append(cell[:cut])
            tails.append(cell[cut:])
        if not any(heads):
            return None
        return Row(tuple(heads), self.index), Row(tuple(tails), self.index)


class Grid(Flowable):
    """A table of plain text with fixed column widths; see the module docstring for why."""

    def __init__(
        self,
        rows: Sequence[Sequence[GridCell]],
        widths: Sequence[float],
        styles: Sequence[ParagraphStyle],
        look: GridLook,
        header: Sequence[str] | None = None,
        header_style: ParagraphStyle | None = None,
    ) -> None:
        super().__init__()
        self.widths = list(widths)
        self.look = look
        self.width = sum(self.widths)
        rooms = [w - look.pad_left - look.pad_right for w in self.widths]
        self.header: Row | None = None
        if header is not None:
            style = header_style or styles[0]
            self.header = Row(tuple(tuple((style, t) for t in wrap_text(h, style, r))
                                    for h, r in zip(header, rooms, strict=True)), -1)
        self.rows = [
            Row(tuple(self._lines(cell, style, room)
                      for cell, style, room in zip(row, styles, rooms, strict=True)), i)
            for i, row in enumerate(rows)
        ]
        self.height = self._height(self.rows)

    @staticmethod
    def _lines(cell: GridCell, style: ParagraphStyle, room: float) -> tuple[Line, ...]:
        blocks = [(style, cell)] if isinstance(cell, str) else cell
        return tuple((st, line) for st, text in blocks for line in wrap_text(text, st, room))

    def _row_height(self, row: Row) -> float:
        return row.content_height + self.look.pad_top + self.look.pad_bottom

    def _height(self, rows: Sequence[Row]) -> float:
        head = self._row_height(self.header) if self.header is not None else 0.0
        return head + sum(self._row_height(r) for r in rows)

    def _part(self, rows: list[Row]) -> Grid:
        part = object.__new__(Grid)
        Flowable.__init__(part)
        part.widths, part.look, part.width, part.header = self.widths, self.look, self.width, self.header
        part.rows = rows
        part.height = part._height(rows)
        return part

    # -- the Flowable protocol -----------------------------------------------------------------------

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, _available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - (self._row_height(self.header) if self.header is not None else 0.0)
        used, fitted = 0.0, 0
        for row in self.rows:
            if used + self._row_height(row) > room:
                break
            used += self._row_height(row)
            fitted += 1
        if fitted == len(self.rows):
            return [self]
        if fitted:
            return [self._part(self.rows[:fitted]), self._part(self.rows[fitted:])]
        first = self.rows[0]
        if self._row_height(first) <= WHOLE_ROW_LIMIT:
            return []  # the whole row goes to the next page
        halves = first.split(room - self.look.pad_top - self.look.pad_bottom)
        if halves is None:
            return []
        return [self._part([halves[0]]), self._part([halves[1], *self.rows[1:]])]

    def draw(self) -> None:
        canvas, look = self.canv, self.look
        rows = ([self.header] if self.header is not None else []) + self.rows
        tops, top = [], self.height
        for row in rows:
            tops.append(top)
            top -= self._row_height(row)
        canvas.saveState()
        for row, row_top in zip(rows, tops, strict=True):
            fill = look.header_fill if row.index < 0 else (look.zebra if row.index % 2 else None)
            if fill is not None:
                height = self._row_height(row)
                canvas.setFillColor(fill)
                canvas.rect(0, row_top - height, self.width, height, stroke=0, fill=1)
        self._draw_text(rows, tops)
        if look.rule is not None:
            canvas.setStrokeColor(look.rule)
            canvas.setLineWidth(look.rule_width)
            if self.header is not None:
                y = tops[0] - self._row_height(self.header)
                canvas.line(0, y, self.width, y)
            canvas.line(0, 0, self.width, 0)
        canvas.restoreState()

    def _draw_text(self, rows: Sequence[Row], tops: Sequence[float]) -> None:
        """All lines in one text object, grouped by font and colour so each is set once."""
        look = self.look
        groups: dict[tuple[str, float, int], tuple[Color, list[tuple[float, float, str]]]] = {}
        for row, row_top in zip(rows, tops, strict=True):
            x = look.pad_left
            for column, (cell, width) in enumerate(zip(row.cells, self.widths, strict=True)):
                cursor = row_top - look.pad_top
                muted = look.muted if column in look.muted_columns else None
                for style, line in cell:
                    color = muted or style.textColor
                    key = (style.fontName, style.fontSize, id(color))
                    groups.setdefault(key, (color, []))[1].append((x, cursor - style.fontSize, line))
                    cursor -= style.leading
                x += width
        text = self.canv.beginText()
        for (font, size, _), (color, lines) in groups.items():
            text.setFont(font, size)
            text.setFillColor(color)
            for x, y, line in lines:
                text.setTextOrigin(x, y)
                text.textOut(line)
        self.canv.drawText(text)
