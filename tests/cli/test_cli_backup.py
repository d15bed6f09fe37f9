"""backup, backup list, verify (vault and backup file), restore; the location warning."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest
from filelock import FileLock

from notesdesk import paths
from notesdesk.cli.main import main
from notesdesk.core.backup import service
from notesdesk.core.storage.vault_lock import lock_path

from .conftest import PASSPHRASE, Runner

BACKUP_NAME = re.compile(r"^notesdesk-backup-\d{8}-\d{6}(-\d+)?\.ndbk$")


def _fill(run: Runner) -> str:
    """Two clients and a signed note; returns the note id."""
    run.ok("client", "add", "Amaru Quispe")
    note = run.ok(
        "note", "add", "Zoë", "--format", "SOAP", "--date", "2024-03-05", "--section", "subjective=Slept well"
    ).strip()
    run.ok("note", "sign", note)
    return note


def _backup(run: Runner, *extra: str) -> Path:
    path = Path(json.loads(run.ok("--json", "backup", *extra))["path"])
    assert path.is_file()
    return path


def _one_line_error(err: str) -> None:
    assert err.startswith("notesdesk: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_backup_then_verify_the_file_with_passphrase_and_recovery_key(
    run: Runner, client_id: str, recovery_key: str, tmp_path: Path
) -> None:
    _fill(run)
    path = _backup(run)
    assert path.parent == tmp_path / "backups"
    assert BACKUP_NAME.match(path.name)
    assert "Zo" not in path.name and "Amaru" not in path.name
    assert path.stat().st_mode & 0o077 == 0
    # A backup needs no vault at all: run from a place where there is none.
    elsewhere = Runner(tmp_path / "no-vault-here.notesdesk")
    out = elsewhere.ok("verify", str(path))
    assert out.startswith(f"Backup OK: {path}")
    for expected in ("Created:", "clients: 2", "notes: 1", "authentic: OK", "Signed notes:  1 verified: OK"):
        assert expected in out
    assert re.search(r"Audit entries: \d+ in an unbroken chain: OK", out)
    by_key = elsewhere.ok("verify", str(path), stdin=recovery_key + "\n", unlock="--recovery-key-stdin")
    assert by_key == out
    report = json.loads(elsewhere.ok("--json", "verify", str(path)))
    assert report["ok"] is True and report["signed_notes"] == 1 and report["counts"]["clients"] == 2
    assert not (tmp_path / "no-vault-here.notesdesk").exists()


def test_backup_to_a_folder_prints_only_the_path(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = run.ok("backup", "--to", str(tmp_path / "usb"))
    path = Path(out.strip())
    assert out == f"{path}\n" and path.parent == tmp_path / "usb" and path.is_file()
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize(
    "damage",
    ["truncate-half", "truncate-tail", "flip-middle", "flip-header", "extend", "magic-only"],
)
def test_verify_a_damaged_backup_exit_4_in_one_line(
    run: Runner, client_id: str, tmp_path: Path, damage: str
) -> None:
    _fill(run)
    data = bytearray(_backup(run).read_bytes())
    if damage == "truncate-half":
        data = data[: len(data) // 2]
    elif damage == "truncate-tail":
        data = data[:-1]
    elif damage == "flip-middle":
        data[len(data) // 2] ^= 0x04
    elif damage == "flip-header":
        data[20] ^= 0x01
    elif damage == "extend":
        data += b"\x00" * 64
    else:
        data = data[:4]  # starts like a backup, then nothing
    bad = tmp_path / "bad.ndbk"
    bad.write_bytes(bytes(data))
    result = run("verify", str(bad))
    assert result.code == 4, result.err
    _one_line_error(result.err)
    assert result.out == ""


@pytest.mark.parametrize("content", [b"", b"hello\n", bytes(range(256)) * 4, b"NDB"])
def test_a_file_that_is_not_a_backup_is_no_tampering(run: Runner, tmp_path: Path, content: bytes) -> None:
    """Empty, text or random bytes: exit 1 and a plain message, not the tamper code 4."""
    other = tmp_path / "other.ndbk"
    other.write_bytes(content)
    result = run("verify", str(other), stdin="")  # no passphrase needed to tell
    assert result.code == 1, result.err
    _one_line_error(result.err)
    assert result.err == f"notesdesk: {other} is not a NotesDesk backup file.\n"
    assert "cannot be trusted" not in result.err
    as_json = run("--json", "verify", str(other), stdin="")
    assert json.loads(as_json.err) == {"error": f"{other} is not a NotesDesk backup file.", "exit_code": 1}


def test_a_vault_or_a_folder_given_as_the_backup_is_a_usage_error(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path
) -> None:
    result = run("verify", str(vault_path), stdin="")
    assert result.code == 2, result.err
    _one_line_error(result.err)
    assert "This is a vault, not a backup; run 'notesdesk verify' (without FILE)" in result.err
    copy = tmp_path / "copy.notesdesk"
    shutil.copy(vault_path, copy)
    elsewhere = run("verify", str(copy), stdin="")
    assert elsewhere.code == 2 and f"run 'notesdesk --vault {copy} verify'" in elsewhere.err
    folder = run("verify", str(tmp_path), stdin="")
    assert folder.code == 2 and "is a folder" in folder.err
    before = vault_path.read_bytes()
    for source in (copy, tmp_path / "other"):
        (tmp_path / "other").write_bytes(b"not a backup")
        restored = run("restore", str(source))
        assert restored.code in (1, 2) and "cannot be trusted" not in restored.err
        assert vault_path.read_bytes() == before


def test_verify_a_backup_with_the_wrong_passphrase_exit_3(run: Runner, client_id: str) -> None:
    path = _backup(run)
    result = run("verify", str(path), stdin="not the passphrase at all\n")
    assert result.code == 3
    _one_line_error(result.err)
    missing = run("verify", str(path.with_name("nothing.ndbk")))
    assert missing.code == 1 and "No backup file" in missing.err


def test_backup_list_shows_date_and_name(run: Runner, client_id: str, tmp_path: Path) -> None:
    assert run.ok("backup", "list") == f"No backups in {tmp_path / 'backups'}.\n"
    path = _backup(run)
    lines = run.ok("backup", "list").splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}  " + re.escape(path.name), lines[0])
    listed = json.loads(run.ok("--json", "backup", "list", "--dir", str(path.parent)))
    assert [b["path"] for b in listed] == [str(path)]


def test_rotation_never_removes_the_backup_just_written(
    run: Runner, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Frozen:
            return cls(2025, 3, 4, 10, 11, 12, tzinfo=tz)

    monkeypatch.setattr(service, "datetime", Frozen)
    first, second = _backup(run), _backup(run)  # the same second: the second is named '...-1'
    # One per day is kept; the one kept is the newer, verified one.
    assert first != second and second.is_file() and not first.is_file()
    listed = {b["path"] for b in json.loads(run.ok("--json", "backup", "list"))}
    assert str(second) in listed


def test_backup_dir_default_and_environment(tmp_path: Path) -> None:
    assert paths.backup_dir(env={}) == paths.data_dir() / "backups"
    assert paths.backup_dir(env={"NOTESDESK_BACKUP_DIR": str(tmp_path)}) == tmp_path


def test_restore_replaces_the_vault_and_keeps_the_old_one(
    run: Runner, client_id: str, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(run)
    path = _backup(run)
    run.ok("client", "add", "Ngozi Okafor")
    before = run.ok("--json", "client", "list")
    out = run.ok("restore", str(path))
    said = re.search(r"kept at (\S+)", out)
    assert said is not None, out
    kept = Path(said.group(1))
    assert kept.is_file() and kept.parent == vault_path.parent
    assert "fresh backup of the restored vault" in out
    restored = run.ok("client", "list")
    assert "Amaru Quispe" in restored and "Ngozi" not in restored
    assert "Signed ✓" in run.ok("note", "show", _note_id(run))
    assert run.ok("verify").startswith("Vault OK")
    # The replaced vault is another copy of the restored one: refused on this computer (put back in
    # place it would hide what was done since the restore) and by the backups made since; intact, it
    # opens as it was elsewhere.
    refused = Runner(kept)("client", "list")
    assert refused.code == 4 and "another copy" in refused.err
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(vault_path.parent / "another-computer"))
    refused = Runner(kept)("client", "list")
    assert refused.code == 4 and "replaced by a restore" in refused.err
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(vault_path.parent / "another-computer-backups"))
    assert Runner(kept).ok("--json", "client", "list") == before


def test_restore_onto_a_new_computer_needs_no_vault(run: Runner, client_id: str, tmp_path: Path) -> None:
    path = _backup(run)
    fresh = Runner(tmp_path / "new-computer" / "practice.notesdesk")
    as_json = json.loads(fresh.ok("--json", "restore", str(path)))
    assert as_json == {"path": str(fresh.vault), "kept": None, "different_vault": False}
    assert "Zoë Ó Briain" in fresh.ok("client", "list")


def _note_id(run: Runner) -> str:
    return json.loads(run.ok("--json", "note", "list", "Zoë"))[0]["id"]


def test_restore_of_a_damaged_backup_changes_nothing(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path
) -> None:
    _fill(run)
    data = bytearray(_backup(run).read_bytes())
    run.ok("client", "add", "Ngozi Okafor")
    data[len(data) // 2] ^= 0x10
    bad = tmp_path / "bad.ndbk"
    bad.write_bytes(bytes(data))
    before = vault_path.read_bytes()
    files_before = sorted(p.name for p in vault_path.parent.iterdir())
    for source, stdin, code in (
        (bad, PASSPHRASE + "\n", 4),
        (tmp_path / "backups" / "missing.ndbk", PASSPHRASE + "\n", 1),
    ):
        result = run("restore", str(source), stdin=stdin)
        assert result.code == code, result.err
        _one_line_error(result.err)
        assert vault_path.read_bytes() == before
        assert sorted(p.name for p in vault_path.parent.iterdir()) == files_before


def test_restore_with_the_wrong_passphrase_exit_3_nothing_changes(
    run: Runner, client_id: str, vault_path: Path
) -> None:
    path = _backup(run)
    before = vault_path.read_bytes()
    result = run("restore", str(path), stdin="a wrong passphrase entirely\n")
    assert result.code == 3
    _one_line_error(result.err)
    assert vault_path.read_bytes() == before
    assert not list(vault_path.parent.glob("*.replaced-*"))


def test_restore_while_the_vault_is_open_elsewhere_exit_5(
    run: Runner, client_id: str, vault_path: Path
) -> None:
    path = _backup(run)
    run.ok("client", "add", "Ngozi Okafor")
    before = vault_path.read_bytes()
    with FileLock(lock_path(vault_path), timeout=0):
        result = run("restore", str(path))
    assert result.code == 5
    _one_line_error(result.err)
    assert vault_path.read_bytes() == before
    assert not list(vault_path.parent.glob("*.replaced-*"))
    assert "Ngozi" in run.ok("client", "list")


def test_verify_catches_a_vault_replaced_by_an_older_copy(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_copy = tmp_path / "old-copy.notesdesk"
    shutil.copy2(vault_path, old_copy)
    run.ok("client", "add", "Ngozi Okafor")
    _backup(run)
    assert run.ok("verify").startswith("Vault OK")
    shutil.copy2(old_copy, vault_path)
    for argv in (("verify",), ("client", "list")):  # refused at every unlock, not only by verify
        result = run(*argv)
        assert result.code == 4
        _one_line_error(result.err)
        assert "older than the one last opened on this computer" in result.err
    # On a computer that never opened the newer vault, the newest authentic backup refuses it.
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "another-computer"))
    result = run("verify")
    assert result.code == 4 and "older than its newest backup" in result.err
    # Only backups count: with an empty backup folder, nothing there can tell the copy is old.
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "a-third-computer"))
    assert run.ok("verify").startswith("Vault OK")


def test_a_synced_vault_warns_once_and_carries_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(tmp_path / "backups"))
    run = Runner(tmp_path / "Dropbox" / "practice.notesdesk")
    created = run("init")
    assert created.code == 0 and created.err.count("\n") == 1
    for argv in (("client", "add", "Zoë Ó Briain"), ("verify",), ("backup",), ("client", "list")):
        result = run(*argv)
        assert result.code == 0, result.err
        assert result.err.startswith("warning: ") and result.err.count("\n") == 1
        assert "cloud-synced" in result.err and "Zoë" not in result.err


NOON = datetime(2026, 3, 4, 12, tzinfo=UTC)


def _frozen_at(moment: datetime) -> type[datetime]:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Frozen:
            return cls.fromtimestamp(moment.timestamp(), tz)

    return Frozen


def test_rotation_keeps_every_real_backup_among_future_dated_junk(
    run: Runner, client_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve empty files named like backups from 2099 once made `backup` delete every real one."""
    real = []
    for days_ago in (40, 9, 2):
        monkeypatch.setattr(service, "datetime", _frozen_at(NOON - timedelta(days=days_ago)))
        real.append(_backup(run))
    monkeypatch.setattr(service, "datetime", _frozen_at(NOON))
    folder = tmp_path / "backups"
    junk = [folder / f"notesdesk-backup-2099{month:02d}01-000000.ndbk" for month in range(1, 13)]
    for path in junk:
        path.write_bytes(b"")
    result = run("backup")
    assert result.code == 0, result.err
    newest = Path(result.out.strip())  # standard output stays the path alone
    assert result.out == f"{newest}\n" and newest.is_file() and newest not in real
    assert all(path.is_file() for path in real)
    assert all(path.exists() for path in junk)  # not ours to delete either
    assert "12 files named like backups are not backups of this vault; left alone" in result.err
    as_json = json.loads(run.ok("--json", "backup"))  # the same day again: only the newer one stays
    assert as_json["removed"] == [str(newest)] and len(as_json["not_this_vault"]) == 12
    assert all(path.is_file() for path in real)


def test_rotation_says_what_it_removed_and_leaves_future_dated_backups(
    run: Runner, client_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "datetime", _frozen_at(NOON + timedelta(days=400)))
    future = _backup(run)  # a real backup made while the clock was wrong
    monkeypatch.setattr(service, "datetime", _frozen_at(NOON - timedelta(hours=1)))
    older = _backup(run)
    monkeypatch.setattr(service, "datetime", _frozen_at(NOON))
    result = run("backup")
    assert result.code == 0, result.err
    said = result.err.splitlines()
    assert f"removed by rotation: {older}" in said  # the same day as the new one: only the newest stays
    assert f"left alone, dated in the future: {future}" in said
    assert future.is_file() and not older.exists() and Path(result.out.strip()).is_file()


def _other_vaults_backup(tmp_path: Path) -> tuple[Path, str]:
    """A backup of another practice's vault (same passphrase, so only the question stands in the way)."""
    other = Runner(tmp_path / "elsewhere" / "other.notesdesk")
    other.ok("init")
    other.ok("client", "add", "Other Practice Client")
    path = Path(json.loads(other.ok("--json", "backup", "--to", str(tmp_path / "other-backups")))["path"])
    return path, other.ok("--json", "client", "list")


def test_restoring_another_vaults_backup_needs_a_confirmation_flag(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path
) -> None:
    path, _ = _other_vaults_backup(tmp_path)
    before = vault_path.read_bytes()
    result = run("restore", str(path))
    assert result.code == 1, result.err
    _one_line_error(result.err)
    assert "different vault" in result.err and "--different-vault" in result.err
    assert "its own passphrase and recovery sheet" in result.err
    assert vault_path.read_bytes() == before and not list(vault_path.parent.glob("*.replaced-*"))
    out = run.ok("restore", str(path), "--different-vault")
    assert "a different vault" in out and "Other Practice Client" in run.ok("client", "list")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restoring_another_vaults_backup_in_a_terminal_asks(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = _other_vaults_backup(tmp_path)
    before = vault_path.read_bytes()
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": PASSPHRASE)
    argv = ["--vault", str(vault_path), "restore", str(path)]
    for answer, code in (("no\n", 1), ("", 1), ("yes\n", 0)):
        out, err = io.StringIO(), io.StringIO()
        assert main(argv, stdin=Terminal(answer), stdout=out, stderr=err) == code
        said = err.getvalue()
        assert "different vault" in said and "its own passphrase and recovery sheet" in said
        if code:
            assert "Not restored" in err.getvalue() and vault_path.read_bytes() == before
    assert "Other Practice Client" in run.ok("client", "list")
