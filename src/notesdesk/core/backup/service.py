"""Backups, the restore drill and restores, built on the NDBK container.

A backup is a consistent image taken through SQLite's backup API (never a file copy), sealed,
written durably, then read back and checked before it counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from notesdesk import __version__
from notesdesk.core.backup import container
from notesdesk.core.backup.files import fsync_dir, write_atomic
from notesdesk.core.backup.heads import authentic_heads
from notesdesk.core.errors import Conflict, NotesdeskError, NotFound, VaultDamaged, VaultInUse
from notesdesk.core.outputs import input_problem
from notesdesk.core.services.verify import VerifyReport, verify_vault
from notesdesk.core.storage import migrate
from notesdesk.core.storage.rollback import check_not_rolled_back
from notesdesk.core.storage.sqlite import backup_to, recover_after_crash
from notesdesk.core.storage.vault import Vault
from notesdesk.core.storage.vault_header import read_header_in
from notesdesk.core.storage.vault_lock import lock_path

SUFFIX = ".ndbk"
NAME = re.compile(r"^notesdesk-backup-(\d{8})-(\d{6})(?:-(\d+))?\.ndbk$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    sequence: int = 0  # the -N suffix of a second backup within the same second


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    created: str
    vault_id: str
    report: VerifyReport
    counts: dict[str, int]


def vault_image(path: Path) -> bytes:
    """A consistent image of the vault file through the backup API, held in memory only."""
    source = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)
        return memory.serialize()
    finally:
        memory.close()
        source.close()


def backup_name(now: datetime, folder: Path) -> Path:
    stem = f"notesdesk-backup-{now:%Y%m%d-%H%M%S}"
    candidate, n = folder / f"{stem}{SUFFIX}", 1
    while candidate.exists():
        candidate, n = folder / f"{stem}-{n}{SUFFIX}", n + 1
    return candidate


def make_backup(vault: Vault, folder: Path) -> Path:
    """Write a verified backup into `folder` and return its path."""
    if vault.integrity_problems():
        raise VaultDamaged("The vault failed its integrity check; no backup was made from it.")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    target = backup_name(now, folder)
    with vault.unit_of_work() as uow:
        uow.record("backup")
        uow.commit()
    # Everything the backup reads, read while one unit of work holds the vault: no write of this
    # process lands between the head recorded and the image taken, and the vault's one connection is
    # never used by two threads at once (the app writes on its UI thread while this runs).
    with vault.unit_of_work() as uow:
        session = uow.session
        assert session is not None
        head_seq, head_mac = vault.audit.head(session)
        meta = {
            "created": now.isoformat(),
            "app_version": __version__,
            "schema": migrate.revision_of(session.connection()) or "",
            "audit_head_seq": head_seq,
            "audit_head_mac": head_mac,
            "lineage": vault.audit.current(session).lineage,
            "retired": vault.retired_keys,
            "counts": {"clients": len(uow.clients.ids()), "notes": len(uow.notes.ids())},
        }
        slots = read_header_in(session)[1]
        dek = vault.data_key()
        image = vault_image(vault.path)
    data = container.seal_backup(image, dek, vault.vault_id, slots, meta)
    write_atomic(target, data)
    # Read back from disk and check before the backup counts (bit rot, a lying USB stick).
    written = target.read_bytes()
    header = container.read_header(written)
    restored = container.open_payload(written, header, vault.data_key())
    if hashlib.sha256(restored).digest() != hashlib.sha256(image).digest():
        with contextlib.suppress(OSError):
            target.unlink()
        raise NotesdeskError("The backup did not read back correctly; it was removed. Try another disk.")
    return target


def check_backup(path: Path, passphrase: str | None = None, recovery_key: str | None = None) -> BackupCheck:
    """Everything `verify FILE` promises, with no vault open: slots, header MAC, every chunk, the
    SQLite integrity, every seal, every signature, the audit chain and the anchor in the header."""
    return _checked(path, passphrase, recovery_key)[0]


def _checked(
    path: Path, passphrase: str | None, recovery_key: str | None
) -> tuple[BackupCheck, bytes]:
    """The check, and the image it passed (so a restore reads and unlocks the file once)."""
    header, dek, image = _open_backup(path, passphrase, recovery_key)
    vault = Vault.open_image(image, dek)
    try:
        if vault.vault_id != header.vault_id:
            raise container.BackupDamaged("This backup cannot be trusted: its header names another vault.")
        report = verify_vault(vault.unit_of_work())
        with vault.unit_of_work() as uow:
            assert uow.session is not None
            seq, mac = vault.audit.head(uow.session)
        if (seq, mac) != (header.audit_head_seq, header.audit_head_mac):
            raise container.BackupDamaged("This backup cannot be trusted: its audit log was cut short.")
    finally:
        vault.close()
    return BackupCheck(path, header.created, header.vault_id, report, header.counts), image


def _open_backup(
    path: Path, passphrase: str | None, recovery_key: str | None
) -> tuple[container.BackupHeader, bytes, bytes]:
    """Header, data key and payload of a backup file, streamed: the file's size is checked against its header
    before the key derivation and before the body is read, and only the payload is held in memory."""
    problem = input_problem(Path(path), container.MAX_PLAIN)
    if problem:
        raise NotesdeskError(problem)
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            header = container.read_header(container.read_head(handle))
            container.check_size(header, size)
            dek = container.unwrap_dek(header, passphrase, recovery_key)
            image = container.open_stream(handle, size, header, dek)
    except FileNotFoundError as exc:
        raise NotFound(f"No backup file at {path}.") from exc
    except OSError as exc:
        raise NotesdeskError(f"The backup file could not be read: {exc.strerror or 'error'}.") from exc
    return header, dek, image


class DifferentVault(Conflict):
    """The backup is of another vault than the one it would replace; restoring needs a yes."""


DIFFERENT_VAULT = (
    "This backup is of a different vault than the one it would replace: after restoring, its own "
    "passphrase and recovery sheet apply from then on, not yours."
)


def vault_id_at(vault_path: Path) -> str | None:
    """The id a vault file names in clear (None: no vault there, or not one we can read). Only for
    a question asked before a restore; nothing is trusted on it."""
    if not vault_path.is_file():
        return None
    value = _clear_value(vault_path, "SELECT value FROM meta WHERE key = 'vault_id'")
    return str(value) if value is not None else None


def _clear_value(vault_path: Path, query: str) -> object | None:
    """The first value `query` finds in a vault file's clear columns, read-only (None: no such file,
    not a vault, or no such value). Nothing read this way is trusted: it only decides what to ask."""
    try:
        conn = sqlite3.connect(f"file:{vault_path.as_posix()}?mode=ro", uri=True)
        try:
            row = conn.execute(query).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def backup_vault_id(backup: Path) -> str | None:
    """The vault id a backup's header names, read before any passphrase (not yet authenticated)."""
    try:
        return container.read_header(container.read_head(backup)).vault_id
    except (OSError, NotesdeskError):
        return None


def is_other_vault(backup: Path, vault_path: Path) -> bool:
    """Whether restoring `backup` would put another vault in place of the one at `vault_path`."""
    current, incoming = vault_id_at(vault_path), backup_vault_id(backup)
    return current is not None and incoming is not None and current != incoming


def restore(
    backup: Path,
    vault_path: Path,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    fresh_backup_to: Path | None = None,
    different_vault_ok: bool = False,
) -> Path | None:
    """Replace the vault with a verified backup. The replaced vault is kept beside it; returns that
    copy's path (None when there was no vault yet). Nothing changes unless every check passes.
    A backup of another vault is refused (DifferentVault) unless `different_vault_ok`.

    Restoring an older backup on purpose is not an attack: the restored vault is opened once to
    start a new lineage and reset this computer's anchor (storage/rollback.py), so neither the
    anchor nor the newer backups refuse it. With `fresh_backup_to`, a backup of the restored vault
    is written there at once."""
    checked, image = _checked(backup, passphrase, recovery_key)
    current = vault_id_at(vault_path)
    if current is not None and current != checked.vault_id and not different_vault_ok:
        raise DifferentVault(DIFFERENT_VAULT + " Nothing was changed.")
    lock = FileLock(lock_path(vault_path), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise VaultInUse("Close the vault in every NotesDesk window before restoring.") from exc
    try:
        kept = None
        replaced = ""
        vault_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if vault_path.exists():
            replaced = replaced_lineage(vault_path)
            recover_after_crash(vault_path)  # a read-only copy cannot roll back a crash journal
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            kept = vault_path.with_name(f"{vault_path.name}.replaced-{stamp}.bak")
            if kept.exists():
                raise Conflict("A restore already ran this second; wait a moment and try again.")
            try:
                backup_to(vault_path, kept)
                os.chmod(kept, 0o600)
                fsync_dir(vault_path.parent)
            except (sqlite3.Error, OSError) as exc:
                with contextlib.suppress(OSError):
                    kept.unlink()
                raise NotesdeskError(
                    "The current vault could not be copied aside; nothing was changed."
                ) from exc
        _prepare_and_put_in_place(image, vault_path, passphrase, recovery_key, replaced)
    finally:
        lock.release()
    # The first unlock in place (this one, or the caller's next) moves this computer's anchor to the
    # restored vault alone.
    if fresh_backup_to is not None:
        with Vault.open(vault_path, passphrase=passphrase, recovery_key=recovery_key) as restored:
            make_backup(restored, fresh_backup_to)
    return kept


def _prepare_and_put_in_place(
    image: bytes, vault_path: Path, passphrase: str | None, recovery_key: str | None, replaced: str
) -> None:
    """The restored vault is made beside the vault (a new lineage, a "restore" entry) and this
    computer's anchor told of it while still accepting the vault in place (anchor.stage), then put in
    place with one rename: a crash at any point leaves a vault that opens, old or restored."""
    temp = vault_path.with_name(f".{vault_path.name}.{uuid.uuid4().hex}.restoring")
    try:
        write_atomic(temp, image)
        Vault.open(temp, passphrase=passphrase, recovery_key=recovery_key, restoring=replaced).close()
        put_in_place(temp, vault_path)
    finally:
        for leftover in (temp, lock_path(temp)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def put_in_place(temp: Path, target: Path) -> None:
    os.replace(temp, target)
    fsync_dir(target.parent)


def replaced_lineage(vault_path: Path) -> str:
    """The lineage of the vault a restore replaces, read in clear (it is not secret): the restored
    vault's lineage lists it, so backups made after the restore refuse that vault if it is put back.
    Unauthenticated, so it can only add a lineage to refuse, never make a vault pass."""
    lineage = _clear_value(vault_path, "SELECT lineage FROM audit_head")
    return lineage if isinstance(lineage, str) else ""  # none: older than the head, or damaged


# -- listing, rotation and the anchor --------------------------------------------------------------


def list_backups(folder: Path) -> list[BackupInfo]:
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = NAME.match(path.name)
            if match:
                day, clock, sequence = match.groups()
                created = datetime.strptime(day + clock, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
                found.append(BackupInfo(path, created, int(sequence or 0)))
    return sorted(found, key=lambda b: (b.created, b.sequence), reverse=True)


def rotation_keep(backups: list[BackupInfo], daily: int = 7, weekly: int = 4, monthly: int = 12) -> set[Path]:
    """Newest per day for `daily` days, per ISO week for `weekly` weeks, per month for `monthly`."""
    keep: set[Path] = set()
    for key, limit in (
        (lambda b: b.created.date(), daily),
        (lambda b: b.created.isocalendar()[:2], weekly),
        (lambda b: (b.created.year, b.created.month), monthly),
    ):
        seen: list[object] = []
        for backup in backups:  # newest first
            period = key(backup)
            if period not in seen:
                seen.append(period)
                if len(seen) > limit:
                    break
                keep.add(backup.path)
    if backups:
        keep.add(backups[0].path)
    return keep


@dataclass(frozen=True)
class Rotation:
    """What rotating one folder did: the backups it removed, and the files it left alone."""

    folder: Path
    removed: list[Path] = field(default_factory=list)
    future: list[Path] = field(default_factory=list)  # this vault's, dated after now: a clock was wrong
    not_this_vault: list[Path] = field(default_factory=list)  # named like a backup, not one of ours
    # This vault's id but not its key: made before a rekey (storage/rekey.py), or altered. They open
    # with the secrets of their day and are never rotation's to delete.
    earlier_keys: list[Path] = field(default_factory=list)


def _created(header: container.BackupHeader) -> datetime:
    created = datetime.fromisoformat(header.created)
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def own_backups(vault: Vault, folder: Path) -> tuple[list[BackupInfo], list[Path], list[Path]]:
    """The backups in `folder` whose header MAC verifies under this vault's key, newest first and
    dated by their (authenticated) header; the files named like backups that name this vault but do
    not verify under its key (from before a rekey, or altered); and the other files named like
    backups. Only the header is read, never a whole file."""
    own: list[BackupInfo] = []
    earlier: list[Path] = []
    others: list[Path] = []
    for info in list_backups(folder):
        header = None
        try:
            head = container.read_head(info.path)
            header = container.read_header(head)
            if header.vault_id != vault.vault_id:
                raise container.BackupDamaged("another vault's backup")
            container.check_header_mac(head, header, vault.data_key())
            own.append(BackupInfo(info.path, _created(header), info.sequence))
        except (OSError, ValueError, NotesdeskError):
            mine = header is not None and header.vault_id == vault.vault_id
            (earlier if mine else others).append(info.path)
    own.sort(key=lambda b: (b.created, b.sequence), reverse=True)
    return own, earlier, others


def rotate(vault: Vault, folder: Path, keep: Path | None = None) -> Rotation:
    """Delete this vault's backups outside the rotation. A file whose header does not verify for
    this vault (another vault's backup, junk named like one) is never touched, nor is a backup dated
    in the future (its date cannot be trusted to rank it), nor `keep`, the backup just written."""
    own, earlier, others = own_backups(vault, folder)
    now = datetime.now(UTC)
    future = [b.path for b in own if b.created > now]
    ranked = [b for b in own if b.created <= now]
    kept = rotation_keep(ranked) | {keep}
    removed = []
    for backup in ranked:
        if backup.path not in kept:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    return Rotation(folder, removed, future, others, earlier)


def check_anchor(vault: Vault, folder: Path) -> None:
    """The vault must have reached the highest head among its authentic backups in `folder` (of its
    current lineage) — the check every unlock makes on the backup folder, here for any folder."""
    backups = authentic_heads([folder], vault.vault_id, vault.data_key())
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        check_not_rolled_back(uow.session, vault.audit, vault.audit.current(uow.session), None, backups)


def backup_due(folder: Path, now: datetime | None = None) -> bool:
    """True when the folder has no backup from today (the daily automatic backup). A file named
    for a day still to come does not count: it would put the daily backup off until then."""
    now = now or datetime.now(UTC)
    newest = next((b for b in list_backups(folder) if b.created <= now), None)
    return newest is None or newest.created.date() < now.date()


@dataclass(frozen=True)
class BackupRun:
    written: list[Path]
    rotations: list[Rotation]

    @property
    def removed(self) -> list[Path]:
        return [path for r in self.rotations for path in r.removed]

    @property
    def left_alone(self) -> list[Path]:
        return [path for r in self.rotations for path in (*r.future, *r.not_this_vault, *r.earlier_keys)]


def backup_and_rotate(vault: Vault, folder: Path) -> tuple[Path, Rotation]:
    path = make_backup(vault, folder)
    return path, rotate(vault, folder, keep=path)


def automatic_backup(vault: Vault, primary: Path, second: Path | None = None) -> BackupRun:
    """The backup taken on lock, on close and daily: into the app folder and, when set, a second
    folder such as a USB drive, each verified and rotated. A missing second folder (drive not
    plugged in) is skipped, not an error; a failure in the primary folder is raised."""
    folders = [primary] + ([second] if second is not None and second.is_dir() else [])
    written, rotations = [], []
    for folder in folders:
        path, rotation = backup_and_rotate(vault, folder)
        written.append(path)
        rotations.append(rotation)
    return BackupRun(written, rotations)


def drill(folder: Path, passphrase: str | None = None, recovery_key: str | None = None) -> BackupCheck:
    """The restore drill: fully check the newest backup without touching the vault."""
    newest = next(iter(list_backups(folder)), None)
    if newest is None:
        raise NotFound(f"There is no backup in {folder} yet.")
    return check_backup(newest.path, passphrase, recovery_key)
