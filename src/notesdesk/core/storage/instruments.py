"""The practitioner's own instruments, kept sealed in the vault's `secret` table as one row
("instruments") holding the raw JSON of each, re-validated whenever read. Here, not in
services/measures.py, because the client summaries score questionnaires with them when they are
rewritten (storage/summaries.py); services/measures.py imports and stores them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from notesdesk.core.measures.fields import InstrumentInvalid
from notesdesk.core.measures.library import builtin_instruments
from notesdesk.core.measures.model import Instrument
from notesdesk.core.measures.validate import parse_instrument
from notesdesk.core.storage.repositories import Repositories
from notesdesk.core.storage.store import SealedTable

INSTRUMENTS_ID = "instruments"


@dataclass(frozen=True)
class InstrumentFiles:
    """The practitioner's instruments as raw JSON, one instrument per string (validated on every read)."""

    files: tuple[str, ...] = ()
    id: str = INSTRUMENTS_ID


def instruments_table(repos: Repositories) -> SealedTable[InstrumentFiles]:
    return SealedTable(repos.ctx, "secret", InstrumentFiles, label="practitioner instruments")


def _keys(instrument: Instrument) -> set[str]:
    return {"".join(ch for ch in text.lower() if ch.isalnum()) for text in (instrument.id, instrument.name)}


def clash(instruments: Iterable[Instrument]) -> list[str]:
    """Ids and names must stay unambiguous: a linked measure 'PHQ-9 < 10' names its instrument."""
    taken = {key for i in builtin_instruments() for key in _keys(i)}
    problems = []
    for instrument in instruments:
        if _keys(instrument) & taken:
            problems.append(f"id '{instrument.id}' or name '{instrument.name}' is already used by another "
                            "instrument")
        taken |= _keys(instrument)
    return problems


@lru_cache(maxsize=16)
def parse_stored(files: tuple[str, ...]) -> tuple[Instrument, ...]:
    found = tuple(parse_instrument(json.loads(text), f"vault instrument {n}")
                  for n, text in enumerate(files, start=1))
    problems = clash(found)
    if problems:
        raise InstrumentInvalid("vault instruments", problems)
    return found


def stored_instruments(repos: Repositories) -> tuple[Instrument, ...]:
    """The practitioner's instruments, read through a unit of work the caller has already entered."""
    found = instruments_table(repos).find(INSTRUMENTS_ID)
    return parse_stored(found.files) if found else ()
