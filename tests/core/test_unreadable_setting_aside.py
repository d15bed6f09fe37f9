"""A profile field kept aside because it did not read (settings.incoming) is listed as unreadable, can
be discarded, and cannot be used: nothing crashes (`practice settings-aside`, the kept aside dialog)."""

from __future__ import annotations

import pytest

from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import practice_settings
from notesdesk.core.storage.sealer import encode
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import settings


def _receive_unreadable_name(vault: Vault) -> None:
    change = settings.SettingChange("profile", items={"name": "{not json"})
    with vault.unit_of_work() as uow:
        got = settings.incoming(uow, encode(change), "device-b", "device-a", True, {})
        uow.commit()
    assert got == "held"


def test_an_unreadable_profile_field_kept_aside_is_listed_as_such(vault: Vault) -> None:
    before = vault.profile()
    _receive_unreadable_name(vault)
    [shown] = practice_settings.set_aside(vault.unit_of_work())
    assert (shown.what, shown.item, shown.value) == ("your profile", "name", practice_settings.UNREADABLE)
    assert vault.profile() == before


def test_an_unreadable_version_can_be_discarded_not_used(vault: Vault) -> None:
    _receive_unreadable_name(vault)
    [shown] = practice_settings.set_aside(vault.unit_of_work())
    with pytest.raises(InvalidInput, match="cannot be used here"):
        practice_settings.use_set_aside(vault.unit_of_work(), shown.id)
    dropped = practice_settings.discard_set_aside(vault.unit_of_work(), shown.id)
    assert dropped.value == practice_settings.UNREADABLE
    assert practice_settings.count_set_aside(vault.unit_of_work()) == 0
