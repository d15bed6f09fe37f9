"""Unambiguous byte encodings shared by every MAC and associated-data computation."""

from __future__ import annotations

import struct


def lp(*parts: bytes | str | int | None) -> bytes:
    """Length-prefix every part so no two different tuples encode to the same bytes."""
    out = bytearray()
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
        out += struct.pack(">I", len(data))
        out += data
    return bytes(out)
