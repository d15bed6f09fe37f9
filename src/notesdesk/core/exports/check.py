"""Check every signature in a client JSON export (docs/export-schema.md) without a vault.

The same checks as the standalone docs/check_signatures.py, which needs only `cryptography`: each
signed item's `signed_content` (the hash inputs, SECURITY.md) must match the item as shown, hash to its
`content_hash`, and carry an Ed25519 signature of that hash by the key its `key_fingerprint` names
among the export's `practice_keys` (a colleague's, in a group practice), else by its `signing_key`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notesdesk.core.crypto import signing
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.errors import VaultDamaged
from notesdesk.core.services.signatures import UNSIGNED_PLAN_FIELDS

SIGNED = (("notes", "note"), ("addenda", "addendum"), ("plans", "plan"), ("plan_reviews", "plan review"),
          ("plan_agreements", "plan agreement"))
UNSIGNED = {"plan": UNSIGNED_PLAN_FIELDS}
"""Fields shown on an item but outside its signature (a plan version's status moves on after it is
signed)."""


def _item_valid(item: dict[str, Any], kind: str, public: bytes) -> bool:
    sig, inputs = item.get("signature"), item.get("signed_content")
    if not isinstance(sig, dict) or not isinstance(inputs, list) or len(inputs) != 8:
        return False
    if not all(isinstance(part, str) for part in inputs):
        return False
    left_out = ("signed_content", *UNSIGNED.get(kind, ()))
    shown = {key: value for key, value in item.items() if key not in left_out} | {"signature": None}
    try:
        same_time = datetime.fromisoformat(inputs[4]) == datetime.fromisoformat(sig["signed_at"])
        same = (
            inputs[:4] == ["nd-sign", kind, item.get("id"), item.get("client_id")]
            and same_time
            and inputs[5:7] == [sig["signer"], sig["credentials"]]
            and json.loads(inputs[7]) == shown
        )
        digest = hashlib.sha256(lp(*inputs)).hexdigest()
        return (
            same
            and digest == sig["content_hash"]
            and signing.verify(public, bytes.fromhex(sig["signature"]), bytes.fromhex(digest))
        )
    except (KeyError, TypeError, ValueError, RecursionError):
        return False


@dataclass(frozen=True)
class Checked:
    """What a clean export showed: how many signed items verify, the fingerprint of its signing key,
    and those of the colleagues' keys (group practice) that signed any of them."""

    signed_items: int
    fingerprint: str
    colleagues: tuple[str, ...]


def _keys(record: dict[str, Any]) -> tuple[bytes, dict[str, bytes]]:
    """The export's signing key, and every key it carries by the fingerprint computed here: a label in
    the file names nothing."""
    public = bytes.fromhex(record["signing_key"]["public_key"])
    listed = record.get("practice_keys", {})  # absent from exports written before group practices
    members = [bytes.fromhex(entry["public_key"]) for entry in listed.values()]
    return public, {signing.fingerprint(key): key for key in [*members, public]}


def check_export(data: bytes) -> Checked:
    """Every signed item checked against the key it names; VaultDamaged naming the first that fails."""
    try:
        record = json.loads(data.decode("utf-8"))
        public, keys = _keys(record)
        items = [(kind, item) for name, kind in SIGNED for item in record.get(name, [])]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise VaultDamaged(
            "This file is not a NotesDesk client export with a signing key (export --format json)."
        ) from None
    own = signing.fingerprint(public) if len(public) == 32 else "?"
    checked, colleagues = 0, set[str]()
    for kind, item in items:
        if not isinstance(item, dict):
            raise VaultDamaged(f"An entry in the export's {kind} list is not an object.")
        sig = item.get("signature")
        if sig is None:
            continue  # a draft: nothing was signed
        named = sig.get("key_fingerprint") if isinstance(sig, dict) else None
        key = keys.get(named, public) if isinstance(named, str) else public
        if not _item_valid(item, kind, key):
            ident = item.get("id")
            # Only a plain id is echoed: the file is untrusted and the line goes to a terminal.
            shown = ident if isinstance(ident, str) and ident.isprintable() and len(ident) <= 64 else "?"
            raise VaultDamaged(
                f"The signature of {kind} {shown} does not verify: "
                "the export was altered after it was signed."
            )
        checked += 1
        if key != public:
            colleagues.add(signing.fingerprint(key))
    return Checked(checked, own, tuple(sorted(colleagues)))
