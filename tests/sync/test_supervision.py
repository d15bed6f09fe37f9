"""Supervision against a real PostgreSQL: a supervisor assigned to a supervisee's client reads its
signed notes (never its psychotherapy notes) and co-signs one; the co-signature arrives in the
supervisee's vault, verified under the supervisor's key."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from notesdesk.core.domain.notes import AddendumKind, PrivateNote
from notesdesk.core.services import cosign, notes, practice, practice_access, verify
from notesdesk.core.services.cosign import DEFAULT_TEXT as DEFAULT
from notesdesk.core.sync.pull import SyncTampered
from tests.sync.helpers import (
    add_client,
    before_supervision_was_read_only,
    found_practice,
    join_practice,
    note_texts,
    signed_note,
    supervised_client,
)


def test_a_supervisors_co_signature_arrives_and_verifies(make_vault, admin_url):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, supervisor, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Supervised Client")
    note = signed_note(alice, client.id, "supervisee's session")
    notes.add_private_note(alice.unit_of_work(), PrivateNote(client.id, date(2026, 3, 2), "process only"))
    done = practice_access.assign(alice.unit_of_work(), client.id, sam, supervisor=True)
    assert done.role == "supervisor"
    practice.sync(alice.unit_of_work())
    practice.sync(supervisor.unit_of_work())
    assert note_texts(supervisor) == {"supervisee's session"}
    assert notes.list_private_notes(supervisor.unit_of_work(), client.id) == []

    cosign.cosign_note(supervisor.unit_of_work(), note.id, "Plan agreed in supervision.")
    practice.sync(supervisor.unit_of_work())
    practice.sync(alice.unit_of_work())

    view = notes.show_note(alice.unit_of_work(), note.id)
    (cosigned,) = view.addenda
    assert cosigned.kind is AddendumKind.CO_SIGNATURE and cosigned.text == "Plan agreed in supervision."
    assert cosigned.signature is not None and cosigned.signature.signer == "Dr Sam"
    assert verify.verify_vault(alice.unit_of_work()).signed_notes == 1
    with psycopg.connect(admin_url) as conn:
        tables = conn.execute("SELECT array_agg(DISTINCT table_name ORDER BY table_name) FROM change")
        assert tables.fetchone() == (["addendum", "client", "episode", "note", "setting"],)  # and names
    # Audited on both sides, without client text.
    for vault, action in ((alice, "practice-assign"), (supervisor, "addend")):
        uow = vault.unit_of_work()
        with uow:
            assert uow.session is not None
            entries = [e for e in uow.vault.audit.entries_after(uow.session, 0) if e.action == action]
        assert entries and all("Synthetic" not in (e.detail or "") for e in entries)


def test_a_co_signature_altered_on_the_server_is_refused(make_vault, admin_url):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, client_id, note_id = supervised_client(alice, supervisor, admin_url)
    cosign.cosign_note(supervisor.unit_of_work(), note_id)
    practice.sync(supervisor.unit_of_work())
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "UPDATE change SET sealed = set_byte(sealed, 29, get_byte(sealed, 29) # 255)"
            " WHERE table_name = 'addendum'"
        )
    with pytest.raises(SyncTampered, match="altered"):
        practice.sync(alice.unit_of_work())
    assert notes.show_note(alice.unit_of_work(), note_id).addenda == []


def test_a_supervisor_shares_nothing_of_a_supervised_client_but_co_signatures(
    make_vault, admin_url, monkeypatch
):
    from notesdesk.core.sync import access

    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, client_id, note_id = supervised_client(alice, supervisor, admin_url)

    # Written by a version that let a supervisor write (this one refuses: test_supervised_read_only.py).
    with before_supervision_was_read_only(monkeypatch):
        signed_note(supervisor, client_id, "the supervisor's own note")
    practice.sync(supervisor.unit_of_work())
    with psycopg.connect(admin_url) as conn:  # it stayed in the supervisor's vault
        assert conn.execute("SELECT count(*) FROM change WHERE table_name = 'note'").fetchone() == (1,)
    # A supervisor's vault altered to send it anyway: the supervisee's vault does not take it in,
    # but still takes the co-signature.
    cosign.cosign_note(supervisor.unit_of_work(), note_id)
    with monkeypatch.context() as altered, before_supervision_was_read_only(monkeypatch):
        altered.setattr(access, "may_push", lambda keys, table, obj: True)
        notes.add_addendum(supervisor.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "not theirs")
        practice.sync(supervisor.unit_of_work())
    practice.sync(alice.unit_of_work())

    assert note_texts(alice) == {"supervisee's session", DEFAULT}
    uow = alice.unit_of_work()
    with uow:
        assert access.load(uow).not_taken == 1  # the addendum (the note was never sent)
