"""Measure trend charts drawn with reportlab graphics: one small chart per instrument, empty-safe."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
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


def trend_chart(
    instrument: str,
    points: Sequence[tuple[date, float]],
    width: float,
    scale: MeasureScale | None = None,
    show_bands: bool = True,
    font_size: float = 7.5,
    height: float = 48 * mm,
) -> Drawing:
    """Scores over time; the instrument's bands are shaded and labelled when known and wanted."""
    drawing = Drawing(width, height, initialFontName=SANS)
    left, right, bottom, top = 24.0, 70.0 if (scale and show_bands and scale.bands) else 12.0, 18.0, 16.0
    plot_w, plot_h = width - left - right, height - bottom - top
    y_min, y_max = _y_range(points, scale)
    span = (y_max - y_min) or 1.0

    def y_of(value: float) -> float:
        return bottom + (min(max(value, y_min), y_max) - y_min) / span * plot_h

    drawing.add(String(left, height - top + 5, instrument, fontName=SANS_BOLD, fontSize=font_size + 1.5,
                       fillColor=INK))
    if scale and show_bands:
        for i, (low, high, label) in enumerate(scale.bands):
            y0, y1 = y_of(low - 0.5 if low > y_min else low), y_of(high + 0.5 if high < y_max else high)
            fill = colors.HexColor(BAND_FILLS[min(i, len(BAND_FILLS) - 1)])
            drawing.add(Rect(left, y0, plot_w, y1 - y0, fillColor=fill, strokeColor=None))
            drawing.add(String(left + plot_w + 4, (y0 + y1) / 2 - font_size / 3, label[:18],
                               fontName=SANS, fontSize=font_size - 0.5, fillColor=MUTED))
    step = nice_step(span)
    value = math.ceil(y_min / step) * step + 0.0  # + 0.0: never print "-0"
    while value <= y_max + 1e-9:
        y = y_of(value)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=RULE, strokeWidth=0.4))
        drawing.add(String(left - 4, y - font_size / 3, f"{value:.0f}", fontName=SANS,
                           fontSize=font_size, fillColor=MUTED, textAnchor="end"))
        value += step
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    if scale is not None and scale.caseness is not None and y_min <= scale.caseness <= y_max:
        y = y_of(scale.caseness)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=INK, strokeWidth=0.7, strokeDashArray=[3, 2]))
        drawing.add(String(left + 2, y + 2, "clinical cut-off", fontName=SANS, fontSize=font_size - 1,
                           fillColor=INK))
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    days = max(last - first, 1)

    def x_of(day: date) -> float:
        if last == first:
            return left + plot_w / 2
        return left + (day.toordinal() - first) / days * plot_w

    for day, label in month_ticks(points[0][0], points[-1][0]):
        x = x_of(day)
        drawing.add(Line(x, bottom, x, bottom - 2.5, strokeColor=MUTED, strokeWidth=0.6))
        drawing.add(String(x, bottom - font_size - 4, label, fontName=SANS, fontSize=font_size,
                           fillColor=MUTED, textAnchor="middle"))
    coords = [(x_of(d), y_of(v)) for d, v in points]
    if len(coords) > 1:
        flat = [c for xy in coords for c in xy]
        drawing.add(PolyLine(flat, strokeColor=ACCENT, strokeWidth=1.6))
    for x, y in coords:
        drawing.add(Circle(x, y, 2.2, fillColor=ACCENT, strokeColor=colors.white, strokeWidth=0.6))
    return drawing


def trend_charts(
    section: MeasureSection, width: float, show_bands: bool = True, font_size: float = 7.5,
    height: float = 48 * mm,
) -> list[Drawing]:
    """One chart per scored instrument (at most MAX_CHARTS); an empty list when nothing is scored."""
    scales = {s.instrument: s for s in section.scales}
    charts = []
    for instrument, points in list(series(section).items())[:MAX_CHARTS]:
        charts.append(trend_chart(instrument, points, width, scales.get(instrument), show_bands,
                                  font_size, height))
    return charts


def chart_block(
    section: MeasureSection, width: float, show_bands: bool = True, font_size: float = 7.5,
    height: float = 48 * mm,
) -> list[Flowable]:
    """The charts laid out for a page: one full width, or two side by side per row."""
    found = series(section)
    if len(found) <= 1:
        return list(trend_charts(section, width, show_bands, font_size, height))
    half = (width - 6 * mm) / 2
    charts = trend_charts(section, half, show_bands, font_size, height)
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
