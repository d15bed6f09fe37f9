"""The Measures tab: give a PHQ-9 in session, flags and the jump buttons, history, chart geometry,
the client list and the overview."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from notesdesk.core.domain.care import MeasureAdministration
from notesdesk.core.domain.common import today
from notesdesk.core.measures import FlagKind
from notesdesk.core.services import measures
from notesdesk.core.services.overview import client_flags
from notesdesk.ui.models.client_list_model import COL_FLAGS, ClientListModel
from notesdesk.ui.workspace.measures.data import FLAG_TITLES, chart_spec, latest_lines
from notesdesk.ui.workspace.measures.geometry import (
    ChartSpec,
    layout_chart,
    legend_rows,
    nearest_point,
    place_labels,
    value_ticks,
)
from notesdesk.ui.workspace.measures.models import MeasureHistoryModel

pytest_plugins = ["tests.ui.workspace_fixtures"]

DAY = date(2024, 3, 4)


def text_width(text: str) -> float:
    return 7.0 * len(text)


def click(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.accessibleName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_tab(workspace):
    tab = workspace.measures_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.form.advance_ms = 0  # no pause between an answer and the next question
    return tab


def record(ctx, client_id: str, instrument: str, answers, on: date):
    return measures.record_measure(ctx.uow(), client_id, instrument, answers, on=on)[0]


# -- giving a questionnaire -----------------------------------------------------------------------------


def test_phq9_one_item_per_screen_with_item_9_flags_and_offers_the_next_steps(
    workspace, ws_ctx, ws_client, qtbot
):
    tab = open_tab(workspace)
    assert tab.instrument_combo.currentData() == "phq9"  # the usual first questionnaire
    click(qtbot, tab.start_button)
    form = tab.form
    assert tab.stack.currentWidget() is tab.admin and form.one_per_screen
    assert form.stem.text().startswith("Over the last 2 weeks, how often have you been bothered")
    assert form.item_label.text() == "Little interest or pleasure in doing things"
    assert "Spitzer, Williams, Kroenke" in form.licence_label.text() and form.licence_label.isVisible()
    assert [b.text() for b in form.option_buttons] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day"
    ]
    assert all(b.height() >= 44 for b in form.option_buttons)  # touch targets
    assert form.progress_label.text() == "1 of 9" and form.next_button.text() == "Skip"

    click(qtbot, form.option_buttons[0])  # answers and moves on
    click(qtbot, form.option_buttons[1])
    assert form.progress_label.text() == "3 of 9"
    click(qtbot, form.back_button)
    assert form.progress_label.text() == "2 of 9" and form.option_buttons[1].isChecked()
    click(qtbot, form.next_button)
    for _item in range(3, 9):
        click(qtbot, form.option_buttons[0])
    assert form.item_label.text().startswith("Thoughts that you would be better off dead")
    click(qtbot, form.option_buttons[1])  # item 9: several days
    assert "not scored" in form.item_label.text() and form.progress_label.text() == "One last question"
    assert not form.next_button.isVisible()
    click(qtbot, form.option_buttons[1])  # somewhat difficult (not scored)
    click(qtbot, form.finish_button)

    [row] = measures.measure_history(ws_ctx.uow(), ws_client)
    assert row.administration.answers == (0, 1, 0, 0, 0, 0, 0, 0, 1)
    assert row.administration.functional == 1 and row.score.functional == "Somewhat difficult"
    assert row.score.total == 2 and row.score.band == "minimal" and row.score.risk_flagged
    assert tab.stack.currentWidget() is tab.home
    result = tab.result
    assert result.isVisible() and "PHQ-9" in result.headline.text()
    assert "2 — minimal" in result.headline.text()
    assert result.risk_shown
    heading = result.risk.heading.text()
    assert "item 9 was answered above 0" in heading
    assert "record a risk assessment and review the safety plan" in heading
    shown = " ".join(w.text() for w in (result.headline, result.risk.heading, result.risk.message,
                                         result.risk.caveat, result.detail, result.change, result.flags)
                     if w.isVisible())
    assert "does not classify risk" in shown
    # The advice is given once: not again in the box's message, nor in the Flags box below it.
    assert (shown + tab.flags_label.text()).count("review the safety plan") == 1
    assert "see the prompt above" in tab.flags_label.text()
    for graded in ("high risk", "low risk", "moderate risk", "at risk"):
        assert graded not in shown.lower()
    assert "Difficulty (not scored): Somewhat difficult" in result.detail.text()
    assert "Risk item endorsed" in tab.flags_label.text()
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, MeasureHistoryModel.COL_FLAGS).data() == "risk item endorsed"

    click(qtbot, result.risk.safety_button)
    assert workspace.tabs.currentWidget() is workspace.safety_tab
    workspace.tabs.setCurrentWidget(tab)
    click(qtbot, result.risk.note_button)
    assert workspace.tabs.currentWidget() is workspace.notes_tab
    assert workspace.notes_tab.editor.note_id is not None and not workspace.notes_tab.editor.read_only


def test_all_on_one_page_keeps_answers_across_modes_and_never_fills_a_gap(workspace, ws_ctx, ws_client,
                                                                          qtbot):
    tab = open_tab(workspace)
    tab.instrument_combo.setCurrentIndex(tab.instrument_combo.findData("gad7"))
    tab.all_on_one.setChecked(True)
    click(qtbot, tab.start_button)
    form = tab.form
    assert not form.one_per_screen and len(form.all_rows) == 8  # 7 items + the difficulty question
    assert not form.back_button.isVisible() and form.finish_button.isVisible()
    for item, choice in ((0, 2), (1, 2), (2, 2), (4, 2), (5, 2), (6, 2)):
        form.all_rows[item].buttons[choice].click()
    assert form.progress_label.text() == "6 of 7 answered"
    assert "Not answered yet: 4" in form.unanswered_label.text()
    assert "never counted as 0" in form.unanswered_label.text()
    click(qtbot, form.single_mode_button)  # the client prefers one at a time
    assert form.one_per_screen and form.option_buttons[2].isChecked()
    form.go_to(3)
    assert not any(b.isChecked() for b in form.option_buttons)
    click(qtbot, form.all_mode_button)
    assert form.all_rows[1].buttons[2].isChecked()
    click(qtbot, form.finish_button)

    [row] = measures.measure_history(ws_ctx.uow(), ws_client)
    assert row.administration.answers == (2, 2, 2, None, 2, 2, 2)
    assert row.score.prorated and row.score.total == 14
    assert "14 — moderate (prorated)" in tab.result.headline.text()
    assert "Prorated: 1 item(s) unanswered (4)" in tab.result.detail.text()
    assert not tab.result.risk_shown


def test_every_control_of_a_started_questionnaire_is_named(workspace, qtbot):
    tab = open_tab(workspace)
    for instrument in ("phq9", "alliance"):
        tab.start(instrument_id=instrument)
        unnamed = [type(b).__name__ for b in tab.findChildren(QAbstractButton)
                   if not b.accessibleName() and type(b).__name__ != "QAbstractButton"]  # table corner
        assert unnamed == []
        click(qtbot, tab.form.stop_button)
        assert tab.stack.currentWidget() is tab.home
    assert measures.measure_history(workspace.measures_tab._ctx.uow(), workspace.client_id) == []


def test_hand_to_client_hides_the_record_until_the_clinician_takes_it_back(workspace, ws_ctx, ws_client,
                                                                           qtbot):
    record(ws_ctx, ws_client, "phq9", (2,) * 8 + (0,), today() - timedelta(days=14))
    tab = open_tab(workspace)
    tab.reload()
    click(qtbot, tab.client_button)
    window = tab.client_window
    assert window is not None and window.isVisible() and window.isWindow()
    assert tab.stack.currentWidget() is tab.handed
    assert not tab.view.isVisible() and not tab.flags_label.isVisible() and not tab.chart.isVisible()
    form = tab.form
    assert form.window() is window
    for _item in range(9):
        click(qtbot, form.option_buttons[0])
    click(qtbot, form.option_buttons[0])
    click(qtbot, form.finish_button)
    assert window.stack.currentIndex() == 1 and "hand the laptop back" in window.thanks.text()
    assert tab.stack.currentWidget() is tab.handed  # still nothing of the record on show
    click(qtbot, window.back_button)
    assert tab.client_window is None and tab.stack.currentWidget() is tab.home
    assert tab.result.isVisible() and "0 — minimal" in tab.result.headline.text()
    assert tab.model.rowCount() == 2 and form.window() is not window


def test_taking_the_questionnaire_back_half_way_keeps_the_answers(workspace, ws_ctx, ws_client, qtbot):
    tab = open_tab(workspace)
    click(qtbot, tab.client_button)
    click(qtbot, tab.form.option_buttons[2])
    click(qtbot, tab.client_window.take_back_button)  # the clinician brings it back to the tab
    assert tab.client_window is None and tab.stack.currentWidget() is tab.admin
    assert tab.form.isVisible() and tab.form.window() is workspace.window()
    assert tab.form.progress_label.text() == "2 of 9" and tab.form.answers()[0] == 2
    click(qtbot, tab.form.back_button)
    assert tab.form.option_buttons[2].isChecked()


def test_the_client_cannot_stop_or_close_and_the_clinician_is_asked_before_answers_go(
    workspace, ws_ctx, ws_client, answers, qtbot
):
    tab = open_tab(workspace)
    click(qtbot, tab.client_button)
    window, form = tab.client_window, tab.form
    assert not form.stop_button.isVisible()  # nothing on the client's screen throws answers away
    click(qtbot, form.option_buttons[1])
    assert not window.close() and window.isVisible()  # closing would strand the record behind a cover
    click(qtbot, window.take_back_button)  # "Therapist: take the laptop back", half way
    assert "Therapist" in window.take_back_button.text()
    assert tab.client_window is None and tab.stack.currentWidget() is tab.admin
    assert form.stop_button.isVisible() and form.answers()[0] == 1

    answers.answer = False  # the clinician thinks again
    click(qtbot, form.stop_button)
    assert answers.asked and "1 answer(s)" in answers.asked[-1][1]
    assert tab.stack.currentWidget() is tab.admin and form.answers()[0] == 1
    answers.answer = True
    click(qtbot, form.stop_button)
    assert tab.stack.currentWidget() is tab.home
    assert measures.measure_history(ws_ctx.uow(), ws_client) == []


def test_stopping_with_no_answers_asks_nothing(workspace, answers, qtbot):
    tab = open_tab(workspace)
    click(qtbot, tab.start_button)
    click(qtbot, tab.form.stop_button)
    assert answers.asked == [] and tab.stack.currentWidget() is tab.home


def test_the_client_reads_plain_words_about_skipped_questions(workspace, qtbot):
    tab = open_tab(workspace)
    tab.all_on_one.setChecked(True)
    click(qtbot, tab.client_button)
    form = tab.form
    form.all_rows[0].buttons[0].click()
    text = form.unanswered_label.text()
    assert form.unanswered_label.isVisible()
    assert "go back to any question you skipped" in text and "That's OK" in text
    assert "counted as 0" not in text and "Unanswered questions" not in text
    click(qtbot, tab.client_window.take_back_button)
    assert "never counted as 0" in form.unanswered_label.text()  # the clinician's wording again


def test_saving_before_a_lock_ends_the_hand_over(workspace, ws_ctx, ws_client, qtbot):
    tab = open_tab(workspace)
    click(qtbot, tab.client_button)
    click(qtbot, tab.form.option_buttons[2])
    assert not tab.isVisible()  # covered
    assert workspace.save_all_drafts()
    assert tab.client_window is None and tab.cover is None and tab.isVisible()
    [row] = measures.measure_history(ws_ctx.uow(), ws_client)
    assert row.administration.answers[0] == 2 and row.administration.comment


def test_the_trend_switches_to_the_questionnaire_just_given(workspace, ws_ctx, ws_client, qtbot):
    record(ws_ctx, ws_client, "phq9", (1,) * 9, today() - timedelta(days=30))
    record(ws_ctx, ws_client, "gad7", (1,) * 7, today() - timedelta(days=2))
    tab = open_tab(workspace)
    tab.reload()
    assert tab.chart_combo.currentData() == "gad7" and tab.chart.spec.title == "GAD-7"
    click(qtbot, tab.start_button)  # PHQ-9
    for _item in range(10):
        click(qtbot, tab.form.option_buttons[0])
    click(qtbot, tab.form.finish_button)
    assert tab.chart_combo.currentData() == "phq9" and tab.chart.spec.title == "PHQ-9"
    assert len(tab.chart.spec.points) == 2


# -- history, overview and client list -------------------------------------------------------------------


def test_history_shows_the_change_label_with_its_rule(workspace, ws_ctx, ws_client):
    record(ws_ctx, ws_client, "phq9", (3, 3, 3, 2, 2, 2, 1, 1, 1), DAY)
    record(ws_ctx, ws_client, "phq9", (1, 1, 1, 1, 0, 0, 1, 0, 0), DAY + timedelta(days=28))
    tab = open_tab(workspace)
    tab.reload()
    model = tab.model
    newest, first = 0, 1
    assert model.index(newest, MeasureHistoryModel.COL_DATE).data() == "2024-04-01"
    assert model.index(newest, MeasureHistoryModel.COL_TOTAL).data() == "5"
    assert model.index(newest, MeasureHistoryModel.COL_BAND).data() == "mild"
    change = model.index(newest, MeasureHistoryModel.COL_CHANGE).data()
    # as the printed summary words it
    assert change == "recovered on this questionnaire (baseline 18); response met"
    tip = model.index(newest, MeasureHistoryModel.COL_CHANGE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Compared with the baseline of 2024-03-04 (18 → 5)" in tip
    assert ("Recovered on this questionnaire (Jacobson & Truax): reliable improvement (a fall of at least 6 "
            "points)") in tip
    assert "Source: NHS Talking Therapies" in tip and "Remission: PHQ-9 below 5" in tip
    assert model.index(first, MeasureHistoryModel.COL_CHANGE).data() == "baseline"
    assert tab.chart_combo.currentData() == "phq9" and tab.chart.spec is not None
    assert tab.chart.spec.points == ((DAY, 18), (DAY + timedelta(days=28), 5))
    assert "2 score(s)" in tab.chart.accessibleDescription()


def test_overview_slot_shows_the_latest_score_and_flags(workspace, ws_ctx, ws_client, qtbot):
    overview = workspace.overview_tab
    assert "No outcome measures yet" in overview.measures_summary.text()
    record(ws_ctx, ws_client, "gad7", (1, 1, 1, 1, 1, 1, 1), today() - timedelta(days=7))
    tab = open_tab(workspace)
    click(qtbot, tab.start_button)
    for _item in range(9):
        click(qtbot, tab.form.option_buttons[2])
    click(qtbot, tab.form.finish_button)  # the workspace refreshes the overview after a change
    summary = overview.measures_summary.text()
    assert "<b>PHQ-9 18</b> (moderately severe)" in summary and "baseline" in summary
    assert "<b>GAD-7 7</b> (mild)" in summary
    assert summary.index("PHQ-9") < summary.index("GAD-7")
    assert "Risk item endorsed" in summary
    assert "Across questionnaires" not in summary  # each questionnaire given once: no start and end yet


def test_overview_shows_recovery_across_both_and_a_deterioration_flag(workspace, ws_ctx, ws_client):
    # PHQ-9 12 -> 21 (9 worse >= 6: deteriorating); GAD-7 6 -> 5. At the end PHQ-9 21 >= 10: not recovered.
    record(ws_ctx, ws_client, "phq9", (2, 2, 2, 2, 1, 1, 1, 1, 0), today() - timedelta(days=14))
    record(ws_ctx, ws_client, "gad7", (1, 1, 1, 1, 1, 1, 0), today() - timedelta(days=14))
    record(ws_ctx, ws_client, "gad7", (1, 1, 1, 1, 1, 0, 0), today())
    record(ws_ctx, ws_client, "phq9", (3, 3, 3, 3, 3, 2, 2, 2, 0), today())
    overview = workspace.overview_tab
    overview.measures_summary.refresh()
    summary = overview.measures_summary.text()
    assert ("Across questionnaires: not recovered (NHS Talking Therapies, PHQ-9 and GAD-7 together): still "
            "at caseness on PHQ-9 21 ≥ 10") in html.unescape(summary)
    assert "<b>Deteriorating</b> — PHQ-9 on" in summary
    assert "IAPT" in overview.measures_summary.toolTip()


def test_client_list_shows_measure_flags_from_one_unit_of_work(ws_ctx, ws_client, monkeypatch):
    record(ws_ctx, ws_client, "phq9", (0,) * 8 + (1,), today() - timedelta(days=1))
    entered = []
    kind = type(ws_ctx.uow())
    original = kind.__enter__

    def counting(self):
        entered.append(1)
        return original(self)

    monkeypatch.setattr(kind, "__enter__", counting)
    flags = client_flags(ws_ctx.uow(), [ws_client])[ws_client]
    everyone = client_flags(ws_ctx.uow())
    assert len(entered) == 2  # one unit of work per call, whatever it reads
    assert flags.labels() == ["risk item endorsed", "no safety plan"] and everyone[ws_client] == flags

    from notesdesk.core.services import clients

    model = ClientListModel()
    model.set_rows(clients.list_clients(ws_ctx.uow()), {ws_client: flags})
    cell = model.index(model.row_of(ws_client), COL_FLAGS)
    assert cell.data() == "risk item · no safety plan"
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "Risk item endorsed" in tip
    assert "PHQ-9 on" in tip and "Record a risk assessment" in tip

    record(ws_ctx, ws_client, "phq9", (0,) * 9, today())  # the latest administration decides the item
    # ... and the call for a safety plan stays until one is reviewed (tests/core/test_risk_loop.py).
    assert client_flags(ws_ctx.uow(), [ws_client])[ws_client].labels() == ["no safety plan"]


def test_a_flagged_administration_in_the_workspace_reaches_the_client_list(workspace, ws_ctx, ws_client,
                                                                          qtbot):
    from notesdesk.ui.client_panel import ClientPanel
    from notesdesk.ui.keepers.client_list import ClientListKeeper

    panel = ClientPanel([])
    qtbot.addWidget(panel)
    keeper = ClientListKeeper(ws_ctx, panel)
    with qtbot.waitSignal(panel.model.dataChanged, timeout=5000):  # the background flags arrived
        keeper.refresh()
    cell = lambda: panel.model.index(panel.model.row_of(ws_client), COL_FLAGS)  # noqa: E731
    assert cell().data() == ""
    tab = open_tab(workspace)
    click(qtbot, tab.start_button)
    for _item in range(8):
        click(qtbot, tab.form.option_buttons[0])
    click(qtbot, tab.form.option_buttons[3])  # item 9: nearly every day
    click(qtbot, tab.form.finish_button)
    qtbot.waitUntil(lambda: cell().data() == "risk item · no safety plan", timeout=5000)
    keeper.close()


def test_alliance_drop_reaches_the_client_list(ws_ctx, ws_client):
    record(ws_ctx, ws_client, "alliance", (9, 9, 9), today() - timedelta(days=7))
    record(ws_ctx, ws_client, "alliance", (9, 9, 7), today())
    flags = client_flags(ws_ctx.uow(), [ws_client])[ws_client]
    assert "alliance drop" in flags.labels() and "alliance low" not in flags.labels()


# -- chart geometry, without a window ------------------------------------------------------------------


def phq9_spec(**changes) -> ChartSpec:
    points = tuple((DAY + timedelta(days=7 * i), v) for i, v in enumerate((19, 18, 16, 14, 12, 9, 8, 6)))
    data: dict[str, Any] = dict(title="PHQ-9", lo=0, hi=27, points=points,
                bands=((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 19, "moderately severe"),
                       (20, 27, "severe")),
                caseness=10, reliable_change=6, baseline=points[0], flagged=frozenset({1}),
                alliance=tuple((d, 9.0 - (i == 3) * 2) for i, (d, _) in enumerate(points)))
    data.update(changes)
    return ChartSpec(**data)


def test_scores_map_inside_the_plot_higher_scores_higher_up():
    geo = layout_chart(phq9_spec(), 800, 360, text_width, 14)
    assert all(geo.plot.contains(x, y) for x, y in geo.points + geo.alliance)
    xs = [x for x, _ in geo.points]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    ys = [y for _, y in geo.points]
    assert ys[0] < ys[-1]  # 19 is drawn above 6
    assert geo.baseline_index == 0
    per_point = geo.plot.h / 27
    assert abs((ys[-1] - ys[0]) - 13 * per_point) < 1e-6


def test_bands_tile_the_range_on_half_points_and_caseness_sits_between_9_and_10():
    geo = layout_chart(phq9_spec(), 800, 360, text_width, 14)
    plot, unit = geo.plot, geo.plot.h / 27
    assert [b.label for b in geo.bands] == ["minimal", "mild", "moderate", "moderately severe", "severe"]
    assert [b.severity for b in geo.bands] == [0, 0.25, 0.5, 0.75, 1]
    assert abs(geo.bands[0].rect.bottom - plot.bottom) < 1e-6 and abs(geo.bands[-1].rect.y - plot.y) < 1e-6
    for lower, upper in zip(geo.bands, geo.bands[1:], strict=False):
        assert abs(lower.rect.y - upper.rect.bottom) < 1e-6  # no gap, no overlap
    assert abs(geo.bands[1].rect.y - (plot.bottom - 9.5 * unit)) < 1e-6  # mild ends at 9.5
    assert abs(geo.caseness_y - (plot.bottom - 9.5 * unit)) < 1e-6
    worse_first = layout_chart(phq9_spec(higher_is_worse=False), 800, 360, text_width, 14)
    assert [b.severity for b in worse_first.bands] == [1, 0.75, 0.5, 0.25, 0]


def test_corridor_covers_exactly_the_scores_without_reliable_change():
    spec = phq9_spec()
    assert spec.corridor() == (13.5, 24.5)  # baseline 19, reliable change needs 6: 14..24 are not reliable
    geo = layout_chart(spec, 800, 360, text_width, 14)
    unit = geo.plot.h / 27
    assert abs(geo.corridor.y - (geo.plot.bottom - 24.5 * unit)) < 1e-6
    assert abs(geo.corridor.bottom - (geo.plot.bottom - 13.5 * unit)) < 1e-6
    assert abs(geo.corridor.x - geo.points[0][0]) < 1e-6 and abs(geo.corridor.right - geo.plot.right) < 1e-6
    computed = phq9_spec(reliable_change=5.1, baseline=(DAY, 2))  # 1.96 x S_diff: 6 points are reliable
    assert computed.corridor() == (0, 7.5)  # clipped at the bottom of the range
    assert phq9_spec(baseline=None).corridor() is None


def test_alliance_has_its_own_0_to_10_axis():
    geo = layout_chart(phq9_spec(), 800, 360, text_width, 14)
    assert [t.text for t in geo.alliance_ticks][0] == "0" and geo.alliance_ticks[-1].text == "10"
    assert abs(geo.alliance_ticks[-1].pos - geo.plot.y) < 1e-6
    nine = geo.plot.bottom - 0.9 * geo.plot.h
    assert abs(geo.alliance[0][1] - nine) < 1e-6 and geo.alliance[3][1] > nine
    alone = layout_chart(phq9_spec(alliance=()), 800, 360, text_width, 14)
    assert alone.alliance_ticks == [] and alone.plot.w > geo.plot.w


def test_date_labels_never_overlap_and_keep_the_latest():
    crowded = tuple((DAY + timedelta(days=i), 10) for i in range(30))
    geo = layout_chart(phq9_spec(points=crowded, alliance=(), baseline=crowded[0]), 500, 300, text_width, 14)
    spans = [(t.pos - text_width(t.text) / 2, t.pos + text_width(t.text) / 2) for t in geo.x_ticks]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    assert geo.x_ticks[-1].text == "2 Apr" and 1 < len(geo.x_ticks) < 30
    assert [t.text for t in geo.year_ticks] == ["2024"]
    two_years = (date(2023, 12, 20), date(2024, 1, 10))
    geo = layout_chart(phq9_spec(points=tuple((d, 5) for d in two_years), alliance=(), baseline=None),
                       600, 300, text_width, 14)
    assert [t.text for t in geo.year_ticks] == ["2023", "2024"]
    assert [t.text for t in place_labels([(10, "aaaa"), (12, "bbbb"), (300, "cccc")], text_width, 0, 400)] \
        == ["aaaa", "cccc"]


def test_ticks_legend_and_hit_testing():
    assert value_ticks(0, 27, 270, 20) == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26]
    assert value_ticks(0, 27, 100, 20) == [0, 10, 20]
    entries = [("line", "PHQ-9 total"), ("caseness", "caseness ≥ 10"), ("alliance", "alliance " * 6)]
    rows = legend_rows(entries, 300, text_width, 20)
    assert len(rows) >= 2 and all(x + text_width(t) <= 300 + 200 for row in rows for x, _k, t in row)
    geo = layout_chart(phq9_spec(), 320, 260, text_width, 14)  # narrow: the legend wraps, the plot shrinks
    assert len(geo.legend) > 1 and geo.plot.y > 14 * len(geo.legend)
    assert nearest_point([(10, 10), (50, 50)], 48, 47, 8) == 1
    assert nearest_point([(10, 10)], 40, 40, 8) is None
    single = layout_chart(phq9_spec(points=((DAY, 12),), alliance=(), baseline=(DAY, 12)), 400, 300,
                          text_width, 14)
    assert single.plot.contains(*single.points[0]) and [t.text for t in single.x_ticks] == ["4 Mar"]


def test_chart_spec_and_summary_from_history_rows():
    from notesdesk.core.services.measures import history_rows

    administered = [
        MeasureAdministration("c", "phq9", DAY, (3, 3, 3, 2, 2, 2, 1, 1, 1)),
        MeasureAdministration("c", "alliance", DAY, (9, 9, 9)),
        MeasureAdministration("c", "phq9", DAY + timedelta(days=7), (2, 2, 2, 2, 2, 2, 1, 0, 0)),
        MeasureAdministration("c", "alliance", DAY + timedelta(days=7), (9, 6, 9)),
    ]
    rows = history_rows(administered)
    phq9 = rows[0].instrument
    spec = chart_spec(rows, phq9)
    assert spec.points == ((DAY, 18), (DAY + timedelta(days=7), 13)) and spec.baseline == (DAY, 18)
    assert spec.flagged == frozenset({0}) and spec.caseness == 10 and spec.reliable_change == 6
    assert spec.alliance == ((DAY, 9.0), (DAY + timedelta(days=7), 8.0))
    assert spec.alliance_flagged == frozenset({1}) and spec.alliance_max == 10
    assert chart_spec(rows, phq9, with_alliance=False).alliance == ()
    lines = latest_lines(rows)
    assert [(line.name, line.total, line.change) for line in lines] == [
        ("PHQ-9", "13", "no reliable change (baseline 18)"),
        ("Alliance check", "9/6/9", "alliance drop, alliance low"),
    ]


def test_every_flag_kind_has_a_title_for_the_overview_and_the_tab() -> None:
    # A kind without a title would stop the overview and the Measures tab from drawing any flag.
    assert set(FLAG_TITLES) == set(FlagKind)
