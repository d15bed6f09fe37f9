"""`practice status` counts what a supervisor's vault wrote of a client it only supervises from what
each sync judged, opening only the rows written since (core/sync/kept_rows.py): the count is the one
opening every row gives, whenever the rows changed. Issue 18; docs/design-notes.md §9, Supervision."""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.exports import practice as practice_export
from notesdesk.core.services import clients, notes, practice
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import kept_rows
from tests.sync.helpers import before_supervision_was_read_only, signed_note, supervised_client


def _kept(vault: Vault) -> int:
    return practice.status(vault.unit_of_work()).kept_here


def _judged_rows(vault: Vault) -> int:
    """How many rows the last sync judged (and kept, sealed, in the vault)."""
    with vault.unit_of_work() as uow:
        stored = kept_rows.stored(uow)
    return sum(len(rows) for rows in stored.rows.values())


def test_rows_written_after_a_sync_are_counted_before_the_next(make_vault, admin_url, monkeypatch):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, client_id, note_id = supervised_client(alice, supervisor, admin_url)
    practice.sync(supervisor.unit_of_work())
    assert _kept(supervisor) == 0 and _judged_rows(supervisor) >= 2  # the client and its note, judged
    with before_supervision_was_read_only(monkeypatch):
        client = clients.get_client(supervisor.unit_of_work(), client_id)
        clients.update_client(supervisor.unit_of_work(), replace(client, phone="555-0100"))
        notes.add_addendum(supervisor.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "theirs")
    assert _kept(supervisor) == 2  # no sync since: the changed client row and the addendum are opened
    practice.sync(supervisor.unit_of_work())
    assert _kept(supervisor) == 2
    with before_supervision_was_read_only(monkeypatch):  # the phone put back as last synced: not counted
        clients.update_client(supervisor.unit_of_work(), client)
    assert _kept(supervisor) == 1


def test_rows_received_after_a_sync_are_judged_received(make_vault, admin_url, monkeypatch):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, client_id, _note_id = supervised_client(alice, supervisor, admin_url)
    practice.sync(supervisor.unit_of_work())
    for n in range(3):
        signed_note(alice, client_id, f"session {n}")
    client = clients.get_client(alice.unit_of_work(), client_id)
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0199"))
    practice.sync(alice.unit_of_work())
    practice.sync(supervisor.unit_of_work())
    assert _kept(supervisor) == 0 and _judged_rows(supervisor) >= 5  # the client and four notes


def test_the_judged_rows_stay_on_this_computer(make_vault, admin_url):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    supervised_client(alice, supervisor, admin_url)
    practice.sync(supervisor.unit_of_work())
    assert _judged_rows(supervisor) > 0
    made = practice_export.export_practice(supervisor, "export pass 1")
    export = practice_export.read_export(made, "export pass 1")
    assert kept_rows.KEPT_ROWS_ID not in export.settings
