"""Dark mode (issue 15, item 10): the trend chart takes its colours from the palette. Under a dark
palette its text stays readable over every band (WCAG 4.5:1) and its lines and marks stand out from
the background (3:1); the fixed pale bands it drew before fail that test."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QColor, QPalette

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.services.measures import history_rows
from notesdesk.ui.widgets.ink import contrast
from notesdesk.ui.workspace.measures.chart import TrendChart, band_colour, chart_colours
from notesdesk.ui.workspace.measures.data import chart_spec


def palette(base: str, text: str) -> QPalette:
    result = QPalette()
    for role, colour in ((QPalette.ColorRole.Base, base), (QPalette.ColorRole.Window, base),
                         (QPalette.ColorRole.Text, text), (QPalette.ColorRole.WindowText, text)):
        result.setColor(role, QColor(colour))
    return result


DARK, LIGHT = palette("#202124", "#e8eaed"), palette("#ffffff", "#1b1b1b")


@pytest.mark.parametrize("shown", [DARK, LIGHT], ids=["dark", "light"])
def test_text_is_readable_on_every_band_and_the_marks_stand_out(shown: QPalette) -> None:
    colours = chart_colours(shown)
    for severity in (0.0, 0.25, 0.5, 0.75, 1.0):
        assert contrast(colours.text, band_colour(severity, colours)) >= 4.5
    for mark in (colours.score, colours.alliance, colours.caseness, colours.risk):
        assert contrast(mark, colours.base) >= 3.0


def test_the_old_fixed_colours_fail_under_a_dark_palette() -> None:
    colours = chart_colours(DARK)
    assert contrast(colours.text, band_colour(0.5)) < 4.5  # a pale band under light text
    assert contrast(QColor("#1f4e79"), colours.base) < 3.0  # the light palette's score ink


def test_the_chart_paints_on_the_dark_background(qtbot) -> None:
    given = [MeasureAdministration("c", "phq9", date(2026, 1, 16) + timedelta(weeks=4 * i), answers)
             for i, answers in enumerate([(3, 3, 3, 2, 2, 2, 1, 1, 1), (1, 1, 1, 1, 0, 0, 1, 0, 0)])]
    rows = history_rows(given)
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.setPalette(DARK)
    instrument = rows[0].instrument
    assert instrument is not None
    chart.set_spec(chart_spec(rows, instrument))
    chart.resize(720, 340)
    image = chart.grab().toImage()
    assert chart.colours.dark
    assert QColor(image.pixel(2, image.height() - 2)) == QColor("#202124")


def test_the_demo_strip_is_readable_in_any_palette() -> None:
    from notesdesk.ui.widgets.demo import TINT

    assert contrast(TINT, QColor("white")) >= 4.5  # its own colours: white on violet
