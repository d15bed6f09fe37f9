"""Search finds clients by name, orders notes and plans newest first, reports the real number of matches,
and keeps the client's own words (a goal 'in the client's words') apart so privacy mode can hide them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import Goal, Problem
from notesdesk.core.search.index import HIT_END, HIT_START, SearchIndex
from notesdesk.core.services import notes
from tests.core import records

KWAME = Client(name="Kwame Boateng", preferred_name="Kofi")
ZOE = Client(name="Zoë Ó Briain")


def _note(client: Client, day: date, text: str) -> SessionNote:
    sections = notes.build_sections(NoteFormat.FREE, {"text": text})
    return SessionNote(client_id=client.id, session_date=day, format=NoteFormat.FREE, sections=sections)


def _index(*clients: Client) -> SearchIndex:
    index = SearchIndex()
    index.set_clients(list(clients))
    return index


def test_a_client_is_found_by_surname_full_name_or_preferred_name() -> None:
    index = _index(KWAME, ZOE)
    for typed in ("Boateng", "boat", "kwame boateng", "Kofi"):
        [hit] = index.search(typed)
        assert (hit.kind, hit.object_id, hit.client_id) == ("client", KWAME.id, KWAME.id), typed
        assert hit.client_name == "Kwame Boateng" and hit.day is None
    [zoe] = index.search("zoe o briain")  # accents folded, as in the client list filter
    assert zoe.object_id == ZOE.id and f"{HIT_START}Zoë{HIT_END}" in zoe.snippet


def test_renamed_and_removed_clients_are_kept_current() -> None:
    index = _index(KWAME, ZOE)
    index.set_clients([replace(KWAME, name="Kwame Mensah"), ZOE])
    assert index.search("Boateng") == [] and [h.object_id for h in index.search("Mensah")] == [KWAME.id]
    index.set_clients([ZOE])
    assert index.search("Mensah") == [] and index.search("Kofi") == []
    assert [h.object_id for h in index.search("Zoe")] == [ZOE.id]


def test_the_client_comes_first_then_notes_and_plans_newest_first() -> None:
    index = _index(KWAME)
    old = _note(KWAME, date(2025, 1, 10), "Kwame talked about the panic on the bus, the panic at work")
    new = _note(KWAME, date(2026, 3, 2), "Panic once this month")
    middle = replace(records.plan(KWAME.id, "x"), effective_date=date(2025, 6, 1),
                     strengths="Knows what helps with panic")
    for note in (old, new):
        index.put_note(note)
    index.put_plan(middle)
    assert [h.object_id for h in index.search("panic")] == [new.id, middle.id, old.id]
    # A name also written in a note: the client themself first, then that note.
    assert [h.object_id for h in index.search("kwame")] == [KWAME.id, old.id]


def test_the_real_number_of_matches_is_reported_when_only_the_first_are_shown() -> None:
    index = _index(KWAME)
    start = date(2025, 1, 6)
    for week in range(62):
        index.put_note(_note(KWAME, start + timedelta(weeks=week), f"sleep diary reviewed, week {week}"))
    found = index.find("sleep", limit=50)
    assert found.total == 62 and len(found.hits) == 50 and found.truncated
    assert found.hits[0].day == start + timedelta(weeks=61)  # the newest 50 are the ones shown
    assert [h.day for h in found.hits] == sorted((h.day for h in found.hits if h.day), reverse=True)
    small = index.find("week 3", limit=50)
    assert small.total == len(small.hits) and not small.truncated
    assert index.find("", limit=50).total == 0


def test_the_clients_own_words_are_indexed_apart_from_the_plan_text() -> None:
    index = _index(KWAME)
    base = records.plan(KWAME.id, "x")
    goal = Goal("Sleep through the night in own bedroom",
                client_words="I want to sleep in my own room and not be scared")
    plan = replace(base, problems=(replace(base.problems[0], goals=(goal,)),))
    assert isinstance(plan.problems[0], Problem)
    index.put_plan(plan)
    [quoted] = index.search("scared")
    assert quoted.in_own_words and "not be " + HIT_START + "scared" + HIT_END in quoted.snippet
    [stated] = index.search("bedroom")  # matched in the plan's own text: that text is the snippet
    assert not stated.in_own_words and "scared" not in stated.snippet
    [both] = index.search("sleep")  # in both: the plan's text is shown, not the client's words
    assert not both.in_own_words and "scared" not in both.snippet
