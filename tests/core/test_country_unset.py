"""No default country for crisis lines (issue 14 item 9): a new vault's practice country is unset, and
until it is set printed documents carry no crisis number and say why; vaults made before keep theirs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from notesdesk.core.reports.crisis_lines import COUNTRY_NOT_SET, NOT_SET, describe, lines_for
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE


def test_a_new_vault_has_no_country_and_keeps_it_unset_after_reopening(vault_path: Path) -> None:
    vault, _key = Vault.create(vault_path, PASSPHRASE)
    assert vault.profile().locale == ""
    vault.close()
    with Vault.open(vault_path, passphrase=PASSPHRASE) as reopened:
        assert reopened.profile().locale == ""
        reopened.save_profile(replace(reopened.profile(), locale="UK"))  # Settings sets it
    with Vault.open(vault_path, passphrase=PASSPHRASE) as again:
        assert again.profile().locale == "UK"
        assert lines_for(again.profile().locale).lines[0].number == "116 123"


def test_a_vault_made_before_keeps_its_country(legacy_vault: Path) -> None:
    with Vault.open(legacy_vault, passphrase=PASSPHRASE) as vault:
        assert vault.profile().locale == "US"


def test_unset_means_no_number_and_the_reason() -> None:
    assert lines_for("") is NOT_SET and lines_for("  ") is NOT_SET and NOT_SET.lines == ()
    assert COUNTRY_NOT_SET == "Crisis numbers appear once the practice's country is set in Settings."
    assert NOT_SET.emergency.endswith(COUNTRY_NOT_SET) and not any(ch.isdigit() for ch in NOT_SET.emergency)
    assert describe("").splitlines() == [NOT_SET.emergency]
