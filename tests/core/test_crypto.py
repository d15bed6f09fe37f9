"""Key derivation policy, the recovery key, field sealing and passphrase strength."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notesdesk.core.crypto import kdf, recovery, signing
from notesdesk.core.crypto.cipher import ClearValue, FieldCipher, SealBroken, associated_data
from notesdesk.core.crypto.encoding import lp
from notesdesk.core.crypto.policy import passphrase_problem, strength
from notesdesk.core.errors import VaultDamaged, WrongPassphrase


def test_production_profile_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(kdf.TEST_KDF_ENV, raising=False)
    params = kdf.new_params(calibrate=False)
    assert params.memory_kib >= 64 * 1024
    assert params.iterations >= 3
    assert not kdf.test_kdf_enabled()


def test_shipped_build_ignores_the_test_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(kdf.TEST_KDF_ENV, "1")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert not kdf.test_kdf_enabled()
    assert kdf.new_params(calibrate=False).memory_kib >= 64 * 1024


def test_test_profile_params_are_refused_without_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    weak = kdf.KdfParams(kdf.TEST_MEMORY_KIB, kdf.TEST_ITERATIONS, 1, b"s" * 16)
    weak.check_bounds()  # allowed under the test switch
    monkeypatch.delenv(kdf.TEST_KDF_ENV)
    with pytest.raises(VaultDamaged):
        weak.check_bounds()


@pytest.mark.parametrize(
    "raw",
    [
        {"kdf": "argon2id", "m_kib": 4 * 1024 * 1024 * 1024, "t": 3, "p": 1, "salt": "00" * 16},
        {"kdf": "argon2id", "m_kib": 65536, "t": 10_000, "p": 1, "salt": "00" * 16},
        {"kdf": "argon2id", "m_kib": 65536, "t": 3, "p": 64, "salt": "00" * 16},
        {"kdf": "argon2id", "m_kib": 65536, "t": 3, "p": 1, "salt": "00"},
        {"kdf": "scrypt", "n": 2},
        {"kdf": "argon2id", "m_kib": "lots"},
        "not a dict",
    ],
)
def test_hostile_kdf_parameters_are_refused_before_any_work(raw: object) -> None:
    with pytest.raises(VaultDamaged):
        kdf.KdfParams.from_dict(raw)


def test_calibration_scales_memory_down_on_slow_machines_but_never_below_the_floor() -> None:
    base = kdf.production_params(256 * 1024, 3)
    slower = kdf.calibrated(base, seconds=2.0)
    assert 64 * 1024 <= slower.memory_kib < base.memory_kib
    glacial = kdf.calibrated(base, seconds=60.0)
    assert glacial.memory_kib == 64 * 1024 and glacial.iterations >= 3


def test_calibration_adds_iterations_on_fast_machines() -> None:
    base = kdf.production_params(256 * 1024, 3)
    faster = kdf.calibrated(base, seconds=0.2)
    assert faster.iterations > base.iterations
    assert faster.memory_kib == base.memory_kib


def test_recovery_key_round_trip_and_layout() -> None:
    secret = recovery.new_recovery_secret()
    text = recovery.encode(secret)
    groups = text.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert recovery.decode(text) == secret
    assert recovery.decode(text.lower().replace("-", " ")) == secret


def test_recovery_key_reads_confusable_letters_as_digits() -> None:
    secret = bytes(16)
    text = recovery.encode(secret)
    assert recovery.decode(text.replace("0", "O")) == secret


def test_every_single_character_typo_is_caught() -> None:
    secret = recovery.new_recovery_secret()
    text = recovery.encode(secret).replace("-", "")
    for position in range(len(text)):
        for replacement in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if replacement == text[position]:
                continue
            typo = text[:position] + replacement + text[position + 1 :]
            with pytest.raises(WrongPassphrase):
                recovery.decode(typo)


def test_a_recovery_key_of_the_wrong_length_says_how_it_should_look() -> None:
    with pytest.raises(WrongPassphrase, match="groups of four"):
        recovery.decode("ABCD-EFGH")


CLEAR: dict[str, ClearValue] = {"client_id": "c1", "rev": 1}


def test_sealed_value_opens_only_in_its_own_place() -> None:
    cipher = FieldCipher(b"k" * 32, "vault-1")
    sealed = cipher.seal("note", "data", "row-1", CLEAR, b"Felt better this week")
    assert cipher.open("note", "data", "row-1", CLEAR, sealed) == b"Felt better this week"
    wrong_places: list[tuple[str, str, str, dict[str, ClearValue]]] = [
        ("note", "data", "row-2", CLEAR),
        ("plan", "data", "row-1", CLEAR),
        ("note", "other", "row-1", CLEAR),
        ("note", "data", "row-1", {"client_id": "c2", "rev": 1}),
        ("note", "data", "row-1", {"client_id": "c1", "rev": 2}),
    ]
    for table, column, row_id, clear in wrong_places:
        with pytest.raises(SealBroken):
            cipher.open(table, column, row_id, clear, sealed)
    other_vault = FieldCipher(b"k" * 32, "vault-2")
    with pytest.raises(SealBroken):
        other_vault.open("note", "data", "row-1", CLEAR, sealed)


@pytest.mark.parametrize("garbage", [None, 7, "text", b"", b"\x01\x01short", b"\x02" * 64])
def test_garbage_in_a_sealed_column_is_reported_not_crashed_on(garbage: object) -> None:
    with pytest.raises(SealBroken):
        FieldCipher(b"k" * 32, "v").open("note", "data", "r", CLEAR, garbage)


def test_padding_hides_exact_lengths() -> None:
    cipher = FieldCipher(b"k" * 32, "v")
    short = cipher.seal("note", "data", "r", CLEAR, b"ok")
    longer = cipher.seal("note", "data", "r", CLEAR, b"x" * 200)
    assert len(short) == len(longer)


def test_passphrase_policy() -> None:
    assert passphrase_problem("short") is not None
    assert passphrase_problem("aaaaaaaaaaaaaaaa") is not None
    assert passphrase_problem("correct horse battery") is None
    assert strength("abc") < strength("correct horse battery staple 42!")


def test_associated_data_bytes_never_change_so_existing_vaults_stay_readable() -> None:
    """The AD is part of every seal ever written: any change to its bytes would make old vaults fail."""

    def part(text: str) -> bytes:
        return len(text).to_bytes(4, "big") + text.encode()

    expected = b"".join(part(p) for p in (
        "nd-field", "1", "1", "1", "vault-1", "notes", "data", "row-1",
        "client_id", "c-1", "rev", "3", "signed", "1",  # clear columns sorted by name; True is "1"
    ))
    clear: dict[str, ClearValue] = {"rev": 3, "client_id": "c-1", "signed": True}
    assert associated_data("vault-1", "notes", "data", "row-1", clear) == expected
    assert associated_data("vault-2", "notes", "data", "row-1", clear) != expected  # bound to the vault


def test_an_installed_copy_never_honours_the_insecure_test_kdf(tmp_path: Path) -> None:
    """The package copied where an installer puts it (no repository around it), with the switch set:
    it derives with production settings and refuses a slot made with the test settings."""
    site = tmp_path / "site-packages"
    shutil.copytree(Path(kdf.__file__).parents[2], site / "notesdesk")
    probe = (
        "from notesdesk.core.crypto import kdf\n"
        "from notesdesk.core.errors import VaultDamaged\n"
        "print(kdf.test_kdf_enabled())\n"
        "try:\n"
        "    kdf.KdfParams(kdf.TEST_MEMORY_KIB, kdf.TEST_ITERATIONS, 1, bytes(16)).check_bounds()\n"
        "    print('accepted')\n"
        "except VaultDamaged:\n"
        "    print('refused')\n"
    )
    env = {**os.environ, "NOTESDESK_INSECURE_TEST_KDF": "1", "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "refused"]
    assert kdf.test_kdf_enabled()  # here, inside the test suite, it still works


@pytest.mark.parametrize("weak", ["Password1!", "0123456789", "letmein123", "Summer2024!", "qwertyuiop12"])
def test_a_real_strength_estimator_refuses_common_passphrases_and_says_why(weak: str) -> None:
    problem = passphrase_problem(weak)
    assert problem is not None and "too easy to guess" in problem
    assert len(problem.split(". ")) >= 2  # the estimator's own hint follows, e.g. "Add another word"
    assert strength(weak) <= 2


def test_strength_of_long_passphrases_is_estimated_without_failing() -> None:
    long = "plum kettle orbit lantern " * 20
    assert passphrase_problem(long) is None and strength(long) == 4


def _lp_as_specified(*parts: bytes | str | int | None) -> bytes:
    """The length-prefixed encoding as SECURITY.md describes it, written the plain way."""
    out = b""
    for part in parts:
        if part is None:
            data = b"\x00none"
        elif isinstance(part, bytes):
            data = part
        elif isinstance(part, bool):
            data = b"1" if part else b"0"
        elif isinstance(part, int):
            data = str(part).encode()
        else:
            data = part.encode("utf-8")
        out += len(data).to_bytes(4, "big") + data
    return out


class _Kind(StrEnum):
    NOTE = "note"


@given(st.lists(st.one_of(st.none(), st.binary(), st.text(), st.integers(), st.booleans(),
                          st.just(_Kind.NOTE)), max_size=8))
def test_the_length_prefixed_encoding_is_the_specified_one_for_every_kind_of_part(
    parts: list[bytes | str | int | None],
) -> None:
    assert lp(*parts) == _lp_as_specified(*parts)


def test_many_signatures_checked_over_two_threads_get_each_its_own_verdict_in_order() -> None:
    private = signing.new_private_key_bytes()
    public = signing.public_key_bytes(private)
    claims: list[tuple[bytes, bytes]] = []
    altered: set[int] = set()
    for i in range(signing.PARALLEL_FROM * 2 + 7):
        message = os.urandom(32)
        signature = signing.sign(private, message)
        if i % 7 == 3:  # altered message
            message = bytes([message[0] ^ 1]) + message[1:]
        elif i % 11 == 5:  # altered signature
            signature = signature[:-1] + bytes([signature[-1] ^ 1])
        elif i == 40:  # not even a signature's length
            signature = signature[:10]
        if i % 7 == 3 or i % 11 == 5 or i == 40:
            altered.add(i)
        claims.append((signature, message))
    expected = [signing.verify(public, signature, message) for signature, message in claims]
    assert expected == [i not in altered for i in range(len(claims))]  # one by one: only the altered fail
    assert signing.verify_many(public, claims) == expected
    assert signing.verify_many(public, claims, workers=1) == expected
    assert signing.verify_many(public, claims[:5]) == expected[:5]
    assert signing.verify_many(b"not a key", claims) == [False] * len(claims)
