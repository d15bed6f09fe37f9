"""Attachments: a PDF, PNG or JPEG sealed in the vault in chunks, refused clearly, read back whole."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import sqlite3
import tracemalloc
from pathlib import Path

import pytest

from notesdesk.core.domain.attachments import CHUNK_SIZE, MAX_ATTACHMENT_BYTES, AttachmentKind, MediaType
from notesdesk.core.errors import InvalidInput, NotFound, VaultDamaged
from notesdesk.core.services import attachments, audit_log, clients, verify
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records

PDF_HEAD = b"%PDF-1.4\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"
JPEG_HEAD = b"\xff\xd8\xff\xe0"
MB = 1024 * 1024


def scan(size: int, head: bytes = PDF_HEAD) -> bytes:
    """`size` bytes starting like a PDF (or `head`), every chunk different (so a swap is a change)."""
    body = bytearray(head)
    counter = 0
    while len(body) < size:
        body += hashlib.sha256(counter.to_bytes(8, "big")).digest() * 128
        counter += 1
    return bytes(body[:size])


def file_with(tmp_path: Path, data: bytes, name: str = "scan.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def add(vault: Vault, client_id: str, data: bytes, name: str = "Signed consent.pdf", title: str = "") -> str:
    return attachments.add_attachment(vault.unit_of_work(), client_id, io.BytesIO(data), name, title).id


def read(vault: Vault, attachment_id: str) -> bytes:
    sink = io.BytesIO()
    attachments.read_attachment(vault.unit_of_work(), attachment_id, sink)
    return sink.getvalue()


@pytest.fixture
def client_id(vault: Vault) -> str:
    return clients.add_client(vault.unit_of_work(), records.client("At ")).id


def test_a_20_mb_scan_is_sealed_in_chunks_and_read_back_byte_for_byte(
    vault: Vault, client_id: str, vault_path: Path
) -> None:
    data = scan(20 * MB)
    attachment_id = add(vault, client_id, data, title="Consent, signed")
    [listed] = attachments.list_attachments(vault.unit_of_work(), client_id)
    assert (listed.title, listed.file_name, listed.media_type) == ("Consent, signed", "Signed consent.pdf",
                                                                    MediaType.PDF)
    assert listed.size == len(data) and listed.sha256 == hashlib.sha256(data).hexdigest()
    assert listed.chunks == 20
    assert read(vault, attachment_id) == data
    assert verify.verify_vault(vault.unit_of_work()).ok
    # Never in clear in the vault file: neither the bytes nor the file's name.
    vault.close()
    stored = vault_path.read_bytes()
    assert data[1000:1064] not in stored and b"Signed consent" not in stored


def test_the_type_comes_from_the_bytes_not_the_name(vault: Vault, client_id: str) -> None:
    png = add(vault, client_id, PNG_HEAD + b"\x00" * 100, name="photo.pdf")
    jpeg = add(vault, client_id, JPEG_HEAD + b"\x00" * 100, name="scan")
    found = {a.id: a for a in attachments.list_attachments(vault.unit_of_work(), client_id)}
    assert found[png].media_type is MediaType.PNG and found[png].is_image
    assert found[jpeg].media_type is MediaType.JPEG
    assert found[png].title == "photo.pdf"  # no title given: the file's name
    with pytest.raises(InvalidInput, match="Only PDF, PNG and JPEG"):
        add(vault, client_id, b"MZ\x90\x00 a program", name="consent.pdf")
    with pytest.raises(InvalidInput, match="empty"):
        add(vault, client_id, b"", name="consent.pdf")


def test_over_the_limit_is_refused_in_one_line_and_no_byte_is_written(
    vault: Vault, client_id: str, vault_path: Path
) -> None:
    add(vault, client_id, scan(1000))
    before = vault_path.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        add(vault, client_id, scan(MAX_ATTACHMENT_BYTES + 1))
    assert "larger than 25 MB" in refused.value.message and "\n" not in refused.value.message
    assert vault_path.read_bytes() == before
    assert add(vault, client_id, scan(MAX_ATTACHMENT_BYTES))  # the limit itself passes


class Growing(io.BytesIO):
    """A file that changes between the survey and the sealing (another program still writing it)."""

    def seek(self, offset: int, whence: int = 0) -> int:
        self.getbuffer()[-1] ^= 1
        return super().seek(offset, whence)


def test_a_file_that_changes_while_it_is_attached_is_refused_and_nothing_is_kept(
    vault: Vault, client_id: str
) -> None:
    with pytest.raises(InvalidInput, match="changed"):
        attachments.add_attachment(vault.unit_of_work(), client_id, Growing(scan(3 * MB)), "a.pdf")
    assert attachments.list_attachments(vault.unit_of_work(), client_id) == []
    with vault.unit_of_work() as uow:
        assert uow.attachment_chunks.ids() == []


def test_adding_and_reading_hold_a_few_chunks_not_the_file(
    vault: Vault, client_id: str, tmp_path: Path
) -> None:
    path = file_with(tmp_path, scan(20 * MB))
    tracemalloc.start()
    try:
        with path.open("rb") as source:
            attachment = attachments.add_attachment(vault.unit_of_work(), client_id, source, path.name)
        _size, adding_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()

        class Counting:
            written = 0

            def write(self, data: bytes, /) -> int:
                self.written += len(data)
                return len(data)

        sink = Counting()
        attachments.read_attachment(vault.unit_of_work(), attachment.id, sink)
        _size, reading_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.written == 20 * MB
    # A chunk is held a few times over (read, encoded, sealed: about 7 MB at the peak); the whole
    # 20 MB file, held once, would pass 10.
    assert adding_peak < 10 * CHUNK_SIZE, f"adding held {adding_peak / MB:.1f} MB"
    assert reading_peak < 10 * CHUNK_SIZE, f"reading held {reading_peak / MB:.1f} MB"


def _chunk_rows(path: Path) -> list[tuple[str, str, int]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, attachment_id, part FROM attachment_chunk ORDER BY part").fetchall()
    finally:
        conn.close()


def test_chunks_moved_inside_a_file_or_between_files_fail_their_seal(
    vault: Vault, client_id: str
) -> None:
    first = add(vault, client_id, scan(2 * MB + 10))
    second = add(vault, client_id, scan(2 * MB + 10, head=PDF_HEAD + b"other"))

    def tamper(statement: str, *params: object) -> None:
        # Below the repositories, as a program changing the file would: no audit, no head.
        with vault.unit_of_work() as uow:
            assert uow.session is not None
            uow.session.connection().exec_driver_sql(statement, params)
            uow.session.commit()

    # The data of part 0 and part 1 swapped: each row keeps its id and clear columns.
    tamper("UPDATE attachment_chunk SET data = (SELECT data FROM attachment_chunk c2 WHERE "
           "c2.attachment_id = attachment_chunk.attachment_id AND c2.part = 1 - attachment_chunk.part) "
           "WHERE attachment_id = ? AND part IN (0, 1)", first)
    with pytest.raises(VaultDamaged):
        read(vault, first)
    # A chunk given to another attachment (its clear column changed to match).
    tamper("UPDATE attachment_chunk SET attachment_id = ?, part = 9 WHERE attachment_id = ? AND part = 2",
           first, second)
    with pytest.raises(VaultDamaged):
        read(vault, second)
    with pytest.raises(VaultDamaged):
        verify.verify_vault(vault.unit_of_work())


def test_a_chunk_deleted_from_the_file_is_refused_at_the_next_unlock(
    vault: Vault, client_id: str, vault_path: Path
) -> None:
    add(vault, client_id, scan(2 * MB))
    vault.close()
    conn = sqlite3.connect(vault_path)
    conn.execute("DELETE FROM attachment_chunk WHERE part = 1")
    conn.commit()
    conn.close()
    with pytest.raises(VaultDamaged):
        Vault.open(vault_path, passphrase=PASSPHRASE)


def test_deleting_needs_a_reason_removes_every_chunk_and_audits_why(
    vault: Vault, client_id: str, vault_path: Path
) -> None:
    attachment_id = add(vault, client_id, scan(3 * MB))
    with pytest.raises(InvalidInput, match="why"):
        attachments.delete_attachment(vault.unit_of_work(), attachment_id, "  ")
    attachments.delete_attachment(vault.unit_of_work(), attachment_id, "attached to the wrong client")
    assert attachments.list_attachments(vault.unit_of_work(), client_id) == []
    assert _chunk_rows(vault_path) == []
    with pytest.raises(NotFound):
        read(vault, attachment_id)
    entries = audit_log.audit_entries(vault.unit_of_work())
    assert any(e.action == "delete-reason" and e.row_id == attachment_id
               and e.detail == "attached to the wrong client" for e in entries)
    assert verify.verify_vault(vault.unit_of_work()).ok


def test_titles_and_names_are_checked(vault: Vault, client_id: str) -> None:
    with pytest.raises(InvalidInput, match="control characters"):
        add(vault, client_id, scan(100), title="evil\x1b[2J")
    with pytest.raises(InvalidInput, match="at most"):
        add(vault, client_id, scan(100), title="x" * 201)
    kept = attachments.add_attachment(vault.unit_of_work(), client_id, io.BytesIO(scan(100)),
                                      "/home/someone/Scans/letter.pdf", kind=AttachmentKind.LETTER)
    assert kept.file_name == "letter.pdf" and kept.kind is AttachmentKind.LETTER


def test_chunks_that_do_not_hash_to_the_stored_checksum_are_damage(vault: Vault, client_id: str) -> None:
    attachment_id = add(vault, client_id, scan(2 * MB))
    with vault.unit_of_work() as uow:  # through the sealing place, as a bug writing a wrong hash would
        stored = uow.attachments.get(attachment_id)
        uow.attachments.replace(dataclasses.replace(stored, sha256=hashlib.sha256(b"other").hexdigest()))
        uow.commit()
    with pytest.raises(VaultDamaged, match="do not match their checksum"):
        read(vault, attachment_id)
    with pytest.raises(VaultDamaged, match="checksum"):
        verify.verify_vault(vault.unit_of_work())
