"""Saving the profile's changed fields only (services/profile.update_fields): what a dialog saves
onto the profile as it is stored now, not as the dialog was opened."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

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


@pytest.mark.parametrize("name", ["retention_years_after_service", "retention_years_after_majority",
                                  "age_of_majority"])
def test_record_keeping_years_are_at_least_one(vault: Vault, name: str) -> None:
    """0 would make a discharged client's record deletable at once: refused, nothing stored."""
    before = vault.profile()
    with pytest.raises(InvalidInput, match="from 1 to 150"):
        profile.update_fields(vault.unit_of_work(), {name: 0})
    too_many: dict[str, Any] = {name: 151}
    with pytest.raises(InvalidInput, match="from 1 to 150"):
        profile.save_profile(vault.unit_of_work(), replace(before, **too_many))
    assert vault.profile() == before
    assert getattr(profile.update_fields(vault.unit_of_work(), {name: 1}), name) == 1
    assert getattr(profile.update_fields(vault.unit_of_work(), {name: 150}), name) == 150
