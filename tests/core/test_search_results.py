"""Search finds clients by name, orders notes and plans newest first, reports the real number of matches,
and keeps the client's own words (a goal 'in the client's words') apart so privacy mode can hide them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import Goal, Problem
from notesdesk.core.search.index import COUNT_CAP, HIT_END, HIT_START, SearchIndex
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


def _weekly(count: int, text: str = "sleep diary reviewed") -> SearchIndex:
    index = _index(KWAME)
    start = date(2015, 1, 5)
    for week in range(count):
        index.put_note(_note(KWAME, start + timedelta(weeks=week), f"{text}, week {week}"))
    return index


def test_the_count_stops_at_the_cap_and_says_more_than() -> None:
    exact = _weekly(COUNT_CAP).find("sleep", limit=50)
    assert (exact.total, exact.more, exact.count_text()) == (COUNT_CAP, False, str(COUNT_CAP))
    over = _weekly(COUNT_CAP + 1)
    found = over.find("sleep", limit=50)
    assert (found.total, found.more, found.count_text()) == (COUNT_CAP, True, f"more than {COUNT_CAP}")
    assert found.truncated and len(found.hits) == 50
    newest = date(2015, 1, 5) + timedelta(weeks=COUNT_CAP)
    assert [h.day for h in found.hits] == [newest - timedelta(weeks=w) for w in range(50)]
    # A narrower search under the cap is counted exactly again (words match as prefixes: 49, 490-499).
    narrow = over.find("week 49", limit=50)
    assert (narrow.total, narrow.more, len(narrow.hits)) == (11, False, 11)


def test_within_a_day_the_best_match_comes_first_even_past_the_page() -> None:
    """Hits are ordered by day, then by how well they match; only the page shown gets snippets, and
    the last day on the page is ranked whole, so a better match just past the page moves onto it."""
    index = _index(KWAME)
    day = date(2026, 3, 2)
    strong = _note(KWAME, day, "panic panic panic panic attacks, panic again")
    weak = [_note(KWAME, day, f"once some panic among many other words about week {i} and more")
            for i in range(3)]
    newer = _note(KWAME, day + timedelta(days=1), "panic on the bus")
    index.put_note(strong)  # inserted first: the last of its day by insertion order
    for note in weak:
        index.put_note(note)
    index.put_note(newer)
    hits = index.find("panic", limit=2).hits
    assert [h.object_id for h in hits] == [newer.id, strong.id]
    assert all(HIT_START in h.snippet for h in hits)
    everything = [h.object_id for h in index.find("panic", limit=10).hits]
    assert everything[:2] == [newer.id, strong.id] and set(everything[2:]) == {n.id for n in weak}


def test_a_note_moved_to_another_day_moves_in_the_order() -> None:
    index = _weekly(5, "grief work")
    first = index.find("grief", limit=5).hits
    oldest = first[-1]
    moved = _note(KWAME, date(2030, 1, 1), "grief work, moved")
    index.put_note(replace(moved, id=oldest.object_id))
    again = index.find("grief", limit=5).hits
    assert again[0].object_id == oldest.object_id and again[0].day == date(2030, 1, 1)
    assert len(again) == 5 and len({h.object_id for h in again}) == 5


def test_the_prefix_index_finds_exactly_what_a_plain_index_finds(monkeypatch) -> None:
    """The prefix index (search/index.py PREFIX_LENGTHS) is a faster path to the same hits, ranks and
    snippets, for prefixes of every length, shorter, equal to and longer than the ones it keeps."""
    import notesdesk.core.search.index as search_index

    words = "panic panicked pancake plan planned planning plant goal goals going walk walking wall"
    written = [_note(KWAME, date(2026, 1, 1) + timedelta(days=i), " ".join(words.split()[i % 5:][:6]))
               for i in range(30)]
    with_prefixes = _index(KWAME, ZOE)
    monkeypatch.setattr(search_index, "PREFIX_LENGTHS", ())
    plain = _index(KWAME, ZOE)
    assert search_index.PREFIX_LENGTHS == () and with_prefixes is not plain
    for index in (with_prefixes, plain):
        for note in written:
            index.put_note(note)
    for typed in ("p", "pa", "pan", "pani", "panic", "plan", "plann", "go", "goal", "wal", "walk", "kofi",
                  "zo", "plan walk", "nothing"):
        assert with_prefixes.find(typed, 10) == plain.find(typed, 10), typed
    assert with_prefixes.find("plan", 10).hits and plain.find("nothing", 10).hits == []
