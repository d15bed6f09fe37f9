"""Every --out refuses what must never be written over, even with --force: the vault, its lock,
journal, kept copies and backups, and anything that is not a regular file or a new path."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from notesdesk.core.outputs import output_problem
from notesdesk.core.storage.vault_lock import lock_path

from .conftest import PASSPHRASE, Runner

EXPORT_PASSPHRASE = "a different export passphrase 42"


def _vault(vault_path: Path, tmp_path: Path) -> Path:
    return vault_path


def _lock(vault_path: Path, tmp_path: Path) -> Path:
    return lock_path(vault_path)


def _journal(vault_path: Path, tmp_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + "-journal")


def _kept_copy(vault_path: Path, tmp_path: Path) -> Path:
    kept = vault_path.with_name(vault_path.name + ".replaced-20261207-101010.bak")
    kept.write_bytes(vault_path.read_bytes())
    return kept


def _backup(vault_path: Path, tmp_path: Path) -> Path:
    run = Runner(vault_path)
    return Path(json.loads(run.ok("--json", "backup"))["path"])


def _new_file_in_backup_folder(vault_path: Path, tmp_path: Path) -> Path:
    (tmp_path / "backups").mkdir(exist_ok=True)
    return tmp_path / "backups" / "summary.pdf"


def _symlink_to_vault(vault_path: Path, tmp_path: Path) -> Path:
    link = tmp_path / "innocent.pdf"
    link.symlink_to(vault_path)
    return link


def _fifo(vault_path: Path, tmp_path: Path) -> Path:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    return fifo


def _folder(vault_path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    return folder


TARGETS: dict[str, Callable[[Path, Path], Path]] = {
    "the vault": _vault,
    "its lock": _lock,
    "its journal": _journal,
    "the copy kept by a restore": _kept_copy,
    "a backup": _backup,
    "a new file in the backup folder": _new_file_in_backup_folder,
    "a symlink to the vault": _symlink_to_vault,
    "a FIFO": _fifo,
    "a folder": _folder,
}

COMMANDS = {
    "json export": ("export", "Zoë", "--format", "json"),
    "encrypted export": ("export", "--all"),
    "summary PDF": ("summary", "Zoë"),
}


def _snapshot(path: Path) -> tuple[int, bytes | None]:
    """What is at `path` (not following a symlink): its kind and, for a regular file, its bytes."""
    if not os.path.lexists(path):
        return 0, None
    mode = os.lstat(path).st_mode
    return stat.S_IFMT(mode), path.read_bytes() if stat.S_ISREG(mode) else None


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("target", TARGETS)
def test_out_refuses_what_it_must_never_replace_even_with_force(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path, command: str, target: str
) -> None:
    out = TARGETS[target](vault_path, tmp_path)
    vault_before = vault_path.read_bytes()
    before = _snapshot(out)
    stdin = f"{PASSPHRASE}\n{EXPORT_PASSPHRASE}\n{EXPORT_PASSPHRASE}\n"
    result = run(*COMMANDS[command], "--out", str(out), "--force", stdin=stdin)
    assert result.code == 2, result.err
    assert result.err.startswith("notesdesk: ") and result.err.count("\n") == 1
    assert str(out) in result.err
    assert _snapshot(out) == before and vault_path.read_bytes() == vault_before
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_recovery_sheet_refuses_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "sheet.pdf"
    link.symlink_to(target)
    result = Runner(tmp_path / "new.notesdesk")("init", "--recovery-sheet", str(link))
    assert result.code == 2 and "symbolic link" in result.err
    assert link.is_symlink() and target.read_text() == "keep me"
    assert not (tmp_path / "new.notesdesk").exists()


def test_a_device_is_never_an_output(tmp_path: Path) -> None:
    """/dev/null as root was once replaced by a file. Only looked at here, never written."""
    problem = output_problem(Path("/dev/null"), tmp_path / "v.notesdesk", [tmp_path / "backups"])
    assert problem is not None and "not a regular file" in problem


def test_an_ordinary_new_or_existing_file_is_fine(run: Runner, client_id: str, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "zoe.json"
    out.parent.mkdir()
    run.ok("export", "Zoë", "--format", "json", "--out", str(out))
    run.ok("export", "Zoë", "--format", "json", "--out", str(out), "--force")
    assert json.loads(out.read_bytes())["client"]["name"] == "Zoë Ó Briain"


def test_another_vault_or_a_backup_anywhere_is_never_an_output(
    run: Runner, client_id: str, vault_path: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other_vault = elsewhere / "colleague.notesdesk"
    other_vault.write_bytes(vault_path.read_bytes())  # a SQLite file: some vault, maybe a copy
    backup = Path(json.loads(run.ok("--json", "backup", "--to", str(elsewhere)))["path"])
    named_like_one = elsewhere / "notesdesk-backup-20260101-000000.ndbk"
    for out in (other_vault, backup, named_like_one):
        before = _snapshot(out)
        result = run("export", "Zoë", "--format", "json", "--out", str(out), "--force")
        assert result.code == 2 and "never writes over it" in result.err
        assert _snapshot(out) == before
