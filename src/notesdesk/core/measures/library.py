"""Where instruments come from: the JSON files shipped in `instruments/`, or a practitioner's own file.

Both pass through `validate.parse_instrument`. A practitioner file may not reuse a built-in id: otherwise
a home-made 'phq9' could silently replace the canonical wording and bands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.measures.fields import InstrumentInvalid
from notesdesk.core.measures.model import Instrument, LicenceOwner
from notesdesk.core.measures.validate import parse_instrument
from notesdesk.core.outputs import input_problem

InstrumentRef = Instrument | str


def _decode(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstrumentInvalid(source, [f"is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                                         f"{exc.msg})"]) from None
    except RecursionError:
        raise InstrumentInvalid(source, ["is nested too deeply to be an instrument"]) from None


MAX_FILE = 4 * 1024 * 1024  # an instrument file is a few kilobytes; far beyond this is not one


def read_instrument_text(path: Path) -> str:
    """The file's text: refused in one line when unreadable, huge or not UTF-8."""
    problem = input_problem(path, MAX_FILE)
    if problem:
        raise InvalidInput(problem)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise InvalidInput(f"{path.name}: cannot be read ({reason})") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: is not UTF-8 text") from None


def decode_instrument_file(path: Path) -> Any:
    return _decode(read_instrument_text(path), path.name)


@cache
def builtin_instruments() -> tuple[Instrument, ...]:
    """PHQ-9, GAD-7, PCL-5 and the NotesDesk alliance check, validated once per process."""
    folder = resources.files(__package__).joinpath("instruments")
    found: list[Instrument] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        instrument = parse_instrument(_decode(entry.read_text(encoding="utf-8"), entry.name), entry.name)
        stem = entry.name.removesuffix(".json")
        if instrument.id != stem:
            # One file per instrument, named after it, so a reviewer can find the wording by id.
            raise InstrumentInvalid(entry.name, [f"id must match the file name '{stem}'"])
        found.append(instrument)
    return tuple(found)


def load_instrument_file(path: str | Path) -> tuple[Instrument, ...]:
    """A practitioner-defined file: one instrument object, or a list of them."""
    path = Path(path)
    data = decode_instrument_file(path)
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise InstrumentInvalid(path.name, ["contains no instrument"])
    builtin_ids = {i.id for i in builtin_instruments()}
    loaded: list[Instrument] = []
    problems: list[str] = []
    for n, entry in enumerate(entries):
        prefix = f"[{n}]." if isinstance(data, list) else ""
        try:
            instrument = parse_instrument(entry, path.name)
        except InstrumentInvalid as exc:
            problems += [prefix + p.removeprefix(f"{path.name}: ") for p in exc.problems]
            continue
        if instrument.id in builtin_ids:
            problems.append(f"{prefix}id '{instrument.id}' is a built-in instrument; choose another id")
        elif instrument.id in {i.id for i in loaded}:
            problems.append(f"{prefix}id '{instrument.id}' appears more than once")
        if instrument.licence.owner is LicenceOwner.NOTESDESK:
            problems.append(f"{prefix}licence.owner cannot be 'notesdesk' in a practitioner file")
        loaded.append(instrument)
    if problems:
        raise InstrumentInvalid(path.name, problems)
    return tuple(loaded)


def get_instrument(ref: InstrumentRef, extra: Iterable[Instrument] = ()) -> Instrument:
    """Resolve an id (built-in or among `extra`) or pass an Instrument through unchanged."""
    if isinstance(ref, Instrument):
        return ref
    for instrument in (*builtin_instruments(), *extra):
        if instrument.id == ref:
            return instrument
    raise NotFound(f"no instrument with id '{ref}'")


@cache  # called for every administration scored (the client list's flags score thousands)
def _squash(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def find_by_name(name: str, extra: Iterable[Instrument] = ()) -> Instrument:
    """'PHQ-9', 'phq9' and 'Phq 9' all name the same instrument (used by linked-measure rules)."""
    wanted = _squash(name)
    for instrument in (*builtin_instruments(), *extra):
        if wanted in (_squash(instrument.id), _squash(instrument.name)):
            return instrument
    raise NotFound(f"no instrument named '{name}'")
