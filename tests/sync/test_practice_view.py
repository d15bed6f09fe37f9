"""What the app shows of a practice (core/services/practice_view.py) against a real PostgreSQL: the
members and their state, who can read a client, and a colleague named by the name they sign with."""

from __future__ import annotations

from notesdesk.core.services import practice, practice_access, practice_view
from tests.sync.helpers import add_client, found_practice, join_practice, signed_note


def test_members_are_listed_with_their_state_and_the_key_to_compare(make_vault, admin_url):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    c = practice.join(carol.unit_of_work(), admin_url, founded.practice_fingerprint).clinician_id

    seen = practice_view.overview(alice.unit_of_work())

    by_id = {m.clinician_id: m for m in seen.members}
    assert by_id[founded.clinician_id].state == practice_view.MEMBER and by_id[founded.clinician_id].you
    assert by_id[founded.clinician_id].label == "Dr Alice, LCSW (you)"
    assert by_id[b].state == practice_view.MEMBER and by_id[b].label == f"clinician {b[:8]}"
    assert by_id[c].state == practice_view.WAITING
    assert seen.members[0].you  # this clinician first, the one waiting after the members
    assert [m.clinician_id for m in seen.members][-1] == c
    assert seen.status.key_version == 1 and len(seen.status.key_fingerprint.replace(" ", "")) == 32
    assert "password" not in seen.status.server and "@" not in seen.status.server

    # Carol, waiting, can check nothing the server lists yet: she sees herself only.
    (herself,) = practice_view.overview(carol.unit_of_work()).members
    assert herself.you and herself.state == practice_view.WAITING and herself.label == "Dr Carol, LCSW (you)"

    practice_access.remove_clinician(alice.unit_of_work(), b)
    seen = practice_view.overview(alice.unit_of_work())
    assert {m.clinician_id: m.state for m in seen.members}[b] == practice_view.REMOVED
    assert seen.status.key_version == 2


def test_readers_name_a_colleague_by_their_signature_and_follow_an_unassignment(make_vault, admin_url):
    alice, bob, sam = make_vault("alice"), make_vault("bob"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    b = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    s = join_practice(alice, sam, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    assert practice_view.readers(alice.unit_of_work(), client.id) == []  # no key drawn yet

    practice_access.assign(alice.unit_of_work(), client.id, b)
    practice_access.assign(alice.unit_of_work(), client.id, s, supervisor=True)
    found = practice_view.readers(alice.unit_of_work(), client.id)
    expected = f"Shared with: clinician {b[:8]}; clinician {s[:8]} (supervisor)"
    assert practice_view.shared_with(found) == expected

    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    signed_note(bob, client.id, "cover session")
    practice.sync(bob.unit_of_work())
    practice.sync(alice.unit_of_work())
    found = practice_view.readers(alice.unit_of_work(), client.id)
    assert practice_view.shared_with(found) == f"Shared with: Dr Bob, LCSW; clinician {s[:8]} (supervisor)"
    assert [r.label for r in practice_view.readers(bob.unit_of_work(), client.id)][0] == "Dr Bob, LCSW (you)"

    practice_access.unassign(alice.unit_of_work(), client.id, b)
    found = practice_view.readers(alice.unit_of_work(), client.id)
    assert practice_view.shared_with(found) == f"Shared with: clinician {s[:8]} (supervisor)"
