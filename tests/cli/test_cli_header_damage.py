"""A damaged key slot or header setting is reported as damage (exit 4, one line saying what to do),
never as a wrong secret; the other secret opens the vault, says what was damaged and repairs it
together with the slot it replaces (core/storage/header_repair.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import PASSPHRASE, Runner

NEW_PASSPHRASE = "a different long phrase 42"


def _flip_slot_bit(vault: Path, kind: str) -> None:
    conn = sqlite3.connect(vault)
    wrapped = bytearray(conn.execute("SELECT wrapped FROM keyslot WHERE kind = ?", (kind,)).fetchone()[0])
    wrapped[20] ^= 0x04
    conn.execute("UPDATE keyslot SET wrapped = ? WHERE kind = ?", (bytes(wrapped), kind))
    conn.commit()
    conn.close()


def _flip_setting(vault: Path, key: str) -> None:
    """One character of a clear header setting changed, as one damaged bit would."""
    conn = sqlite3.connect(vault)
    value = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]
    damaged = value[:5] + chr(ord(value[5]) ^ 0x01) + value[6:]
    conn.execute("UPDATE meta SET value = ? WHERE key = ?", (damaged, key))
    conn.commit()
    conn.close()


def _one_line(err: str) -> None:
    assert err.count("\n") == 1 and err.startswith("notesdesk: ")


def test_a_damaged_passphrase_slot_is_damage_and_the_recovery_key_rebuilds_it(
    run: Runner, recovery_key: str, vault_path: Path
) -> None:
    _flip_slot_bit(vault_path, "passphrase")
    before = vault_path.read_bytes()

    refused = run("client", "list")
    assert refused.code == 4
    _one_line(refused.err)
    assert "Wrong passphrase" not in refused.err
    assert "passphrase key slot is damaged" in refused.err
    assert "passwd --recovery-key-stdin" in refused.err
    assert vault_path.read_bytes() == before

    repaired = run("passwd", unlock="--recovery-key-stdin", stdin=f"{recovery_key}\n{NEW_PASSPHRASE}\n")
    assert repaired.code == 0, repaired.err
    assert "passphrase key slot" in repaired.err and "repaired" in repaired.err
    assert "Passphrase changed" in repaired.out

    run.ok("client", "list", stdin=NEW_PASSPHRASE + "\n")
    run.ok("verify", stdin=NEW_PASSPHRASE + "\n")
    assert run("client", "list").code == 3  # the old passphrase: now simply wrong


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("signing_public", "signing key's public half"),
        ("owner_id", "owner id"),
        ("slot_sums", "key slot checksums"),
        ("header_mac", "header check value"),
    ],
)
def test_a_damaged_header_setting_with_the_right_passphrase_is_damage_and_repairable(
    run: Runner, recovery_key: str, vault_path: Path, setting: str, named: str
) -> None:
    run.ok("client", "add", "Ada Example")
    _flip_setting(vault_path, setting)

    refused = run("client", "list")
    assert refused.code == 4
    _one_line(refused.err)
    assert "Wrong passphrase" not in refused.err
    assert "recovery" in refused.err

    repaired = run("--json", "passwd", unlock="--recovery-key-stdin",
                   stdin=f"{recovery_key}\n{NEW_PASSPHRASE}\n")
    assert repaired.code == 0, repaired.err
    assert named in repaired.err
    assert any(named in item for item in json.loads(repaired.out)["repaired"])

    assert "Ada Example" in run.ok("client", "list", stdin=NEW_PASSPHRASE + "\n")
    run.ok("verify", stdin=NEW_PASSPHRASE + "\n")
    run.ok("verify", unlock="--recovery-key-stdin", stdin=recovery_key + "\n")


def test_other_commands_with_the_recovery_key_do_not_hide_the_damage(
    run: Runner, recovery_key: str, vault_path: Path
) -> None:
    _flip_setting(vault_path, "signing_public")
    before = vault_path.read_bytes()
    result = run("client", "list", unlock="--recovery-key-stdin", stdin=recovery_key + "\n")
    assert result.code == 4
    _one_line(result.err)
    assert "passwd --recovery-key-stdin" in result.err
    assert vault_path.read_bytes() == before


def test_a_damaged_recovery_slot_is_damage_for_the_recovery_key_too(
    run: Runner, recovery_key: str, vault_path: Path
) -> None:
    _flip_slot_bit(vault_path, "recovery")
    result = run("client", "list", unlock="--recovery-key-stdin", stdin=recovery_key + "\n")
    assert result.code == 4
    _one_line(result.err)
    assert "recovery key slot is damaged" in result.err
    normal = run("client", "list")
    assert normal.code == 4 and "recovery key slot is damaged" in normal.err
    assert "recovery-key new" in normal.err


def test_a_wrong_passphrase_on_an_intact_vault_is_still_exit_3(run: Runner, recovery_key: str) -> None:
    assert run("client", "list", stdin="not the right passphrase at all\n").code == 3
    assert run("client", "list", stdin=PASSPHRASE + "\n").code == 0


def test_the_passphrase_issues_a_new_recovery_key_in_place_of_a_damaged_slot(
    run: Runner, recovery_key: str, vault_path: Path
) -> None:
    _flip_slot_bit(vault_path, "recovery")
    assert run("client", "list").code == 4
    result = run("recovery-key", "new")
    assert result.code == 0, result.err
    assert "recovery key slot" in result.err and "repaired" in result.err
    new_key = result.out.split("New recovery key:")[1].split()[0]
    run.ok("client", "list")
    run.ok("client", "list", unlock="--recovery-key-stdin", stdin=new_key + "\n")
    assert run("client", "list", unlock="--recovery-key-stdin", stdin=recovery_key + "\n").code == 3
    run.ok("verify")
