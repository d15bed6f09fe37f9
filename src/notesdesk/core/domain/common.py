"""Small helpers shared by every domain module."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime


def new_id() -> str:
    """Random UUIDv4: ids are stored in clear, so they must reveal nothing, not even order."""
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    return datetime.now().date()
