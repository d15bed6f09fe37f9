"""The trend chart as a clinician reads it: the axis runs to the instrument's real maximum, band names are
never hidden under a point, and the alliance box is only ticked when there is an alliance to show."""

from __future__ import annotations

from datetime import date, timedelta

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.common import today
from notesdesk.core.services import measures
from notesdesk.core.services.measures import history_rows
from notesdesk.ui.workspace.measures.data import chart_spec
from notesdesk.ui.workspace.measures.geometry import MARKER, PAD, layout_chart, with_range_ends

pytest_plugins = ["tests.ui.workspace_fixtures"]

DAY = date(2026, 1, 16)


def text_width(text: str) -> float:
    return 7.0 * len(text)


def spec_for(instrument: str, answers: list[tuple[int, ...]]):
    given = [MeasureAdministration("c", instrument, DAY + timedelta(weeks=4 * i), a)
             for i, a in enumerate(answers)]
    rows = history_rows(given)
    assert rows[0].instrument is not None
    return chart_spec(rows, rows[0].instrument)


def test_the_score_axis_is_labelled_up_to_the_instruments_maximum():
    gad7 = spec_for("gad7", [(2, 2, 2, 2, 2, 2, 1), (1, 1, 1, 1, 1, 1, 0)])
    assert (gad7.lo, gad7.hi) == (0, 21)
    geo = layout_chart(gad7, 800, 360, text_width, 14)
    labels = [t.text for t in geo.y_ticks]
    assert labels[0] == "0" and labels[-1] == "21"  # not 20: a GAD-7 total can be 21
    assert abs(geo.y_ticks[-1].pos - geo.plot.y) < 1e-6  # at the top of the plot
    phq9 = spec_for("phq9", [(3, 3, 3, 2, 2, 2, 1, 1, 1), (1, 1, 1, 1, 0, 0, 1, 0, 0)])
    assert [t.text for t in layout_chart(phq9, 800, 360, text_width, 14).y_ticks][-1] == "27"
    # A round tick that would crowd the maximum gives way to it; ticks never run past the range.
    assert with_range_ends([0, 5, 10, 15, 20], 0, 21, 210, 20) == [0, 5, 10, 15, 21]
    assert with_range_ends([0, 5, 10, 15, 20, 25], 0, 27, 270, 20) == [0, 5, 10, 15, 20, 25, 27]


def test_band_names_have_a_strip_of_their_own_left_of_every_point():
    phq9 = spec_for("phq9", [(3, 3, 3, 2, 2, 2, 1, 1, 1), (2, 2, 1, 1, 1, 1, 1, 1, 0),
                            (1, 1, 1, 1, 0, 0, 1, 0, 0)])
    geo = layout_chart(phq9, 900, 360, text_width, 14)
    assert geo.baseline_index == 0
    labelled = [b for b in geo.bands if b.label_fits]
    assert [b.label for b in labelled] == ["minimal", "mild", "moderate", "moderately severe", "severe"]
    label_end = max(b.rect.x + PAD + text_width(b.label) for b in labelled)
    first_marker = min(x for x, _y in geo.points) - MARKER
    assert label_end <= first_marker  # the baseline diamond (and its risk ring) never covers a band name
    assert geo.corridor is not None and abs(geo.corridor.x - geo.points[0][0]) < 1e-6
    narrow = layout_chart(phq9, 420, 300, text_width, 14)  # no room for the strip: names left out
    assert not any(b.label_fits for b in narrow.bands)
    assert narrow.points[0][0] - narrow.plot.x < narrow.plot.w * 0.1


def test_the_alliance_box_is_unticked_and_says_why_when_there_is_no_alliance(workspace, ws_ctx, ws_client):
    measures.record_measure(ws_ctx.uow(), ws_client, "phq9", (1, 1, 1, 1, 1, 1, 1, 1, 0), on=today())
    tab = workspace.measures_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.reload()
    box = tab.alliance_check
    assert not box.isEnabled() and not box.isChecked()
    assert "No alliance checks recorded" in box.toolTip()
    measures.record_measure(ws_ctx.uow(), ws_client, "alliance", (9, 9, 9), on=today())
    tab.reload()
    assert box.isEnabled() and box.isChecked() and box.toolTip() == ""
    assert tab.chart.spec is not None and tab.chart.spec.alliance
    box.setChecked(False)  # the clinician's choice stands across reloads
    tab.reload()
    assert box.isEnabled() and not box.isChecked()
    assert tab.chart.spec is not None and not tab.chart.spec.alliance
