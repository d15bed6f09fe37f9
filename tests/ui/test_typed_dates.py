"""Dates and times type freely (issue 15, item 3): a whole date typed over a date field sets that
date (the year included), in ISO or the locale's order; a time field takes typed digits at once,
even while it shows --:--; text that is neither is refused, said, and changes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, Qt

from notesdesk.ui.widgets.typed import DateField, TimeField, parse_time
from notesdesk.ui.workspace.widgets import date_edit

pytest_plugins = ["tests.ui.workspace_fixtures"]


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    return widget


@pytest.mark.parametrize("typed", ["2025-03-14", "20250314", "2025/3/14", "14/03/2025"])
def test_a_whole_date_typed_is_that_date(qtbot, typed: str) -> None:
    field = date_edit("Session date", date(2026, 12, 7))
    assert isinstance(field, DateField)
    field.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    shown(qtbot, field)
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field.free.box, Qt.Key.Key_Return)
    assert field.date() == QDate(2025, 3, 14)
    assert not field.free.box.isVisible()


def test_text_that_is_not_a_date_is_refused_and_said(qtbot) -> None:
    field = shown(qtbot, date_edit("Session date", date(2026, 12, 7)))
    qtbot.keyClicks(field, "2025-02-31")
    qtbot.keyClick(field.free.box, Qt.Key.Key_Return)
    assert field.date() == QDate(2026, 12, 7)
    assert field.free.box.isVisible() and "Not a date" in field.free.problem
    qtbot.keyClick(field.free.box, Qt.Key.Key_Escape)  # Esc: back as it was
    assert not field.free.box.isVisible() and field.date() == QDate(2026, 12, 7)


def test_arrows_still_step_the_date(qtbot) -> None:
    field = shown(qtbot, DateField(QDate(2026, 12, 7)))
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.date() != QDate(2026, 12, 7) and not field.free.box.isVisible()


@pytest.mark.parametrize(("typed", "expected"), [
    ("1430", time(14, 30)), ("14:30", time(14, 30)), ("9.15", time(9, 15)), ("9", time(9, 0)),
    ("2:30 pm", time(14, 30)), ("12 am", None),
])
def test_a_time_field_showing_unset_takes_typed_digits(qtbot, typed: str, expected: time | None) -> None:
    field = shown(qtbot, TimeField("Start time"))
    assert field.value() is None and field.text() == "--:--"
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field.free.box, Qt.Key.Key_Return)
    assert field.value() == expected  # 12 am is midnight: shown as not recorded, like 00:00


def test_a_time_that_is_not_one_is_refused(qtbot) -> None:
    field = shown(qtbot, TimeField("Start time"))
    field.set_value(time(10, 0))
    qtbot.keyClicks(field, "25:00")
    qtbot.keyClick(field.free.box, Qt.Key.Key_Return)
    assert field.value() == time(10, 0) and "Not a time" in field.free.problem


def test_a_read_only_field_opens_no_box(qtbot) -> None:
    field = shown(qtbot, TimeField("Start time"))
    field.setReadOnly(True)
    qtbot.keyClicks(field, "1430")
    assert not field.free.box.isVisible() and field.value() is None


def test_parse_time_refuses_nonsense() -> None:
    for text in ("", "noon", "13 pm", "14:7", "1:2:3"):
        with pytest.raises(ValueError):
            parse_time(text)


# -- defaults and dates in the past ---------------------------------------------------------------


def test_a_target_date_starts_at_the_plan_review_which_starts_90_days_after_the_plan(workspace) -> None:
    from notesdesk.ui.workspace.plan import edit as plan_edit

    tab = workspace.plan_tab
    fields, objective = tab.fields, tab.detail.forms[plan_edit.OBJECTIVE]
    fields.effective.set_value(date(2026, 1, 5))
    fields.review_due.check.setChecked(True)
    assert fields.review_due.value() == date(2026, 4, 5)  # 90 days on
    objective.target_date.check.setChecked(True)
    assert objective.target_date.value() == date(2026, 4, 5)


def test_a_homework_due_date_starts_a_week_on(qtbot) -> None:
    from notesdesk.core.domain.common import today
    from notesdesk.ui.workspace.homework.form import HomeworkForm

    form = HomeworkForm()
    qtbot.addWidget(form)
    form.due.check.setChecked(True)
    assert form.due.value() == today() + timedelta(days=7)


def test_a_target_or_due_date_in_the_past_says_so(qtbot) -> None:
    from notesdesk.core.domain.common import today
    from notesdesk.ui.workspace.homework.form import HomeworkForm
    from notesdesk.ui.workspace.plan.forms import ObjectiveForm

    objective, homework = ObjectiveForm(), HomeworkForm()
    for form, field in ((objective, objective.target_date), (homework, homework.due)):
        qtbot.addWidget(form)
        form.show()
        field.set_value(today() + timedelta(days=3))
        assert not field.past.isVisible()
        assert isinstance(field.edit, DateField)
        qtbot.keyClicks(field.edit, (today() - timedelta(days=400)).isoformat())
        qtbot.keyClick(field.edit.free.box, Qt.Key.Key_Return)
        assert field.past.isVisible() and "past" in field.past.text()
        field.set_value(None)
        assert not field.past.isVisible()
