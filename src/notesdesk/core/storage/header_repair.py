"""Telling a damaged vault header from a wrong secret, and repairing it with the other secret.

The header MAC (vault_header.py) needs the data key, so before a key is unwrapped it cannot tell a
damaged passphrase slot from a wrong passphrase. The setting `slot_sums` (itself under the header MAC)
holds an unkeyed SHA-256 of each key slot: a slot that fails to unwrap and no longer matches its sum
is damaged (bit rot, a bad sector) and is reported as damage, never as a wrong secret. It detects
accidents, not attacks: whoever edits a slot can fix its sum too, and the slot then simply fails to
open, as before.

Once one secret has unwrapped the data key (AES-GCM has proven its slot intact), every other header
setting can be recomputed from the vault's own authenticated contents: the format tag is a constant,
the signing key's public half comes from the sealed signing key, the owner id from the newest audit
entry, the audit-head setting from the head row, the slot sums from the slots. `plan_repair` compares
the stored settings with those and names what differs; the repair is written together with the slot
the repairing command replaces (vault.py), in one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from notesdesk.core.crypto import keys
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.storage.head import META_FLAG, META_VALUE
from notesdesk.core.storage.summary_mark import META_FLAG as SUMMARY_FLAG
from notesdesk.core.storage.summary_mark import META_VALUE as SUMMARY_VALUE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from notesdesk.core.storage.vault import Vault

SLOT_SUMS = "slot_sums"
HEADER_MAC_KEY = "header_mac"
RETIRED_KEYS = "retired_keys"  # marks of earlier data keys (storage/anchor.py, rekey.py)

SLOT_NAMES = {keys.SLOT_PASSPHRASE: "the passphrase key slot", keys.SLOT_RECOVERY: "the recovery key slot"}
SETTING_NAMES = {
    "format": "the vault format tag",
    "owner_id": "the owner id",
    "signing_public": "the signing key's public half",
    "audit_head": "the audit-head setting",
    SLOT_SUMS: "the key slot checksums",
    RETIRED_KEYS: "the list of renewed keys",
    SUMMARY_FLAG: "the client summaries' mark",
    HEADER_MAC_KEY: "the header check value",
}

# What to do about each kind of damage: one line the CLI and the app both show.
REPAIR_PASSPHRASE = (
    "Open it with your recovery key and set a new passphrase: 'notesdesk passwd --recovery-key-stdin', "
    "or \u201cForgot passphrase?\u201d in the app."
)
REPAIR_RECOVERY = (
    "Open it with your passphrase and issue a new recovery key: 'notesdesk recovery-key new', or "
    "Settings \u2192 New recovery key in the app."
)


def slot_sum(slot: keys.KeySlot) -> str:
    wrapped = slot.wrapped if isinstance(slot.wrapped, bytes) else b""
    return hashlib.sha256(lp("nd-slot-sum", slot.kind, str(slot.params), wrapped)).hexdigest()


def sums_value(slots: dict[str, keys.KeySlot]) -> str:
    return json.dumps({kind: slot_sum(slot) for kind, slot in sorted(slots.items())}, sort_keys=True)


def stored_sums(meta: dict[str, str]) -> dict[str, str] | None:
    try:
        sums = json.loads(meta[SLOT_SUMS])
    except (KeyError, TypeError, ValueError):
        return None
    return sums if isinstance(sums, dict) else None


def retired_keys(meta: dict[str, str]) -> list[str]:
    """The marks of the vault's earlier data keys; none when unreadable (a damaged list only weakens
    the anchor's refusal of pre-rekey copies, it never refuses the vault itself)."""
    try:
        marks = json.loads(meta.get(RETIRED_KEYS, "[]"))
    except ValueError:
        return []
    return [m for m in marks if isinstance(m, str)] if isinstance(marks, list) else []


def slot_damaged(meta: dict[str, str], slot: keys.KeySlot) -> bool:
    """True when the slot no longer matches the checksum stored for it. A vault from before the
    checksums (or one whose checksum setting is itself unreadable) cannot tell: False."""
    sums = stored_sums(meta)
    return sums is not None and slot.kind in sums and sums[slot.kind] != slot_sum(slot)


def other_slot(kind: str) -> str:
    return keys.SLOT_RECOVERY if kind == keys.SLOT_PASSPHRASE else keys.SLOT_PASSPHRASE


@dataclass(frozen=True)
class HeaderRepair:
    """The header settings recomputed from the vault's contents, and what was found damaged."""

    meta: dict[str, str]
    damaged: tuple[str, ...]
    slot_damaged: str | None  # the kind of the other slot when it is damaged, else None

    def describe(self) -> str:
        found = ", ".join(self.damaged) if self.damaged else "the header check value"
        return f"Damaged and repaired: {found}."


def plan_repair(
    stored: dict[str, str],
    slots: dict[str, keys.KeySlot],
    derived: dict[str, str],
    used: str,
    mac_of: Callable[[dict[str, str], dict[str, keys.KeySlot]], str],
) -> HeaderRepair:
    """`derived`: the settings recomputed from the vault (without slot sums and header MAC); `used`:
    the kind of slot whose secret opened the vault; `mac_of(meta, slots)`: the header MAC. Names
    every stored setting that differs, and the other slot when it is damaged."""
    expected = dict(derived)
    expected[SLOT_SUMS] = sums_value(slots)
    damaged = [
        SETTING_NAMES.get(key, f"an unknown setting ({key[:40]!r})")
        for key in sorted(set(stored) | set(expected))
        if key not in (HEADER_MAC_KEY, SLOT_SUMS)
        and stored.get(key) != expected.get(key)
    ]
    sums = stored_sums(stored)
    other = slots.get(other_slot(used))
    # The stored sums are credible when they still match the slot proven intact by its secret.
    credible = sums is not None and set(sums) == set(slots) and sums.get(used) == slot_sum(slots[used])
    bad_other: str | None = None
    if credible and other is not None and sums is not None and sums.get(other.kind) != slot_sum(other):
        bad_other = other.kind
    elif other is None:
        bad_other = other_slot(used)
    if sums is not None and not credible:
        damaged.append(SETTING_NAMES[SLOT_SUMS])
    # The stored MAC was made over the original settings: when the recomputed ones reproduce it,
    # the slots are intact and the named settings were all the damage.
    original = dict(expected)
    if SLOT_SUMS not in stored:
        original.pop(SLOT_SUMS)  # a vault from before the checksums: its MAC never covered them
    reproduces = hmac.compare_digest(mac_of(original, slots), stored.get(HEADER_MAC_KEY, ""))
    if bad_other is not None:
        damaged.append(SLOT_NAMES.get(bad_other, bad_other))
    elif not reproduces and not damaged:
        damaged.append(SETTING_NAMES[HEADER_MAC_KEY])
    return HeaderRepair(expected, tuple(damaged), bad_other)


def repair_plan(
    vault: Vault, session: Session, meta: dict[str, str], slots: dict[str, keys.KeySlot], used: str
) -> HeaderRepair:
    """The header settings recomputed from what the data key authenticates, compared with `meta`."""
    # Inline: vault_header imports this module's names.
    from notesdesk.core.storage.vault_header import VAULT_FORMAT, header_mac

    derived = {
        "vault_id": vault.vault_id,
        "format": VAULT_FORMAT,
        "owner_id": vault.audit.newest_actor(session) or meta.get("owner_id", ""),
        "signing_public": vault.signing_public_key().hex(),
    }
    if vault.audit.heads.read(session) is not None:
        derived[META_FLAG] = META_VALUE
    if vault.retired_keys:
        derived[RETIRED_KEYS] = json.dumps(vault.retired_keys)
    # The client summaries' "built" mark: kept when intact; a damaged one is dropped (named as damage)
    # and the next unlock rebuilds the summaries from the records (storage/summaries.py).
    if meta.get(SUMMARY_FLAG) == SUMMARY_VALUE:
        derived[SUMMARY_FLAG] = SUMMARY_VALUE
    mac_of = partial(header_mac, vault.key_ring().header_key, vault.vault_id)
    return plan_repair(meta, slots, derived, used, mac_of)
