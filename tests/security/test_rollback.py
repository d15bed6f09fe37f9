"""Issue 11's attacks, by someone with the files but not the key, each refused (exit 4) at a plain
`notesdesk client list` — not only by an explicit `verify`."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from notesdesk.cli.main import main
from tests.attacker import edit

PASSPHRASE = "correct horse battery staple"


class Result(NamedTuple):
    code: int
    out: str
    err: str


class Cli:
    def __init__(self, vault: Path) -> None:
        self.vault = vault

    def __call__(self, *args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--vault", str(self.vault), "--passphrase-stdin", *args]
        code = main(argv, stdin=io.StringIO(PASSPHRASE + "\n"), stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.code == 0, result.err
        return result.out


@pytest.fixture
def backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "backups"
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(folder))
    return folder


@pytest.fixture(params=["as made", "after rekey"])
def cli(tmp_path: Path, backups: Path, request: pytest.FixtureRequest) -> Cli:
    """Every attack is tried on the vault as made and after a rekey (its rows, audit chain, head and
    anchor all under a new data key)."""
    run = Cli(tmp_path / "practice.notesdesk")
    run.ok("init")
    run.ok("client", "add", "Zoë Ó Briain")
    if request.param == "after rekey":
        run.ok("rekey")
    return run


sql = edit  # run statements as a key-less attacker would (tests/attacker.py)


def newest_seq(path: Path) -> int:
    newest: Any = sql(path, ("SELECT max(seq) FROM audit", ()))[0][0][0]
    return int(newest)


def assert_refused(cli: Cli, *, naming: str = "restore") -> Result:
    before = cli.vault.read_bytes()
    result = cli("client", "list")
    assert result.code == 4, (result.code, result.err)
    assert result.out == "" and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert naming in result.err.lower()
    assert "Zoë" not in result.err and "Ngozi" not in result.err
    assert cli.vault.read_bytes() == before  # refused before writing a byte
    return result


def test_an_untampered_vault_lists_its_clients(cli: Cli) -> None:
    assert "Zoë Ó Briain" in cli.ok("client", "list")
    assert "Zoë Ó Briain" in cli.ok("client", "list")


def test_cutting_the_newest_audit_entries_is_refused(cli: Cli) -> None:
    # Hide the newest events (here two unlocks and a view; in life, say, an export).
    cli.ok("client", "show", "Zoë")
    cli.ok("client", "list")
    last = newest_seq(cli.vault)
    sql(cli.vault, ("DELETE FROM audit WHERE seq > ?", (last - 3,)))
    assert_refused(cli)


def test_deleting_the_newest_rows_with_the_audit_entries_after_them_is_refused(cli: Cli) -> None:
    before = newest_seq(cli.vault)
    known = {row[0] for row in sql(cli.vault, ("SELECT id FROM client", ()))[0]}
    cli.ok("client", "add", "Ngozi Okafor")
    new = [row[0] for row in sql(cli.vault, ("SELECT id FROM client", ()))[0] if row[0] not in known]
    assert len(new) == 1
    owned = [
        name
        for (name,) in sql(cli.vault, ("SELECT name FROM sqlite_master WHERE type='table'", ()))[0]
        if "client_id" in {col[1] for col in sql(cli.vault, (f"PRAGMA table_info({name})", ()))[0]}
    ]
    sql(
        cli.vault,
        *[(f"DELETE FROM {name} WHERE client_id = ?", (new[0],)) for name in owned],
        ("DELETE FROM client WHERE id = ?", (new[0],)),
        ("DELETE FROM audit WHERE seq > ?", (before,)),
    )
    assert_refused(cli)


def test_rolling_one_row_back_with_the_audit_entries_after_it_is_refused(cli: Cli) -> None:
    before = newest_seq(cli.vault)
    [[(row_id, rev, data)]] = sql(cli.vault, ("SELECT id, rev, data FROM client", ()))
    cli.ok("client", "status", "Zoë", "on-hold")
    sql(
        cli.vault,
        ("UPDATE client SET rev = ?, data = ? WHERE id = ?", (rev, data, row_id)),
        ("DELETE FROM audit WHERE seq > ?", (before,)),
    )
    assert_refused(cli)


def test_rolling_one_row_back_alone_is_refused(cli: Cli) -> None:
    [[(row_id, rev, data)]] = sql(cli.vault, ("SELECT id, rev, data FROM client", ()))
    cli.ok("client", "status", "Zoë", "on-hold")
    sql(cli.vault, ("UPDATE client SET rev = ?, data = ? WHERE id = ?", (rev, data, row_id)))
    assert_refused(cli)


def _old_copy_and_backups(cli: Cli, backups: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """An old genuine vault copy and its genuine backup, then newer work and a newer backup."""
    made = Path(cli.ok("backup").splitlines()[0].strip())
    old_backup = tmp_path / "kept-aside.ndbk"  # the next backup's rotation removes the original
    shutil.copy(made, old_backup)
    old_copy = tmp_path / "old-copy.notesdesk"
    shutil.copy(cli.vault, old_copy)
    cli.ok("client", "add", "Ngozi Okafor")
    newest = Path(cli.ok("backup").splitlines()[0].strip())
    return old_copy, old_backup, newest


def _plant(cli: Cli, old_copy: Path, old_backup: Path, backups: Path) -> None:
    """Put the old vault back and the old backup under a future-dated name, so that by name it is
    the newest backup and matches the old vault."""
    shutil.copy(old_copy, cli.vault)
    shutil.copy(old_backup, backups / "notesdesk-backup-20991231-235959.ndbk")


def test_a_whole_vault_rolled_back_with_a_renamed_old_backup_is_refused(
    cli: Cli, backups: Path, tmp_path: Path
) -> None:
    old_copy, old_backup, newest = _old_copy_and_backups(cli, backups, tmp_path)
    _plant(cli, old_copy, old_backup, backups)
    result = assert_refused(cli, naming=newest.name)
    assert "older" in result.err
    assert cli("verify").code == 4


def test_the_backups_alone_catch_a_rolled_back_vault_on_a_computer_without_an_anchor(
    cli: Cli, backups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_copy, old_backup, newest = _old_copy_and_backups(cli, backups, tmp_path)
    _plant(cli, old_copy, old_backup, backups)
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "a-new-computer"))
    assert_refused(cli, naming=newest.name)


def test_the_local_anchor_alone_catches_a_rolled_back_vault_with_no_backups(
    cli: Cli, tmp_path: Path
) -> None:
    old_copy = tmp_path / "old-copy.notesdesk"
    shutil.copy(cli.vault, old_copy)
    cli.ok("client", "add", "Ngozi Okafor")
    shutil.copy(old_copy, cli.vault)
    result = assert_refused(cli)
    assert "older" in result.err


def _restore_an_older_backup(cli: Cli, backups: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Back up, add a client, restore that backup on purpose. Returns (the replaced vault kept
    beside it, the fresh backup written after the restore)."""
    older = tmp_path / "older.ndbk"
    shutil.copy(Path(cli.ok("backup").splitlines()[0].strip()), older)
    for name in ("Ngozi Okafor", "Dương Văn An", "Łukasz Wiśniewski"):
        cli.ok("client", "add", name)
    before = set(backups.iterdir())
    out = cli.ok("restore", str(older))
    assert "Zoë" in cli.ok("client", "list") and "Ngozi" not in cli.ok("client", "list")
    [kept] = cli.vault.parent.glob("*.replaced-*.bak")
    [fresh] = set(backups.iterdir()) - before
    assert str(kept) in out
    return kept, fresh


def test_restoring_an_older_backup_on_purpose_is_not_refused(
    cli: Cli, backups: Path, tmp_path: Path
) -> None:
    _restore_an_older_backup(cli, backups, tmp_path)
    cli.ok("client", "add", "Amaru Quispe")
    assert cli.ok("verify").startswith("Vault OK")
    cli.ok("backup")
    assert "Amaru Quispe" in cli.ok("client", "list")


def test_the_vault_a_restore_replaced_cannot_be_put_back(
    cli: Cli, backups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, fresh = _restore_an_older_backup(cli, backups, tmp_path)
    shutil.copy(kept, cli.vault)
    assert "another copy" in assert_refused(cli).err
    # Even where no anchor remembers the restore, the backup made after it does.
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "a-new-computer"))
    result = assert_refused(cli, naming=fresh.name)
    assert "replaced by a restore" in result.err


def test_an_audit_entry_spliced_in_from_the_current_vault_does_not_make_another_copy_pass(
    cli: Cli, backups: Path, tmp_path: Path
) -> None:
    kept, _fresh = _restore_an_older_backup(cli, backups, tmp_path)
    [anchor] = Path(os.environ["NOTESDESK_ANCHOR_DIR"]).iterdir()
    seq = json.loads(anchor.read_text())["seq"]
    [[genuine]] = sql(cli.vault, ("SELECT data, mac FROM audit WHERE seq = ?", (seq,)))
    assert newest_seq(kept) > seq  # the replaced vault went further than the restored one
    shutil.copy(kept, cli.vault)
    sql(cli.vault, ("UPDATE audit SET data = ?, mac = ? WHERE seq = ?", (*genuine, seq)))
    shutil.rmtree(backups)  # leave only the anchor to go by
    assert_refused(cli)


def test_a_forged_backup_claiming_a_newer_head_counts_for_nothing(cli: Cli, backups: Path) -> None:
    """Only a backup whose header MAC verifies is evidence: a key-less forger can neither lock the
    user out with an invented newer head nor vouch for an old vault."""
    from notesdesk.core.backup import container

    genuine = Path(cli.ok("backup").splitlines()[0].strip())
    data = genuine.read_bytes()
    header = container.read_header(data)
    start = container.PREFIX.size
    forged_header = header.raw.replace(
        f'"audit_head_seq":{header.audit_head_seq}'.encode(), b'"audit_head_seq":999999'
    )
    assert forged_header != header.raw
    forged = (
        container.PREFIX.pack(container.MAGIC, container.VERSION, len(forged_header))
        + forged_header
        + data[start + len(header.raw) :]
    )
    (backups / "notesdesk-backup-20991231-235959.ndbk").write_bytes(forged)
    assert "Zoë Ó Briain" in cli.ok("client", "list")


RESTORE_CHILD = Path(__file__).with_name("restore_child.py")


@pytest.mark.parametrize("stage", ["staged", "replaced"])
def test_a_kill_in_the_middle_of_a_restore_leaves_a_vault_that_opens(
    cli: Cli, backups: Path, tmp_path: Path, stage: str
) -> None:
    """Killed before the restored vault is put in place: the old one opens; after: the restored one
    opens. Neither is refused as an old copy (the anchor knew of both while the restore ran)."""
    import signal
    import subprocess
    import sys

    cli.ok("backup")
    [older] = backups.iterdir()
    cli.ok("client", "add", "Ngozi Okafor")
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, NOTESDESK_INSECURE_TEST_KDF="1", PYTHONPATH=root)
    child = subprocess.Popen(
        [sys.executable, str(RESTORE_CHILD), str(older), str(cli.vault), PASSPHRASE, stage],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "PAUSED"
    child.send_signal(signal.SIGKILL)
    child.wait()

    listed = cli.ok("client", "list")
    assert "Zoë" in listed
    assert ("Ngozi" in listed) == (stage == "staged")
    assert cli.ok("verify").startswith("Vault OK")
    cli.ok("client", "add", "Amaru Quispe")
    assert "Amaru Quispe" in cli.ok("client", "list")
    # No half-made file left where the vault is looked for.
    assert not list(cli.vault.parent.glob("practice.notesdesk-journal"))
