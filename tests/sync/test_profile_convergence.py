"""The profile converges between one clinician's devices in one edge: a device that joined holds the
profile it was given, which is no edit of its own, so an edit made on the inviting device after the
invitation stands on both, whichever device id is smaller; two real edits still follow the settings
rule (the smaller device id's version stands, the other kept aside). Issue 18; docs/design-notes.md §9."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from notesdesk.core.services import practice, practice_devices, practice_settings, profile
from notesdesk.core.storage.vault import Vault
from tests.sync.helpers import found_practice
from tests.sync.helpers import sync_in_turn as _sync

SMALLEST = uuid.UUID(int=0)  # below every random device id: the joining device's version would stand
LARGEST = uuid.UUID(int=2**128 - 1)


def _device_id(vault: Vault) -> str:
    return practice.status(vault.unit_of_work()).device_id


def _join_with_id(desk: Vault, laptop: Vault, admin_url: str, device_id: uuid.UUID,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The laptop joins as the desk's other device under `device_id` (the order of the two ids
    decides whose version stands when two edits meet)."""
    code = practice_devices.invite_device(desk.unit_of_work()).code
    with monkeypatch.context() as patched:
        # The join's own name for the uuid module only: nothing else it calls draws this id.
        patched.setattr(practice_devices, "uuid", SimpleNamespace(uuid4=lambda: device_id))
        practice_devices.join_device(laptop.unit_of_work(), admin_url, code)


def _contacts(*vaults: Vault) -> list[str]:
    return [vault.profile().contact for vault in vaults]


def _kept_aside(vault: Vault) -> list[tuple[str, str | None]]:
    return [(v.item, v.value) for v in practice_settings.set_aside(vault.unit_of_work())]


@pytest.mark.parametrize("laptop_id", [SMALLEST, LARGEST], ids=["joiner-smaller", "joiner-larger"])
def test_an_edit_made_after_the_invitation_stands_on_both_devices(
    make_vault, admin_url, monkeypatch, laptop_id
):
    """The desk edits the contact, invites the laptop (which is given that contact), and edits it
    again before it syncs: the laptop made no edit, so the desk's later one stands on both, and
    nothing is kept aside (the given contact was the desk's own earlier version)."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    practice.sync(desk.unit_of_work())
    profile.update_fields(desk.unit_of_work(), {"contact": "Given Street"})
    _join_with_id(desk, laptop, admin_url, laptop_id, monkeypatch)
    assert (_device_id(laptop) < _device_id(desk)) == (laptop_id == SMALLEST)
    profile.update_fields(desk.unit_of_work(), {"contact": "Later Street"})
    _sync(desk, laptop, desk, laptop)
    assert _contacts(desk, laptop) == ["Later Street", "Later Street"]
    assert _kept_aside(desk) == [] and _kept_aside(laptop) == []


def test_two_real_edits_follow_the_rule_after_a_join(make_vault, admin_url, monkeypatch):
    """Both devices edit the contact after the join, before either syncs: the smaller device id's
    (the laptop's) stands on both, and the desk's is kept aside, not lost."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    practice.sync(desk.unit_of_work())
    profile.update_fields(desk.unit_of_work(), {"contact": "Given Street"})
    _join_with_id(desk, laptop, admin_url, SMALLEST, monkeypatch)
    profile.update_fields(desk.unit_of_work(), {"contact": "Desk Street"})
    profile.update_fields(laptop.unit_of_work(), {"contact": "Laptop Lane"})
    _sync(desk, laptop, desk, laptop)
    assert _contacts(desk, laptop) == ["Laptop Lane", "Laptop Lane"]
    for vault in (desk, laptop):  # each keeps the desk's version, once, to use or discard there
        assert _kept_aside(vault).count(("contact", "Desk Street")) == 1, _kept_aside(vault)


def test_a_real_edit_sent_before_the_other_arrives_still_follows_the_rule(make_vault, admin_url, monkeypatch):
    """The laptop's edit has gone out (its base is no longer the given one) when the desk's arrives:
    the rule still decides, on both, for the smaller device id (the laptop's), the desk's kept aside."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    practice.sync(desk.unit_of_work())
    _join_with_id(desk, laptop, admin_url, SMALLEST, monkeypatch)
    _sync(desk, laptop, desk, laptop)
    profile.update_fields(laptop.unit_of_work(), {"contact": "Laptop Lane"})
    _sync(laptop)  # the laptop's edit is on the server
    profile.update_fields(desk.unit_of_work(), {"contact": "Desk Street"})
    _sync(desk, laptop, desk, laptop)
    assert _contacts(desk, laptop) == ["Laptop Lane", "Laptop Lane"]
    for vault in (desk, laptop):
        assert _kept_aside(vault).count(("contact", "Desk Street")) == 1, _kept_aside(vault)


@pytest.mark.parametrize("laptop_id", [SMALLEST, LARGEST], ids=["joiner-smaller", "joiner-larger"])
def test_the_inviting_devices_pushes_before_the_invitation_are_not_weighed_again(
    make_vault, admin_url, monkeypatch, laptop_id
):
    """The laptop's first pull brings the desk's pushes from before the invitation: the profile it was
    given holds them already. Edited on the laptop before that pull, its edit stands on both and none
    of the desk's older versions is kept aside (they are what the laptop's edit was made from)."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    practice.sync(desk.unit_of_work())
    profile.update_fields(desk.unit_of_work(), {"contact": "Given Street"})
    _join_with_id(desk, laptop, admin_url, laptop_id, monkeypatch)
    profile.update_fields(laptop.unit_of_work(), {"contact": "Laptop Lane"})
    _sync(laptop, desk, laptop, desk, laptop)
    assert _contacts(desk, laptop) == ["Laptop Lane", "Laptop Lane"]
    assert _kept_aside(laptop) == [] and _kept_aside(desk) == []
