"""A second device of the same clinician: the one-time code and the invitation it opens.

The first device seals the clinician's X25519 key, note-signing key and profile under a key derived
from a short code (Argon2id) and leaves the result on the server for 15 minutes; the new device, given
the code by its owner, opens it. The server holds only the sealed invitation, never the code, so what
an operator can do with a copy is guess codes offline, each guess costing one Argon2id derivation
(docs/design-notes.md §9 sizes the code for that)."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from notesdesk.core.crypto import kdf
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput, VaultDamaged
from notesdesk.core.storage.sealer import decode, encode

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U, so nothing is misread when typed from a screen."""
CODE_LENGTH = 12  # 60 bits
CODE_GROUP = 4
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
VALID_MINUTES = 15


def new_code() -> str:
    """A fresh one-time code, printed in groups of four: XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normal_code(typed: str) -> str:
    """The code as typed (any case, with or without dashes or spaces, O for 0, I or L for 1), or a
    one-line refusal that does not repeat it."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -").translate(LOOKALIKES)
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        raise InvalidInput(
            f"The device code is {CODE_LENGTH} letters and digits (as 'practice invite-device' printed "
            "it on your other device); nothing was changed."
        )
    return raw


@dataclass(frozen=True)
class InvitePayload:
    """What the new device needs to act as the same clinician: their keys, the practice fingerprint
    to check the practice key against, and the profile their signatures name."""

    clinician_id: str
    x25519_private: str
    note_private: str
    practice_fingerprint: str
    profile: PractitionerProfile = field(default_factory=PractitionerProfile)
    # What that profile already holds (state.GivenProfile): the inviting device's pushes up to
    # `given_push` and every push it had pulled, up to server revision `given_until`.
    given_device: str = ""
    given_push: int = 0
    given_until: int = 0


def _ad(practice_id: str, invite_id: str, expires_at: datetime) -> bytes:
    # The expiry is bound in: an operator cannot make an old invitation look fresh to the joiner.
    return lp("nd-sync-device-invite", 1, practice_id, invite_id, int(expires_at.timestamp()))


def _key(code: str, params: kdf.KdfParams) -> bytes:
    return kdf.derive_key(code, params)


def seal_invite(
    code: str, practice_id: str, invite_id: str, expires_at: datetime, payload: InvitePayload
) -> tuple[str, bytes]:
    """(KDF parameters as JSON, sealed invitation). Production Argon2id parameters (at least
    64 MiB, t=3) so each offline guess is as slow as a vault unlock."""
    params = kdf.new_params(calibrate=False)
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(_key(normal_code(code), params)).encrypt(
        nonce, encode(payload), _ad(practice_id, invite_id, expires_at)
    )
    return json.dumps(params.as_dict()), sealed


def open_invite(
    code: str, practice_id: str, invite_id: str, expires_at: datetime, params_json: str, sealed: bytes
) -> InvitePayload | None:
    """The invitation's contents, or None when this code does not open it (or it was altered)."""
    try:
        params = kdf.KdfParams.from_dict(json.loads(params_json))
    except (ValueError, VaultDamaged):
        return None  # parameters outside the safe range: never spend the work on them
    if len(sealed) < 12 + 16:
        return None
    try:
        plain = AESGCM(_key(normal_code(code), params)).decrypt(
            sealed[:12], sealed[12:], _ad(practice_id, invite_id, expires_at)
        )
        return decode(plain, InvitePayload)
    except (InvalidTag, msgspec.DecodeError):
        return None
