"""The one-time code of a second device (core/sync/devices.py): 60 bits, easy to type, and the
invitation it opens sealed with production Argon2id parameters (README, design-notes §9)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pytest

from notesdesk.core.crypto import kdf
from notesdesk.core.errors import InvalidInput
from notesdesk.core.sync import devices

PAYLOAD = devices.InvitePayload("clinician", "11" * 32, "22" * 32, "ABCD " * 8)
EXPIRES = datetime(2026, 3, 2, 14, 15, tzinfo=UTC)


def test_a_code_carries_60_bits_in_twelve_unambiguous_symbols():
    code = devices.new_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert math.log2(len(devices.CODE_ALPHABET)) * devices.CODE_LENGTH == 60
    assert not set("ILOU") & set(devices.CODE_ALPHABET)
    assert len({devices.new_code() for _ in range(200)}) == 200


def test_a_code_is_read_as_a_person_types_it():
    assert devices.normal_code(" abcd efgh-jk0o ") == "ABCDEFGHJK00"
    assert devices.normal_code("1il1-0000-0000") == "111100000000"
    with pytest.raises(InvalidInput, match="12 letters and digits"):
        devices.normal_code("ABCD-EFGH-JKM")
    with pytest.raises(InvalidInput, match="12 letters and digits") as refused:
        devices.normal_code("ABCD-EFGH-JKM!")
    assert "JKM" not in str(refused.value)  # never repeated


def test_the_invitation_opens_only_with_its_code_practice_id_and_expiry():
    code = devices.new_code()
    params, sealed = devices.seal_invite(code, "practice", "invite", EXPIRES, PAYLOAD)
    assert devices.open_invite(code.lower(), "practice", "invite", EXPIRES, params, sealed) == PAYLOAD
    other = devices.new_code()
    assert devices.open_invite(other, "practice", "invite", EXPIRES, params, sealed) is None
    assert devices.open_invite(code, "other", "invite", EXPIRES, params, sealed) is None
    assert devices.open_invite(code, "practice", "other", EXPIRES, params, sealed) is None
    later = EXPIRES.replace(hour=15)
    assert devices.open_invite(code, "practice", "invite", later, params, sealed) is None
    assert devices.open_invite(code, "practice", "invite", EXPIRES, "{}", sealed) is None


def test_outside_the_test_suite_the_code_key_costs_a_production_argon2id(monkeypatch):
    monkeypatch.delenv(kdf.TEST_KDF_ENV, raising=False)
    params, _sealed = devices.seal_invite(devices.new_code(), "practice", "invite", EXPIRES, PAYLOAD)
    stored = json.loads(params)
    assert stored["m_kib"] >= kdf.PRODUCTION_MIN_MEMORY_KIB and stored["t"] >= kdf.PRODUCTION_MIN_ITERATIONS
    # A server that lowers them gets nothing opened: the joiner refuses parameters below the floor.
    weak = json.dumps({**stored, "m_kib": 1024, "t": 1})
    assert devices.open_invite("0000-0000-0000", "practice", "invite", EXPIRES, weak, b"x" * 40) is None
