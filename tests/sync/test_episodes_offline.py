"""Episodes of care changed on two devices while offline (docs/design-notes.md §9), against a real
PostgreSQL: a discharged client reopened on both ends with one current episode on both, the other
reopening kept (closed, folded into the current one); two discharges keep both versions to choose."""

from __future__ import annotations

from datetime import date

from notesdesk.core.domain.clients import Client, ClientStatus, Episode
from notesdesk.core.services import clients, sync_conflicts
from notesdesk.core.storage.vault import Vault
from tests.sync.helpers import assign, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync


def _episodes(vault: Vault, client_id: str) -> list[Episode]:
    return sorted(clients.episodes(vault.unit_of_work(), client_id), key=lambda e: (e.opened_on, e.id))


def _discharged_client_on_two_devices(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    bob_id = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    client = clients.add_client(alice.unit_of_work(), Client(name="Synthetic Client",
                                                              intake_date=date(2026, 1, 5)))
    assign(alice, client.id, bob_id)
    clients.discharge(alice.unit_of_work(), client.id, date(2026, 2, 2), "planned ending")
    _sync(alice, bob)
    assert clients.get_client(bob.unit_of_work(), client.id).status == ClientStatus.DISCHARGED
    return alice, bob, client.id


def test_a_client_reopened_on_two_devices_offline_has_one_current_episode_on_both(make_vault, admin_url):
    alice, bob, client = _discharged_client_on_two_devices(make_vault, admin_url)
    # Both return the client while neither can reach the server.
    clients.set_status(alice.unit_of_work(), client, ClientStatus.ACTIVE, date(2026, 3, 10))
    clients.set_status(bob.unit_of_work(), client, ClientStatus.ACTIVE, date(2026, 3, 12))

    _sync(alice, bob, alice, bob)

    on_alice, on_bob = _episodes(alice, client), _episodes(bob, client)
    assert on_alice == on_bob  # both devices end identical
    assert len(on_alice) == 3  # intake, and both reopenings: nothing lost
    current = [e for e in on_alice if e.is_open]
    assert [e.opened_on for e in current] == [date(2026, 3, 10)]  # the earliest reopening goes on
    folded = on_alice[2]
    assert folded.opened_on == date(2026, 3, 12) and folded.closed_on == date(2026, 3, 12)
    assert "2026-03-10" in folded.reason  # says where its care went on
    for vault in (alice, bob):
        assert clients.open_episode(vault.unit_of_work(), client) == current[0]
        assert clients.get_client(vault.unit_of_work(), client).status == ClientStatus.ACTIVE
        assert [c.table for c in sync_conflicts.list_conflicts(vault.unit_of_work())] == []
    _sync(alice, bob)  # and stays so: nothing more goes back and forth
    assert _episodes(alice, client) == _episodes(bob, client) == on_alice


def test_a_client_discharged_on_two_devices_offline_keeps_both_versions_to_choose(make_vault, admin_url):
    alice, bob, client = _discharged_client_on_two_devices(make_vault, admin_url)
    clients.set_status(alice.unit_of_work(), client, ClientStatus.ACTIVE, date(2026, 3, 2))
    _sync(alice, bob)
    clients.discharge(alice.unit_of_work(), client, date(2026, 4, 1), "planned ending")
    clients.discharge(bob.unit_of_work(), client, date(2026, 4, 3), "moved")

    _sync(alice, bob, alice)

    for vault, mine in ((alice, date(2026, 4, 1)), (bob, date(2026, 4, 3))):
        kept = sync_conflicts.list_conflicts(vault.unit_of_work(), client)
        assert "episode" in {c.table for c in kept}  # nothing overwritten silently
        assert _episodes(vault, client)[-1].closed_on == mine  # this device's version stays live
