"""The optional date field (date of birth, intake date): typed, picked from the calendar or left empty,
and never silently dropped when what was typed is not a date."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.errors import InvalidInput
from notesdesk.ui.dialogs.client_dialog import ClientDialog
from notesdesk.ui.widgets.dates import PLACEHOLDER, OptionalDateEdit


@pytest.fixture
def new_client(qtbot):
    def make() -> ClientDialog:
        dialog = ClientDialog(lambda client: client)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        dialog.name.setText("Zoe Briain")
        return dialog

    return make


def click_save(qtbot, dialog: ClientDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def type_into(qtbot, field: OptionalDateEdit, text: str) -> None:
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field.edit, text)


def test_an_empty_date_of_birth_says_not_recorded_and_saves_as_none(qtbot, new_client):
    dialog = new_client()
    assert dialog.dob.text() == ""
    assert dialog.dob.edit.placeholderText() == PLACEHOLDER
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert dialog.saved is not None and dialog.saved.date_of_birth is None


def test_typing_a_date_of_birth_into_the_empty_field_records_it(qtbot, new_client):
    dialog = new_client()
    type_into(qtbot, dialog.dob, "1990-02-03")
    assert dialog.dob.text() == "1990-02-03"  # not "Not recorded19900203"
    assert dialog.dob.value() == date(1990, 2, 3)
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert dialog.saved is not None and dialog.saved.date_of_birth == date(1990, 2, 3)


def test_typing_something_that_is_not_a_date_says_so_and_keeps_the_dialog_open(qtbot, new_client):
    dialog = new_client()
    type_into(qtbot, dialog.dob, "3rd Feb")
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_Return)  # Enter: the dialog's Save
    assert dialog.isVisible() and dialog.saved is None
    assert "not a date" in dialog.dob.message.text().lower()  # under the field itself
    assert "Date of birth" in dialog.message.text() and "not a date" in dialog.message.text()
    assert dialog.dob.text() == "3rd Feb"  # what was typed stays, to be corrected
    with pytest.raises(InvalidInput):
        dialog.dob.value()  # never read as "not recorded"

    click_save(qtbot, dialog)
    assert dialog.isVisible() and dialog.saved is None

    dialog.dob.edit.clear()
    assert dialog.dob.message.text() == ""  # the problem goes once the field is edited
    type_into(qtbot, dialog.dob, "1990-02-03")
    click_save(qtbot, dialog)
    assert not dialog.isVisible()
    assert dialog.saved is not None and dialog.saved.date_of_birth == date(1990, 2, 3)


def test_an_impossible_day_and_a_two_digit_year_are_problems_not_guesses(qtbot):
    field = OptionalDateEdit("Date of birth")
    qtbot.addWidget(field)
    field.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    for typed in ("1990-02-31", "03/02/90"):
        field.edit.setText(typed)
        field.edit.editingFinished.emit()
        assert "not a date" in field.problem().lower()
        with pytest.raises(InvalidInput):
            field.value()


@pytest.mark.parametrize(
    ("country", "typed"),
    [
        (QLocale.Country.UnitedKingdom, "03/02/1990"),
        (QLocale.Country.UnitedStates, "2/3/1990"),
        (QLocale.Country.UnitedKingdom, "1990/2/3"),
        (QLocale.Country.UnitedStates, "19900203"),
    ],
)
def test_the_locales_short_format_and_iso_variants_are_read_and_shown_back_as_iso(qtbot, country, typed):
    field = OptionalDateEdit("Date of birth")
    qtbot.addWidget(field)
    field.setLocale(QLocale(QLocale.Language.English, country))
    field.show()
    type_into(qtbot, field, typed)
    assert field.value() == date(1990, 2, 3)
    field.edit.editingFinished.emit()
    assert field.text() == "1990-02-03"  # no doubt left about which is the day and which the month


def test_the_date_of_birth_calendar_opens_about_thirty_years_back(qtbot, new_client):
    dialog = new_client()
    qtbot.mouseClick(dialog.dob.calendar_button, Qt.MouseButton.LeftButton)
    calendar = dialog.dob.calendar
    qtbot.waitExposed(calendar)
    assert calendar.yearShown() == today().year - 30
    picked = QDate(today().year - 30, calendar.monthShown(), 15)
    calendar.setSelectedDate(picked)
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert dialog.dob.value() == date(picked.year(), picked.month(), 15)

    # The intake date's calendar opens on this month; a date already set opens on its own month.
    qtbot.mouseClick(dialog.intake.calendar_button, Qt.MouseButton.LeftButton)
    assert (dialog.intake.calendar.yearShown(), dialog.intake.calendar.monthShown()) == (
        today().year, today().month)
    dialog.intake.calendar.hide()
    dialog.dob.set_value(date(1985, 7, 9))
    assert dialog.dob.calendar_page() == (1985, 7)


def test_editing_a_client_shows_the_recorded_date_of_birth(qtbot):
    client = Client(name="Zoe Briain", date_of_birth=date(1990, 2, 3))
    dialog = ClientDialog(lambda edited: edited, client)
    qtbot.addWidget(dialog)
    assert dialog.dob.text() == "1990-02-03"
    assert not dialog.has_changes()
