"""The profile travels between one clinician's own devices (issue 18): a name, credentials, contact,
country or NPI changed on one computer reaches the other, whose next signature carries it, and
colleagues see one name; two offline edits of the same field end the same on both (the smaller device
id's stands, the other is kept aside), of different fields both stand; the tax id stays on each
computer; a colleague's profile is never taken."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import psycopg

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import practice, practice_devices, practice_settings, practice_view, profile
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.vault import Vault
from notesdesk.core.storage.vault_settings import PROFILE_ID
from notesdesk.core.sync import setting_kinds
from tests.sync.helpers import add_client, found_practice, join_practice, signed_note
from tests.sync.helpers import sync_in_turn as _sync

NPI = "1234567893"  # a made-up NPI whose check digit holds


def _own_devices(make_vault, admin_url) -> tuple[Vault, Vault, Vault, str]:
    """Desk and laptop of one clinician, and a colleague, Bob; returns the clinician's id."""
    desk, laptop, bob = make_vault("desk"), make_vault("laptop"), make_vault("bob")
    founded = found_practice(desk, admin_url)
    join_practice(desk, bob, admin_url, founded.practice_fingerprint)
    code = practice_devices.invite_device(desk.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    _sync(desk, laptop, bob, desk, laptop)
    return desk, laptop, bob, founded.clinician_id


def _save(vault: Vault, **fields: Any) -> None:
    profile.save_profile(vault.unit_of_work(), replace(vault.profile(), **fields))


def _stored(vault: Vault) -> PractitionerProfile | None:
    """The profile as stored, sealed (not only the copy the vault holds in memory)."""
    with vault.unit_of_work() as uow:
        return SealedTable(uow.ctx, "secret", PractitionerProfile).find(PROFILE_ID)


def _device(vault: Vault) -> str:
    return practice.status(vault.unit_of_work()).device_id


def test_a_profile_changed_on_one_device_reaches_the_other_and_signs_there(make_vault, admin_url):
    desk, laptop, bob, me = _own_devices(make_vault, admin_url)
    _save(desk, name="Dr Dana Desk", credentials="PhD, LP", contact="12 Synthetic Row", npi=NPI,
          locale="UK", tax_id="12-3456789", retention_years_after_service=10)
    _save(laptop, tax_id="98-7654321")
    _sync(desk, laptop)

    got = laptop.profile()
    shown = (got.name, got.credentials, got.contact, got.npi, got.locale, got.retention_years_after_service)
    assert shown == ("Dr Dana Desk", "PhD, LP", "12 Synthetic Row", NPI, "UK", 10)
    assert got.tax_id == "98-7654321"  # each computer keeps its own: it may be an SSN
    client = add_client(laptop, "Synthetic Client")
    note = signed_note(laptop, client.id, "a session on the laptop")
    assert note.signature is not None
    assert (note.signature.signer, note.signature.credentials) == ("Dr Dana Desk", "PhD, LP")

    _sync(laptop, desk, bob)
    # A colleague names the clinician once, as both devices now do; their own profile is untouched.
    labels = {m.clinician_id: m.label for m in practice_view.overview(bob.unit_of_work()).members}
    assert labels[me] == "Dr Dana Desk, PhD, LP"
    assert bob.profile().name == "Dr Bob" and bob.profile().contact == ""
    for vault in (desk, laptop, bob):
        assert practice_settings.count_set_aside(vault.unit_of_work()) == 0
    assert practice.sync(desk.unit_of_work()).pushed == practice.sync(laptop.unit_of_work()).pushed == 0
    # The server never sees it in the clear.
    with psycopg.connect(admin_url) as conn:
        sealed = [bytes(r) for (r,) in conn.execute("SELECT sealed FROM change")]
    assert not any(b"Synthetic Row" in row for row in sealed)
    stored = _stored(laptop)
    assert stored is not None and stored.name == "Dr Dana Desk"


def test_two_offline_edits_of_the_profile_end_the_same_on_both_devices(make_vault, admin_url):
    desk, laptop, _bob, _me = _own_devices(make_vault, admin_url)
    _save(desk, credentials="LCSW, desk")
    _save(laptop, credentials="LCSW, laptop", contact="Laptop's new address")
    _sync(desk, laptop, desk)

    stands = "LCSW, desk" if _device(desk) < _device(laptop) else "LCSW, laptop"
    other = ({"LCSW, desk", "LCSW, laptop"} - {stands}).pop()
    for vault in (desk, laptop):
        assert vault.profile().credentials == stands
        assert vault.profile().contact == "Laptop's new address"  # another field: both edits stand
    # The version that did not stand is not lost: kept aside on both, as a template's, to use or discard.
    for vault in (desk, laptop):
        kept = practice_settings.set_aside(vault.unit_of_work())
        assert [(v.what, v.item, v.value) for v in kept] == [("your profile", "credentials", other)]
    assert practice.sync(desk.unit_of_work()).pushed == practice.sync(laptop.unit_of_work()).pushed == 0

    # Using the version kept aside makes it the profile here, and the other device takes it.
    (kept,) = practice_settings.set_aside(desk.unit_of_work())
    practice_settings.use_set_aside(desk.unit_of_work(), kept.id)
    assert desk.profile().credentials == other
    _sync(desk, laptop)
    assert laptop.profile().credentials == other and laptop.profile().contact == "Laptop's new address"


def test_a_received_profile_field_is_taken_only_as_a_profile_stores_it():
    """What `check` refuses is set aside instead of stored (settings.incoming)."""
    check = setting_kinds.KINDS["profile"].check
    assert check({}, {"name": '"Dr Dana Desk"', "age_of_majority": "150", "locale": '"UK"'}) is None
    assert check({}, {"age_of_majority": "151"}) == "a profile's years out of range"
    assert check({}, {"retention_years_after_service": "-1"}) == "a profile's years out of range"
    assert check({}, {"age_of_majority": '"18"'}) == "a profile field that does not read"
    assert check({}, {"tax_id": '"12-3456789"'}) == "a profile field that does not read"  # never sent
    for bad in ({"name": '"Dr\\nDana"'}, {"locale": '"ZZ"'}, {"npi": '"1234567890"'}, {"name": "{"}):
        assert check({}, bad) is not None
