"""Content hashes and Ed25519 signatures for notes, addenda, plan versions and their reviews and
client agreements.

The hash covers the whole item as stored (minus the signature itself) together with who signed and
when, so any later change to a signed item, through any route, breaks verification. A plan version's
lifecycle fields (UNSIGNED_PLAN_FIELDS) are left out: activating a newer version or a review closing
it changes its status, never what was signed (docs/design-notes.md, "Signed plans").
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from datetime import datetime

from notesdesk.core.crypto import signing
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.domain.notes import Addendum, Delivery, SessionNote, Signature
from notesdesk.core.domain.plans import PlanAgreement, SignedReview, TreatmentPlan
from notesdesk.core.storage.sealer import encode

Signable = SessionNote | Addendum | TreatmentPlan | SignedReview | PlanAgreement

KINDS: dict[type, str] = {SessionNote: "note", Addendum: "addendum", TreatmentPlan: "plan",
                          SignedReview: "plan review", PlanAgreement: "plan agreement"}
"""The second hashed string: what kind of item was signed."""

UNSIGNED_PLAN_FIELDS = ("status", "review_due", "reviews", "client_agreement_date", "client_agreement_how")
"""A plan version's fields outside its signature: its status changes when a newer version is
activated or a review closes it, and its review-due date when a review sets the next one (each
review's signed record carries that date); reviews and the client's agreement are their own signed
records (those stored inside plans made before plans were signed stay where they were written)."""

# Note fields added after notes were first signed, with their defaults. While a note holds the default,
# the field is left out of the signed body, so the body of an older note is byte for byte what it was.
LATER_NOTE_FIELDS: dict[str, object] = {"delivery": Delivery.IN_PERSON, "cpt_code": "", "risk": None}


_NOTE_FIELDS = tuple(f.name for f in fields(SessionNote))


def signed_body(item: Signable) -> str:
    """The item as stored, without its signature, as the JSON that is hashed."""
    if isinstance(item, TreatmentPlan):
        bare = replace(item, signature=None)
        kept_plan = {f.name: getattr(bare, f.name) for f in fields(bare)
                     if f.name not in UNSIGNED_PLAN_FIELDS}
        return encode(kept_plan).decode("utf-8")
    if not isinstance(item, SessionNote):
        return encode(replace(item, signature=None)).decode("utf-8")
    # A dict of the fields in their order encodes exactly as the dataclass does (msgspec); read from
    # the note itself with the signature set to None, which is what a copy without it would hold
    # (`verify` hashes every signed note: no copy made per note).
    kept: dict[str, object] = {}
    for name in _NOTE_FIELDS:
        value = None if name == "signature" else getattr(item, name)
        if name not in LATER_NOTE_FIELDS or value != LATER_NOTE_FIELDS[name]:
            kept[name] = value
    return encode(kept).decode("utf-8")


def hash_inputs(item: Signable, signed_at: datetime, signer: str, creds: str) -> list[str]:
    """The eight strings whose length-prefixed UTF-8 bytes are hashed (SECURITY.md, "How to check a
    signature"); the client JSON export carries them so anyone can recompute the hash."""
    body = signed_body(item)
    kind = KINDS[type(item)]
    return ["nd-sign", kind, item.id, item.client_id, signed_at.isoformat(), signer, creds, body]


def signed_inputs(item: Signable) -> list[str] | None:
    sig = item.signature
    return None if sig is None else hash_inputs(item, sig.signed_at, sig.signer, sig.credentials)


def content_hash(item: Signable, signed_at: datetime, signer: str, creds: str) -> str:
    return hashlib.sha256(lp(*hash_inputs(item, signed_at, signer, creds))).hexdigest()


def make_signature(
    item: Signable, private_key: bytes, signer: str, creds: str, at: datetime
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


def signature_claim(item: Signable) -> tuple[bytes, bytes] | None:
    """What is left to check of the item's signature once its content hash holds: (the signature,
    the digest it must sign); None when the item is unsigned, altered or its signature unreadable."""
    sig = item.signature
    if sig is None:
        return None
    digest = content_hash(item, sig.signed_at, sig.signer, sig.credentials)
    if digest != sig.content_hash:
        return None
    try:
        raw = bytes.fromhex(sig.signature)
    except ValueError:
        return None
    return raw, bytes.fromhex(digest)


def signature_valid(item: Signable, public_key: bytes) -> bool:
    claim = signature_claim(item)
    return claim is not None and signing.verify(public_key, *claim)
