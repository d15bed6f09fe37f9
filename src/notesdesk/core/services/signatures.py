"""Content hashes and Ed25519 signatures for notes and addenda.

The hash covers the whole note as stored (minus the signature itself) together with who signed and
when, so any later change to a signed note, through any route, breaks verification.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from notesdesk.core.crypto import signing
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.domain.notes import Addendum, SessionNote, Signature
from notesdesk.core.storage.sealer import encode

# A note's fields added after notes were first signed are hashed only when set: a note signed before
# they existed still hashes, byte for byte, to the content hash stored with it. Each is the last field
# of the note, so leaving it out when unset is dropping one exact suffix of the body.
UNSET_LATER_FIELDS = ',"risk":null}'


def signed_body(item: SessionNote | Addendum) -> str:
    """The item as hashed: as stored, with `signature` null, less any later field left unset."""
    body = encode(replace(item, signature=None)).decode("utf-8")
    if isinstance(item, SessionNote) and item.risk is None and body.endswith(UNSET_LATER_FIELDS):
        body = body[: -len(UNSET_LATER_FIELDS)] + "}"
    return body


def hash_inputs(item: SessionNote | Addendum, signed_at: datetime, signer: str, creds: str) -> list[str]:
    """The eight strings whose length-prefixed UTF-8 bytes are hashed (SECURITY.md, "How to check a
    signature"); the client JSON export carries them so anyone can recompute the hash."""
    body = signed_body(item)
    kind = "note" if isinstance(item, SessionNote) else "addendum"
    return ["nd-sign", kind, item.id, item.client_id, signed_at.isoformat(), signer, creds, body]


def signed_inputs(item: SessionNote | Addendum) -> list[str] | None:
    sig = item.signature
    return None if sig is None else hash_inputs(item, sig.signed_at, sig.signer, sig.credentials)


def content_hash(item: SessionNote | Addendum, signed_at: datetime, signer: str, creds: str) -> str:
    return hashlib.sha256(lp(*hash_inputs(item, signed_at, signer, creds))).hexdigest()


def make_signature(
    item: SessionNote | Addendum, private_key: bytes, signer: str, creds: str, at: datetime
) -> Signature:
    digest = content_hash(item, at, signer, creds)
    public = signing.public_key_bytes(private_key)
    return Signature(
        signed_at=at,
        signer=signer,
        credentials=creds,
        content_hash=digest,
        signature=signing.sign(private_key, bytes.fromhex(digest)).hex(),
        key_fingerprint=signing.fingerprint(public),
    )


def signature_valid(item: SessionNote | Addendum, public_key: bytes) -> bool:
    sig = item.signature
    if sig is None:
        return False
    digest = content_hash(item, sig.signed_at, sig.signer, sig.credentials)
    if digest != sig.content_hash:
        return False
    try:
        raw = bytes.fromhex(sig.signature)
    except ValueError:
        return False
    return signing.verify(public_key, raw, bytes.fromhex(digest))
