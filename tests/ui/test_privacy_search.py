"""Privacy mode (initials only, for screen sharing) in search results: a note's snippet often names its
client, so their names are masked there too; a snippet quoting the client's own words is hidden; and
switching the mode redraws the hits already shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.names import mask_names, name_words
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import Goal
from notesdesk.core.search.index import HIT_START, SearchIndex
from notesdesk.core.services import notes
from notesdesk.ui.models.search_results_model import HTML_ROLE, OWN_WORDS_HIDDEN, SearchResultsModel
from tests.core import records

MILOS = Client(name="Miloš Đurić", preferred_name="Miki")


def test_mask_names_finds_the_name_however_it_was_typed():
    words = name_words(MILOS)
    assert words == ("Miloš", "Đurić", "Miki")
    text = "Milos said MILOŠ's sister calls him Miki; Đurić family. Miloševo and Mikina stay."
    assert mask_names(text, words) == "M. said M.'s sister calls him M.; Đ. family. Miloševo and Mikina stay."
    assert mask_names("Anne-Marie came", name_words(Client(name="Anne-Marie O Neill"))) == "A.-M. came"
    assert mask_names("a word", ()) == "a word"


def _hit(text: str):
    index = SearchIndex()
    index.set_clients([MILOS])
    sections = notes.build_sections(NoteFormat.FREE, {"text": text})
    index.put_note(SessionNote(client_id=MILOS.id, session_date=date(2026, 5, 1), format=NoteFormat.FREE,
                               sections=sections))
    [hit] = index.search("nightmare")
    return hit


def test_search_results_mask_the_clients_names_in_privacy_mode(qapp):
    model = SearchResultsModel()
    model.set_hits([_hit("Miloš said the nightmare came back; Miki's mum stayed over.")])
    shown = model.index(0, 0).data()
    assert shown.startswith("Miloš Đurić · Session note") and "Miloš said" in shown
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last, _roles=(): changed.append(first.row()))
    model.privacy = True  # View ▸ Privacy mode while the search window is open
    assert changed == [0]
    shown, rich = model.index(0, 0).data(), model.index(0, 0).data(HTML_ROLE)
    assert shown.startswith("MĐ · Session note") and "M. said the nightmare came back; M.'s mum" in shown
    assert "Miloš" not in shown + rich and "Miki" not in shown + rich and "Đurić" not in shown + rich
    assert "<b>nightmare</b>" in rich and HIT_START not in rich  # the hit is still bolded
    assert model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == shown
    model.privacy = False
    assert "Miloš said" in model.index(0, 0).data()


def _plan_hit(query: str):
    index = SearchIndex()
    index.set_clients([MILOS])
    base = records.plan(MILOS.id, "x")
    goal = Goal("Sleep through the night in own bedroom", client_words="I want to sleep in my own room and "
                "not be scared")
    index.put_plan(replace(base, problems=(replace(base.problems[0], goals=(goal,)),)))
    [hit] = index.search(query)
    return hit


def test_the_clients_own_words_are_hidden_in_privacy_mode(qapp):
    model = SearchResultsModel()
    model.set_hits([_plan_hit("scared"), _plan_hit("bedroom")])
    assert "not be scared" in model.index(0, 0).data()  # shown normally
    model.privacy = True
    quoted, quoted_rich = model.index(0, 0).data(), model.index(0, 0).data(HTML_ROLE)
    assert quoted.startswith("MĐ · Treatment plan")
    assert quoted.endswith("\n(client's own words hidden in privacy mode)")
    assert OWN_WORDS_HIDDEN in quoted_rich
    for shown in (quoted, quoted_rich, model.index(1, 0).data(), model.index(1, 0).data(HTML_ROLE)):
        assert "scared" not in shown and "my own room" not in shown
    assert "<b>bedroom</b>" in model.index(1, 0).data(HTML_ROLE)  # the plan's own text still shows
    model.privacy = False
    assert "not be scared" in model.index(0, 0).data()
