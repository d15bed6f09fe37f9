"""Global search: accent-insensitive, prefix matching, current after saves, nothing on disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.search.index import HIT_END, HIT_START, SearchIndex
from notesdesk.core.services import clients, notes, plans, search
from notesdesk.core.storage.vault import Vault
from tests.core import records


def _note_with(vault: Vault, client_id: str, text: str):
    note = replace(
        records.note(client_id, "x"),
        sections=notes.build_sections(NoteFormat.SOAP, {"subjective": text}),
    )
    return notes.create_note(vault.unit_of_work(), note)


def test_search_finds_notes_and_plans_with_highlighted_hits(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = _note_with(vault, client.id, "Talked about her café job and the résumé she sent")
    plans.save_plan(vault.unit_of_work(), records.plan(client.id, "resume-"))
    index = search.build_index(vault.unit_of_work())
    hits = index.search("resume")
    kinds = {hit.kind for hit in hits}
    assert kinds == {"note", "plan"}
    note_hit = next(h for h in hits if h.kind == "note")
    assert note_hit.object_id == note.id and note_hit.client_name == client.name
    assert f"{HIT_START}résumé{HIT_END}" in note_hit.snippet
    assert index.search("cafe")[0].object_id == note.id  # accents folded
    assert index.search("caf")[0].object_id == note.id  # prefix
    assert index.search("tal caf")[0].object_id == note.id  # every word must match
    assert index.search("nothing-like-this") == []
    assert index.search('"; DROP TABLE doc; --') == []  # typed punctuation is not syntax


def test_index_follows_saves(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    note = _note_with(vault, client.id, "first words")
    index = search.build_index(vault.unit_of_work())
    changed = notes.save_draft(
        vault.unit_of_work(),
        replace(note, sections=notes.build_sections(NoteFormat.SOAP, {"subjective": "second thoughts"})),
    )
    index.put_note(changed)
    assert index.search("first") == []
    assert [h.object_id for h in index.search("second")] == [note.id]
    index.remove(note.id)
    assert index.search("second") == [] and len(index) == 1  # only the client, found by name, is left


def test_index_lives_in_memory_only(tmp_path: Path) -> None:
    index = SearchIndex()
    assert index._db.execute("PRAGMA database_list").fetchall()[0][2] == ""  # no file behind it
    index.close()


def test_the_index_is_read_a_page_at_a_time_and_finds_every_note(vault: Vault, monkeypatch) -> None:
    """Built in pages of notes (each in a unit of work of its own), the index still has every note
    and the addenda of notes on any page; notes are put in it with the vault free, so a read on the
    UI thread (opening a client) waits for one page at most, never for the whole build."""
    from notesdesk.core.domain.notes import AddendumKind

    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    made = [_note_with(vault, client.id, f"session word{i}") for i in range(5)]
    notes.sign_note(vault.unit_of_work(), made[3].id)
    notes.add_addendum(vault.unit_of_work(), made[3].id, AddendumKind.CORRECTION, "later remark")
    held_while_indexing: list[bool] = []
    put_note = SearchIndex.put_note

    def watching(self, note, addenda=()):
        held_while_indexing.append(vault._work_lock.locked())
        put_note(self, note, addenda)

    monkeypatch.setattr(SearchIndex, "put_note", watching)
    index = search.build_index(vault.unit_of_work(), notes_per_page=2)
    assert {h.object_id for h in index.search("session")} == {n.id for n in made}
    assert [h.object_id for h in index.search("word4")] == [made[4].id]
    assert [h.object_id for h in index.search("remark")] == [made[3].id]
    assert held_while_indexing == [False] * 5
