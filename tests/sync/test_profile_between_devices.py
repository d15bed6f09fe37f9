"""The profile between one clinician's devices: what a join copies, a stale save, the names a colleague
shows, and the tax id that stays on each computer (issue 18; docs/design-notes.md §9)."""
from __future__ import annotations

from dataclasses import replace

import psycopg

from notesdesk.core.services import practice, practice_devices, practice_settings, profile
from notesdesk.core.sync import devices, setting_kinds, shared
from tests.sync.helpers import found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync


def test_the_tax_id_stays_on_the_inviting_computer_when_a_device_joins(make_vault, admin_url):
    """README/SECURITY.md: 'the tax id (it may be an SSN) stays on each computer'."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    signer = replace(desk.profile(), name="Dr Dana Desk", tax_id="123-45-6789")
    profile.save_profile(desk.unit_of_work(), signer)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    with psycopg.connect(admin_url) as conn:  # the invitation as the server holds it, opened with the code
        row = conn.execute("SELECT id, practice_id, kdf, sealed, expires_at FROM device_invite").fetchone()
    invited = devices.open_invite(code, row[1], row[0], row[4], row[2], bytes(row[3]))
    assert invited is not None and invited.profile.name == desk.profile().name
    assert invited.profile.tax_id == ""
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    assert laptop.profile().tax_id == "" and desk.profile().tax_id == "123-45-6789"


def test_saving_other_fields_keeps_a_rename_received_meanwhile(make_vault, admin_url):
    """A dialog opened before a rename arrived saves only the field the person changed."""
    desk, laptop, bob = make_vault("desk"), make_vault("laptop"), make_vault("bob")
    founded = found_practice(desk, admin_url)
    join_practice(desk, bob, admin_url, founded.practice_fingerprint)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    _sync(desk, laptop, bob, desk, laptop)
    # the Settings dialog is open on the laptop meanwhile
    profile.save_profile(desk.unit_of_work(), replace(desk.profile(), name="Dr Dana Renamed"))
    _sync(desk, laptop)  # the background sync brings the rename while the dialog is open
    assert laptop.profile().name == "Dr Dana Renamed"
    # OK pressed after changing only the contact: only that field is saved, onto the profile as it is now
    profile.update_fields(laptop.unit_of_work(), {"contact": "new address"})
    _sync(laptop, desk)
    got = (desk.profile().name, laptop.profile().name, desk.profile().contact)
    assert got == ("Dr Dana Renamed", "Dr Dana Renamed", "new address"), got
    assert practice_settings.count_set_aside(desk.unit_of_work()) == 0


def test_a_colleague_shows_the_name_and_credentials_edited_on_two_devices_in_turn(make_vault, admin_url):
    """Rename on the desk, the laptop takes it, then credentials changed on the laptop: a colleague
    should show the latest name and credentials, with nothing kept aside (no edit was concurrent)."""
    desk, laptop, bob = make_vault("desk"), make_vault("laptop"), make_vault("bob")
    founded = found_practice(desk, admin_url)
    join_practice(desk, bob, admin_url, founded.practice_fingerprint)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    _sync(desk, laptop, bob, desk, laptop, bob)
    profile.save_profile(desk.unit_of_work(), replace(desk.profile(), name="Dr Dana Renamed"))
    _sync(desk, laptop, bob)
    profile.save_profile(laptop.unit_of_work(), replace(laptop.profile(), credentials="PhD"))
    _sync(laptop, desk, bob)
    from notesdesk.core.services import practice_view
    labels = {m.clinician_id: m.label for m in practice_view.overview(bob.unit_of_work()).members}
    aside = practice_settings.set_aside(bob.unit_of_work())
    assert labels[founded.clinician_id] == "Dr Dana Renamed, PhD" and not aside, (labels, aside)


def test_a_joined_device_first_sync_keeps_a_profile_edit_made_meanwhile(make_vault, admin_url):
    """The laptop joins (adopting the desk's profile), the desk then sets its NPI and syncs; the
    laptop's first sync sends its adopted fields with no base. Both should end with the NPI."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    practice.sync(desk.unit_of_work())
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    profile.save_profile(desk.unit_of_work(), replace(desk.profile(), npi="1234567893"))
    _sync(desk, laptop, desk, laptop)
    got = (desk.profile().npi, laptop.profile().npi, practice_settings.count_set_aside(desk.unit_of_work()))
    assert got == ("1234567893", "1234567893", 0), got


def test_received_record_keeping_years_below_one_are_refused():
    """The app never stores 0 (services/profile.check_profile): a received 0 is kept aside, not taken."""
    check = setting_kinds.KINDS["profile"].check
    for name in ("retention_years_after_service", "retention_years_after_majority", "age_of_majority"):
        assert check({}, {name: "0"}) == "a profile's years out of range"
        assert check({}, {name: "1"}) is None


def test_two_devices_holding_different_profiles_before_the_upgrade_end_the_same(make_vault, admin_url):
    """Devices joined before the profile travelled hold no base for it: each differing field ends the
    same on both, the other version kept aside (README: nothing lost)."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    with laptop.unit_of_work() as uow:  # as a join made by an earlier version left it: no profile base
        bases = {k: v for k, v in shared.load_bases(uow).items() if not k.startswith("setting/profile/")}
        shared.save_bases(uow, bases)
        uow.commit()
    profile.save_profile(desk.unit_of_work(), replace(desk.profile(), contact="Desk Street"))
    profile.save_profile(laptop.unit_of_work(), replace(laptop.profile(), contact="Laptop Lane"))
    _sync(desk, laptop, desk, laptop)
    assert desk.profile().contact == laptop.profile().contact
    lost = "Laptop Lane" if desk.profile().contact == "Desk Street" else "Desk Street"
    for vault in (desk, laptop):  # each keeps the version that did not stand, to use or discard there
        kept = practice_settings.set_aside(vault.unit_of_work())
        assert [(v.item, v.value) for v in kept] == [("contact", lost)]


def test_a_joined_device_first_sync_sends_no_stale_name_to_colleagues(make_vault, admin_url):
    """The laptop joins with the desk's name; the desk renames and a colleague takes it before the
    laptop first syncs: the colleague keeps the new name, with nothing kept aside."""
    desk, laptop, bob = make_vault("desk"), make_vault("laptop"), make_vault("bob")
    founded = found_practice(desk, admin_url)
    join_practice(desk, bob, admin_url, founded.practice_fingerprint)
    _sync(desk, bob, desk, bob)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    profile.update_fields(desk.unit_of_work(), {"name": "Dr Dana Renamed"})
    _sync(desk, bob, laptop, bob, desk, laptop, bob)
    from notesdesk.core.services import practice_view
    labels = {m.clinician_id: m.label for m in practice_view.overview(bob.unit_of_work()).members}
    assert labels[founded.clinician_id].startswith("Dr Dana Renamed")
    assert practice_settings.set_aside(bob.unit_of_work()) == []
    assert laptop.profile().name == "Dr Dana Renamed"
