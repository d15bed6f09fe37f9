"""Typed getters for instrument files that record a problem, named by field path, instead of raising.

Kept apart from the instrument rules in `validate` so each stays small enough to read in one sitting.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

from notesdesk.core.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


class InstrumentInvalid(InvalidInput):
    """An instrument file failed validation; `problems` lists each one as '<file>: <field> <problem>'."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = tuple(f"{source}: {p}" for p in problems)
        super().__init__("; ".join(self.problems))


def at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Checker:
    """Typed field getters that record a problem (and return None) instead of raising."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, problem: str) -> None:
        # A missing top-level field is reported once, not again by every getter that looks for it.
        if f"{path} {problem}" not in self.problems:
            self.problems.append(f"{path} {problem}")

    def obj(self, value: Any, path: str, known: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return None
        for key in sorted(set(value) - known):
            self.fail(at(path, key), "is not a known field")
        return value

    def _get(self, d: dict[str, Any], key: str, path: str, required: bool) -> Any:
        if key not in d or d[key] is None:
            if required:
                self.fail(at(path, key), "is missing")
            return None
        return d[key]

    def text(self, d: dict[str, Any], key: str, path: str = "", *, required: bool = True) -> str | None:
        value = self._get(d, key, path, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(at(path, key), "must be a non-empty string")
            return None
        return value.strip()

    def integer(self, d: dict[str, Any], key: str, path: str = "", *, required: bool = True,
                lo: int | None = None, hi: int | None = None) -> int | None:
        value = self._get(d, key, path, required)
        if value is None:
            return None
        # bool is an int subclass in Python; `true` as a score is a mistake, not a 1.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(at(path, key), "must be a whole number")
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(at(path, key), f"must be between {lo} and {hi}")
            return None
        return value

    def number(self, d: dict[str, Any], key: str, path: str = "", *, required: bool = True,
               lo: float, hi: float, lo_open: bool = False) -> float | None:
        value = self._get(d, key, path, required)
        if value is None:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.fail(at(path, key), "must be a number")
            return None
        if value > hi or value < lo or (lo_open and value == lo):
            self.fail(at(path, key), f"must be {'above' if lo_open else 'at least'} {lo} and at most {hi}")
            return None
        return float(value)

    def choice(self, d: dict[str, Any], key: str, enum: type[E], path: str = "") -> E | None:
        value = self._get(d, key, path, True)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum)
            self.fail(at(path, key), f"must be one of {allowed}")
            return None

    def items(self, d: dict[str, Any], key: str, path: str = "", *, required: bool = True) -> list[Any]:
        value = self._get(d, key, path, required)
        if value is None:
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(at(path, key), "must be a non-empty list")
            return []
        return value
