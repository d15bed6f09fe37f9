"""NDBK v1: our authenticated backup container (docs/design-notes.md §5, after age and KDBX 4).

    "NDBK" | u16 version | u32 header_len | header (canonical JSON) | header MAC (32)
    | chunks: AES-256-GCM(payload key, nonce = 11-byte counter | final flag), 64 KiB plaintext each

The header carries copies of the vault's own key slots (the data key wrapped by the passphrase of the
day and by the recovery key), so a backup made without asking for the passphrase still opens with the
passphrase current at backup time or with the recovery key. The file key is derived from the data key
and a per-backup nonce. Every reader error is a NotesdeskError: WrongPassphrase (exit 3) when no slot
opens, BackupDamaged (exit 4) for anything altered, truncated, extended or malformed.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from notesdesk.core.crypto import kdf, keys, recovery
from notesdesk.core.errors import VaultDamaged, WrongPassphrase

MAGIC = b"NDBK"
VERSION = 1
CHUNK = 64 * 1024
TAG = 16
MAX_HEADER = 64 * 1024
MAX_PLAIN = 8 * 1024 * 1024 * 1024
PREFIX = struct.Struct(">4sHI")


class BackupDamaged(VaultDamaged):
    """The backup file was altered, truncated or is not a NotesDesk backup."""


@dataclass(frozen=True)
class BackupHeader:
    vault_id: str
    created: str
    app_version: str
    schema: str
    plain_len: int
    payload_nonce: bytes
    audit_head_seq: int
    audit_head_mac: str
    counts: dict[str, int]
    slots: dict[str, keys.KeySlot]
    raw: bytes
    lineage: str = ""  # the vault's lineage when backed up (storage/head.py); "" before it existed
    # Marks of the vault's data keys renewed before this backup (storage/rekey.py): each an HMAC
    # under an old key, so only a copy still under that key can recognise its own, and be refused.
    retired: tuple[str, ...] = ()


def file_key(dek: bytes, payload_nonce: bytes) -> bytes:
    return keys.hkdf(dek, payload_nonce, "ndbk/file")


def _header_mac(key: bytes, prefix_and_header: bytes) -> bytes:
    return hmac.new(keys.hkdf(key, b"", "ndbk/header"), prefix_and_header, hashlib.sha256).digest()


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def _chunks(data: bytes) -> Iterator[tuple[int, bytes, bool]]:
    count = max(1, -(-len(data) // CHUNK))
    for i in range(count):
        yield i, data[i * CHUNK : (i + 1) * CHUNK], i == count - 1


def seal_backup(
    image: bytes,
    dek: bytes,
    vault_id: str,
    slots: dict[str, keys.KeySlot],
    meta: dict[str, Any],
) -> bytes:
    """The whole backup as bytes. `image` is a consistent SQLite image (already field-sealed)."""
    payload = zlib.compress(image, 6)
    nonce = os.urandom(16)
    header = {
        "v": VERSION,
        "chunk": CHUNK,
        "compression": "zlib",
        "payload_nonce": nonce.hex(),
        "plain_len": len(image),
        "vault_id": vault_id,
        "meta": meta,
        "slots": [
            {"kind": s.kind, "params": s.params, "wrapped": s.wrapped.hex()}
            for s in sorted(slots.values(), key=lambda s: s.kind)
        ],
    }
    header_bytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    key = file_key(dek, nonce)
    out = bytearray(PREFIX.pack(MAGIC, VERSION, len(header_bytes)) + header_bytes)
    out += _header_mac(key, bytes(out))
    aead = AESGCM(keys.hkdf(key, nonce, "ndbk/payload"))
    for counter, chunk, final in _chunks(payload):
        out += aead.encrypt(_nonce(counter, final), chunk, None)
    return bytes(out)


# -- reading ------------------------------------------------------------------------------------


def _damaged(why: str) -> BackupDamaged:
    return BackupDamaged(f"This backup cannot be trusted: {why}.")


def read_header(data: bytes) -> BackupHeader:
    """Parse and sanity-check the header; nothing here is trusted until the MAC is checked."""
    if len(data) < PREFIX.size or data[:4] != MAGIC:
        raise _damaged("it is not a NotesDesk backup file")
    magic, version, header_len = PREFIX.unpack_from(data)
    if version != VERSION:
        raise _damaged(f"it uses format version {version}, which this NotesDesk cannot read")
    if header_len > MAX_HEADER or PREFIX.size + header_len + 32 > len(data):
        raise _damaged("its header is truncated or oversized")
    raw = data[PREFIX.size : PREFIX.size + header_len]
    try:
        header = json.loads(raw)
        slots = {}
        for s in header["slots"]:
            slot = keys.KeySlot(str(s["kind"]), str(s["params"]), bytes.fromhex(s["wrapped"]))
            slots[slot.kind] = slot
        meta = header["meta"]
        parsed = BackupHeader(
            vault_id=str(header["vault_id"]),
            created=str(meta["created"]),
            app_version=str(meta["app_version"]),
            schema=str(meta["schema"]),
            plain_len=int(header["plain_len"]),
            payload_nonce=bytes.fromhex(header["payload_nonce"]),
            audit_head_seq=int(meta["audit_head_seq"]),
            audit_head_mac=str(meta["audit_head_mac"]),
            counts={str(k): int(v) for k, v in dict(meta["counts"]).items()},
            slots=slots,
            raw=raw,
            lineage=str(meta.get("lineage", "")),
            retired=tuple(str(mark) for mark in meta.get("retired", [])[:64]),
        )
        valid = (
            header["v"] == VERSION
            and header["chunk"] == CHUNK
            and header["compression"] == "zlib"
            and len(parsed.payload_nonce) == 16
            and 0 < parsed.plain_len <= MAX_PLAIN
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _damaged("its header is malformed") from exc
    if not valid:
        raise _damaged("its header has unexpected settings")
    return parsed


def read_head(source: Path | BinaryIO) -> bytes:
    """The prefix, header and header MAC of a backup file, read without reading its body: enough to
    tell whose backup it is (with `read_header` and `check_header_mac`) at the cost of 64 KiB at most."""
    if isinstance(source, Path):
        if not source.is_file():  # a FIFO would block the open; a folder is no backup either
            raise _damaged("it is not a NotesDesk backup file")
        with open(source, "rb") as handle:
            return read_head(handle)
    prefix = source.read(PREFIX.size)
    if len(prefix) < PREFIX.size or prefix[:4] != MAGIC:
        raise _damaged("it is not a NotesDesk backup file")
    header_len = PREFIX.unpack(prefix)[2]
    if header_len > MAX_HEADER:
        raise _damaged("its header is truncated or oversized")
    return prefix + source.read(header_len + 32)


def largest_body(plain_len: int) -> int:
    """The most bytes the sealed body of `plain_len` bytes can take: zlib's worst case (its
    compressBound, plus the stream's header and checksum) and a tag per chunk."""
    compressed = plain_len + (plain_len >> 12) + (plain_len >> 14) + (plain_len >> 25) + 13 + 6
    return compressed + TAG * max(1, -(-compressed // CHUNK))


def check_size(header: BackupHeader, file_size: int) -> None:
    """The file's size against the length its header declares, before anything is read or derived:
    a huge file behind a small header is refused at once, not read into memory first."""
    body = file_size - (PREFIX.size + len(header.raw) + 32)
    if body <= 0:
        raise _damaged("it is truncated")
    if body > largest_body(header.plain_len):
        raise _damaged("its size does not match its header (it was extended)")


def unwrap_dek(header: BackupHeader, passphrase: str | None, recovery_key: str | None) -> bytes:
    """Open a slot. Wrong secret and damaged slot look the same; both are WrongPassphrase."""
    if recovery_key is not None:
        secret = recovery.decode(recovery_key)
        slot = header.slots.get(keys.SLOT_RECOVERY)
        salt = str(keys.slot_params(slot).get("salt", "")) if slot else ""
        try:
            kek = keys.recovery_kek(secret, bytes.fromhex(salt))
        except ValueError:
            kek = b""
        dek = slot.unwrap(kek, header.vault_id) if slot and kek else None
        if dek is None:
            raise WrongPassphrase("That recovery key does not open this backup.")
        return dek
    slot = header.slots.get(keys.SLOT_PASSPHRASE)
    if slot is None or passphrase is None:
        raise WrongPassphrase("A passphrase or the recovery key is needed to open this backup.")
    try:
        params = kdf.KdfParams.from_dict(keys.slot_params(slot))
    except VaultDamaged as exc:
        raise _damaged("its key slot asks for unsafe key-derivation settings") from exc
    dek = keys.unwrap_passphrase_slot(slot, passphrase, params, header.vault_id)
    if dek is None:
        raise WrongPassphrase(
            "Wrong passphrase for this backup (it opens with the passphrase in use when it was made, "
            "or with the recovery key)."
        )
    return dek


def check_header_mac(data: bytes, header: BackupHeader, dek: bytes) -> int:
    """Returns where the payload starts."""
    end = PREFIX.size + len(header.raw)
    mac = data[end : end + 32]
    expected = _header_mac(file_key(dek, header.payload_nonce), data[:end])
    if not hmac.compare_digest(mac, expected):
        raise _damaged("its header was altered")
    return end + 32


SQLITE_MAGIC = b"SQLite format 3\x00"


def open_payload(data: bytes, header: BackupHeader, dek: bytes, magic: bytes = SQLITE_MAGIC) -> bytes:
    """Check the header MAC and every chunk; return the payload (by default a SQLite image)."""
    return open_stream(io.BytesIO(data), len(data), header, dek, magic)


def open_stream(
    handle: BinaryIO, size: int, header: BackupHeader, dek: bytes, magic: bytes = SQLITE_MAGIC
) -> bytes:
    """`open_payload` reading from a file one chunk at a time: only the payload itself is held."""
    check_size(header, size)
    handle.seek(0)
    start = check_header_mac(handle.read(PREFIX.size + len(header.raw) + 32), header, dek)
    key = file_key(dek, header.payload_nonce)
    aead = AESGCM(keys.hkdf(key, header.payload_nonce, "ndbk/payload"))
    sealed_chunk = CHUNK + TAG
    remaining = size - start
    inflater = zlib.decompressobj()
    image = bytearray()
    counter = 0
    while remaining > 0:
        piece = handle.read(min(sealed_chunk, remaining))
        if not piece:
            raise _damaged("it is truncated")
        remaining -= len(piece)
        try:
            chunk = aead.decrypt(_nonce(counter, remaining == 0), piece, None)
        except InvalidTag:
            raise _damaged("it was truncated, extended or altered") from None
        counter += 1
        try:
            image += inflater.decompress(chunk, header.plain_len + 1 - len(image))
        except zlib.error as exc:
            raise _damaged("its contents are malformed") from exc
        if len(image) > header.plain_len:
            raise _damaged("its contents are longer than its header says")
    if not inflater.eof or inflater.unused_data or len(image) != header.plain_len:
        raise _damaged("its contents do not match its header")
    if not image.startswith(magic):
        raise _damaged("it does not contain what its kind promises")
    return bytes(image)
