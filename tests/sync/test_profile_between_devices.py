"""The profile between one clinician's devices: what a join copies, a stale save, the names a colleague
shows, and the tax id that stays on each computer (issue 18; docs/design-notes.md §9)."""
from __future__ import annotations

from dataclasses import replace

from notesdesk.core.services import practice, practice_devices, practice_settings, profile
from tests.sync.helpers import found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync


def test_the_tax_id_stays_on_the_inviting_computer_when_a_device_joins(make_vault, admin_url):
    """README/SECURITY.md: 'the tax id (it may be an SSN) stays on each computer'."""
    desk, laptop = make_vault("desk"), make_vault("laptop")
    found_practice(desk, admin_url)
    profile.save_profile(desk.unit_of_work(), replace(desk.profile(), tax_id="123-45-6789"))
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    assert laptop.profile().tax_id != "123-45-6789"  # it went through the server, sealed under the code


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
