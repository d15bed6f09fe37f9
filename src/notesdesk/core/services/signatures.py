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


def signed_body(item: Signable) -> str:
    """The item as stored, without its signature, as the JSON that is hashed."""
    bare = replace(item, signature=None)
    if isinstance(bare, TreatmentPlan):
        kept_plan = {f.name: getattr(bare, f.name) for f in fields(bare)
                     if f.name not in UNSIGNED_PLAN_FIELDS}
        return encode(kept_plan).decode("utf-8")
    if not isinstance(bare, SessionNote):
        return encode(bare).decode("utf-8")
    # A dict of the fields in their order encodes exactly as the dataclass does (msgspec).
    kept = {f.name: getattr(bare, f.name) for f in fields(bare)
            if f.name not in LATER_NOTE_FIELDS or getattr(bare, f.name) != LATER_NOTE_FIELDS[f.name]}
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


def signature_valid(item: Signable, public_key: bytes) -> bool:
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
