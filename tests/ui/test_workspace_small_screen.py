"""On a 1024x640 screen, beside the client list: each table's main text keeps a readable width and
is shown whole (it wraps; the tooltip says it all), the objectives to tick wrap rather than scroll
sideways, a signed note with no addenda says so in one line, and a note format that needs more room
gets it from the splitter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import CheckinStatus, Homework, Milestone, MilestoneKind
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.services import care, clients, notes, templates
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.workspace.milestones.tab import MIN_TITLE
from notesdesk.ui.workspace.notes.tab import NO_ADDENDA
from notesdesk.ui.workspace.widgets import scrolled
from tests.ui.workspace_demo import populate

LONG_TITLE = "Can come back into the window of tolerance within twenty minutes of a trigger"
LONG_THOUGHT = "Wonder whether the avoidance protects her from the job change her father pushed for."
LONG_REPORT = "Did it on the bus twice, the second time without getting off early; felt silly at first."


@pytest.fixture
def small(qtbot, ctx, relaunch):
    """The workspace of a client with a full record, in a 1024x640 main window."""
    robin = clients.add_client(ctx.uow(), Client(name="Robin Example"))
    populate(ctx, robin.id)
    care.add_milestone(ctx.uow(), Milestone(robin.id, MilestoneKind.SAFETY, LONG_TITLE, dimension="emotional",
                                            criteria="Distress from 8/10 to 5/10"))
    notes.add_private_note(ctx.uow(), PrivateNote(robin.id, today(), LONG_THOUGHT + "\nSecond line."))
    bus = care.add_homework(ctx.uow(), Homework(robin.id, "Ride four stops", today() - timedelta(days=3)))
    care.check_in(ctx.uow(), bus.id, CheckinStatus.DONE, today(), LONG_REPORT)
    window = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(robin.id)
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1024, 640))
    yield window.host.workspace
    window._shut = True  # no backup or relaunch when the test closes it


def show_tab(qtbot, workspace, tab):
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(tab.isVisible)


def shown_whole(view: QAbstractItemView, index: QModelIndex) -> bool:
    """The cell's text, wrapped to its width, fits in the cell: nothing cut off or elided."""
    cell = view.visualRect(index)
    room = QRect(0, 0, cell.width() - 8, 10_000)  # less the cell's margins
    text = view.fontMetrics().boundingRect(room, Qt.TextFlag.TextWordWrap, index.data())
    return text.width() <= cell.width() and text.height() <= cell.height()


def readable(view, column: int, least: int) -> None:
    assert not view.isColumnHidden(column)
    assert view.columnWidth(column) >= least
    assert view.horizontalScrollBar().maximum() == 0  # no sideways scrolling to reach it
    right = view.columnViewportPosition(column) + view.columnWidth(column)
    assert right <= view.viewport().width()


def test_milestone_titles_stay_readable_and_whole(small, qtbot):
    tab = small.milestones_tab
    show_tab(qtbot, small, tab)
    view, model = tab.views[MilestoneKind.SAFETY], tab.models[MilestoneKind.SAFETY]
    qtbot.waitUntil(lambda: readable(view, model.COL_TITLE, MIN_TITLE))  # once laid out at its size
    assert not view.isColumnHidden(model.COL_STATUS)  # the status is never given up
    row = next(r for r in range(model.rowCount()) if model.row_at(r).title == LONG_TITLE)
    title = model.index(row, model.COL_TITLE)
    qtbot.waitUntil(lambda: shown_whole(view, title))
    tip = title.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(LONG_TITLE + "\nCriteria: Distress from 8/10 to 5/10")
    assert "Dimension: emotional" in tip and "Status: planned" in tip  # what a hidden column would say

    view.selectRow(row)
    history, changes = tab.history_view, tab.history_model
    qtbot.waitUntil(lambda: changes.rowCount() > 0)  # the milestone's history is shown
    qtbot.waitUntil(lambda: readable(history, changes.COL_COMMENT, 100))
    qtbot.waitUntil(lambda: all(shown_whole(history, changes.index(r, changes.COL_COMMENT))
                                for r in range(changes.rowCount())))


def test_a_psychotherapy_note_shows_its_beginning_and_the_whole_first_line_on_hover(small, qtbot):
    tab = small.private_tab
    show_tab(qtbot, small, tab)
    view, model = tab.view, tab.model
    qtbot.waitUntil(lambda: readable(view, model.COL_PREVIEW, 150))
    preview = model.index(0, model.COL_PREVIEW)
    assert preview.data().startswith("Wonder whether the avoidance")
    qtbot.waitUntil(lambda: shown_whole(view, preview))
    assert preview.data(Qt.ItemDataRole.ToolTipRole) == LONG_THOUGHT


def test_the_change_from_baseline_is_shown_whole_in_the_score_history(small, qtbot):
    tab = small.measures_tab
    show_tab(qtbot, small, tab)
    view, model = tab.view, tab.model
    qtbot.waitUntil(lambda: readable(view, model.COL_CHANGE, 180))
    for column in (model.COL_DATE, model.COL_INSTRUMENT, model.COL_TOTAL, model.COL_FLAGS):
        assert not view.isColumnHidden(column)
    for row in range(model.rowCount()):
        change = model.index(row, model.COL_CHANGE)
        assert change.data() and shown_whole(view, change)
        assert change.data(Qt.ItemDataRole.ToolTipRole).startswith(change.data())  # then the rule behind it


def test_the_clients_report_of_a_check_in_is_shown_whole(small, qtbot):
    tab = small.homework_tab
    show_tab(qtbot, small, tab)
    bus = next(h for h in tab.model.rows() if h.description == "Ride four stops")
    tab.view.selectRow(tab.model.row_of(bus.id))
    view, model = tab.checkins_view, tab.checkins_model
    qtbot.waitUntil(lambda: model.rowCount() > 0)  # its check-ins are shown
    qtbot.waitUntil(lambda: readable(view, model.COL_REPORT, 150))
    report = model.index(0, model.COL_REPORT)
    assert report.data() == LONG_REPORT
    qtbot.waitUntil(lambda: shown_whole(view, report))
    assert report.data(Qt.ItemDataRole.ToolTipRole) == LONG_REPORT


def test_objectives_to_tick_wrap_in_a_draft_rather_than_scroll_sideways(small, qtbot):
    tab = small.notes_tab
    show_tab(qtbot, small, tab)
    tab.new_note()
    ticks = tab.editor.links.objectives
    assert ticks.count() == 4  # the active plan's objectives

    def wrapped() -> None:  # once the new draft's form is laid out
        assert ticks.width() >= 300  # under its label, in the whole width of the form
        assert ticks.horizontalScrollBar().maximum() == 0 and not ticks.horizontalScrollBar().isVisible()
        width = ticks.viewport().width()
        for row in range(ticks.count()):
            item = ticks.item(row)
            assert ticks.visualItemRect(item).right() < width
            assert shown_whole(ticks, ticks.indexFromItem(item))  # wrapped, not cut at the right
        line = ticks.fontMetrics().lineSpacing()
        assert ticks.height() <= line * ticks.MOST_LINES + 2 * ticks.frameWidth() + 4  # a sensible height
        if ticks.verticalScrollBar().maximum() == 0:  # when it all fits, nothing is left below
            shown = ticks.visualItemRect(ticks.item(ticks.count() - 1))
            assert shown.bottom() < ticks.viewport().height()

    qtbot.waitUntil(wrapped)


def test_a_signed_note_without_addenda_says_so_in_one_line(small, qtbot):
    tab = small.notes_tab
    show_tab(qtbot, small, tab)
    listed, status = tab.model, tab.model.COL_STATUS
    said = {listed.index(r, status).data(): listed.row_at(r).id for r in range(listed.rowCount())}
    small.open_note(said["Signed"])  # no addenda
    box = tab.addenda.view
    assert box.toPlainText() == NO_ADDENDA
    one_line = 2 * box.fontMetrics().lineSpacing() + 2 * box.frameWidth() + 4
    qtbot.waitUntil(lambda: box.isVisible() and box.height() < one_line)

    small.open_note(said["Signed\n1 addendum"])
    assert "station walk was with her sister" in box.toPlainText()
    qtbot.waitUntil(lambda: box.verticalScrollBar().maximum() == 0)  # a short addendum: whole, no scrolling


def test_a_long_heading_in_ones_own_template_wraps_rather_than_widening_the_window(small, qtbot):
    wide = "What the client noticed about sleep, panic, avoidance and the exposure steps this week"
    templates.save_template(small.notes_tab._ctx.uow(), templates.make_template("Exposure", [wide, "Plan"]))
    tab = small.notes_tab
    tab.refresh_templates()
    show_tab(qtbot, small, tab)
    area = next(a for a in tab.findChildren(QScrollArea) if a.accessibleName() == "Note editor")
    tab.new_note()
    combo = tab.editor.format_combo
    combo.setCurrentIndex(combo.findData("template:Exposure"))
    combo.activated.emit(combo.currentIndex())
    assert [title for _key, title in tab.editor.sections.titles] == [wide, "Plan"]

    def fits() -> None:  # once the new sections are shown, which lays them out
        assert all(edit.isVisible() for edit in tab.editor.section_edits.values())
        assert small.window().width() == 1024  # the window did not grow to fit the heading on one line
        assert area.widget().width() <= area.viewport().width()  # nothing cut off at the right
        sign = tab.editor.sign_button
        assert sign.mapTo(area.viewport(), sign.rect().topRight()).x() < area.viewport().width()

    qtbot.waitUntil(fits)


def test_a_scroll_area_whose_content_needs_more_width_gets_it_from_its_splitter(qtbot):
    inner = QWidget()
    column = QVBoxLayout(inner)
    column.addWidget(QLabel("A short form"))
    wide = QPushButton("A button with a long label that only some note formats show " * 2)
    wide.hide()
    column.addWidget(wide)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(QLabel("The list"))
    area = scrolled(inner, "Editor")
    splitter.addWidget(area)
    qtbot.addWidget(splitter)
    splitter.resize(1000, 300)
    splitter.setSizes([900, 100])
    splitter.show()
    qtbot.waitExposed(splitter)
    qtbot.waitUntil(lambda: area.width() == splitter.sizes()[1])  # laid out as the splitter says
    assert area.width() < wide.sizeHint().width()

    wide.show()  # another format: a wider minimum inside
    qtbot.waitUntil(lambda: area.width() >= area.minimumSizeHint().width())
    assert area.viewport().width() >= wide.sizeHint().width()  # the button is not cut off at the right
    assert area.horizontalScrollBar().maximum() == 0


def test_the_notes_list_keeps_its_width_when_a_note_gets_an_addendum(qtbot, ctx, relaunch):
    """Issue 15 item 5: the list beside the editor does not widen when "1 addendum" appears under
    a note's status; it was wide enough for it from the start."""
    from notesdesk.core.domain.notes import AddendumKind, NoteFormat, SessionNote
    from notesdesk.ui.session import Kind
    from tests.signer import ready_to_sign

    ready_to_sign(ctx.vault)
    robin = clients.add_client(ctx.uow(), Client(name="Robin Example"))
    ids = []
    for days in (14, 7):
        note = SessionNote(client_id=robin.id, session_date=today() - timedelta(days=days),
                           format=NoteFormat.FREE,
                           sections=notes.build_sections(NoteFormat.FREE, {"text": "Synthetic"}))
        ids.append(notes.sign_note(ctx.uow(), notes.create_note(ctx.uow(), note).id).id)
    window = MainWindow(ctx, relaunch=relaunch)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(robin.id)
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1024, 640))
    workspace = window.host.workspace
    tab = workspace.notes_tab
    show_tab(qtbot, workspace, tab)
    view = tab.view
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2 and view.width() > 0)
    width, least = view.width(), view.minimumSizeHint().width()

    ctx.session.for_client(robin.id).write(notes.add_addendum, ids[0], AddendumKind.CLARIFICATION,
                                           "Synthetic addition", change=Kind.NOTE, object_id=ids[0])
    status = tab.model.COL_STATUS
    qtbot.waitUntil(lambda: "1 addendum" in {tab.model.index(r, status).data() and
                                             tab.model.index(r, status).data().split("\n")[-1]
                                             for r in range(tab.model.rowCount())})
    assert view.minimumSizeHint().width() == least  # nothing asks the splitter for more room
    window.layout().activate()
    assert view.width() == width
    window._shut = True  # no backup or relaunch when the test closes it
