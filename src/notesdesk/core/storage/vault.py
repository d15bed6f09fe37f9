"""Create, unlock and close a vault file; change its passphrase.

Unlock order matters: nothing is written before the passphrase is proven, the header MAC checks out,
the authenticated audit head matches the vault's contents (head.py) and the vault is not older than
this computer's anchor or its backups (rollback.py), so a wrong passphrase, a damaged file or an old
copy leaves every byte as it was. Nothing at unlock decrypts the records or walks the audit history.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from notesdesk import paths
from notesdesk.core.backup.heads import BackupHead, authentic_heads
from notesdesk.core.crypto import kdf, keys, recovery, signing
from notesdesk.core.crypto.cipher import FieldCipher
from notesdesk.core.crypto.policy import passphrase_problem
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    VaultDamaged,
    VaultInUse,
)
from notesdesk.core.storage import migrate
from notesdesk.core.storage.anchor import LocalAnchor
from notesdesk.core.storage.audit import AuditLog
from notesdesk.core.storage.head import (
    META_FLAG,
    META_VALUE,
    Head,
    HeadKeeper,
    has_head_table,
    next_lineage,
)
from notesdesk.core.storage.rollback import check_not_rolled_back, refused
from notesdesk.core.storage.schema import check_structure
from notesdesk.core.storage.sealer import Sealer
from notesdesk.core.storage.sqlite import (
    engine_integrity_problems,
    integrity_problems,
    looks_like_sqlite,
    make_engine,
    make_memory_engine,
    recover_after_crash,
)
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.tables import KeySlotRow, MetaRow
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault_header import (
    VAULT_FORMAT,
    check_header,
    read_header,
    unwrap,
    write_header_mac,
)

SIGNING_KEY_ID = "signing-key"
PROFILE_ID = "profile"


@dataclass(frozen=True)
class SigningKey:
    private_hex: str
    id: str = SIGNING_KEY_ID


@dataclass(frozen=True)
class Unlocked:
    vault_id: str
    owner_id: str
    dek: bytes = field(repr=False)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _acquire(path: Path) -> FileLock:
    lock = FileLock(lock_path(path), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise VaultInUse(
            "This vault is already open in another NotesDesk window or command; close that first."
        ) from exc
    return lock


COUNTRY_BEFORE_IT_WAS_ASKED = "US"


class Vault:
    """An unlocked vault: its engine, its keys (in memory only) and its single-instance lock."""

    def __init__(
        self, path: Path, engine: Engine, unlocked: Unlocked, lock: FileLock | None, read_only: bool
    ) -> None:
        self.path = path
        self.engine = engine
        self.vault_id = unlocked.vault_id
        self.read_only = read_only
        self._lock = lock
        dek = unlocked.dek
        self.sealer = Sealer(
            FieldCipher(keys.subkey(dek, self.vault_id, keys.SUBKEY_FIELDS), self.vault_id),
            FieldCipher(keys.subkey(dek, self.vault_id, keys.SUBKEY_PRIVATE), self.vault_id),
        )
        self._header_key = keys.subkey(dek, self.vault_id, keys.SUBKEY_HEADER_MAC)
        heads = HeadKeeper(
            keys.subkey(dek, self.vault_id, keys.SUBKEY_AUDIT_HEAD),
            keys.subkey(dek, self.vault_id, keys.SUBKEY_ROW_TERMS),
            self.vault_id,
        )
        self.audit = AuditLog(
            self.sealer, keys.subkey(dek, self.vault_id, keys.SUBKEY_AUDIT_MAC), unlocked.owner_id, heads
        )
        self.anchor = LocalAnchor(
            paths.anchor_dir(), self.vault_id, keys.subkey(dek, self.vault_id, keys.SUBKEY_LOCAL_ANCHOR)
        )
        self._dek = dek
        self._signing_private: bytes | None = None
        self._profile: PractitionerProfile | None = None
        self._in_memory = False
        self._work_lock = threading.Lock()
        self._work_owner: int | None = None

    def enter_work(self) -> None:
        if self._work_owner == threading.get_ident():
            raise RuntimeError("a unit of work was opened inside another on the same thread")
        self._work_lock.acquire()
        self._work_owner = threading.get_ident()

    def leave_work(self) -> None:
        self._work_owner = None
        self._work_lock.release()

    # -- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, passphrase: str) -> tuple[Vault, str]:
        """Make a new vault; returns it unlocked with the recovery key text (shown once)."""
        path = Path(path)
        if path.exists():
            raise Conflict(f"A file already exists at {path}; choose another place for the vault.")
        problem = passphrase_problem(passphrase)
        if problem:
            raise InvalidInput(problem)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = _acquire(path)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.creating")
        try:
            secret = recovery.new_recovery_secret()
            unlocked = Unlocked(str(uuid.uuid4()), str(uuid.uuid4()), os.urandom(keys.DEK_LEN))
            engine = make_engine(partial, create=True)
            migrate.upgrade(engine, partial, safety_copy=False)
            building = cls(partial, engine, unlocked, lock, read_only=False)
            building._initialise(passphrase, secret)
            engine.dispose()
            os.chmod(partial, 0o600)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            lock.release()
            raise
        vault = cls(path, make_engine(path), unlocked, lock, read_only=False)
        vault._signing_private, vault._profile = building._signing_private, building._profile
        return vault, recovery.encode(secret)

    def _initialise(self, passphrase: str, secret: bytes) -> None:
        dek, vid = self._dek, self.vault_id
        signing_private = signing.new_private_key_bytes()
        slots = [
            keys.passphrase_slot(passphrase, kdf.new_params(), dek, vid),
            keys.recovery_slot(secret, dek, vid),
        ]
        meta = {
            "vault_id": vid,
            "format": VAULT_FORMAT,
            "owner_id": self.audit.actor,
            "signing_public": signing.public_key_bytes(signing_private).hex(),
            META_FLAG: META_VALUE,
        }
        with self.unit_of_work() as uow:
            session = uow.session
            assert session is not None
            for key, value in meta.items():
                session.add(MetaRow(key=key, value=value))
            for slot in slots:
                session.add(KeySlotRow(kind=slot.kind, params=slot.params, wrapped=slot.wrapped))
            session.flush()
            write_header_mac(session, self._header_key, self.vault_id)
            self._secret_table(uow, SigningKey).add(SigningKey(signing_private.hex()))
            # Stored from the start, country unset: a vault without this row predates the question.
            self._secret_table(uow, PractitionerProfile).add(PractitionerProfile())
            uow.record("create vault")
            uow.commit()
        self._signing_private = signing_private
        self._profile = PractitionerProfile()

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        read_only: bool = False,
        backups: Sequence[Path] | None = None,
        restoring: str | None = None,
    ) -> Vault:
        """Unlock. `backups`: the folders whose backups the vault must not be older than (default:
        the backup folder). `restoring`: only for `restore`, which has just put an older vault in
        place on purpose: the lineage of the vault it replaced ("" for none). The restored vault
        starts a new lineage and resets the local anchor instead of being refused."""
        path = Path(path)
        if not path.exists():
            raise NotFound(f"No vault at {path}. Create one with 'notesdesk init'.")
        if not looks_like_sqlite(path):
            raise VaultDamaged("This file is not a NotesDesk vault, or its first bytes are damaged.")
        if not read_only and not os.access(path, os.W_OK):
            read_only = True
        lock = None if read_only else _acquire(path)
        folders = [paths.backup_dir()] if backups is None else list(backups)
        try:
            return cls._unlock(path, passphrase, recovery_key, read_only, lock, folders, restoring)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _unlock(
        cls,
        path: Path,
        passphrase: str | None,
        recovery_key: str | None,
        read_only: bool,
        lock: FileLock | None,
        folders: list[Path],
        restoring: str | None,
    ) -> Vault:
        if not read_only:
            recover_after_crash(path)
        problems = integrity_problems(path)
        if problems:
            raise VaultDamaged("The vault file is damaged (SQLite integrity check failed).")
        # Read the header through a read-only engine: a wrong passphrase must not write a byte.
        probe = make_engine(path, read_only=True)
        try:
            # Before any migration or write: a dropped guard trigger or a planted table or trigger
            # would otherwise act on (or fail to refuse) everything that follows (schema.py).
            check_structure(probe)
            meta, slots = read_header(probe)
        finally:
            probe.dispose()
        dek = unwrap(meta["vault_id"], slots, passphrase, recovery_key)
        unlocked = Unlocked(meta["vault_id"], meta.get("owner_id", ""), dek)
        engine = make_engine(path, read_only=read_only)
        vault = cls(path, engine, unlocked, lock, read_only)
        try:
            check_header(vault._header_key, vault.vault_id, meta, slots)
            backups = [] if restoring is not None else authentic_heads(folders, vault.vault_id, dek)
            if not read_only:
                migrate.upgrade(engine, path, safety_copy=True)
            with vault.unit_of_work() as uow:
                assert uow.session is not None
                head = vault._checked_head(uow.session, meta, backups)
                if restoring is None:
                    check_not_rolled_back(uow.session, vault.audit, head, vault.anchor.load(), backups)
                vault._load_secrets(uow)
                if restoring is not None:
                    # A new lineage: the backups this restore went back behind no longer count, and
                    # the backups made from now on refuse the vault it replaced (rollback.py).
                    lineage = next_lineage(head.lineage, restoring)
                    vault.audit.record(uow.session, "restore", lineage=lineage)
                else:
                    uow.record("unlock")
                if not read_only:
                    uow.commit()
        except BaseException:
            engine.dispose()
            raise
        return vault

    @classmethod
    def open_image(cls, image: bytes, dek: bytes) -> Vault:
        """A read-only vault over an in-memory SQLite image (a backup), checked like an unlock."""
        engine = make_memory_engine(image)
        try:
            if engine_integrity_problems(engine):
                raise VaultDamaged("The vault inside the backup is damaged (integrity check failed).")
            check_structure(engine)
            meta, slots = read_header(engine)
            vault = cls(Path(":memory:"), engine, Unlocked(meta["vault_id"], meta.get("owner_id", ""), dek),
                        None, read_only=True)
            vault._in_memory = True
            check_header(vault._header_key, vault.vault_id, meta, slots)
            with vault.unit_of_work() as uow:
                assert uow.session is not None
                vault.audit.verify(uow.session)  # a backup is checked in full (the restore drill)
                head = vault.audit.heads.read(uow.session)
                if head is not None:
                    vault.audit.heads.check(uow.session, head)
                elif meta.get(META_FLAG):
                    raise VaultDamaged("The vault inside the backup lost its audit head: it was altered.")
                vault._load_secrets(uow)
        except BaseException:
            engine.dispose()
            raise
        return vault

    def _checked_head(self, session: Session, meta: dict[str, str], backups: list[BackupHead]) -> Head:
        """The authenticated head, checked against the vault's contents; VaultDamaged naming the
        backup to restore when it does not match. An older vault without a head is checked the old
        way (the whole chain, every row) once, then given one."""
        try:
            head = self.audit.heads.read(session)
            if head is not None:
                self.audit.heads.check(session, head)
                return head
            if meta.get(META_FLAG):
                raise VaultDamaged("The vault's audit head is missing: the vault was altered.")
            return self._establish_head(session)
        except VaultDamaged as exc:
            raise refused(exc.message, backups) from exc

    def _establish_head(self, session: Session) -> Head:
        self.audit.verify(session)
        newest = self.audit.head(session)
        head = Head(newest[0], bytes.fromhex(newest[1]), self.audit.heads.live_rows(session))
        if self.read_only or not has_head_table(session):
            return head  # an older vault opened read-only: checked in full, nothing written
        self.audit.heads.write(session, head)
        session.add(MetaRow(key=META_FLAG, value=META_VALUE))
        session.flush()
        write_header_mac(session, self._header_key, self.vault_id)
        session.info["audit_head"] = head
        return head

    def committed(self, session: Session) -> None:
        """After a commit (uow.py): keep this computer's anchor at the head just written."""
        head = session.info.get("audit_head")
        if session.info.pop("head_moved", False) and head is not None and not self._in_memory:
            self.anchor.save(head.seq, head.chain)

    def integrity_problems(self) -> list[str]:
        if self._in_memory:
            return engine_integrity_problems(self.engine)
        return integrity_problems(self.path)

    def key_slots(self) -> dict[str, keys.KeySlot]:
        return read_header(self.engine)[1]

    def data_key(self) -> bytes:
        """For backups only: the file key of a backup is derived from it."""
        return self._dek

    def close(self) -> None:
        with self._work_lock:  # never pull the connection from under a running unit of work
            self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self)

    # -- keys ----------------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrap the data key under a new passphrase: one slot and the header MAC, one transaction."""
        problem = passphrase_problem(new_passphrase)
        if problem:
            raise InvalidInput(problem)
        slot = keys.passphrase_slot(new_passphrase, kdf.new_params(), self._dek, self.vault_id)
        with self.unit_of_work() as uow:
            session = uow.session
            assert session is not None
            session.execute(delete(KeySlotRow).where(KeySlotRow.kind == slot.kind))
            session.add(KeySlotRow(kind=slot.kind, params=slot.params, wrapped=slot.wrapped))
            session.flush()
            write_header_mac(session, self._header_key, self.vault_id)
            uow.record("change passphrase")
            uow.commit()

    def _secret_table(self, uow: UnitOfWork, kind: type) -> SealedTable:  # type: ignore[type-arg]
        return SealedTable(uow.ctx, "secret", kind, label="vault setting")

    def _load_secrets(self, uow: UnitOfWork) -> None:
        """Read the signing key and profile once, at unlock, inside the unlock's own session."""
        stored = self._secret_table(uow, SigningKey).get(SIGNING_KEY_ID)
        self._signing_private = bytes.fromhex(stored.private_hex)
        found = self._secret_table(uow, PractitionerProfile).find(PROFILE_ID)
        # A vault made before the country was asked for, whose profile was never saved, printed US crisis
        # lines: it keeps that country until the practitioner changes it in Settings.
        self._profile = found or PractitionerProfile(locale=COUNTRY_BEFORE_IT_WAS_ASKED)

    def adopt_signing_key(self, private_key: bytes) -> None:
        """Take over the signing key of an imported practice, so its signed notes keep verifying."""
        with self.unit_of_work() as uow:
            session = uow.session
            assert session is not None
            self._secret_table(uow, SigningKey).replace(SigningKey(private_key.hex()))
            public = signing.public_key_bytes(private_key).hex()
            session.execute(delete(MetaRow).where(MetaRow.key == "signing_public"))
            session.add(MetaRow(key="signing_public", value=public))
            session.flush()
            write_header_mac(session, self._header_key, self.vault_id)
            uow.commit()
        self._signing_private = private_key

    def signing_private_key(self) -> bytes:
        assert self._signing_private is not None
        return self._signing_private

    def signing_public_key(self) -> bytes:
        return signing.public_key_bytes(self.signing_private_key())

    def profile(self) -> PractitionerProfile:
        assert self._profile is not None
        return self._profile

    def save_profile(self, profile: PractitionerProfile) -> None:
        with self.unit_of_work() as uow:
            table = self._secret_table(uow, PractitionerProfile)
            if table.find(PROFILE_ID) is None:
                table.add(profile)
            else:
                table.replace(profile)
            uow.commit()
        self._profile = profile

