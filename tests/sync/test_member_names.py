"""Colleagues' names travel (issue 18): a clinician's profile name reaches every member sealed as a
practice setting, so a colleague with no signed note in this vault is named, not shown by id; a name
changed later travels; a server that alters it is caught; a member cannot name another."""

from __future__ import annotations

import json
from dataclasses import replace

import psycopg
import pytest

from notesdesk.core.services import practice, practice_devices, practice_view, profile
from notesdesk.core.sync import setting_kinds, settings
from notesdesk.core.sync import state as st
from notesdesk.core.sync.pull import SyncTampered
from tests.sync.helpers import add_client, assign, clinician_of, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync


def _pair(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")  # profiles "Dr Alice", "Dr Bob" (conftest)
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    return alice, bob, founded.clinician_id, joined.clinician_id


def _labels(vault):
    return {m.clinician_id: m.label for m in practice_view.overview(vault.unit_of_work()).members}


def _aside(vault):
    with vault.unit_of_work() as uow:
        return settings.set_aside(uow)


def test_a_colleague_with_no_signed_note_is_named_by_their_profile_and_a_new_name_travels(
    make_vault, admin_url
):
    alice, bob, a, b = _pair(make_vault, admin_url)
    assert _labels(alice)[b] == f"clinician {b[:8]}"  # nothing synced yet

    _sync(alice, bob, alice)
    assert _labels(alice) == {a: "Dr Alice, LCSW (you)", b: "Dr Bob, LCSW"}
    assert _labels(bob) == {a: "Dr Alice, LCSW", b: "Dr Bob, LCSW (you)"}
    client = add_client(alice, "Synthetic Shared Client")
    assign(alice, client.id, b)
    found = practice_view.readers(alice.unit_of_work(), client.id)
    assert practice_view.shared_with(found) == "Shared with: Dr Bob, LCSW"

    profile.save_profile(bob.unit_of_work(), replace(bob.profile(), name="Dr Bea Okafor",
                                                                  credentials="PhD, LCSW"))
    _sync(bob, alice)
    assert _labels(alice)[b] == "Dr Bea Okafor, PhD, LCSW"  # as her signature line shows her
    assert practice_view.shared_with(practice_view.readers(alice.unit_of_work(), client.id)) == (
        "Shared with: Dr Bea Okafor, PhD, LCSW")
    # The server holds the name sealed only; nothing is set aside, and nothing goes back and forth.
    with psycopg.connect(admin_url) as conn:
        sealed = [bytes(r) for (r,) in conn.execute("SELECT sealed FROM change")]
    assert sealed and not any(b"Okafor" in row or b"Okafor".hex().encode() in row for row in sealed)
    assert _aside(alice) == _aside(bob) == ()
    assert practice.sync(alice.unit_of_work()).pushed == practice.sync(bob.unit_of_work()).pushed == 0


def test_a_name_is_shown_with_its_credentials_as_a_signature_line_shows_them():
    assert practice_view.signed_name("Dr Bob Ng", "LCSW") == "Dr Bob Ng, LCSW"
    assert practice_view.signed_name(" Dr Bob Ng ", "") == "Dr Bob Ng"  # none given: the name alone
    assert practice_view.signed_name("", "LCSW") == ""  # credentials alone name nobody


def test_a_server_that_alters_a_name_is_caught(make_vault, admin_url):
    alice, bob, _a, b = _pair(make_vault, admin_url)
    _sync(bob)
    with psycopg.connect(admin_url) as conn:
        conn.execute("UPDATE change SET sealed = set_byte(sealed, 19, get_byte(sealed, 19) # 255) "
                     "WHERE table_name = 'setting'")
    with pytest.raises(SyncTampered, match="altered") as refused:
        _sync(alice)
    assert refused.value.exit_code == 4
    assert _labels(alice)[b] == f"clinician {b[:8]}"


def test_a_member_cannot_name_another_clinician(make_vault, admin_url, monkeypatch):
    alice, bob, a, b = _pair(make_vault, admin_url)
    elsewhere = "c" * 32  # a clinician id neither is
    kind = setting_kinds.KINDS["member-names"]
    honest = kind.read

    def renaming(uow):  # Bob's device, changed to send names for Alice and for someone else
        items = honest(uow)
        if st.required_identity(uow).clinician_id == b:
            fake = setting_kinds.member_name("Mallory", "")
            items |= {a: fake, elsewhere: fake}
        return items

    monkeypatch.setitem(setting_kinds.KINDS, "member-names", replace(kind, read=renaming))
    _sync(bob, alice)

    # Bob's own name is taken, no other.
    assert _labels(alice) == {a: "Dr Alice, LCSW (you)", b: "Dr Bob, LCSW"}
    with alice.unit_of_work() as uow:
        assert setting_kinds.received_names(uow) == {b: ("Dr Bob", "LCSW")}
    kept = {(v.item, v.why) for v in _aside(alice)}  # not lost unseen: set aside, and counted
    why = "a name sent for another clinician"
    assert kept == {(a, why), (elsewhere, why)}
    assert all(json.loads(v.value)["name"] == "Mallory" for v in _aside(alice))
    assert clinician_of(alice) == a


def test_a_name_saved_before_the_upgrade_goes_once(make_vault, admin_url, monkeypatch):
    with monkeypatch.context() as older:  # the version before names synced: profiles saved, then synced
        older.delitem(setting_kinds.KINDS, "member-names")
        older.delitem(setting_kinds.BY_SECRET, setting_kinds.PROFILE_ID)
        alice, bob, a, b = _pair(make_vault, admin_url)
        _sync(alice, bob, alice)
        assert _labels(alice)[b] == f"clinician {b[:8]}"

    _sync(alice, bob, alice)  # neither profile is saved again: each name goes anyway
    assert _labels(alice) == {a: "Dr Alice, LCSW (you)", b: "Dr Bob, LCSW"}
    assert _labels(bob) == {a: "Dr Alice, LCSW", b: "Dr Bob, LCSW (you)"}
    assert practice.sync(alice.unit_of_work()).pushed == practice.sync(bob.unit_of_work()).pushed == 0


def test_a_clinicians_other_device_does_not_rename_them_here(make_vault, admin_url):
    desk, laptop, bob = make_vault("desk"), make_vault("laptop"), make_vault("bob")
    founded = found_practice(desk, admin_url)
    me = founded.clinician_id
    b = join_practice(desk, bob, admin_url, founded.practice_fingerprint).clinician_id
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    _sync(desk, laptop, bob, desk, laptop)

    # Each device names its clinician by its profile; the name the other sends is not taken, nor kept.
    assert _labels(desk)[me] == _labels(laptop)[me] == "Dr Desk, LCSW (you)"
    assert _labels(desk)[b] == _labels(laptop)[b] == "Dr Bob, LCSW"
    assert _aside(desk) == _aside(laptop) == _aside(bob) == ()
    assert _labels(bob)[me] == "Dr Desk, LCSW"
