"""A second device of the same clinician joins with a one-time code and syncs both ways."""

from __future__ import annotations

import psycopg
import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import practice, practice_devices, verify
from notesdesk.core.sync import devices
from notesdesk.core.sync import state as st
from tests.sync.helpers import add_client, found_practice, note_texts, signed_note


def test_a_second_device_joins_with_a_code_and_both_sync(make_vault, admin_url):
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    client = add_client(desk, "Synthetic Client")
    signed_note(desk, client.id, "Written at the desk")
    practice.sync(desk.unit_of_work())

    invitation = practice_devices.invite_device(desk.unit_of_work())
    typed = invitation.code.lower().replace("-", " ")  # as a person might type it
    joined = practice_devices.join_device(laptop.unit_of_work(), admin_url, typed)

    assert joined.clinician_id == practice.status(desk.unit_of_work()).clinician_id
    assert practice.sync(laptop.unit_of_work()).received == 3  # the client, its episode of care, the note
    assert note_texts(laptop) == {"Written at the desk"}
    # The laptop signs as the same clinician; the note reaches the desk and verifies there.
    assert laptop.profile().name == desk.profile().name
    signed_note(laptop, client.id, "Written on the laptop")
    assert practice.sync(laptop.unit_of_work()).pushed == 1
    assert practice.sync(desk.unit_of_work()).received == 1
    assert note_texts(desk) == {"Written at the desk", "Written on the laptop"}
    assert verify.verify_vault(desk.unit_of_work()).signed_notes == 2
    assert verify.verify_vault(laptop.unit_of_work()).signed_notes == 2
    # Two devices, one clinician: each logs with its own key and server role.
    laptop_status, desk_status = practice.status(laptop.unit_of_work()), practice.status(desk.unit_of_work())
    assert laptop_status.device_id != desk_status.device_id
    assert laptop_status.member
    with psycopg.connect(admin_url) as conn:
        listed = conn.execute("SELECT role_name, sign_public, certificate IS NOT NULL FROM device").fetchall()
    assert len({r[0] for r in listed}) == len({bytes(r[1]) for r in listed}) == 2
    assert all(r[2] for r in listed)  # both certified under the practice key


def test_a_code_works_once(make_vault, admin_url):
    desk, laptop, other = make_vault("desk"), make_vault("laptop"), make_vault("other")
    found_practice(desk, admin_url)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)

    with pytest.raises(InvalidInput, match="opens no invitation"):
        practice_devices.join_device(other.unit_of_work(), admin_url, code)
    with other.unit_of_work() as uow:
        assert st.identity(uow) is None
    with psycopg.connect(admin_url) as conn:
        assert conn.execute("SELECT count(*) FROM device_invite").fetchone() == (0,)


def test_a_wrong_code_changes_nothing_and_the_right_one_still_works(make_vault, admin_url):
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    wrong = devices.new_code()
    with psycopg.connect(admin_url) as conn:
        roles_before = conn.execute("SELECT count(*) FROM pg_roles").fetchone()

    with pytest.raises(InvalidInput, match="opens no invitation") as refused:
        practice_devices.join_device(laptop.unit_of_work(), admin_url, wrong)
    assert "\n" not in str(refused.value)
    with pytest.raises(InvalidInput, match="12 letters and digits"):
        practice_devices.join_device(laptop.unit_of_work(), admin_url, "ABCD-EFGH")
    with psycopg.connect(admin_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles").fetchone() == roles_before
    with laptop.unit_of_work() as uow:
        assert st.identity(uow) is None

    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    assert practice.status(laptop.unit_of_work()).member


def test_an_expired_code_is_refused_as_expired(make_vault, admin_url):
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    invitation = practice_devices.invite_device(desk.unit_of_work())
    with psycopg.connect(admin_url) as conn:
        valid_for = conn.execute("SELECT expires_at - now() FROM device_invite").fetchone()[0]
    assert 14 * 60 < valid_for.total_seconds() <= 15 * 60
    # The server's clock moves on past the expiry (simulated by moving the expiry back, with the
    # invitation re-sealed under the same code, as the expiry is bound into the seal).
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SELECT id, practice_id, kdf, sealed, expires_at FROM device_invite").fetchone()
        payload = devices.open_invite(invitation.code, row[1], row[0], row[4], row[2], bytes(row[3]))
        assert payload is not None
        past = conn.execute("SELECT date_trunc('second', now() - interval '1 minute')").fetchone()[0]
        params, sealed = devices.seal_invite(invitation.code, row[1], row[0], past, payload)
        conn.execute(
            "UPDATE device_invite SET kdf = %s, sealed = %s, expires_at = %s", (params, sealed, past)
        )

    with pytest.raises(InvalidInput, match="has expired"):
        practice_devices.join_device(laptop.unit_of_work(), admin_url, invitation.code)
    with laptop.unit_of_work() as uow:
        assert st.identity(uow) is None


def test_an_operator_who_moves_the_expiry_breaks_the_seal(make_vault, admin_url):
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    with psycopg.connect(admin_url) as conn:
        conn.execute("UPDATE device_invite SET expires_at = expires_at + interval '1 day'")

    with pytest.raises(InvalidInput, match="opens no invitation"):
        practice_devices.join_device(laptop.unit_of_work(), admin_url, code)


def test_the_server_holds_no_key_in_the_clear(make_vault, admin_url):
    desk = make_vault("desk")
    found_practice(desk, admin_url)
    practice_devices.invite_device(desk.unit_of_work())
    with desk.unit_of_work() as uow:
        ident = st.required_identity(uow)
    secrets_of_desk = [
        bytes.fromhex(ident.x25519_private),
        desk.signing_private_key(),
        ident.x25519_private.encode(),
        desk.signing_private_key().hex().encode(),
    ]
    with psycopg.connect(admin_url) as conn:
        stored = b"".join(
            bytes(r[0]) + r[1].encode() for r in conn.execute("SELECT sealed, kdf FROM device_invite")
        )
    assert stored and not [s for s in secrets_of_desk if s in stored]


def test_a_vault_with_clients_cannot_become_a_second_device(make_vault, admin_url):
    desk, used = make_vault("desk"), make_vault("used")
    found_practice(desk, admin_url)
    add_client(used, "Synthetic Client")
    code = practice_devices.invite_device(desk.unit_of_work()).code
    with pytest.raises(Exception, match="new, empty vault"):
        practice_devices.join_device(used.unit_of_work(), admin_url, code)
