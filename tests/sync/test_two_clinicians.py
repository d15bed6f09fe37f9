"""Two clinicians of one practice, each with their own vault, share clients through a real PostgreSQL."""

from __future__ import annotations

import secrets

import pytest

from notesdesk.core.services import clients, practice, verify
from tests.sync.helpers import (
    add_client,
    addendum,
    assign,
    found_practice,
    join_practice,
    note_texts,
    signed_note,
)


def test_a_note_signed_on_one_vault_appears_verified_on_the_other(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client One")
    note = signed_note(alice, client.id, "Alice's first session")
    draft_client = add_client(alice, "Synthetic Client Two")
    assign(alice, client.id, joined.clinician_id)
    assign(alice, draft_client.id, joined.clinician_id)

    # Two clients, each with its episode of care (opened at intake), the note, Alice's name and profile.
    assert practice.sync(alice.unit_of_work()).pushed == 7
    report = practice.sync(bob.unit_of_work())

    assert report.received == 6
    assert {c.name for c in clients.list_clients(bob.unit_of_work())} == {client.name, draft_client.name}
    assert note_texts(bob) == {"Alice's first session"}
    # Bob adds an addendum to Alice's note; it travels back and verifies in Alice's vault.
    addendum(bob, note.id, "Bob's clarification")
    practice.sync(bob.unit_of_work())
    practice.sync(alice.unit_of_work())
    assert note_texts(alice) == {"Alice's first session", "Bob's clarification"}
    # Both vaults still pass the full check, received records included.
    assert verify.verify_vault(alice.unit_of_work()).signed_notes == 1
    assert verify.verify_vault(bob.unit_of_work()).signed_notes == 1


def test_syncing_again_changes_nothing(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    signed_note(alice, client.id, "once")
    assign(alice, client.id, joined.clinician_id)
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    assert practice.sync(alice.unit_of_work()) == practice.SyncReport(0, 1, 0)  # Bob's name

    assert practice.sync(alice.unit_of_work()) == practice.SyncReport(0, 0, 0)
    assert practice.sync(bob.unit_of_work()) == practice.SyncReport(0, 0, 0)
    assert note_texts(bob) == {"once"}


def test_an_administrator_who_may_only_create_roles_can_set_the_practice_up(make_vault, cluster):
    """The README's set-up: a login with CREATEROLE that owns the database, not a superuser."""
    import psycopg

    owner, password, name = (
        "nd_owner_" + secrets.token_hex(4),
        secrets.token_hex(12),
        "nd_" + secrets.token_hex(6),
    )
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{password}'")
        conn.execute(f"CREATE DATABASE {name} OWNER {owner}")
    admin_url = cluster.url(name, owner, password)
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    signed_note(alice, client.id, "set up by a role manager")
    assign(alice, client.id, joined.clinician_id)
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    assert note_texts(bob) == {"set up by a role manager"}


def test_a_members_practice_export_imports_with_colleagues_notes_but_not_the_device(make_vault, admin_url):
    """The lossless practice export of a member's vault: a colleague's signed note still checks and
    verifies after import, and the copy does not become a second device of the practice."""
    from notesdesk.core.errors import NotesdeskError
    from notesdesk.core.exports import practice as practice_export

    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    signed_note(alice, client.id, "Alice's note")
    assign(alice, client.id, joined.clinician_id)
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    data = practice_export.export_practice(bob, "export passphrase 4 tests")

    copy = make_vault("copy")
    practice_export.import_practice(copy, data, "export passphrase 4 tests")

    assert note_texts(copy) == {"Alice's note"}
    assert verify.verify_vault(copy.unit_of_work()).signed_notes == 1
    with pytest.raises(NotesdeskError, match="not part of a practice"):
        practice.status(copy.unit_of_work())


def test_drafts_and_psychotherapy_notes_stay_with_their_author(make_vault, admin_url):
    from datetime import date

    import psycopg

    from notesdesk.core.domain.notes import NoteFormat, PrivateNote, Section, SessionNote
    from notesdesk.core.services import notes

    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    notes.create_note(
        alice.unit_of_work(),
        SessionNote(
            client_id=client.id,
            session_date=date(2026, 3, 2),
            format=NoteFormat.FREE,
            sections=(Section("text", "Note", "a draft"),),
        ),
    )
    notes.add_private_note(alice.unit_of_work(), PrivateNote(client.id, date(2026, 3, 2), "process only"))
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())

    with psycopg.connect(admin_url) as conn:
        kinds = conn.execute("SELECT array_agg(DISTINCT table_name ORDER BY table_name) FROM change")
        assert kinds.fetchone() == (["client", "episode", "setting"],)  # and the clinicians' names
    assert notes.list_notes(bob.unit_of_work(), client.id) == []
    assert notes.list_private_notes(bob.unit_of_work(), client.id) == []


def test_a_wrong_server_password_or_database_gets_one_clear_line(make_vault, cluster):
    from notesdesk.core.errors import NotesdeskError

    alice = make_vault("alice")
    with pytest.raises(NotesdeskError, match="refused the login: wrong role or password"):
        practice.init(alice.unit_of_work(), cluster.url("postgres", password="not-the-password"))
    with pytest.raises(NotesdeskError, match="no database of that name"):
        practice.init(alice.unit_of_work(), cluster.url("nd_missing"))
    with pytest.raises(NotesdeskError, match="not part of a practice"):
        practice.status(alice.unit_of_work())


def test_a_second_practice_on_the_same_server_is_refused(make_vault, admin_url):
    from notesdesk.core.errors import NotesdeskError

    found_practice(make_vault("alice"), admin_url)
    bob = make_vault("bob")
    with pytest.raises(NotesdeskError, match="already holds a practice: join it"):
        practice.init(bob.unit_of_work(), admin_url)
    with pytest.raises(NotesdeskError, match="not part of a practice"):
        practice.status(bob.unit_of_work())
