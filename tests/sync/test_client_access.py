"""Per-client access against a real PostgreSQL: each clinician reads the clients assigned to them and
nothing else; a later assignment brings the client's earlier records; a server operator who swaps a
wrapped key or files a row under another client is caught."""

from __future__ import annotations

import psycopg
import pytest

from notesdesk.core.crypto import recovery
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import clients, practice, practice_access
from notesdesk.core.sync import access, crypto
from notesdesk.core.sync import state as st
from notesdesk.core.sync.pull import SyncTampered
from tests.sync.helpers import add_client, assign, found_practice, join_practice, note_texts, signed_note


def _three(make_vault, admin_url):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    ids = {
        "alice": founded.clinician_id,
        "bob": join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id,
        "carol": join_practice(alice, carol, admin_url, founded.practice_fingerprint).clinician_id,
    }
    return (alice, bob, carol), ids, founded


def _sync_all(*vaults) -> None:
    for vault in vaults:
        practice.sync(vault.unit_of_work())


def _names(vault) -> set[str]:
    return {c.name for c in clients.list_clients(vault.unit_of_work())}


def test_assignment_limits_what_each_of_three_clinicians_reads(make_vault, admin_url):
    (alice, bob, carol), ids, _founded = _three(make_vault, admin_url)
    _sync_all(bob, carol)  # joined devices take the practice key
    a = add_client(alice, "Synthetic Alpha")
    signed_note(alice, a.id, "alpha by alice")
    b = add_client(bob, "Synthetic Bravo")
    signed_note(bob, b.id, "bravo by bob")
    c = add_client(carol, "Synthetic Charlie")
    signed_note(carol, c.id, "charlie by carol")
    assign(alice, a.id, ids["bob"])  # Alpha: Alice and Bob
    assign(carol, c.id, ids["alice"])  # Charlie: Carol and Alice; Bravo stays Bob's alone
    for _round in range(2):
        _sync_all(alice, bob, carol)

    assert _names(alice) == {"Synthetic Alpha", "Synthetic Charlie"}
    assert _names(bob) == {"Synthetic Alpha", "Synthetic Bravo"}
    assert _names(carol) == {"Synthetic Charlie"}
    assert note_texts(alice) == {"alpha by alice", "charlie by carol"}
    assert note_texts(bob) == {"alpha by alice", "bravo by bob"}
    assert note_texts(carol) == {"charlie by carol"}
    shown = practice.status(carol.unit_of_work())
    assert (shown.clients_shared, shown.clients_not_shared) == (1, 2)
    # Bob cannot share Alice's client Charlie onward: he holds neither it nor its key.
    with pytest.raises(InvalidInput, match="No client with that id"):
        practice_access.assign(bob.unit_of_work(), c.id, ids["carol"])


def test_a_later_assignment_brings_the_clients_earlier_records(make_vault, admin_url):
    (alice, bob, _carol), ids, _founded = _three(make_vault, admin_url)
    client = add_client(alice, "Synthetic Client")
    for n in range(3):
        signed_note(alice, client.id, f"session {n}")
    other = add_client(alice, "Synthetic Other")
    signed_note(alice, other.id, "never shared")
    _sync_all(alice, bob)
    assert _names(bob) == set() and practice.status(bob.unit_of_work()).clients_not_shared == 2

    assign(alice, client.id, ids["bob"])
    signed_note(alice, client.id, "session 3")
    _sync_all(alice, bob)

    assert note_texts(bob) == {f"session {n}" for n in range(4)}
    assert _names(bob) == {"Synthetic Client"}
    assert practice.status(bob.unit_of_work()).clients_not_shared == 1
    assert practice.sync(bob.unit_of_work()) == practice.SyncReport(0, 0, 0)


def test_the_practice_recovery_key_opens_a_clients_rows(make_vault, admin_url):
    alice = make_vault("alice")
    founded = found_practice(alice, admin_url)
    signed_note(alice, add_client(alice, "Synthetic Client").id, "kept for the practice")
    practice.sync(alice.unit_of_work())
    private = crypto.x25519_private_from_secret(recovery.decode(founded.recovery_key))
    with psycopg.connect(admin_url) as conn:
        copies = conn.execute(
            "SELECT client_id, key_id, wrapped FROM client_key WHERE recipient = 'recovery'"
        ).fetchall()
        rows = conn.execute(
            "SELECT device_id, device_seq, table_name, row_id, rev, sealed, client_id, key_id FROM change"
        ).fetchall()
    keys = access.ClientKeys(
        keys={
            client: {
                name: crypto.unwrap_client_key(
                    private,
                    bytes(wrapped),
                    crypto.ClientKeyAddress(founded.practice_id, client, name, crypto.RECOVERY),
                ).hex()
            }
            for client, name, wrapped in copies
        }
    )
    uow = alice.unit_of_work()
    with uow:
        ident = st.required_identity(uow)
    opened = [
        access.open_sealed(keys, ident, crypto.RowAddress(t, r, v, d, s, c, k), bytes(sealed))
        for d, s, t, r, v, sealed, c, k in rows
    ]
    # The client, its episode of care, the note, Alice's name and profile (under the practice key).
    assert len(opened) == 5 and any(b"kept for the practice" in (p or b"") for p in opened)


def _sql(admin_url: str, *statements: str) -> None:
    with psycopg.connect(admin_url) as conn:
        for statement in statements:
            conn.execute(statement)


def test_a_wrapped_key_swapped_by_the_server_is_refused(make_vault, admin_url):
    (alice, bob, carol), ids, _founded = _three(make_vault, admin_url)
    _sync_all(bob, carol)
    shared = add_client(alice, "Synthetic Shared")
    secret = add_client(alice, "Synthetic Secret")
    signed_note(alice, secret.id, "for alice only")
    assign(alice, shared.id, ids["bob"])
    practice.sync(alice.unit_of_work())
    # The operator hands Bob the copy of the secret client's key made for Alice, under Bob's name.
    _sql(
        admin_url,
        f"INSERT INTO client_key (practice_id, client_id, key_id, recipient, wrapped, certificate) "
        f"SELECT practice_id, client_id, key_id, '{ids['bob']}', wrapped, certificate FROM client_key "
        f"WHERE client_id = '{secret.id}' AND recipient = '{ids['alice']}'",
    )
    with pytest.raises(access.KeyRefused, match="swapped or forged") as refused:
        practice.sync(bob.unit_of_work())
    assert refused.value.exit_code == 4
    assert _names(bob) == set()


def test_a_key_wrapped_by_the_server_itself_is_refused(make_vault, admin_url):
    """The server could wrap a key of its own for a clinician; without a member's certificate it is
    never used (or the clinician's new notes on that client would be readable by the server)."""
    (alice, bob, _carol), ids, founded = _three(make_vault, admin_url)
    practice.sync(bob.unit_of_work())
    client = add_client(alice, "Synthetic Client")
    practice.sync(alice.unit_of_work())
    uow = bob.unit_of_work()
    with uow:
        bob_public = crypto.x25519_public(bytes.fromhex(st.required_identity(uow).x25519_private))
    at = crypto.ClientKeyAddress(founded.practice_id, client.id, "g9.000000000000", ids["bob"])
    wrapped = crypto.wrap_client_key(bob_public, b"\x07" * 32, at)
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "INSERT INTO client_key (practice_id, client_id, key_id, recipient, wrapped, certificate) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (founded.practice_id, client.id, at.key_id, ids["bob"], wrapped, b"\x00" * 32),
        )
    with pytest.raises(access.KeyRefused, match="swapped or forged"):
        practice.sync(bob.unit_of_work())


def test_a_row_filed_under_another_client_is_refused(make_vault, admin_url):
    (alice, bob, _carol), ids, _founded = _three(make_vault, admin_url)
    practice.sync(bob.unit_of_work())
    shared = add_client(alice, "Synthetic Shared")
    hidden = add_client(alice, "Synthetic Hidden")
    signed_note(alice, shared.id, "bob should see this")
    assign(alice, shared.id, ids["bob"])
    practice.sync(alice.unit_of_work())
    # The operator re-labels the shared client's note as the hidden client's, so that Bob would skip it.
    _sql(admin_url, f"UPDATE change SET client_id = '{hidden.id}' WHERE table_name = 'note'")
    with pytest.raises(SyncTampered, match="altered"):
        practice.sync(bob.unit_of_work())
    assert note_texts(bob) == set()


def test_a_practice_set_up_before_per_client_keys_keeps_sharing_its_clients(
    make_vault, admin_url, monkeypatch
):
    """A first-slice practice: its rows are under the practice key and its server lists no recovery
    key. What members received stays readable; new records of those clients get a client key wrapped
    for every member (they were shared with the whole practice); a new client is its creator's."""
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    _sql(admin_url, "UPDATE practice SET recovery_public = NULL, recovery_certificate = NULL")
    client = add_client(alice, "Synthetic Old Client")
    signed_note(alice, client.id, "before per-client keys")
    with monkeypatch.context() as first_slice:  # rows of no client are sealed as the first slice did
        first_slice.setattr(access, "client_of", lambda table, obj: "")
        practice.sync(alice.unit_of_work())
    with psycopg.connect(admin_url) as conn:
        # The client, its episode of care, the note, Alice's name and her profile.
        assert conn.execute("SELECT count(*) FROM change WHERE client_id IS NULL").fetchone() == (5,)
    practice.sync(bob.unit_of_work())
    assert note_texts(bob) == {"before per-client keys"}

    signed_note(alice, client.id, "after per-client keys")
    signed_note(alice, add_client(alice, "Synthetic New Client").id, "a new client")
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())

    assert note_texts(bob) == {"before per-client keys", "after per-client keys"}
    assert _names(bob) == {"Synthetic Old Client"}
    with psycopg.connect(admin_url) as conn:
        assert conn.execute("SELECT count(*) FROM client_key WHERE recipient = 'recovery'").fetchone() == (0,)


def test_a_server_set_up_by_the_first_slice_is_upgraded_by_its_administrator(make_vault, admin_url):
    from alembic import command
    from alembic.config import Config

    from notesdesk.core.errors import NotesdeskError
    from notesdesk.core.sync import server

    alice = make_vault("alice")
    found_practice(alice, admin_url)
    with server.connected(server.engine_for(admin_url)) as connection:  # back to the first schema
        config = Config()
        config.set_main_option("script_location", str(server.MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "s0001")
    signed_note(alice, add_client(alice, "Synthetic Client").id, "waiting for the upgrade")

    with pytest.raises(NotesdeskError, match="schema is older than this version"):
        practice.sync(alice.unit_of_work())
    practice_access.upgrade_server(admin_url)

    # The client, its episode, the note, her name and her profile.
    assert practice.sync(alice.unit_of_work()).pushed == 5
