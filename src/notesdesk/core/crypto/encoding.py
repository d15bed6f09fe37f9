"""Unambiguous byte encodings shared by every MAC and associated-data computation."""

from __future__ import annotations

import struct

_LENGTH = struct.Struct(">I").pack


def lp(*parts: bytes | str | int | None) -> bytes:
    """Length-prefix every part so no two different tuples encode to the same bytes.

    Every seal, open and MAC goes through here (hundreds of thousands of times in a `verify`), so
    the common kinds are told apart by exact type first; subclasses take the general path below."""
    out = bytearray()
    for part in parts:
        if type(part) is str:
            data = part.encode("utf-8")
        elif type(part) is bytes:
            data = part
        elif part is None:
            data = b"\x00none"
        elif isinstance(part, bytes):
            data = part
        elif isinstance(part, bool):
            data = b"1" if part else b"0"
        elif isinstance(part, int):
            data = str(part).encode()
        else:
            data = part.encode("utf-8")
        out += _LENGTH(len(data))
        out += data
    return bytes(out)
