"""Where things go on the trend chart, as plain numbers: no Qt, so every rule is tested without a window.

The painter (measures_chart) only draws what `layout_chart` returns. Scores are integers, so severity
bands and the caseness line sit on half points (a PHQ-9 of 10 is above the 'caseness ≥ 10' line and a 9
below it), and the reliable-change corridor covers exactly the scores that would be 'no reliable change'.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PAD = 8.0  # pixels between the widget edge, labels and the plot
LABEL_GAP = 10.0  # least horizontal space between two date labels
MARKER = 10.0  # half the width of the widest point marker (the ring around a risk-flagged score)
MAX_GUTTER = 0.35  # band labels get their own strip left of the first point, at most this share of the plot


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, x: float, y: float) -> bool:
        return self.x - 0.01 <= x <= self.right + 0.01 and self.y - 0.01 <= y <= self.bottom + 0.01


@dataclass(frozen=True)
class ChartSpec:
    """What to show for one instrument (and the alliance line beside it)."""

    title: str
    lo: int  # the instrument's range
    hi: int
    points: tuple[tuple[date, int], ...] = ()  # totals in date order
    bands: tuple[tuple[int, int, str], ...] = ()  # (min, max, label), as in the instrument file
    higher_is_worse: bool = True
    caseness: int | None = None
    reliable_change: float | None = None  # points of change that count as reliable
    baseline: tuple[date, int] | None = None  # the current episode's baseline
    flagged: frozenset[int] = frozenset()  # indexes into `points` with a risk flag
    alliance: tuple[tuple[date, float], ...] = ()  # mean item score per check
    alliance_max: int = 10
    alliance_flagged: frozenset[int] = frozenset()

    @property
    def dates(self) -> list[date]:
        return [d for d, _ in self.points] + [d for d, _ in self.alliance]

    def caseness_value(self) -> float | None:
        """The boundary between a case and not: 9.5 for 'PHQ-9 ≥ 10'."""
        if self.caseness is None:
            return None
        return self.caseness - 0.5 if self.higher_is_worse else self.caseness + 0.5

    def caseness_label(self) -> str:
        sign = "≥" if self.higher_is_worse else "≤"
        return f"caseness {sign} {self.caseness}"

    def corridor(self) -> tuple[float, float] | None:
        """Scores around baseline that would be 'no reliable change', as a band on the score axis."""
        if self.baseline is None or self.reliable_change is None:
            return None
        inside = max(0, math.ceil(self.reliable_change - 1e-9) - 1)  # largest change that is not reliable
        base = self.baseline[1]
        return max(self.lo, base - inside - 0.5), min(self.hi, base + inside + 0.5)


@dataclass(frozen=True)
class BandBox:
    rect: Rect
    label: str
    severity: float  # 0 = least severe band, 1 = most severe
    label_fits: bool


@dataclass(frozen=True)
class Tick:
    pos: float  # y for value ticks, x for date ticks
    text: str


@dataclass
class ChartLayout:
    plot: Rect
    bands: list[BandBox] = field(default_factory=list)
    caseness_y: float | None = None
    corridor: Rect | None = None
    points: list[tuple[float, float]] = field(default_factory=list)
    baseline_index: int | None = None
    alliance: list[tuple[float, float]] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    alliance_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    year_ticks: list[Tick] = field(default_factory=list)
    legend: list[list[tuple[float, str, str]]] = field(default_factory=list)  # rows of (x, kind, text)


def value_ticks(lo: float, hi: float, room_px: float, min_gap_px: float) -> list[float]:
    """Round steps (1, 2, 5, 10...) no closer than `min_gap_px` on an axis `room_px` long."""
    span = hi - lo
    if span <= 0 or room_px <= 0:
        return [lo]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if room_px * step / span >= min_gap_px:
            break
    first = math.ceil(lo / step) * step
    return [float(v) for v in range(int(first), int(hi) + 1, step)]


def with_range_ends(values: Sequence[float], lo: float, hi: float, room_px: float,
                    min_gap_px: float) -> list[float]:
    """The round ticks plus the range's own ends (a GAD-7 axis is labelled up to 21, not 20), dropping a
    round tick that would crowd an end."""
    if hi <= lo or room_px <= 0:
        return list(values)
    px, near = room_px / (hi - lo), min_gap_px * 0.7  # closer than this, two labels would touch
    kept = [v for v in values if v in (lo, hi) or min(v - lo, hi - v) * px >= near]
    return sorted({float(lo), *kept, float(hi)})


def date_text(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def date_range(dates: Sequence[date]) -> tuple[date, date]:
    """The x axis: the dates with a little room either side (a week for a single date)."""
    if not dates:
        today = date.today()
        return today - timedelta(days=7), today + timedelta(days=7)
    first, last = min(dates), max(dates)
    pad = max(3, round((last - first).days * 0.04)) if last > first else 7
    return first - timedelta(days=pad), last + timedelta(days=pad)


def place_labels(candidates: Sequence[tuple[float, str]], width: Callable[[str], float],
                 left: float, right: float) -> list[Tick]:
    """Centre each label on its x, keep it inside [left, right], and drop those that would overlap.

    The last one is placed first (the latest score is the one a clinician looks for), then the others
    from the left, each only if it clears the labels already placed.
    """
    def span(x: float, text: str) -> tuple[float, float]:
        w = width(text)
        start = min(max(x - w / 2, left), right - w)
        return start, start + w

    if not candidates:
        return []
    *rest, (last_x, last_text) = candidates
    a, b = span(last_x, last_text)
    placed: list[tuple[float, float, Tick]] = [(a, b, Tick(last_x, last_text))]
    for x, text in rest:
        a, b = span(x, text)
        if all(b + LABEL_GAP <= pa or a >= pb + LABEL_GAP for pa, pb, _ in placed):
            placed.append((a, b, Tick(x, text)))
    return sorted((t for _, _, t in placed), key=lambda t: t.pos)


def layout_chart(spec: ChartSpec, width: float, height: float, text_width: Callable[[str], float],
                 line_height: float) -> ChartLayout:
    """Every position the painter needs, for a widget `width` x `height` pixels."""
    lo, hi = spec.lo, spec.hi
    hi = hi if hi > lo else lo + 1
    show_alliance = bool(spec.alliance)
    legend = legend_rows(legend_entries(spec), width, text_width, line_height * 1.6)
    left_w = max(text_width(str(v)) for v in (lo, hi)) + PAD * 2
    right_w = (text_width(str(spec.alliance_max)) + PAD * 2) if show_alliance else PAD * 2
    top = len(legend) * line_height * 1.4 + PAD * 2
    bottom = line_height * 2 + PAD * 2  # date labels and years
    plot = Rect(left_w, top, max(10.0, width - left_w - right_w), max(10.0, height - top - bottom))
    out = ChartLayout(plot, legend=legend)

    def y_of(value: float) -> float:
        clamped = min(max(value, lo), hi)
        return plot.bottom - (clamped - lo) / (hi - lo) * plot.h

    first, last = date_range(spec.dates)
    days = max(1, (last - first).days)
    bands = sorted(spec.bands)
    # Band labels sit in a strip of their own at the left, so no point (the baseline diamond is usually
    # the first) is ever drawn over them; on a chart too narrow for that strip they are left out.
    gutter = max((text_width(label) for *_r, label in bands), default=0.0) + PAD * 2 + MARKER
    if not bands or gutter > plot.w * MAX_GUTTER:
        gutter = 0.0
    data_x, data_w = plot.x + gutter, plot.w - gutter

    def x_of(day: date) -> float:
        return data_x + (day - first).days / days * data_w

    order = bands if spec.higher_is_worse else list(reversed(bands))
    for b_lo, b_hi, label in bands:
        y_top, y_bottom = y_of(b_hi + 0.5), y_of(b_lo - 0.5)
        rect = Rect(plot.x, y_top, plot.w, y_bottom - y_top)
        severity = order.index((b_lo, b_hi, label)) / max(1, len(bands) - 1)
        fits = gutter > 0 and rect.h >= line_height + 2
        out.bands.append(BandBox(rect, label, severity if len(bands) > 1 else 0.0, fits))

    boundary = spec.caseness_value()
    if boundary is not None and lo <= boundary <= hi:
        out.caseness_y = y_of(boundary)
    corridor = spec.corridor()
    if corridor is not None and spec.baseline is not None:
        x0 = x_of(spec.baseline[0])
        out.corridor = Rect(x0, y_of(corridor[1]), plot.right - x0, y_of(corridor[0]) - y_of(corridor[1]))

    out.points = [(x_of(d), y_of(v)) for d, v in spec.points]
    if spec.baseline is not None and spec.baseline in spec.points:
        out.baseline_index = spec.points.index(spec.baseline)
    scale = spec.alliance_max or 1
    out.alliance = [(x_of(d), plot.bottom - min(max(v, 0), scale) / scale * plot.h) for d, v in spec.alliance]

    gap = line_height * 1.6
    values = with_range_ends(value_ticks(lo, hi, plot.h, gap), lo, hi, plot.h, gap)
    out.y_ticks = [Tick(y_of(v), f"{v:g}") for v in values]
    if show_alliance:
        out.alliance_ticks = [Tick(plot.bottom - v / scale * plot.h, f"{v:g}")
                              for v in value_ticks(0, scale, plot.h, gap)]
    dates = sorted(set(spec.dates))
    out.x_ticks = place_labels([(x_of(d), date_text(d)) for d in dates], text_width, 0, width)
    shown = {x_of(d): d for d in dates}
    years: list[tuple[float, str]] = []
    for tick in out.x_ticks:  # the year under the first date label and wherever it changes
        year = str(shown[tick.pos].year)
        if not years or years[-1][1] != year:
            years.append((tick.pos, year))
    out.year_ticks = place_labels(years, text_width, 0, width)

    return out


def legend_entries(spec: ChartSpec) -> list[tuple[str, str]]:
    entries = [("line", f"{spec.title} total"), ("baseline", "baseline")]
    boundary = spec.caseness_value()
    if boundary is not None and spec.lo <= boundary <= spec.hi:
        entries.append(("caseness", spec.caseness_label()))
    if spec.corridor() is not None and spec.baseline is not None:
        entries.append(("corridor", f"no reliable change from baseline {spec.baseline[1]} "
                                    f"(under {spec.reliable_change:g} points)"))
    if spec.flagged:
        entries.append(("risk", "risk item endorsed"))
    if spec.alliance:
        entries.append(("alliance", f"alliance (mean item 0–{spec.alliance_max}, right axis)"))
    return entries


def legend_rows(entries: Sequence[tuple[str, str]], width: float, text_width: Callable[[str], float],
                swatch: float) -> list[list[tuple[float, str, str]]]:
    """Flow legend entries into rows that fit `width`: [(x, kind, text)] per row."""
    rows: list[list[tuple[float, str, str]]] = [[]]
    x = PAD
    for kind, text in entries:
        w = swatch + 6 + text_width(text) + PAD * 2
        if rows[-1] and x + w > width - PAD:
            rows.append([])
            x = PAD
        rows[-1].append((x, kind, text))
        x += w
    return rows


def nearest_point(points: Sequence[tuple[float, float]], x: float, y: float,
                  radius: float) -> int | None:
    """Index of the point within `radius` pixels of (x, y), nearest first (for tooltips)."""
    best, best_d = None, radius * radius
    for i, (px, py) in enumerate(points):
        d = (px - x) ** 2 + (py - y) ** 2
        if d <= best_d:
            best, best_d = i, d
    return best
