"""Measure trend charts: one small chart per instrument, drawn on the canvas, empty-safe."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from notesdesk.core.domain.summaries import MeasureRow, MeasureScale, MeasureSection
from notesdesk.core.reports.fonts import SANS, SANS_BOLD
from notesdesk.core.reports.styles import ACCENT, INK, MUTED, RULE
from notesdesk.core.reports.text import MONTHS

# Calm to warm: the first band (lowest scores) is the palest.
BAND_FILLS = ("#EEF4F1", "#F3F3E6", "#F8F0E2", "#F8E8E0", "#F4DEDA", "#EFD5D5")
MAX_CHARTS = 4


def series(section: MeasureSection) -> dict[str, list[tuple[date, float]]]:
    """Scored points per instrument, in date order; rows without a total are left out."""
    found: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for row in section.rows:
        if row.total is not None:
            found[row.instrument].append((row.administered_on, float(row.total)))
    return {k: sorted(v) for k, v in found.items()}


def month_ticks(first: date, last: date, most: int = 6) -> list[tuple[date, str]]:
    """Month starts between the first and last point ('Jan 2025'); day labels for short spans."""
    ticks = []
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        start = date(year, month, 1)
        if start > last:
            break
        ticks.append(start)
    if len(ticks) < 2:
        days = sorted({first, last})
        return [(d, f"{d.day} {MONTHS[d.month - 1][:3]}") for d in days]
    step = -(-len(ticks) // most)
    return [(d, f"{MONTHS[d.month - 1][:3]} {d.year}") for d in ticks[::step]]


def nice_step(span: float, most: int = 6) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if span / step <= most:
            return float(step)
    return span / most


def _y_range(points: Sequence[tuple[date, float]], scale: MeasureScale | None) -> tuple[float, float]:
    if scale is not None:
        return scale.range_min, scale.range_max
    values = [v for _d, v in points]
    low, high = min(0.0, min(values)), max(values)
    return low, high + max(1.0, (high - low) * 0.15)


CUTOFF = "clinical cut-off"
CLIENT_CUTOFF = "the line where scores count as a concern"  # the client's copy: no jargon


class TrendChart(Flowable):
    """Scores over time; the instrument's bands are shaded and labelled when known and wanted.

    Drawn straight onto the canvas (rectangles, lines, one path, one text object): as a reportlab
    graphics Drawing the same chart took about a tenth of a summary's rendering time."""

    def __init__(
        self,
        instrument: str,
        points: Sequence[tuple[date, float]],
        width: float,
        scale: MeasureScale | None = None,
        show_bands: bool = True,
        font_size: float = 7.5,
        height: float = 48 * mm,
        cutoff_label: str = CUTOFF,
    ) -> None:
        super().__init__()
        self.cutoff_label = cutoff_label
        self.instrument, self.points, self.scale = instrument, list(points), scale
        self.show_bands, self.font_size = show_bands and scale is not None and bool(scale.bands), font_size
        self.width, self.height = width, height
        self.left, self.bottom, self.top = 24.0, 18.0, 16.0
        self.right = 70.0 if self.show_bands else 12.0
        self.plot_w = width - self.left - self.right
        self.plot_h = height - self.bottom - self.top
        self.y_min, self.y_max = _y_range(self.points, scale)
        self.first = self.points[0][0].toordinal()
        self.last = self.points[-1][0].toordinal()
        self._texts: list[tuple[str, float, Color, float, float, str, str]] = []

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def y_of(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        clamped = min(max(value, self.y_min), self.y_max)
        return self.bottom + (clamped - self.y_min) / span * self.plot_h

    def x_of(self, day: date) -> float:
        if self.last == self.first:
            return self.left + self.plot_w / 2
        return self.left + (day.toordinal() - self.first) / (self.last - self.first) * self.plot_w

    def _text(self, x: float, y: float, text: str, size: float, color: Color, font: str = SANS,
              anchor: str = "start") -> None:
        self._texts.append((font, size, color, x, y, text, anchor))

    def draw(self) -> None:
        canvas, fs = self.canv, self.font_size
        left, plot_w, y_min, y_max = self.left, self.plot_w, self.y_min, self.y_max
        self._texts = []
        self._backing: tuple[float, float, float, float] | None = None
        canvas.saveState()
        self._text(left, self.height - self.top + 5, self.instrument, fs + 1.5, INK, SANS_BOLD)
        if self.show_bands and self.scale is not None:
            for i, (low, high, label) in enumerate(self.scale.bands):
                y0 = self.y_of(low - 0.5 if low > y_min else low)
                y1 = self.y_of(high + 0.5 if high < y_max else high)
                canvas.setFillColor(colors.HexColor(BAND_FILLS[min(i, len(BAND_FILLS) - 1)]))
                canvas.rect(left, y0, plot_w, y1 - y0, stroke=0, fill=1)
                self._text(left + plot_w + 4, (y0 + y1) / 2 - fs / 3, label[:18], fs - 0.5, MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        step = nice_step((y_max - y_min) or 1.0)
        value = math.ceil(y_min / step) * step + 0.0  # + 0.0: never print "-0"
        while value <= y_max + 1e-9:
            y = self.y_of(value)
            canvas.line(left, y, left + plot_w, y)
            self._text(left - 4, y - fs / 3, f"{value:.0f}", fs, MUTED, anchor="end")
            value += step
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(left, self.bottom, left + plot_w, self.bottom)
        room = stringWidth("May 2026", SANS, fs) * 1.5  # one label and a gap, so labels never touch
        most = max(2, int(plot_w // room))
        for day, label in month_ticks(self.points[0][0], self.points[-1][0], most):
            x = self.x_of(day)
            canvas.line(x, self.bottom, x, self.bottom - 2.5)
            self._text(x, self.bottom - fs - 4, label, fs, MUTED, anchor="middle")
        scale = self.scale
        if scale is not None and scale.caseness is not None and y_min <= scale.caseness <= y_max:
            y = self.y_of(scale.caseness)
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.7)
            canvas.setDash(3, 2)
            canvas.line(left, y, left + plot_w, y)
            canvas.setDash()
            self._place_cutoff_label(y)
        self._draw_series()
        if self._backing is not None:  # the label over the scores' line: readable, the line still seen
            canvas.setFillColor(colors.white)
            canvas.setFillAlpha(0.75)
            canvas.rect(*self._backing, stroke=0, fill=1)
            canvas.setFillAlpha(1)
        self._draw_texts()
        canvas.restoreState()

    def _place_cutoff_label(self, line_y: float) -> None:
        """Above or below the dashed line, at its left or right end, wherever the scores' line does
        not pass; over it only when it passes everywhere."""
        fs, left, plot_w = self.font_size - 1, self.left, self.plot_w
        width = stringWidth(self.cutoff_label, SANS, fs)
        coords = [(self.x_of(d), self.y_of(v)) for d, v in self.points]
        spots = [(x, y) for y in (line_y + 2, line_y - fs - 1) for x in (left + 2, left + plot_w - width - 2)]
        clear = [spot for spot in spots if not _crosses(coords, spot[0] - 2, spot[1] - 2, width + 4, fs + 3)]
        x, y = (clear or spots)[0]
        self._text(x, y, self.cutoff_label, fs, INK)
        self._backing = None if clear else (x - 1, y - 1.5, width + 2, fs + 1)

    def _draw_series(self) -> None:
        canvas = self.canv
        coords = [(self.x_of(d), self.y_of(v)) for d, v in self.points]
        if len(coords) > 1:
            path = canvas.beginPath()
            path.moveTo(*coords[0])
            for x, y in coords[1:]:
                path.lineTo(x, y)
            canvas.setStrokeColor(ACCENT)
            canvas.setLineWidth(1.6)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.setFillColor(ACCENT)
        canvas.setStrokeColor(colors.white)
        canvas.setLineWidth(0.6)
        for x, y in coords:
            canvas.circle(x, y, 2.2, stroke=1, fill=1)

    def _draw_texts(self) -> None:
        """Every label in one text object, over the shapes."""
        text = self.canv.beginText()
        for font, size, color, x, y, label, anchor in self._texts:
            text.setFont(font, size)
            text.setFillColor(color)
            shift = stringWidth(label, font, size) * {"start": 0.0, "middle": 0.5, "end": 1.0}[anchor]
            text.setTextOrigin(x - shift, y)
            text.textOut(label)
        self.canv.drawText(text)


def _crosses(coords: Sequence[tuple[float, float]], x: float, y: float, w: float, h: float) -> bool:
    """Whether the polyline through `coords` (its dots included) enters the box at (x, y) of w by h."""
    def inside(px: float, py: float) -> bool:
        return x <= px <= x + w and y <= py <= y + h

    if any(inside(px, py) for px, py in coords):
        return True
    for (x0, y0), (x1, y1) in zip(coords, coords[1:], strict=False):
        steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0))))  # a point every unit: finer than the text
        if any(inside(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)):
            return True
    return False


def trend_charts(
    section: MeasureSection, width: float, show_bands: bool = True, font_size: float = 7.5,
    height: float = 48 * mm, cutoff_label: str = CUTOFF,
) -> list[TrendChart]:
    """One chart per scored instrument (at most MAX_CHARTS); an empty list when nothing is scored."""
    scales = {s.instrument: s for s in section.scales}
    charts = []
    for instrument, points in list(series(section).items())[:MAX_CHARTS]:
        charts.append(TrendChart(instrument, points, width, scales.get(instrument), show_bands,
                                  font_size, height, cutoff_label))
    return charts


def chart_block(
    section: MeasureSection, width: float, show_bands: bool = True, font_size: float = 7.5,
    height: float = 48 * mm, cutoff_label: str = CUTOFF,
) -> list[Flowable]:
    """The charts laid out for a page: one full width, or two side by side per row."""
    found = series(section)
    if len(found) <= 1:
        return list(trend_charts(section, width, show_bands, font_size, height, cutoff_label))
    half = (width - 6 * mm) / 2
    charts = trend_charts(section, half, show_bands, font_size, height, cutoff_label)
    rows = [charts[i : i + 2] + [""] * (2 - len(charts[i : i + 2])) for i in range(0, len(charts), 2)]
    table = Table(rows, colWidths=[half + 6 * mm, half], hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table]


def latest_rows(section: MeasureSection) -> list[MeasureRow]:
    """The most recent scored row per instrument."""
    latest: dict[str, MeasureRow] = {}
    for row in section.rows:
        if row.total is not None:
            latest[row.instrument] = row
    return list(latest.values())
