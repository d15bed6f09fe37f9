"""The search window: clients by name, the real number of matches, and a way on when nothing is found."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.search.index import COUNT_CAP, SearchIndex
from notesdesk.core.services import notes
from notesdesk.ui.dialogs.search_dialog import CLIENT_HINT, NOTHING_FOUND, SearchDialog

KWAME = Client(name="Kwame Boateng", preferred_name="Kofi")


def _index(weeks: int = 0) -> SearchIndex:
    index = SearchIndex()
    index.set_clients([KWAME])
    start = date(2025, 1, 6)
    for week in range(weeks):
        sections = notes.build_sections(NoteFormat.FREE, {"text": f"Sleep diary reviewed, week {week}."})
        index.put_note(SessionNote(client_id=KWAME.id, session_date=start + timedelta(weeks=week),
                                   format=NoteFormat.FREE, sections=sections))
    return index


def _search(qtbot, dialog: SearchDialog, text: str) -> None:
    qtbot.keyClicks(dialog.query, text)
    dialog.refresh()  # as after the typing pause


def test_past_the_limit_the_real_count_is_given(qtbot):
    index = _index(weeks=312)
    dialog = SearchDialog(lambda: index)
    qtbot.addWidget(dialog)
    _search(qtbot, dialog, "sleep")
    assert len(dialog.hits()) == 50
    assert dialog.status.text() == "312 found, newest first; showing the first 50 — narrow the search."
    assert dialog.hits()[0].day == date(2025, 1, 6) + timedelta(weeks=311)
    dialog.query.clear()
    _search(qtbot, dialog, "week 299")  # words match as prefixes: 299 only
    assert dialog.status.text() == "1 found, newest first."


def test_past_the_count_cap_it_says_more_than(qtbot):
    index = _index(weeks=COUNT_CAP + 1)
    dialog = SearchDialog(lambda: index)
    qtbot.addWidget(dialog)
    _search(qtbot, dialog, "sleep")
    assert dialog.status.text() == (
        f"More than {COUNT_CAP} found, newest first; showing the first 50 — narrow the search."
    )


def test_nothing_found_points_to_the_client_list_filter(qtbot):
    index = _index()
    dialog = SearchDialog(lambda: index)
    qtbot.addWidget(dialog)
    _search(qtbot, dialog, "Mensah")
    assert dialog.hits() == [] and dialog.status.text() == NOTHING_FOUND and "(Ctrl+F)" in NOTHING_FOUND


def test_a_client_found_by_surname_opens_that_client(qtbot):
    index = _index(weeks=2)
    dialog = SearchDialog(lambda: index)
    qtbot.addWidget(dialog)
    opened: list[str] = []
    dialog.sig_open_client.connect(opened.append)
    dialog.sig_open_hit.connect(lambda hit: opened.append(f"hit {hit.kind}"))
    dialog.show()
    _search(qtbot, dialog, "Boateng")
    [hit] = dialog.hits()
    assert hit.kind == "client"
    assert dialog.model.index(0, 0).data().startswith("Kwame Boateng · Client\n")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert opened == [KWAME.id] and not dialog.isVisible()


def test_a_client_hit_with_nothing_to_open_it_says_how_to_find_the_client(qtbot):
    index = _index()
    dialog = SearchDialog(lambda: index)
    qtbot.addWidget(dialog)
    dialog.show()
    _search(qtbot, dialog, "Kofi")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.status.text() == CLIENT_HINT


def test_a_client_hit_in_privacy_mode_shows_initials_only(qtbot):
    index = _index()
    dialog = SearchDialog(lambda: index, privacy=True)
    qtbot.addWidget(dialog)
    _search(qtbot, dialog, "Boateng")
    shown = dialog.model.index(0, 0).data()
    assert shown.startswith("KB · Client\n") and "Boateng" not in shown and "Kofi" not in shown
