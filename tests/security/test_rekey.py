"""`notesdesk rekey` and `notesdesk recovery-key new` (SECURITY.md, "Key hierarchy" and "Not
protected"): what a passphrase change does not revoke, a rekey does; copies from before a rekey
are refused; backups from before it restore with the secrets of their day; a kill in the middle
leaves the old vault or the new one, never a mix."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from notesdesk.cli.main import main
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.storage.keyring import derive_keys
from notesdesk.core.storage.sqlite import make_engine
from notesdesk.core.storage.vault_header import read_header, unwrap

PASSPHRASE = "correct horse battery staple"
LATER = "a different long phrase 42"
ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("rekey_child.py")


class Result(NamedTuple):
    code: int
    out: str
    err: str


class Cli:
    def __init__(self, vault: Path) -> None:
        self.vault = vault

    def __call__(
        self, *args: str, stdin: str = PASSPHRASE + "\n", unlock: str = "--passphrase-stdin"
    ) -> Result:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--vault", str(self.vault), unlock, *args]
        code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *args: str, **kwargs: str) -> str:
        result = self(*args, **kwargs)
        assert result.code == 0, result.err
        return result.out


@pytest.fixture
def backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "backups"
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(folder))
    return folder


@pytest.fixture
def cli(tmp_path: Path, backups: Path) -> Cli:
    run = Cli(tmp_path / "practice.notesdesk")
    run.ok("init")
    run.ok("client", "add", "Zoë Ó Briain")
    return run


def _recovery_key(out: str) -> str:
    found = re.search(r"[Rr]ecovery key:\s+(\S+)", out)
    assert found is not None
    return found.group(1)


def _data_key_of(copy: Path, passphrase: str) -> bytes:
    """What someone holding an old copy and its passphrase recovers: its data key."""
    engine = make_engine(copy, read_only=True)
    try:
        meta, slots = read_header(engine)
    finally:
        engine.dispose()
    return unwrap(meta, slots, passphrase, None)


def _sealed_client_rows(vault: Path) -> list[tuple[str, int, bytes]]:
    import sqlite3

    conn = sqlite3.connect(vault)
    rows = conn.execute("SELECT id, rev, data FROM client").fetchall()
    conn.close()
    return rows


def test_after_passwd_and_rekey_an_old_passphrase_and_old_copy_read_nothing_written_later(
    cli: Cli, tmp_path: Path
) -> None:
    old_copy = tmp_path / "copy-from-before.notesdesk"
    shutil.copy(cli.vault, old_copy)
    cli.ok("passwd", stdin=f"{PASSPHRASE}\n{LATER}\n")
    after_passwd = _sealed_client_rows(cli.vault)
    old_key = derive_keys(_data_key_of(old_copy, PASSPHRASE), _vault_id(cli.vault))
    # A passphrase change alone revokes nothing: the old copy's key still reads today's rows.
    for row_id, rev, data in after_passwd:
        assert old_key.sealer.open_bytes("client", row_id, {"rev": rev}, data)

    out = cli.ok("rekey", stdin=LATER + "\n")
    assert "renewed" in out
    cli.ok("client", "add", "Ngozi Okafor", stdin=LATER + "\n")
    rows = _sealed_client_rows(cli.vault)
    assert len(rows) == 2
    for row_id, rev, data in rows:
        with pytest.raises(VaultDamaged):
            old_key.sealer.open_bytes("client", row_id, {"rev": rev}, data)
    listed = cli.ok("client", "list", stdin=LATER + "\n")
    assert "Zoë Ó Briain" in listed and "Ngozi Okafor" in listed
    assert cli.ok("verify", stdin=LATER + "\n").startswith("Vault OK")


def _vault_id(vault: Path) -> str:
    engine = make_engine(vault, read_only=True)
    try:
        return read_header(engine)[0]["vault_id"]
    finally:
        engine.dispose()


def test_rekey_prints_a_new_recovery_key_and_the_old_one_stops_opening_the_vault(cli: Cli) -> None:
    old_key = _recovery_key(cli.ok("recovery-key", "new"))
    assert cli.ok("client", "list", unlock="--recovery-key-stdin", stdin=old_key + "\n")
    out = cli.ok("rekey")
    new_key = _recovery_key(out)
    assert new_key != old_key and "shown only this once" in out
    refused = cli("client", "list", unlock="--recovery-key-stdin", stdin=old_key + "\n")
    assert refused.code == 3
    assert "Zoë" in cli.ok("client", "list", unlock="--recovery-key-stdin", stdin=new_key + "\n")
    assert "Zoë" in cli.ok("client", "list")  # the passphrase it was unlocked with still opens it
    entries = json.loads(cli.ok("--json", "audit"))
    assert [e["action"] for e in entries].count("rekey") == 1


def test_rekey_with_the_recovery_key_sets_a_new_passphrase(cli: Cli) -> None:
    key = _recovery_key(cli.ok("recovery-key", "new"))
    out = cli.ok("rekey", unlock="--recovery-key-stdin", stdin=f"{key}\n{LATER}\n")
    assert _recovery_key(out) != key
    assert cli("client", "list").code == 3
    assert "Zoë" in cli.ok("client", "list", stdin=LATER + "\n")


def test_a_new_recovery_key_alone_replaces_the_old_one_for_the_vault(cli: Cli, backups: Path) -> None:
    old = _recovery_key(cli.ok("recovery-key", "new"))
    cli.ok("backup")
    new = _recovery_key(cli.ok("recovery-key", "new"))
    assert cli("client", "list", unlock="--recovery-key-stdin", stdin=old + "\n").code == 3
    assert "Zoë" in cli.ok("client", "list", unlock="--recovery-key-stdin", stdin=new + "\n")
    # What SECURITY.md says it does not do: the backup made before still opens with the old key.
    [backup] = backups.iterdir()
    assert cli.ok("verify", str(backup), unlock="--recovery-key-stdin", stdin=old + "\n")


def test_a_copy_from_before_the_rekey_is_refused(cli: Cli, tmp_path: Path) -> None:
    old_copy = tmp_path / "copy-from-before.notesdesk"
    shutil.copy(cli.vault, old_copy)
    cli.ok("rekey")
    cli.ok("client", "add", "Ngozi Okafor")
    shutil.copy(old_copy, cli.vault)
    before = cli.vault.read_bytes()
    result = cli("client", "list")
    assert result.code == 4
    assert result.err.count("\n") == 1 and "renewed" in result.err
    assert cli.vault.read_bytes() == before


def test_a_copy_from_between_two_rekeys_is_refused_after_many_commits(cli: Cli, tmp_path: Path) -> None:
    """Every commit rewrites the anchor; it keeps listing every earlier key as retired."""
    between = tmp_path / "copy-between.notesdesk"
    cli.ok("rekey")
    shutil.copy(cli.vault, between)
    cli.ok("rekey")
    for _ in range(3):
        cli.ok("client", "list")
    shutil.copy(between, cli.vault)
    result = cli("client", "list")
    assert result.code == 4 and "renewed" in result.err


def test_a_backup_from_before_the_rekey_restores_with_its_old_passphrase(
    cli: Cli, backups: Path, tmp_path: Path
) -> None:
    cli.ok("backup")
    [before_rekey] = backups.iterdir()
    cli.ok("passwd", stdin=f"{PASSPHRASE}\n{LATER}\n")
    cli.ok("rekey", stdin=LATER + "\n")
    cli.ok("client", "add", "Ngozi Okafor", stdin=LATER + "\n")
    assert before_rekey.exists()  # left alone: it is not under the new key
    out = cli.ok("restore", str(before_rekey))  # its own passphrase, of its day
    assert "Restored" in out
    listed = cli.ok("client", "list")
    assert "Zoë Ó Briain" in listed and "Ngozi Okafor" not in listed
    assert cli.ok("verify").startswith("Vault OK")


def test_backups_made_after_a_rekey_verify_and_count(cli: Cli, backups: Path) -> None:
    cli.ok("rekey")
    cli.ok("backup")
    cli.ok("client", "add", "Ngozi Okafor")
    assert cli.ok("verify").startswith("Vault OK")
    [backup] = backups.iterdir()
    assert cli.ok("verify", str(backup))


@pytest.mark.parametrize("stage", ["resealed", "slots"])
def test_a_kill_in_the_middle_of_rekey_leaves_the_old_vault_whole(
    cli: Cli, tmp_path: Path, stage: str
) -> None:
    key = _recovery_key(cli.ok("recovery-key", "new"))
    cli.ok("client", "add", "Ngozi Okafor")
    env = dict(os.environ, NOTESDESK_INSECURE_TEST_KDF="1", PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(cli.vault), PASSPHRASE, stage],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "PAUSED"  # in the middle of the one transaction
    child.send_signal(signal.SIGKILL)
    child.wait()

    # The old vault, whole: its passphrase and recovery key open it, every seal and the chain hold.
    assert "Ngozi Okafor" in cli.ok("client", "list")
    assert "Ngozi Okafor" in cli.ok("client", "list", unlock="--recovery-key-stdin", stdin=key + "\n")
    assert cli.ok("verify").startswith("Vault OK")
    actions = [e["action"] for e in json.loads(cli.ok("--json", "audit"))]
    assert "rekey" not in actions
    # And a rekey run again now completes.
    assert "renewed" in cli.ok("rekey")
    assert cli.ok("verify").startswith("Vault OK")


def test_a_backup_made_after_the_rekey_refuses_a_copy_from_before_on_a_computer_without_the_anchor(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_copy = tmp_path / "copy-from-before.notesdesk"
    shutil.copy(cli.vault, old_copy)
    cli.ok("rekey")
    cli.ok("backup")
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "a-new-computer"))
    shutil.copy(old_copy, cli.vault)
    result = cli("client", "list")
    assert result.code == 4 and "renewed" in result.err


def test_rotation_leaves_the_backups_from_before_a_rekey_alone(cli: Cli, backups: Path) -> None:
    cli.ok("backup")
    cli.ok("backup")  # same day: the first is rotated away, as for any vault
    [before_rekey] = backups.iterdir()
    cli.ok("rekey")
    cli.ok("backup")
    said = cli("backup")
    assert said.code == 0
    assert "1 backup of this vault from before its keys were renewed" in said.err
    remaining = set(backups.iterdir())
    assert before_rekey in remaining  # no longer under the vault's key: never this vault's to delete
    assert len(remaining) == 2


def test_a_vault_open_read_only_keeps_its_keys(cli: Cli) -> None:
    from notesdesk.core.errors import ReadOnlyVault
    from notesdesk.core.storage import rekey
    from notesdesk.core.storage.vault import Vault

    before = cli.vault.read_bytes()
    with Vault.open(cli.vault, passphrase=PASSPHRASE, read_only=True) as vault:
        with pytest.raises(ReadOnlyVault):
            rekey.rekey(vault, PASSPHRASE)
        with pytest.raises(ReadOnlyVault):
            rekey.new_recovery_key(vault)
    assert cli.vault.read_bytes() == before
    assert "Zoë" in cli.ok("client", "list")


def test_a_backup_from_before_a_rekey_restores_even_beside_backups_made_after_it(
    cli: Cli, backups: Path
) -> None:
    """The later backups list the old key as retired, but only for the lineage they belong to:
    restoring on purpose starts a new one (storage/rollback.py)."""
    cli.ok("backup")
    [before_rekey] = backups.iterdir()
    cli.ok("rekey")
    cli.ok("client", "add", "Ngozi Okafor")
    cli.ok("backup")
    cli.ok("restore", str(before_rekey))
    listed = cli.ok("client", "list")
    assert "Zoë Ó Briain" in listed and "Ngozi Okafor" not in listed
    cli.ok("client", "add", "Amaru Quispe")
    assert cli.ok("verify").startswith("Vault OK")
