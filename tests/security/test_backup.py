"""NDBK backups: round trip, every kind of tampering rejected, verified restore, anchors, rotation."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notesdesk.core.backup import container, service
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.errors import NotesdeskError, StorageFull, VaultDamaged, WrongPassphrase
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE

SOAK = os.environ.get("NOTESDESK_SOAK") == "1"


def _fill(vault: Vault, n_notes: int) -> None:
    rng = random.Random(3)
    client = clients.add_client(vault.unit_of_work(), Client(name="Ayşe Yılmaz"))
    with vault.unit_of_work() as uow:
        for i in range(n_notes):
            text = " ".join(rng.choice(["sleep", "panic", "work", "breath", "walk"]) for _ in range(300))
            sections = notes.build_sections(NoteFormat.FREE, {"text": f"{i} {text}"})
            uow.notes.add(
                SessionNote(
                    client_id=client.id,
                    session_date=datetime(2026, 1, 1).date(),
                    format=NoteFormat.FREE,
                    sections=sections,
                )
            )
        uow.commit()


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, bytes]:
    os.environ["NOTESDESK_INSECURE_TEST_KDF"] = "1"
    folder = tmp_path_factory.mktemp("backups")
    vault_path = folder / "practice.notesdesk"
    vault, recovery_key = Vault.create(vault_path, PASSPHRASE)
    _fill(vault, 80)
    path = service.make_backup(vault, folder / "out")
    vault.close()
    return vault_path, path, recovery_key, path.read_bytes()


def _rejected(data: bytes, tmp_path: Path) -> None:
    target = tmp_path / "tampered.ndbk"
    target.write_bytes(data)
    with pytest.raises((VaultDamaged, WrongPassphrase)):
        service.check_backup(target, PASSPHRASE)


def test_backup_opens_with_passphrase_or_recovery_key(backed_up: tuple[Path, Path, str, bytes]) -> None:
    _, path, recovery_key, data = backed_up
    assert len(data) > 3 * container.CHUNK  # several chunks, so chunk attacks mean something
    for kwargs in ({"passphrase": PASSPHRASE}, {"recovery_key": recovery_key}):
        check = service.check_backup(path, **kwargs)
        assert check.counts == {"clients": 1, "notes": 80}
        assert check.report.records >= 82
    with pytest.raises(WrongPassphrase):
        service.check_backup(path, "not the passphrase")
    assert service.NAME.match(path.name)


def test_bit_flips_anywhere_are_rejected(backed_up: tuple[Path, Path, str, bytes], tmp_path: Path) -> None:
    data = backed_up[3]
    rng = random.Random(11)
    positions = [rng.randrange(len(data)) for _ in range(2000 if SOAK else 40)]
    positions += list(range(0, 64))  # the prefix and the start of the header, every byte
    for position in positions:
        flipped = bytearray(data)
        flipped[position] ^= 1 << rng.randrange(8)
        _rejected(bytes(flipped), tmp_path)
    if SOAK:
        print(f"\nbackup bit flips: {len(positions)} flips, {len(positions)} rejected, 0 accepted")


def test_truncations_and_extensions_are_rejected(
    backed_up: tuple[Path, Path, str, bytes], tmp_path: Path
) -> None:
    data = backed_up[3]
    header_end = container.PREFIX.size + len(container.read_header(data).raw) + 32
    boundaries = [header_end + k * (container.CHUNK + container.TAG) for k in range(1, 4)]
    rng = random.Random(5)
    cuts = boundaries + [rng.randrange(1, len(data)) for _ in range(300 if SOAK else 20)] + [len(data) - 1]
    for cut in cuts:
        _rejected(data[:cut], tmp_path)
    for extra in (b"\x00", os.urandom(16), data[-(container.CHUNK + container.TAG) :]):
        _rejected(data + extra, tmp_path)
    if SOAK:
        print(f"\nbackup truncations: {len(cuts)} rejected; extensions: 3 rejected")


def test_swapped_chunks_are_rejected(backed_up: tuple[Path, Path, str, bytes], tmp_path: Path) -> None:
    data = backed_up[3]
    start = container.PREFIX.size + len(container.read_header(data).raw) + 32
    size = container.CHUNK + container.TAG
    first, second = data[start : start + size], data[start + size : start + 2 * size]
    _rejected(data[:start] + second + first + data[start + 2 * size :], tmp_path)


@settings(max_examples=300 if SOAK else 40, deadline=5000, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=4096))
def test_random_files_raise_only_our_errors(blob: bytes) -> None:
    try:
        header = container.read_header(blob)
        container.unwrap_dek(header, PASSPHRASE, None)
    except NotesdeskError:
        return


@settings(max_examples=300 if SOAK else 40, deadline=5000, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_backups_raise_only_our_errors(
    backed_up: tuple[Path, Path, str, bytes], data: st.DataObject
) -> None:
    original = bytearray(backed_up[3][:6000])
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "insert", "delete", "overwrite"]))
        at = data.draw(st.integers(0, len(original) - 1))
        if op == "flip":
            original[at] ^= 0xFF
        elif op == "insert":
            original[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del original[at : at + data.draw(st.integers(1, 8))]
        else:
            original[at : at + 4] = data.draw(st.binary(min_size=4, max_size=4))
    try:
        header = container.read_header(bytes(original))
        dek = container.unwrap_dek(header, PASSPHRASE, None)
        container.open_payload(bytes(original), header, dek)
    except NotesdeskError:
        return


def test_restore_replaces_the_vault_and_keeps_the_old_one(
    backed_up: tuple[Path, Path, str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault_path, backup, _, _ = backed_up
    target = tmp_path / "practice.notesdesk"
    shutil.copy(vault_path, target)
    with Vault.open(target, passphrase=PASSPHRASE) as vault:
        clients.add_client(vault.unit_of_work(), Client(name="Added after the backup"))
    kept = service.restore(backup, target, passphrase=PASSPHRASE)
    assert kept is not None and kept.exists()
    with Vault.open(target, passphrase=PASSPHRASE) as vault:
        assert [c.name for c in clients.list_clients(vault.unit_of_work())] == ["Ayşe Yılmaz"]
    # The replaced vault is another copy of the restored one: on this computer it is refused (an
    # attacker could put it back in place), elsewhere it still opens with everything it held.
    with pytest.raises(VaultDamaged, match="another copy"):
        Vault.open(kept, passphrase=PASSPHRASE)
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "another-computer"))
    with Vault.open(kept, passphrase=PASSPHRASE) as old:
        assert len(clients.list_clients(old.unit_of_work())) == 2


def test_restore_from_a_damaged_backup_changes_nothing(
    backed_up: tuple[Path, Path, str, bytes], tmp_path: Path
) -> None:
    vault_path, _, _, data = backed_up
    target = tmp_path / "practice.notesdesk"
    shutil.copy(vault_path, target)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    bad = tmp_path / "bad.ndbk"
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 4
    bad.write_bytes(bytes(damaged))
    with pytest.raises(VaultDamaged):
        service.restore(bad, target, passphrase=PASSPHRASE)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ndbk", "practice.notesdesk"]


def test_backup_before_a_passphrase_change_opens_with_the_old_passphrase(tmp_path: Path) -> None:
    vault, recovery_key = Vault.create(tmp_path / "v.notesdesk", PASSPHRASE)
    backup = service.make_backup(vault, tmp_path / "b")
    vault.change_passphrase("the newer passphrase")
    vault.close()
    assert service.check_backup(backup, PASSPHRASE).counts["clients"] == 0
    with pytest.raises(WrongPassphrase):
        service.check_backup(backup, "the newer passphrase")
    service.check_backup(backup, recovery_key=recovery_key)


def test_a_vault_replaced_by_an_older_copy_is_caught_by_the_backup_anchor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v.notesdesk"
    vault, _ = Vault.create(path, PASSPHRASE)
    vault.close()
    old_copy = tmp_path / "old-copy"
    shutil.copy(path, old_copy)
    with Vault.open(path, passphrase=PASSPHRASE) as vault:
        clients.add_client(vault.unit_of_work(), Client(name="Dương Văn An"))
        service.make_backup(vault, tmp_path / "b")
        service.check_anchor(vault, tmp_path / "b")  # the real vault passes
    shutil.copy(old_copy, path)
    # At every unlock now: this computer's anchor, and (on a computer without one) the backups.
    with pytest.raises(VaultDamaged, match="older than the one last opened on this computer"):
        Vault.open(path, passphrase=PASSPHRASE)
    monkeypatch.setenv("NOTESDESK_ANCHOR_DIR", str(tmp_path / "another-computer"))
    with pytest.raises(VaultDamaged, match="older than its newest backup"):
        Vault.open(path, passphrase=PASSPHRASE, backups=[tmp_path / "b"])


def test_a_full_disk_leaves_no_partial_or_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault, _ = Vault.create(tmp_path / "v.notesdesk", PASSPHRASE)
    folder = tmp_path / "b"
    folder.mkdir()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageFull):
        service.make_backup(vault, folder)
    monkeypatch.undo()
    vault.close()
    assert list(folder.iterdir()) == []


def test_rotation_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = datetime(2026, 11, 27, 12, tzinfo=UTC)
    backups = [service.BackupInfo(Path(f"b{i}"), start - timedelta(hours=12 * i)) for i in range(2 * 400)]
    keep = service.rotation_keep(backups)
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.created, reverse=True)
    assert kept[0] is backups[0]
    days = {b.created.date() for b in kept}
    assert all((start - timedelta(days=d)).date() in days for d in range(7))
    assert len({(b.created.year, b.created.month) for b in kept}) == 12
    assert len(kept) <= 7 + 4 + 12


def test_automatic_backup_writes_both_folders_and_skips_a_missing_drive(tmp_path: Path) -> None:
    vault, _ = Vault.create(tmp_path / "v.notesdesk", PASSPHRASE)
    primary, usb = tmp_path / "backups", tmp_path / "usb"
    usb.mkdir()
    assert service.backup_due(primary)
    written = service.automatic_backup(vault, primary, usb).written
    assert [p.parent for p in written] == [primary, usb]
    assert not service.backup_due(primary)
    again = service.automatic_backup(vault, primary, tmp_path / "unplugged")
    assert [p.parent for p in again.written] == [primary]
    assert again.removed == [written[0]]  # the same day: only the newest stays, and it is said
    vault.close()
    assert service.drill(primary, PASSPHRASE).counts["clients"] == 0


def test_two_backups_in_one_second_rotate_keeping_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    vault, _ = Vault.create(tmp_path / "v.notesdesk", PASSPHRASE)
    first, second = service.make_backup(vault, folder), service.make_backup(vault, folder)
    older = first.rename(folder / "notesdesk-backup-20261127-120000.ndbk")
    newer = second.rename(folder / "notesdesk-backup-20261127-120000-1.ndbk")
    assert [b.path for b in service.list_backups(folder)] == [newer, older]
    assert service.rotate(vault, folder).removed == [older]
    vault.close()
    assert newer.exists() and not older.exists()


def test_rotation_never_touches_another_vaults_backups_nor_the_one_it_is_told_to_keep(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared-usb"
    ours, _ = Vault.create(tmp_path / "ours.notesdesk", PASSPHRASE)
    theirs, _ = Vault.create(tmp_path / "theirs.notesdesk", PASSPHRASE)
    their_first, their_second = service.make_backup(theirs, folder), service.make_backup(theirs, folder)
    our_first, our_second = service.make_backup(ours, folder), service.make_backup(ours, folder)
    # Rotating for our vault: their two same-day backups are not ours to judge.
    rotation = service.rotate(ours, folder, keep=our_first)
    assert sorted(rotation.not_this_vault) == sorted([their_first, their_second])
    assert rotation.removed == [] and our_first.exists() and our_second.exists()
    assert service.rotate(ours, folder).removed == [our_first]
    ours.close()
    theirs.close()
    assert their_first.exists() and their_second.exists()


def test_a_file_named_for_a_future_day_does_not_put_the_daily_backup_off(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "notesdesk-backup-20990101-000000.ndbk").write_bytes(b"")
    assert service.backup_due(folder, now=datetime(2026, 12, 7, 9, tzinfo=UTC))


def test_restoring_an_older_backup_on_purpose_leaves_a_consistent_anchor(tmp_path: Path) -> None:
    path, folder = tmp_path / "v.notesdesk", tmp_path / "b"
    vault, _ = Vault.create(path, PASSPHRASE)
    old = service.make_backup(vault, folder)
    clients.add_client(vault.unit_of_work(), Client(name="Added later"))
    service.make_backup(vault, folder)
    vault.close()
    kept = service.restore(old, path, passphrase=PASSPHRASE, fresh_backup_to=folder)
    assert kept is not None and (kept.stat().st_mode & 0o077) == 0
    with Vault.open(path, passphrase=PASSPHRASE) as restored:
        service.check_anchor(restored, folder)
        assert clients.list_clients(restored.unit_of_work()) == []
