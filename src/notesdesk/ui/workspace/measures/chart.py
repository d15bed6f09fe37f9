"""The trend chart: one instrument's totals over time with its severity bands, the caseness line, the
reliable-change corridor around the episode baseline, and the alliance on its own 0–10 axis.

Drawn with QPainter only; every position comes from measures_geometry (tested without a window).
Colours are never the only signal: bands are labelled, the caseness line is dashed and named in the
legend, risk-flagged scores carry a ring and an exclamation mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from notesdesk.ui.widgets.ink import RISK_ON_DARK, RISK_ON_LIGHT
from notesdesk.ui.workspace.measures.data import chart_summary
from notesdesk.ui.workspace.measures.geometry import ChartLayout, ChartSpec, layout_chart, nearest_point

# Light palette: dark ink on pale bands. Dark palette (a dark Base): the same hues lightened, and the
# bands blended into the background, so the palette's light text stays readable over them.
LIGHT_INK = {"score": "#1f4e79", "alliance": "#1b7a5a", "caseness": "#a33a2b", "risk": RISK_ON_LIGHT.name()}
DARK_INK = {"score": "#8ab4f8", "alliance": "#5fd3a5", "caseness": "#f28b82", "risk": RISK_ON_DARK.name()}
CORRIDOR = QColor(70, 120, 190, 46)
CORRIDOR_EDGE = QColor(70, 120, 190, 150)
# Band tints from least to most severe: pale green-grey, pale sand, pale coral. Labels carry the meaning.
BAND_STOPS = (QColor(228, 238, 229), QColor(246, 238, 206), QColor(247, 207, 193))
DARK_BAND_SHARE = 0.22  # how much of a band's tint shows over a dark background


@dataclass(frozen=True)
class ChartColours:
    base: QColor
    text: QColor
    score: QColor
    alliance: QColor
    caseness: QColor
    risk: QColor
    dark: bool


def chart_colours(palette: QPalette) -> ChartColours:
    base, text = palette.base().color(), palette.text().color()
    dark = base.lightnessF() < 0.5
    ink = DARK_INK if dark else LIGHT_INK
    return ChartColours(base, text, QColor(ink["score"]), QColor(ink["alliance"]), QColor(ink["caseness"]),
                        QColor(ink["risk"]), dark)


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    """`share` of b over a."""
    def part(x: int, y: int) -> int:
        return round(x + (y - x) * share)

    return QColor(part(a.red(), b.red()), part(a.green(), b.green()), part(a.blue(), b.blue()))


def band_colour(severity: float, colours: ChartColours | None = None) -> QColor:
    t = min(max(severity, 0.0), 1.0) * (len(BAND_STOPS) - 1)
    i = min(int(t), len(BAND_STOPS) - 2)
    tint = _mix(BAND_STOPS[i], BAND_STOPS[i + 1], t - i)
    return _mix(colours.base, tint, DARK_BAND_SHARE) if colours is not None and colours.dark else tint


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec: ChartSpec | None = None
        self.geometry_: ChartLayout | None = None
        self.colours = chart_colours(self.palette())  # re-read from the palette at every paint
        self.setMinimumSize(420, 180)  # room for the demo strip too, on a 640-pixel-high screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Score trend chart")
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(720, 340)

    def set_spec(self, spec: ChartSpec | None) -> None:
        self.spec = spec
        summary = chart_summary(spec) if spec else "No scores to chart yet."
        self.setAccessibleDescription(summary)
        self.setToolTip("")
        self.geometry_ = None
        self.update()

    def layout_now(self) -> ChartLayout | None:
        if self.spec is None:
            return None
        metrics = QFontMetricsF(self._small_font())
        self.geometry_ = layout_chart(self.spec, self.width(), self.height(),
                                      metrics.horizontalAdvance, metrics.height())
        return self.geometry_

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.92))
        return font

    # -- painting ------------------------------------------------------------------------------------

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.colours = chart_colours(self.palette())
        painter.fillRect(self.rect(), self.colours.base)
        painter.setFont(self._small_font())
        text = self.colours.text
        geo = self.layout_now()
        if geo is None or self.spec is None or not (self.spec.points or self.spec.alliance):
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No scores to chart yet.")
            return
        plot = QRectF(geo.plot.x, geo.plot.y, geo.plot.w, geo.plot.h)
        self._bands(painter, geo, text)
        if geo.corridor is not None:
            c = geo.corridor
            painter.fillRect(QRectF(c.x, c.y, c.w, c.h), CORRIDOR)
            painter.setPen(QPen(CORRIDOR_EDGE, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(c.x, c.y), QPointF(c.right, c.y))
            painter.drawLine(QPointF(c.x, c.bottom), QPointF(c.right, c.bottom))
        if geo.caseness_y is not None:
            painter.setPen(QPen(self.colours.caseness, 1.6, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), geo.caseness_y), QPointF(plot.right(), geo.caseness_y))
        self._axes(painter, geo, plot, text)
        self._alliance(painter, geo)
        self._scores(painter, geo)
        self._legend(painter, geo, text)

    def _bands(self, painter: QPainter, geo: ChartLayout, text: QColor) -> None:
        muted = QColor(text)
        muted.setAlpha(190)
        edge = QColor(text)
        edge.setAlpha(60)
        for band in geo.bands:
            r = QRectF(band.rect.x, band.rect.y, band.rect.w, band.rect.h)
            painter.fillRect(r, band_colour(band.severity, self.colours))
            painter.setPen(QPen(edge, 1))
            painter.drawLine(r.topLeft(), r.topRight())
            if band.label_fits:
                painter.setPen(muted)
                painter.drawText(r.adjusted(6, 1, -6, -1),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, band.label)

    def _axes(self, painter: QPainter, geo: ChartLayout, plot: QRectF, text: QColor) -> None:
        grid = QColor(text)
        grid.setAlpha(40)
        metrics = painter.fontMetrics()
        half = metrics.height() / 2
        for tick in geo.y_ticks:
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), tick.pos), QPointF(plot.right(), tick.pos))
            painter.setPen(text)
            painter.drawText(QRectF(0, tick.pos - half, plot.left() - 6, 2 * half),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tick.text)
        painter.setPen(self.colours.alliance)
        for tick in geo.alliance_ticks:
            painter.drawText(QRectF(plot.right() + 6, tick.pos - half, 60, 2 * half),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, tick.text)
        painter.setPen(QPen(text, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        row = plot.bottom() + 6
        for tick in geo.x_ticks:
            painter.drawLine(QPointF(tick.pos, plot.bottom()), QPointF(tick.pos, plot.bottom() + 4))
            self._centred(painter, tick.pos, row, tick.text)
        for tick in geo.year_ticks:
            self._centred(painter, tick.pos, row + metrics.height(), tick.text)

    def _centred(self, painter: QPainter, x: float, y: float, label: str) -> None:
        w = painter.fontMetrics().horizontalAdvance(label)
        left = min(max(x - w / 2, 0), self.width() - w)
        painter.drawText(QRectF(left, y, w + 1, painter.fontMetrics().height()),
                         Qt.AlignmentFlag.AlignCenter, label)

    def _alliance(self, painter: QPainter, geo: ChartLayout) -> None:
        if not geo.alliance or self.spec is None:
            return
        painter.setPen(QPen(self.colours.alliance, 1.6, Qt.PenStyle.DotLine))
        path = QPainterPath(QPointF(*geo.alliance[0]))
        for x, y in geo.alliance[1:]:
            path.lineTo(x, y)
        painter.drawPath(path)
        for i, (x, y) in enumerate(geo.alliance):
            painter.setPen(QPen(self.colours.alliance, 1))
            painter.setBrush(self.colours.alliance)
            painter.drawRect(QRectF(x - 3.5, y - 3.5, 7, 7))
            if i in self.spec.alliance_flagged:  # a drop or a low item: ringed like a flagged score
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(self.colours.alliance, 2, Qt.PenStyle.DashLine))
                painter.drawEllipse(QPointF(x, y), 9, 9)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _scores(self, painter: QPainter, geo: ChartLayout) -> None:
        if not geo.points or self.spec is None:
            return
        painter.setPen(QPen(self.colours.score, 2.2))
        path = QPainterPath(QPointF(*geo.points[0]))
        for x, y in geo.points[1:]:
            path.lineTo(x, y)
        painter.drawPath(path)
        for i, (x, y) in enumerate(geo.points):
            centre = QPointF(x, y)
            if i == geo.baseline_index:  # a diamond: the baseline the corridor is drawn around
                diamond = QPainterPath(QPointF(x, y - 7))
                for px, py in ((x + 7, y), (x, y + 7), (x - 7, y)):
                    diamond.lineTo(px, py)
                diamond.closeSubpath()
                painter.setPen(QPen(self.colours.score, 1.5))
                painter.setBrush(self.palette().base())
                painter.drawPath(diamond)
            else:
                painter.setPen(QPen(self.colours.score, 1.5))
                painter.setBrush(self.colours.score)
                painter.drawEllipse(centre, 4.5, 4.5)
            if i in self.spec.flagged:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(self.colours.risk, 2))
                painter.drawEllipse(centre, 9, 9)
                font = QFont(painter.font())
                font.setBold(True)
                painter.save()
                painter.setFont(font)
                painter.drawText(QRectF(x + 8, y - 24, 14, 16), Qt.AlignmentFlag.AlignCenter, "!")
                painter.restore()
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _legend(self, painter: QPainter, geo: ChartLayout, text: QColor) -> None:
        metrics = painter.fontMetrics()
        h = metrics.height()
        swatch = h * 1.6
        for n, row in enumerate(geo.legend):
            y = 8 + n * h * 1.4
            mid = y + h / 2
            for x, kind, label in row:
                self._swatch(painter, kind, x, mid, swatch)
                painter.setPen(text)
                painter.drawText(QRectF(x + swatch + 6, y, metrics.horizontalAdvance(label) + 2, h),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)

    def _swatch(self, painter: QPainter, kind: str, x: float, mid: float, w: float) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if kind == "line":
            painter.setPen(QPen(self.colours.score, 2.2))
            painter.drawLine(QPointF(x, mid), QPointF(x + w, mid))
            painter.setBrush(self.colours.score)
            painter.drawEllipse(QPointF(x + w / 2, mid), 3.5, 3.5)
        elif kind == "baseline":
            painter.setPen(QPen(self.colours.score, 1.5))
            c = x + w / 2
            path = QPainterPath(QPointF(c, mid - 6))
            for px, py in ((c + 6, mid), (c, mid + 6), (c - 6, mid)):
                path.lineTo(px, py)
            path.closeSubpath()
            painter.drawPath(path)
        elif kind == "caseness":
            painter.setPen(QPen(self.colours.caseness, 1.6, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, mid), QPointF(x + w, mid))
        elif kind == "corridor":
            painter.fillRect(QRectF(x, mid - 5, w, 10), CORRIDOR)
            painter.setPen(QPen(CORRIDOR_EDGE, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, mid - 5), QPointF(x + w, mid - 5))
            painter.drawLine(QPointF(x, mid + 5), QPointF(x + w, mid + 5))
        elif kind == "risk":
            painter.setPen(QPen(self.colours.risk, 2))
            painter.drawEllipse(QPointF(x + w / 2, mid), 6, 6)
        elif kind == "alliance":
            painter.setPen(QPen(self.colours.alliance, 1.6, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, mid), QPointF(x + w, mid))
            painter.setBrush(self.colours.alliance)
            painter.drawRect(QRectF(x + w / 2 - 3.5, mid - 3.5, 7, 7))
        painter.setBrush(Qt.BrushStyle.NoBrush)

    # -- tooltips --------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos().x(), event.pos().y())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tip_at(self, x: float, y: float) -> str:
        geo, spec = self.geometry_ or self.layout_now(), self.spec
        if geo is None or spec is None:
            return ""
        i = nearest_point(geo.points, x, y, 12)
        if i is not None:
            when, total = spec.points[i]
            extra = " — baseline" if i == geo.baseline_index else ""
            extra += " — risk item endorsed" if i in spec.flagged else ""
            return f"{spec.title} {total} on {when.isoformat()}{extra}"
        j = nearest_point(geo.alliance, x, y, 12)
        if j is not None:
            when, mean = spec.alliance[j]
            flagged = " — flagged" if j in spec.alliance_flagged else ""
            return f"Alliance mean {mean:.1f} of {spec.alliance_max} on {when.isoformat()}{flagged}"
        return ""
