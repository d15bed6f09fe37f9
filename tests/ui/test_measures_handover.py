"""Handing the laptop to the client from the real main window: the record is covered and out of reach
until the clinician takes it back; answer buttons show their whole wording on a 1024-wide window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients
from notesdesk.ui.lifecycle.os_lock import SystemLockWatcher
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.workspace.measures.handover import IN_PROGRESS
from notesdesk.ui.workspace.measures.options import OPTION_SCALE, OptionButton, scaled_font
from tests.ui.screen_text import visible_text

NAMES = ("Ana Lima", "Bruno Costa")


def open_measures(qtbot, ctx, relaunch, width: int = 1280, height: int = 800):
    ids = [clients.add_client(ctx.uow(), Client(name=name)).id for name in NAMES]
    window = MainWindow(ctx, relaunch=relaunch, system_lock=SystemLockWatcher(bus_signals=()))
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.search_keeper.building)
    window.panel.select_client(ids[0])
    workspace = window.host.workspace
    workspace.tabs.setCurrentWidget(workspace.measures_tab)
    return window, workspace.measures_tab


def test_the_record_is_covered_and_out_of_reach_while_the_client_has_the_laptop(qtbot, ctx, relaunch):
    window, tab = open_measures(qtbot, ctx, relaunch)
    assert all(name in visible_text() for name in NAMES)
    qtbot.mouseClick(tab.client_button, Qt.MouseButton.LeftButton)
    client = tab.client_window
    assert client is not None and client.isVisible()
    assert not any(name in visible_text() for name in NAMES)  # no client's name anywhere on screen
    assert not window.panel.isVisible() and not window.host.isVisible()
    assert tab.cover is not None and tab.cover.isVisible() and IN_PROGRESS in visible_text()
    assert tab.cover.geometry() == window.rect()
    # Application-modal: Qt hands no click or key to the main window, even out of full screen.
    assert client.windowModality() == Qt.WindowModality.ApplicationModal
    assert QApplication.activeModalWidget() is client
    client.showNormal()
    assert QApplication.activeModalWidget() is client and not any(n in visible_text() for n in NAMES)

    qtbot.mouseClick(client.take_back_button, Qt.MouseButton.LeftButton)
    assert tab.client_window is None and QApplication.activeModalWidget() is None
    assert window.panel.isVisible() and all(name in visible_text() for name in NAMES)
    assert tab.isVisible() and tab.stack.currentWidget() is tab.admin
    window.shutdown()


def test_every_answer_shows_its_whole_wording_at_1024_wide(qtbot, ctx, relaunch):
    window, tab = open_measures(qtbot, ctx, relaunch, width=1024, height=640)
    tab.all_on_one.setChecked(True)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    form = tab.form
    for row in form.all_rows:
        row.buttons[2].click()  # chosen answers are bold: the widest the words get
    bold = QFontMetrics(scaled_font(form, OPTION_SCALE, bold=True))

    def whole(button: OptionButton) -> None:  # once laid out in bold
        label = button.label
        assert label.text() == button.text()  # the full wording, never elided
        longest = max(bold.horizontalAdvance(word) for word in label.text().split())
        assert longest <= label.width(), label.text()  # no word cut
        needed = bold.boundingRect(0, 0, label.width(), 10_000,
                                   int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                                   label.text()).height()
        assert needed <= label.height(), label.text()  # no line cut off at the bottom
        assert label.geometry().right() < button.width() and label.geometry().bottom() < button.height()

    buttons = [button for row in form.all_rows for button in row.buttons]
    assert all(isinstance(button, OptionButton) for button in buttons) and len(buttons) >= 9 * 4
    def all_whole() -> None:
        for button in buttons:
            whole(button)

    qtbot.waitUntil(all_whole)
    assert form.all_rows[0].buttons[2].label.font().bold()
    window.shutdown()
