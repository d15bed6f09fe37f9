"""Simulated clinicians for the sync tests: vaults in temporary folders, synthetic records only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

import psycopg
import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, Section, SessionNote
from notesdesk.core.services import clients, notes, practice, practice_access
from notesdesk.core.storage import uow as uow_module
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access, crypto
from notesdesk.core.sync import state as st


def sync_in_turn(*vaults: Vault) -> None:
    """Each vault syncs once, in the order given (so "a, b, a" brings b's changes back to a)."""
    for vault in vaults:
        practice.sync(vault.unit_of_work())


def found_practice(vault: Vault, admin_url: str) -> practice.Founded:
    return practice.init(vault.unit_of_work(), admin_url)


def join_practice(founder: Vault, vault: Vault, admin_url: str, fingerprint: str) -> practice.Joined:
    """Join, and be added by `founder` after the (here automatic) fingerprint comparison."""
    joined = practice.join(vault.unit_of_work(), admin_url, fingerprint)
    practice.add_clinician(founder.unit_of_work(), joined.clinician_id, joined.fingerprint)
    return joined


def assign(vault: Vault, client_id: str, *clinician_ids: str) -> None:
    """Share one of `vault`'s clients with these clinicians (practice assign)."""
    for clinician_id in clinician_ids:
        practice_access.assign(vault.unit_of_work(), client_id, clinician_id)


def clinician_of(vault: Vault) -> str:
    return practice.status(vault.unit_of_work()).clinician_id


def supervised_client(alice: Vault, supervisor: Vault, admin_url: str) -> tuple[str, str, str]:
    """Alice founds the practice, the supervisor joins, Alice's client with one signed note is shared
    with them as supervisor, and both sync: (the supervisor's clinician id, client id, note id)."""
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, supervisor, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Supervised Client")
    note = signed_note(alice, client.id, "supervisee's session")
    practice_access.assign(alice.unit_of_work(), client.id, sam, supervisor=True)
    practice.sync(alice.unit_of_work())
    practice.sync(supervisor.unit_of_work())
    return sam, client.id, note.id


def supervised_conflict(
    alice: Vault, supervisor: Vault, admin_url: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A client shared with the supervisor (`supervised_client`) whose phone an older version let the
    supervisor change (555-0100) while Alice changed it too (555-0199); both have synced, so the
    supervisor holds a conflict over it: the client's id."""
    _sam, client_id, _note = supervised_client(alice, supervisor, admin_url)
    with before_supervision_was_read_only(monkeypatch):
        mine = clients.get_client(supervisor.unit_of_work(), client_id)
        clients.update_client(supervisor.unit_of_work(), replace(mine, phone="555-0100"))
    theirs = clients.get_client(alice.unit_of_work(), client_id)
    clients.update_client(alice.unit_of_work(), replace(theirs, phone="555-0199"))
    practice.sync(alice.unit_of_work())
    practice.sync(supervisor.unit_of_work())
    return client_id


def add_client(vault: Vault, name: str) -> Client:
    return clients.add_client(vault.unit_of_work(), Client(name=name))


def signed_note(vault: Vault, client_id: str, text: str, day: date = date(2026, 3, 2)) -> SessionNote:
    draft = notes.create_note(
        vault.unit_of_work(),
        SessionNote(
            client_id=client_id,
            session_date=day,
            format=NoteFormat.FREE,
            sections=(Section("text", "Note", text),),
        ),
    )
    return notes.sign_note(vault.unit_of_work(), draft.id)


def addendum(vault: Vault, note_id: str, text: str) -> str:
    return notes.add_addendum(vault.unit_of_work(), note_id, AddendumKind.CLARIFICATION, text).id


def note_texts(vault: Vault) -> set[str]:
    """Every note's text and every addendum's, with whether each still verifies in this vault."""
    out: set[str] = set()
    for client in clients.list_clients(vault.unit_of_work()):
        for note in notes.list_notes(vault.unit_of_work(), client.id):
            view = notes.show_note(vault.unit_of_work(), note.id)
            assert view.signature_valid, "a synced note fails its signature check in the receiving vault"
            out.add(note.section_text("text"))
            out.update(a.text for a in view.addenda)
    return out


def notes_opened_with(keys: access.ClientKeys, ident: st.SyncIdentity, admin_url: str) -> list[bytes]:
    """Every note on the server that these client keys open, read straight from it (as a removed
    clinician who runs the server, or still has their database login, could)."""
    with psycopg.connect(admin_url) as conn:
        rows = conn.execute(
            "SELECT device_id, device_seq, table_name, row_id, rev, sealed, client_id, key_id FROM change"
            " WHERE table_name = 'note'"
        ).fetchall()
    addressed = ((crypto.RowAddress(t, r, v, d, s, c or "", k or ""), bytes(sealed))
                 for d, s, t, r, v, sealed, c, k in rows)
    opened = (access.open_sealed(keys, ident, at, sealed) for at, sealed in addressed)
    return [o for o in opened if o is not None]


def readable_by(vault: Vault, admin_url: str) -> set[str]:
    """What `vault`'s client keys open of the notes on the server."""
    uow = vault.unit_of_work()
    with uow:
        ident = st.required_identity(uow)
        keys = access.load(uow)
    return {o.decode() for o in notes_opened_with(keys, ident, admin_url)}


@contextmanager
def before_supervision_was_read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Writes as a version before a supervised-only client was read-only (storage/uow.py) let them be
    made: what an older supervisor's vault holds, and might send if altered."""
    with monkeypatch.context() as older:
        older.setattr(uow_module, "_supervised_only", lambda _uow: frozenset())
        yield
