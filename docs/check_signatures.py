"""Check every signature in a NotesDesk client export with `cryptography` alone (SECURITY.md).

Usage: python check_signatures.py EXPORT.json  -> exit 0 when all verify, 4 naming the first that fails.
"""
import hashlib
import json
import struct
import sys
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

KINDS = (("notes", "note"), ("addenda", "addendum"), ("plans", "plan"), ("plan_reviews", "plan review"),
         ("plan_agreements", "plan agreement"))
UNSIGNED = {"plan": ("status", "review_due", "reviews", "client_agreement_date", "client_agreement_how")}


def check(item, kind, key):
    sig, inputs = item["signature"], item["signed_content"]  # inputs: the eight hashed strings
    left_out = ("signed_content", *UNSIGNED.get(kind, ()))
    shown = {k: v for k, v in item.items() if k not in left_out} | {"signature": None}
    if not (inputs[:4] == ["nd-sign", kind, item["id"], item["client_id"]] and json.loads(inputs[7]) == shown
            and datetime.fromisoformat(inputs[4]) == datetime.fromisoformat(sig["signed_at"])
            and inputs[5:7] == [sig["signer"], sig["credentials"]]):
        raise ValueError("the item differs from what was signed")
    message = b"".join(struct.pack(">I", len(p.encode())) + p.encode() for p in inputs)  # 4-byte lengths
    if hashlib.sha256(message).hexdigest() != sig["content_hash"]:
        raise ValueError("content hash")
    key.verify(bytes.fromhex(sig["signature"]), bytes.fromhex(sig["content_hash"]))  # raises if invalid


def fingerprint(public_hex):  # as printed on summaries: SHA-256 of the raw key, 16 hex groups of 4
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


with open(sys.argv[1], encoding="utf-8") as file:
    export = json.load(file)


own = export["signing_key"]["public_key"]
# Each item is checked with the key its signature names (a colleague's in a group practice), found by
# the fingerprint computed here, never by the file's label; else with the export's signing key.
keys = {fingerprint(k["public_key"]): k["public_key"] for k in export.get("practice_keys", {}).values()}
keys[fingerprint(own)] = own
signed = [(kind, i) for name, kind in KINDS for i in export.get(name, []) if i["signature"] is not None]
used = set()
for kind, item in signed:
    try:
        key = keys.get(item["signature"].get("key_fingerprint"), own)
        check(item, kind, Ed25519PublicKey.from_public_bytes(bytes.fromhex(key)))
    except Exception as exc:  # noqa: BLE001 - any failure means the item does not verify
        sys.exit(print(f"FAILED: {kind} {item.get('id')} ({type(exc).__name__})", file=sys.stderr) or 4)
    used.add(fingerprint(key))
others = sorted(used - {fingerprint(own)})
print(f"All {len(signed)} signed items verify; key {fingerprint(own)}"
      + (f"; colleagues' keys {', '.join(others)}." if others else "."))
