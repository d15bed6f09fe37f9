"""What the search index's child process runs (core/search/child.py): the same documents as the index
built in process, from the fields of each note it decodes; a start-up without the vault stack; only
the fields key, never the data key; and the bulk insert the builds share."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from notesdesk.core.crypto import keys
from notesdesk.core.crypto.cipher import FieldCipher
from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, RiskAssessment, RiskLevel
from notesdesk.core.search.child import CLEAR_COLUMNS, NoteView, Order, SealedRows, build_from_file
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.services import care, clients, notes, plans, search, search_process
from notesdesk.core.storage.sealer import Sealer
from notesdesk.core.storage.tables import SEALED_TABLES
from notesdesk.core.storage.vault import Vault
from tests.core import records
from tests.signer import ready_to_sign


def _rows(index: SearchIndex) -> list[tuple[object, ...]]:
    return index._db.execute(
        "SELECT rowid, kind, object_id, client_id, day, body, own_words FROM doc ORDER BY rowid"
    ).fetchall()


def _order(vault: Vault, notes_per_page: int) -> Order:
    fields = keys.subkey(vault.data_key(), vault.vault_id, keys.SUBKEY_FIELDS)
    return Order(str(vault.path), vault.vault_id, fields, notes_per_page)


def _practice(vault: Vault) -> dict[str, str]:
    """Every kind the index holds, with the parts of a note the child decodes on its own: sections,
    a recorded risk and a free-text one, interventions, addenda; notes on one day and on several, an
    older safety plan replaced by a newer one, and a psychotherapy note (which the index never reads)."""
    ready_to_sign(vault)
    uow = vault.unit_of_work
    ids: dict[str, str] = {}
    robin = clients.add_client(uow(), records.client("A"))
    sam = clients.add_client(uow(), Client(name="Sam Example", presenting_concerns="Insomnia since May"))
    for n, (client_id, day) in enumerate([(robin.id, date(2026, 3, 2)), (robin.id, date(2026, 3, 2)),
                                          (sam.id, date(2026, 1, 5)), (robin.id, date(2025, 12, 1)),
                                          (sam.id, date(2026, 3, 2))]):
        note = replace(records.note(client_id, f"n{n}"), session_date=day,
                       sections=notes.build_sections(NoteFormat.SOAP, {"subjective": f"café résumé {n}"}))
        if n == 2:
            note = replace(note, risk=None, risk_noted="", interventions=())
        if n == 3:
            note = replace(note, risk=RiskAssessment(RiskLevel.LOW))
        ids[f"note{n}"] = notes.create_note(uow(), note).id
    notes.sign_note(uow(), ids["note1"])
    notes.add_addendum(uow(), ids["note1"], AddendumKind.CLARIFICATION, "Later: the tram timetable")
    notes.add_addendum(uow(), ids["note1"], AddendumKind.LATE_ENTRY, "And the bus")
    plans.save_plan(uow(), records.plan(robin.id, "resume-"))
    care.add_homework(uow(), Homework(sam.id, "Wind-down routine", date(2026, 3, 2), rationale="Calms"))
    care.save_safety_plan(uow(), records.safety_plan(sam.id, "older"))
    care.save_safety_plan(uow(), records.safety_plan(sam.id, "newer"))
    notes.add_private_note(uow(), records.private_note(robin.id, "secret"))
    return ids


@pytest.mark.parametrize("notes_per_page", [1, 2, 1000])
def test_the_child_builds_the_same_documents_in_the_same_order_as_in_process(
        vault: Vault, notes_per_page: int) -> None:
    _practice(vault)
    here = search.build_index(vault.unit_of_work(), notes_per_page)
    there = build_from_file(_order(vault, notes_per_page))
    assert _rows(there) == _rows(here)
    assert there.image()[1] == here.image()[1]  # names, rowids, kinds, the current safety plans
    for text in ("resume", "tram", "bus", "riskfactors", "Risk level", "intervention", "newer", "older",
                 "insomnia", "wind", "own words", "secret"):
        assert there.find(text) == here.find(text), text
    assert there.search("secret") == []  # psychotherapy notes are never indexed
    assert there.search("older") == [] and there.search("newer")


def test_the_clear_columns_the_child_binds_are_the_vaults() -> None:
    assert {table: SEALED_TABLES[table] for table in CLEAR_COLUMNS} == CLEAR_COLUMNS


def test_the_child_holds_only_the_fields_key(vault: Vault) -> None:
    """A sealer made from the child's order opens the records the index reads, and refuses a
    psychotherapy note, whose key it never had; the order carries no data key."""
    ids = _practice(vault)
    order = _order(vault, 10)
    assert order.fields_key != vault.data_key() and vault.data_key() not in repr(order).encode()
    rows = SealedRows(vault.path, Sealer(FieldCipher(order.fields_key, vault.vault_id), None))
    try:
        assert {note.id for note in rows.all("note", NoteView)} == set(ids.values())
        with pytest.raises(PermissionError):
            Sealer(FieldCipher(order.fields_key, vault.vault_id), None).open_bytes(
                "private_note", "x", {}, b"\x01\x01" + bytes(40))
    finally:
        rows.close()


def test_the_app_hands_its_child_the_fields_key_never_the_data_key(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """SECURITY.md: the child is given the key of the record fields only."""
    _practice(vault)
    sent: list[Order] = []

    def recorded(*args: object) -> Order:
        order = Order(*args)  # type: ignore[arg-type]
        sent.append(order)
        return order

    monkeypatch.setattr(search_process, "Order", recorded)
    built = search_process.IndexBuild(vault).result()
    assert built.search("resume")
    [order] = sent
    assert order.fields_key == keys.subkey(vault.data_key(), vault.vault_id, keys.SUBKEY_FIELDS)
    assert order.fields_key != vault.data_key()


def test_the_child_starts_without_the_vault_stack() -> None:
    """Its interpreter imports what the build needs, not SQLAlchemy, alembic or the services: most of
    a child's start-up was importing them."""
    probe = ("import sys, notesdesk.core.search.child; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic') "
             "or m.startswith(('notesdesk.core.services', 'notesdesk.core.storage.vault'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_put_replaced_or_removed_within_a_bulk_insert_leaves_only_what_stands(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    first = notes.create_note(vault.unit_of_work(), records.note(client.id, "first"))
    second = notes.create_note(vault.unit_of_work(), records.note(client.id, "second"))
    index = SearchIndex()
    index.put_note(first)  # already in the table when the bulk insert starts
    with index.bulk():
        index.put_note(second)
        tram = notes.build_sections(NoteFormat.SOAP, {"subjective": "tram"})
        index.put_note(replace(second, sections=tram))
        index.remove(first.id)
        assert index.search("tram") == []  # inserted when the bulk insert ends
    assert [h.object_id for h in index.search("tram")] == [second.id]
    assert index.search("firstsubjective") == [] and index.search("secondsubjective") == []
    assert len(index) == 1 and len(_rows(index)) == 1
