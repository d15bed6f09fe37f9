"""Backup commands: backup, backup list, verify (the vault or a backup file), restore."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from notesdesk import paths
from notesdesk.cli.io import Cli, add_command, counted
from notesdesk.core.backup import container
from notesdesk.core.backup.service import (
    DIFFERENT_VAULT,
    BackupCheck,
    DifferentVault,
    Rotation,
    backup_and_rotate,
    check_anchor,
    check_backup,
    is_other_vault,
    list_backups,
    restore,
)
from notesdesk.core.errors import Conflict, NotesdeskError, UsageError
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.sqlite import looks_like_sqlite

BACKUP_EPILOG = """\
A backup is encrypted and authenticated, read back and verified after it is written. It opens with
the passphrase in use when it was made, or with the recovery key. Its file name holds only the date
and time. After each backup the folder is rotated: of this vault's backups (those whose header
verifies under its key), the newest of each of the last 7 days, 4 weeks and 12 months is kept and
older ones are deleted. The backup just written, backups dated in the future and files that are not
this vault's backups are never deleted. Standard output is the new backup's path alone (for
scripts); standard error says what rotation did: one line for each backup removed, each backup
dated in the future, and a count of the other files (with --json, all of it is in the object).
The default folder is $NOTESDESK_BACKUP_DIR, else 'backups' in NotesDesk's data folder.
"""

VERIFY_EPILOG = """\
Without FILE: checks the vault (file integrity, every sealed field, signatures of signed notes, the
whole audit chain) and that it is not older than the highest authentic backup in the backup folder
(which would mean the vault file was replaced by an old copy). Every unlock checks the audit head,
this computer's copy of it and the backup folder too; verify adds the full walk and --backups.
With FILE: checks a backup without any vault: unlock it with the passphrase in use when it was made
(--passphrase-stdin or a prompt) or with --recovery-key-stdin. This is the restore drill: a backup
that passes here restores.
Exit 4 when anything fails its check, 3 for a wrong passphrase or recovery key; 1 when FILE is not
a NotesDesk backup at all, 2 when it is a vault (check that with 'verify' without FILE).
"""

RESTORE_EPILOG = """\
The backup is unlocked with the passphrase in use when it was made (--passphrase-stdin or a prompt)
or with --recovery-key-stdin, and checked completely before anything is replaced; on any failure
nothing changes. The vault it replaces is kept beside it (its path is printed). The vault must not
be open in NotesDesk or another command (exit 5). Afterwards the vault opens with the backup's
passphrase. Restoring an older backup on purpose starts a new lineage: the newer backups (and this
computer's copy of the audit head) no longer count against the restored vault, and a fresh backup of
it is written at once. The replaced vault is then another copy and is refused on this computer.
A backup of a different vault (another practice's, or one created afresh) is restored only after a
yes in a terminal, or with --different-vault: from then on its own passphrase and recovery sheet
apply, not those of the vault it replaces.
"""

BACKUP_PROMPT = "Backup passphrase: "
ASK_FLAG = f"{DIFFERENT_VAULT} Add --different-vault to restore it anyway; nothing was changed."


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    backup = add_command(
        commands,
        "backup",
        common,
        "write a verified, encrypted backup of the vault (prints its path); 'backup list' lists them",
        cmd_backup,
        epilog=BACKUP_EPILOG,
    )
    backup.add_argument(
        "--to", type=Path, metavar="DIR", help="folder to write to (default: the backup folder)"
    )
    actions = backup.add_subparsers(title="actions", dest="backup_action", metavar="ACTION")
    listing = add_command(actions, "list", common, "list the backups in a folder, newest first", cmd_list)
    listing.add_argument(
        "--dir", type=Path, metavar="DIR", help="folder to list (default: the backup folder)"
    )

    verify = add_command(
        commands,
        "verify",
        common,
        "check the whole vault, or a backup FILE (which needs no vault)",
        cmd_verify,
        epilog=VERIFY_EPILOG,
    )
    verify.add_argument("file", nargs="?", type=Path, metavar="FILE", help="a backup file to check")
    verify.add_argument(
        "--backups",
        type=Path,
        metavar="DIR",
        help="folder whose newest backup the vault must not be older than (default: the backup folder)",
    )

    rest = add_command(
        commands,
        "restore",
        common,
        "replace the vault with a verified backup, keeping the replaced vault",
        cmd_restore,
        epilog=RESTORE_EPILOG,
    )
    rest.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    rest.add_argument(
        "--different-vault",
        action="store_true",
        help="confirm restoring a backup of a different vault (its passphrase and recovery sheet apply)",
    )


def _folder(value: Path | None) -> Path:
    return paths.backup_dir() if value is None else Path(value).expanduser()


def _local(created: datetime | str) -> str:
    try:
        moment = created if isinstance(created, datetime) else datetime.fromisoformat(created)
        return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return str(created)


def cmd_backup(cli: Cli, args: argparse.Namespace) -> int:
    folder = _folder(args.to)
    with cli.open_vault() as vault:
        path, rotation = backup_and_rotate(vault, folder)
    if cli.json:
        cli.emit_json(
            {
                "path": str(path),
                "removed": [str(p) for p in rotation.removed],
                "future": [str(p) for p in rotation.future],
                "not_this_vault": [str(p) for p in rotation.not_this_vault],
                "earlier_keys": [str(p) for p in rotation.earlier_keys],
            }
        )
    else:
        cli.out(str(path))
        for line in rotation_lines(rotation):
            cli.note(line)
    return 0


def rotation_lines(rotation: Rotation) -> list[str]:
    lines = [f"removed by rotation: {p}" for p in rotation.removed]
    lines += [f"left alone, dated in the future: {p}" for p in rotation.future]
    others = len(rotation.not_this_vault)
    if others:
        lines.append(
            f"{others} file{'s' * (others != 1)} named like backups {'are' if others != 1 else 'is'} "
            "not backups of this vault; left alone."
        )
    earlier = len(rotation.earlier_keys)
    if earlier:
        lines.append(
            f"{earlier} backup{'s' * (earlier != 1)} of this vault from before its keys were renewed "
            "(or altered) left alone: they open with the passphrase and recovery key of their day."
        )
    return lines


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    folder = _folder(args.dir)
    found = list_backups(folder)
    if cli.json:
        cli.emit_json(
            [{"created": b.created.isoformat(), "name": b.path.name, "path": str(b.path)} for b in found]
        )
        return 0
    if not found:
        cli.out(f"No backups in {folder}.")
    for b in found:
        cli.out(f"{_local(b.created)}  {b.path.name}")
    return 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """`verify` decodes every row of the vault, hundreds of thousands of objects held together: the
    cycle collector would rescan that growing heap again and again (about a seventh of the command's
    processor time on the demo practice) to find nothing, since what it allocates is freed by
    reference counting. A short-lived command can leave it off until it is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cmd_verify(cli: Cli, args: argparse.Namespace) -> int:
    with _collector_paused():
        return _verify(cli, args)


def _verify(cli: Cli, args: argparse.Namespace) -> int:
    if args.file is not None:
        return _verify_file(cli, args.file)
    with cli.open_vault() as vault:
        report = verify_vault(vault.unit_of_work())
        check_anchor(vault, _folder(args.backups))
    if cli.json:
        cli.emit_json(
            {
                "ok": report.ok,
                "records": report.records,
                "signed_notes": report.signed_notes,
                "audit_entries": report.audit_entries,
            }
        )
    else:
        cli.out(
            f"Vault OK: {report.records} records authentic, {report.signed_notes} signed notes "
            f"verified, {report.audit_entries} audit entries in an unbroken chain."
        )
    return 0


def backup_file(cli: Cli, file: Path) -> Path:
    """FILE, checked to be a NotesDesk backup before any passphrase is asked for. A vault, a folder
    or a file of another kind is the wrong argument, not a damaged backup: only a file that starts
    like a backup and then fails its checks is reported as damaged (exit 4)."""
    path = Path(file).expanduser()
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a backup file ('notesdesk backup list' shows them).")
    if path.exists() and not path.is_file():
        raise UsageError(f"{path} is not a regular file (a device, pipe or socket), so not a backup.")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(container.MAGIC))
    except OSError:
        return path  # missing or unreadable: the backup service says which
    if head == container.MAGIC:
        return path
    if looks_like_sqlite(path):
        vault = "" if path.resolve() == cli.vault_path.resolve() else f"--vault {path} "
        raise UsageError(
            f"This is a vault, not a backup; run 'notesdesk {vault}verify' (without FILE) to check it."
        )
    raise NotesdeskError(f"{path} is not a NotesDesk backup file.")


def _verify_file(cli: Cli, file: Path) -> int:
    path = backup_file(cli, file)
    passphrase, recovery_key = cli.unlock_secrets(BACKUP_PROMPT)
    check = check_backup(path, passphrase, recovery_key)
    if cli.json:
        cli.emit_json(
            {
                "ok": check.report.ok,
                "path": str(check.path),
                "created": check.created,
                "counts": check.counts,
                "records": check.report.records,
                "signed_notes": check.report.signed_notes,
                "audit_entries": check.report.audit_entries,
            }
        )
        return 0
    for line in backup_summary(check):
        cli.out(line)
    return 0


def _confirm_other_vault(cli: Cli, source: Path, target: Path) -> bool:
    """True when the backup is of another vault and the person said yes in a terminal; raises when
    they did not (or could not: no terminal and no --different-vault)."""
    if not is_other_vault(source, target):
        return False
    if cli.ask_yes(f"{DIFFERENT_VAULT} Restore it in place of {target}?"):
        return True
    if cli.interactive():
        raise Conflict("Not restored: the vault is unchanged.")
    raise DifferentVault(ASK_FLAG)


def backup_summary(check: BackupCheck) -> list[str]:
    report = check.report
    rows = [
        ("Created", _local(check.created)),
        ("Contents", counted(check.counts)),
        ("Records", f"{report.records} authentic: OK"),
        ("Signed notes", f"{report.signed_notes} verified: OK"),
        ("Audit entries", f"{report.audit_entries} in an unbroken chain: OK"),
    ]
    return [f"Backup OK: {check.path}"] + [f"  {label + ':':<15}{value}" for label, value in rows]


def cmd_restore(cli: Cli, args: argparse.Namespace) -> int:
    source, target = backup_file(cli, args.file), cli.vault_file()
    other = args.different_vault or _confirm_other_vault(cli, source, target)
    passphrase, recovery_key = cli.unlock_secrets(BACKUP_PROMPT)
    cli.warn_location()
    try:
        kept = restore(
            source,
            target,
            passphrase,
            recovery_key,
            fresh_backup_to=paths.backup_dir(),
            different_vault_ok=other,
        )
    except DifferentVault as exc:
        raise DifferentVault(ASK_FLAG) from exc
    if cli.json:
        kept_at = str(kept) if kept else None
        cli.emit_json({"path": str(cli.vault_path), "kept": kept_at, "different_vault": other})
        return 0
    cli.out(f"Restored {cli.vault_path} from the verified backup.")
    if other:
        cli.out("It is a backup of a different vault: its own passphrase and recovery sheet apply now.")
    if kept is not None:
        cli.out(f"The vault it replaced is kept at {kept}")
    cli.out("The vault now opens with the passphrase in use when the backup was made, or the recovery key.")
    cli.out(f"A fresh backup of the restored vault was written to {paths.backup_dir()}.")
    return 0
