"""Passphrase -> key with Argon2id, with policy bounds checked before any work is done.

Production parameters never go below 64 MiB / t=3 (docs/design-notes.md §4). A much smaller
profile exists for the test-suite only: it is chosen by NOTESDESK_INSECURE_TEST_KDF=1, honoured only
when this code runs from its repository (src/ beside tests/, as the tests run it), never in an
installed copy or a frozen build; a vault made with it cannot be opened without the same switch.
"""

from __future__ import annotations

import math
import os
import sys
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from notesdesk.core.errors import VaultDamaged

KEY_LEN = 32
SALT_LEN = 16

PRODUCTION_MIN_MEMORY_KIB = 64 * 1024
PRODUCTION_MIN_ITERATIONS = 3
MAX_MEMORY_KIB = 2 * 1024 * 1024
MAX_ITERATIONS = 16
MAX_LANES = 8

DEFAULT_MEMORY_KIB = 256 * 1024
DEFAULT_ITERATIONS = 3
TARGET_SECONDS = (0.5, 1.0)

TEST_MEMORY_KIB = 1024
TEST_ITERATIONS = 1
TEST_KDF_ENV = "NOTESDESK_INSECURE_TEST_KDF"


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes

    def as_dict(self) -> dict[str, int | str]:
        return {
            "kdf": "argon2id",
            "m_kib": self.memory_kib,
            "t": self.iterations,
            "p": self.lanes,
            "salt": self.salt.hex(),
        }

    @classmethod
    def from_dict(cls, raw: object) -> KdfParams:
        if not isinstance(raw, dict) or raw.get("kdf") != "argon2id":
            raise VaultDamaged("The key slot names an unknown key-derivation method.")
        try:
            params = cls(
                memory_kib=int(raw["m_kib"]),
                iterations=int(raw["t"]),
                lanes=int(raw["p"]),
                salt=bytes.fromhex(str(raw["salt"])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise VaultDamaged("The key slot's parameters are unreadable.") from exc
        params.check_bounds()
        return params

    def check_bounds(self) -> None:
        """Refuse hostile or downgraded parameters before spending memory or time on them."""
        floor_m, floor_t = (
            (TEST_MEMORY_KIB, TEST_ITERATIONS)
            if test_kdf_enabled()
            else (PRODUCTION_MIN_MEMORY_KIB, PRODUCTION_MIN_ITERATIONS)
        )
        ok = (
            floor_m <= self.memory_kib <= MAX_MEMORY_KIB
            and floor_t <= self.iterations <= MAX_ITERATIONS
            and 1 <= self.lanes <= MAX_LANES
            and len(self.salt) == SALT_LEN
            and self.memory_kib >= 8 * self.lanes
        )
        if not ok:
            raise VaultDamaged("The key slot asks for key-derivation settings outside the safe range.")


@cache
def _in_repository() -> bool:
    """This module runs from the repository's src/ (the test suite, scripts/, bench/), not from an
    installed copy: site-packages has no tests/conftest.py and pyproject.toml above the package."""
    root = Path(__file__).resolve().parents[4]  # src/notesdesk/core/crypto/kdf.py -> the repository
    return (root / "tests" / "conftest.py").is_file() and (root / "pyproject.toml").is_file()


def test_kdf_enabled() -> bool:
    """The insecure profile exists for tests only and is never honoured by an installed app."""
    return (
        os.environ.get(TEST_KDF_ENV) == "1" and not getattr(sys, "frozen", False) and _in_repository()
    )


def normalised(passphrase: str) -> str:
    """The passphrase in Unicode NFC: a composed "é" and an "e" plus combining accent are one
    passphrase, whichever a keyboard or operating system produced."""
    return unicodedata.normalize("NFC", passphrase)


def unlock_forms(passphrase: str) -> list[str]:
    """The forms to try when unlocking, the normalised one first. Slots made before normalisation
    were derived from the bytes as typed, which may be decomposed: those forms follow (only when
    they differ, so an ASCII passphrase costs one derivation)."""
    forms = [normalised(passphrase), passphrase, unicodedata.normalize("NFD", passphrase)]
    return list(dict.fromkeys(forms))


def derive_key(passphrase: str, params: KdfParams, as_typed: bool = False) -> bytes:
    """The key for `passphrase`, normalised first (new slots), or `as_typed` (trying an old slot)."""
    params.check_bounds()
    passphrase = passphrase if as_typed else normalised(passphrase)
    kdf = Argon2id(
        salt=params.salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(passphrase.encode("utf-8"))


def production_params(memory_kib: int, iterations: int) -> KdfParams:
    return KdfParams(
        memory_kib=max(memory_kib, PRODUCTION_MIN_MEMORY_KIB),
        iterations=min(max(iterations, PRODUCTION_MIN_ITERATIONS), MAX_ITERATIONS),
        lanes=1,
        salt=os.urandom(SALT_LEN),
    )


def new_params(calibrate: bool = True) -> KdfParams:
    """Parameters for a new key slot: the test profile under tests, else calibrated to 0.5-1 s."""
    if test_kdf_enabled():
        return KdfParams(TEST_MEMORY_KIB, TEST_ITERATIONS, 1, os.urandom(SALT_LEN))
    params = production_params(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS)
    if not calibrate:
        return params
    started = time.perf_counter()
    derive_key("calibration", params)
    return calibrated(params, time.perf_counter() - started)


def calibrated(params: KdfParams, seconds: float) -> KdfParams:
    """Scale memory down on slow machines (never below the floor), iterations up on fast ones."""
    low, high = TARGET_SECONDS
    memory, iterations = params.memory_kib, params.iterations
    if seconds > high:
        memory = int(memory * (0.8 * high) / seconds) // 1024 * 1024
    elif seconds < low:
        iterations = math.ceil(iterations * (0.75 * high) / max(seconds, 1e-3))
    return production_params(memory, iterations)
