"""Layout of long and awkward content: tables and text that run over pages, words wider than a column.

The documents draw tables and plain text without reportlab's Table and Paragraph (see
notesdesk.core.reports.grid); these tests hold them to what a reader needs: every word printed once,
table headers repeated on the next page, nothing cut off and no document that refuses to build.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from notesdesk.core import reports
from notesdesk.core.domain.summaries import ClientSummary, ReviewRow
from notesdesk.core.reports import PdfOptions
from notesdesk.core.reports.charts import TrendChart
from notesdesk.core.reports.fonts import SANS
from notesdesk.core.reports.grid import Grid, GridLook
from notesdesk.core.reports.plaintext import TextBlock, wrap_text
from notesdesk.core.reports.styles import stylesheet
from notesdesk.core.services import summary
from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import build_practice, flat, pdf_text, phq_scorer

TODAY = date(2026, 3, 4)


@pytest.fixture
def base_summary(vault: Vault) -> ClientSummary:
    practice = build_practice(vault)
    return summary.client_summary(practice.vault.unit_of_work(), practice.client_id, measures=phq_scorer,
                                  on=TODAY)


def page_texts(data: bytes) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def test_a_long_table_runs_onto_the_next_page_with_its_header_and_every_row(
    base_summary: ClientSummary,
) -> None:
    reviews = [ReviewRow(1, TODAY - timedelta(days=7 * i), "continue", f"Review number {i:03d} kept.")
               for i in range(90)]
    pdf = reports.render_clinician_summary(replace(base_summary, reviews=tuple(reviews)), PdfOptions())
    pages = page_texts(pdf)
    with_reviews = [i for i, text in enumerate(pages) if "Review number" in text]
    assert len(with_reviews) >= 2  # the table really split
    for i in with_reviews:
        assert "Reviewed Plan Outcome Summary" in pages[i]  # the header row on every page it reaches
    printed = re.findall(r"Review number (\d{3}) kept\.", " ".join(pages))
    assert sorted(printed) == [f"{i:03d}" for i in range(90)]  # each row exactly once


def test_a_table_row_taller_than_a_page_splits_between_lines_instead_of_failing(
    base_summary: ClientSummary,
) -> None:
    sentences = " ".join(f"point-{i:03d}-noted and discussed." for i in range(400))
    reviews = [ReviewRow(1, TODAY, "revise", sentences)]
    pdf = reports.render_clinician_summary(replace(base_summary, reviews=tuple(reviews)), PdfOptions())
    text = flat(pdf_text(pdf))
    assert re.findall(r"point-(\d{3})-noted", text) == [f"{i:03d}" for i in range(400)]


def test_a_word_wider_than_its_column_is_broken_not_cut_off(base_summary: ClientSummary) -> None:
    link = "https://example.org/" + "x" * 180 + "/end-of-link"
    reviews = [ReviewRow(1, TODAY, "continue", f"See {link} for the worksheet.")]
    pdf = reports.render_clinician_summary(replace(base_summary, reviews=tuple(reviews)), PdfOptions())
    text = pdf_text(pdf)
    assert "".join(text.split()).count("x" * 180 + "/end-of-link") == 1  # all of it, on several lines


def test_wrapped_lines_fit_their_width_and_keep_the_writers_line_breaks() -> None:
    style = stylesheet()["Cell"]
    text = "First line stays first.\n\nSecond " + "word " * 60 + "x" * 120 + "\r\nlast\tline"
    lines = wrap_text(text, style, 150)
    assert lines[0] == "First line stays first."
    assert lines[-1] == "last    line"
    assert "".join(lines).count("x" * 120) == 1  # the over-long word is broken, not dropped
    assert all(stringWidth(line, style.fontName, style.fontSize) <= 150 for line in lines)
    assert "" not in lines  # table cells drop blank lines ...
    assert "" in wrap_text(text, style, 150, blank_lines=True)  # ... running text keeps them


def test_long_plain_text_splits_across_pages_without_losing_a_line(base_summary: ClientSummary) -> None:
    concerns = "\n".join(f"Concern line {i:03d}." for i in range(160))
    pdf = reports.render_clinician_summary(replace(base_summary, presenting_concerns=concerns), PdfOptions())
    text = flat(pdf_text(pdf))
    assert re.findall(r"Concern line (\d{3})\.", text) == [f"{i:03d}" for i in range(160)]


def test_a_grid_and_a_text_block_split_only_where_they_must() -> None:
    styles = stylesheet()
    grid = Grid([["a", "b"]] * 10, [100, 100], [styles["Cell"]] * 2, GridLook(), header=["A", "B"],
                header_style=styles["CellHead"])
    _w, height = grid.wrap(200, 1000)
    assert grid.split(200, height + 1) == [grid]
    first, rest = grid.split(200, height / 2)
    assert isinstance(first, Grid) and isinstance(rest, Grid)
    assert len(first.rows) + len(rest.rows) == 10 and first.header is rest.header is not None
    assert grid.split(200, 5) == []  # not even the header and one row: the whole table moves on
    block = TextBlock("one\ntwo\nthree", styles["Body"])
    block.wrap(300, 1000)
    head, tail = block.split(300, styles["Body"].leading * 2)
    assert isinstance(head, TextBlock) and isinstance(tail, TextBlock)
    assert head.lines == ["one", "two"] and tail.lines == ["three"]


@pytest.mark.parametrize("width", [150.0, 240.0, 480.0])
def test_chart_date_labels_never_run_into_each_other(width: float) -> None:
    points = [(date(2026, 1, 5) + timedelta(days=14 * i), float(20 - i % 7)) for i in range(24)]
    chart = TrendChart("GAD-7", points, width)
    chart.canv = Canvas(io.BytesIO())
    chart.draw()
    ticks = sorted((x, stringWidth(text, font, size)) for font, size, _c, x, _y, text, anchor in chart._texts
                   if anchor == "middle" and font == SANS)
    assert len(ticks) >= 2
    for (x1, w1), (x2, w2) in zip(ticks, ticks[1:], strict=False):
        assert x1 + w1 / 2 < x2 - w2 / 2  # a gap between neighbouring labels


def test_the_cutoff_label_stays_off_the_scores_line_where_there_is_room() -> None:
    """GAD-7 cut-off 10: scores that cross the line's left end leave the label room at its right end
    (it was drawn across the scores at the left whatever they did)."""
    from notesdesk.core.domain.summaries import MeasureScale
    from notesdesk.core.reports.charts import _crosses
    from notesdesk.core.reports.fonts import register_fonts

    register_fonts()  # as rendering a document does first
    points = [(date(2026, 1, 5), 18.0), (date(2026, 2, 2), 4.0), (date(2026, 3, 2), 3.0),
              (date(2026, 4, 6), 3.0)]
    scale = MeasureScale("GAD-7", 0, 21, caseness=10)  # the synthetic chart needs only the line
    chart = TrendChart("GAD-7", points, 300.0, scale, show_bands=False)
    chart.canv = Canvas(io.BytesIO())
    chart.draw()
    [(font, size, x, y, text)] = [(f, s, x, y, t) for f, s, _c, x, y, t, _a in chart._texts if "cut-off" in t]
    coords = [(chart.x_of(d), chart.y_of(v)) for d, v in points]
    assert not _crosses(coords, x - 2, y - 2, stringWidth(text, font, size) + 4, size + 3)
    assert x > chart.left + chart.plot_w / 2  # moved to the right end: the left end is crossed
