"""The one place where client data is encrypted and decrypted.

A row's domain object is encoded as JSON (msgspec) and sealed into its `data` column with
AES-256-GCM; the associated data binds table, column, row id and the row's clear columns (cipher.py).
Psychotherapy notes use their own key, so the compartment is separate in storage, not only in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from notesdesk.core.crypto.cipher import ClearValue, FieldCipher, SealBroken
from notesdesk.core.errors import InvalidInput, VaultDamaged

T = TypeVar("T")

PRIVATE_TABLES = frozenset({"private_note"})
DATA = "data"

_encoder = msgspec.json.Encoder()
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def encode(obj: object) -> bytes:
    return _encoder.encode(obj)


def decode[T](payload: bytes, kind: type[T]) -> T:
    decoder: msgspec.json.Decoder[T] | None = _decoders.get(kind)
    if decoder is None:
        decoder = _decoders[kind] = msgspec.json.Decoder(kind)
    return decoder.decode(payload)


class Sealer:
    def __init__(self, fields: FieldCipher, private: FieldCipher | None) -> None:
        """`private` None: a sealer that opens no psychotherapy note (the search index's child
        process holds only the fields key, core/search/child.py)."""
        self._fields = fields
        self._private = private

    def _cipher(self, table: str) -> FieldCipher:
        if table not in PRIVATE_TABLES:
            return self._fields
        if self._private is None:
            raise PermissionError(f"This sealer holds no key for {table}.")
        return self._private

    def seal(
        self, table: str, row_id: str, clear: Mapping[str, ClearValue], obj: object, read_back: bool = True
    ) -> bytes:
        """`read_back=False` only for an object that was itself decoded from JSON (a received row) or
        built from typed values here (an audit entry): it reads back by construction."""
        if not read_back:
            return self._cipher(table).seal(table, DATA, row_id, clear, encode(obj))
        return self.seal_checked(table, row_id, clear, obj)[0]

    def seal_checked[O](
        self, table: str, row_id: str, clear: Mapping[str, ClearValue], obj: O
    ) -> tuple[bytes, O]:
        """The sealed bytes, and the object decoded from the very bytes sealed: what opening them
        gives, so a caller that needs the row as read (a client's summary, incremental.py) need not
        decrypt what it has just sealed."""
        payload = encode(obj)
        # Never write what we could not read back: a mistyped field would otherwise surface
        # later as a "damaged" record.
        try:
            read_back = decode(payload, type(obj))
        except msgspec.ValidationError as exc:
            raise InvalidInput(f"This {table.replace('_', ' ')} cannot be saved: {exc}") from exc
        return self._cipher(table).seal(table, DATA, row_id, clear, payload), read_back

    def seal_bytes(
        self, table: str, row_id: str, clear: Mapping[str, ClearValue], payload: bytes
    ) -> bytes:
        return self._cipher(table).seal(table, DATA, row_id, clear, payload)

    def open_bytes(
        self, table: str, row_id: str, clear: Mapping[str, ClearValue], sealed: object
    ) -> bytes:
        try:
            return self._cipher(table).open(table, DATA, row_id, clear, sealed)
        except SealBroken as exc:
            raise VaultDamaged(
                f"A record in the vault ({table}) fails its authenticity check: "
                "the file was damaged or altered."
            ) from exc

    def open(
        self,
        table: str,
        row_id: str,
        clear: Mapping[str, ClearValue],
        sealed: object,
        kind: type[T],
    ) -> T:
        payload = self.open_bytes(table, row_id, clear, sealed)
        try:
            obj = decode(payload, kind)
        except msgspec.DecodeError as exc:
            raise VaultDamaged(f"A record in the vault ({table}) cannot be read.") from exc
        if getattr(obj, "id", row_id) != row_id:
            raise VaultDamaged(f"A record in the vault ({table}) does not belong where it is stored.")
        return obj
