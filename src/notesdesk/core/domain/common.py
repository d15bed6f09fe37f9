"""Small helpers shared by every domain module."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Protocol


def new_id() -> str:
    """Random UUIDv4: ids are stored in clear, so they must reveal nothing, not even order."""
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    return datetime.now().date()


class OfClient(Protocol):
    @property
    def client_id(self) -> str: ...


def by_client[T: OfClient](items: Iterable[T]) -> defaultdict[str, list[T]]:
    """Records grouped by their client's id, each group in the order given; a client with none gets
    an empty list."""
    grouped: defaultdict[str, list[T]] = defaultdict(list)
    for item in items:
        grouped[item.client_id].append(item)
    return grouped
