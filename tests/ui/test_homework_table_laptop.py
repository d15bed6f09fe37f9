"""The Homework tab on the most common laptop screen (1366×768, beside the client list): every column
of the homework table is on screen, none hidden to fit and none reached by scrolling sideways, and
what the merged columns hold reads in them (the goal under the homework, the note it was assigned in
under the date, an ended homework under how often it repeats)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from notesdesk.core.domain.care import CheckinStatus, Homework, Recurrence
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.services import care, clients, notes
from notesdesk.ui.main_window import MainWindow
from tests.ui.workspace_demo import populate

LAPTOP = (1366, 768)
LONG = "Ten minutes of guided breathing practice each morning before leaving for the bus stop"


@pytest.fixture
def homework_tab(qtbot, ctx, relaunch):
    robin = clients.add_client(ctx.uow(), Client(name="Robin Example"))
    populate(ctx, robin.id)
    signed = next(n for n in notes.list_notes(ctx.uow(), robin.id) if n.is_signed)
    walk = care.add_homework(ctx.uow(), Homework(robin.id, LONG, signed.session_date,
                                                 recurrence=Recurrence.WEEKLY, assigned_in_note=signed.id,
                                                 due_date=today() + timedelta(days=30)))
    care.check_in(ctx.uow(), walk.id, CheckinStatus.NOT_DONE, today(), "Forgot")
    ended = care.add_homework(ctx.uow(), Homework(robin.id, "Sleep diary", today() - timedelta(days=40)))
    care.update_homework(ctx.uow(), replace(ended, active=False))
    window = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(robin.id)
    window.resize(*LAPTOP)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == LAPTOP)
    workspace = window.host.workspace
    workspace.tabs.setCurrentWidget(workspace.homework_tab)
    qtbot.waitUntil(workspace.homework_tab.view.isVisible)
    yield workspace.homework_tab
    window._shut = True  # no backup or relaunch when the test closes it


def _on_screen(view, column: int) -> bool:
    header = view.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return (not view.isColumnHidden(column) and header.sectionSize(column) > 0 and left >= 0
            and left + header.sectionSize(column) <= view.viewport().width())


def test_every_column_of_the_homework_table_is_on_screen_at_1366_by_768(homework_tab, qtbot):
    view, model = homework_tab.view, homework_tab.model
    columns = range(model.columnCount())
    qtbot.waitUntil(lambda: all(_on_screen(view, c) for c in columns))
    assert view.horizontalScrollBar().maximum() == 0 and view.hidden_columns() == []
    assert not view.hidden_note.isVisible()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in columns]
    assert titles == ["Homework", "Assigned", "Due", "Repeats", "Last check-in"]


def test_what_the_merged_columns_hold_is_read_in_the_table(homework_tab, qtbot):
    model = homework_tab.model
    by_text = {h.description: model.row_of(h.id) for h in model.rows()}
    breathing = by_text["Paced breathing, 10 minutes"]
    cell = model.index(breathing, model.COL_DESCRIPTION).data()
    lines = cell.splitlines()
    assert lines[0] == "Paced breathing, 10 minutes" and lines[1].startswith("Goal: Ride ")
    walk = by_text[LONG]  # the note it was assigned in: named under the date it was assigned
    assigned = model.index(walk, model.COL_ASSIGNED).data().splitlines()
    assert len(assigned) == 2 and assigned[1].startswith("in ") and "(signed)" in assigned[1]
    assert model.index(walk, model.COL_RECURRENCE).data() == "weekly"
    assert model.index(walk, model.COL_LAST).data().splitlines() == [today().isoformat(), "not done"]
    diary = by_text["Sleep diary"]
    assert model.index(diary, model.COL_RECURRENCE).data().splitlines() == ["once", "ended"]
    assert model.index(diary, model.COL_LAST).data() == "none yet"


def _header_shows(view) -> bool:
    """The column titles are painted above the rows, not covered by them."""
    header, rows = view.horizontalHeader(), view.viewport().geometry()
    return (header.isVisible() and header.height() > 0 and header.geometry().top() >= 0
            and rows.top() > header.geometry().bottom())


def test_the_column_titles_show_above_the_rows(homework_tab, qtbot):
    # Nothing hidden to fit at this size: the margin the foot note leaves was taking the titles' room too.
    qtbot.waitUntil(lambda: homework_tab.view.hidden_columns() == [])
    homework_tab.reload()  # as after assigning or checking in: the rows are read again and fitted
    assert _header_shows(homework_tab.view)
    assert _header_shows(homework_tab.checkins_view)


def test_the_column_titles_show_with_columns_hidden_to_fit(homework_tab, qtbot):
    window = homework_tab.window()
    window.resize(1024, 700)  # narrower than the laptop: some columns give way, the foot note names them
    qtbot.waitUntil(lambda: homework_tab.view.hidden_columns() != [])
    homework_tab.reload()
    view = homework_tab.view
    assert view.hidden_note.isVisible() and _header_shows(view)
    # and the note sits below the last row's room, inside the frame
    assert view.viewport().geometry().bottom() < view.hidden_note.geometry().top()
