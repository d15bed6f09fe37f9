"""Search says what it covers (issue 15, item 8): the dialog names psychotherapy notes as searched
only in their own tab, which has its own find box; a homework or safety plan hit opens its tab."""

from __future__ import annotations

from datetime import date

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.notes import PrivateNote
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.services import notes
from notesdesk.ui.dialogs.search_dialog import SearchDialog

pytest_plugins = ["tests.ui.workspace_fixtures"]


def test_the_search_dialog_says_psychotherapy_notes_are_searched_in_their_own_tab(qtbot) -> None:
    index = SearchIndex()
    dialog = SearchDialog(lambda: index)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.scope.isVisible()
    assert "Psychotherapy notes are searched only in their own tab" in dialog.scope.text()
    assert "homework" in dialog.scope.text() and "safety plans" in dialog.scope.text()


def test_the_psychotherapy_notes_tab_finds_within_its_notes(workspace, ws_ctx, ws_client, qtbot) -> None:
    kept = [notes.add_private_note(ws_ctx.uow(), PrivateNote(ws_client, date(2026, 3, d), text))
            for d, text in ((2, "Wonder about the father's role"), (9, "Countertransference: felt rushed"),
                            (16, "Father again; the job change"))]
    tab = workspace.private_tab
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    qtbot.keyClicks(tab.find_box, "FATHER")
    assert set(tab.shown_ids()) == {kept[0].id, kept[2].id}
    tab.find_box.clear()
    tab.find_box.setText("countertransférence")  # accents aside
    assert tab.shown_ids() == [kept[1].id]
    tab.find_box.clear()
    assert len(tab.shown_ids()) == 3


def test_a_homework_or_safety_plan_hit_opens_its_tab(workspace, ws_ctx, ws_client) -> None:
    from notesdesk.core.services import care

    care.add_homework(ws_ctx.uow(), Homework(ws_client, "Morning walk", date(2026, 3, 2)))
    workspace.open_part("homework")
    assert workspace.tabs.currentWidget() is workspace.homework_tab
    workspace.open_part("safety_plan")
    assert workspace.tabs.currentWidget() is workspace.safety_tab
