"""Saving the profile's changed fields only (services/profile.update_fields): what a dialog saves
onto the profile as it is stored now, not as the dialog was opened."""

from __future__ import annotations

from dataclasses import replace

import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import profile
from notesdesk.core.storage.vault import Vault


def test_only_the_changed_field_is_saved_onto_a_profile_written_meanwhile(vault: Vault) -> None:
    profile.save_profile(vault.unit_of_work(), replace(vault.profile(), name="Dr Ada", contact="old"))
    # another unit of work (a sync) renames while a dialog holding "Dr Ada" is open
    vault.update_profile(lambda current: replace(current, name="Dr Ada Renamed"))
    saved = profile.update_fields(vault.unit_of_work(), {"contact": "new address"})
    assert (saved.name, saved.contact) == ("Dr Ada Renamed", "new address")
    assert vault.profile() == saved


def test_a_bad_field_stores_nothing(vault: Vault) -> None:
    before = profile.save_profile(vault.unit_of_work(), replace(vault.profile(), name="Dr Ada"))
    with pytest.raises(InvalidInput, match="NPI"):
        profile.update_fields(vault.unit_of_work(), {"contact": "new", "npi": "1234567890"})
    with pytest.raises(InvalidInput, match="no field"):
        profile.update_fields(vault.unit_of_work(), {"colour": "red"})
    with pytest.raises(InvalidInput, match="cannot be int"):
        profile.update_fields(vault.unit_of_work(), {"name": 7})
    assert vault.profile() == before


def test_the_saved_fields_are_trimmed_as_a_full_save_trims_them(vault: Vault) -> None:
    saved = profile.update_fields(vault.unit_of_work(), {"name": "  Dr Ada  "})
    assert saved.name == "Dr Ada"
