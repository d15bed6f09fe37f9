"""Clients and episodes of care."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now

NAME_MAX = 200  # characters in a name or preferred name
# No name holds these: every control character, line breaks included, and the bidirectional
# overrides that reorder how a name is shown.
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EARLIEST_BIRTH = date(1900, 1, 1)


class Modality(StrEnum):
    CBT = "CBT"
    TF_CBT = "TF-CBT"
    DBT = "DBT"
    ACT = "ACT"
    IPT = "IPT"
    PSYCHODYNAMIC = "psychodynamic"
    MINDFULNESS = "mindfulness-based"
    SOMATIC = "somatic"
    SPEECH = "speech"
    PHYSICAL = "physical"
    OTHER = "other"


class ClientStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on hold"
    DISCHARGED = "discharged"


@dataclass(frozen=True)
class Client:
    name: str
    id: str = field(default_factory=new_id)
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact: str = ""
    referral: str = ""
    presenting_concerns: str = ""
    modality: Modality = Modality.OTHER
    status: ClientStatus = ClientStatus.ACTIVE
    intake_date: date | None = None
    discharge_date: date | None = None
    created_at: datetime = field(default_factory=now)
    # The day the discharge was entered, set by the service from the clock: retention counts from
    # it too, because `discharge_date` is typed by the user and can be back-dated.
    discharge_recorded_on: date | None = None

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name

    @property
    def initials(self) -> str:
        """For privacy mode on shared screens: 'Zoë Ó Briain' -> 'ZÓB'."""
        return initials_of(self.name)


def initials_of(name: str) -> str:
    """A full name's initials, as privacy mode shows a client ('?' for no name)."""
    return "".join(part[0].upper() for part in name.split() if part) or "?"


@dataclass(frozen=True)
class Episode:
    """An episode of care: opened at intake, closed by discharge. Measure baselines reset per episode."""

    client_id: str
    opened_on: date
    id: str = field(default_factory=new_id)
    closed_on: date | None = None
    reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
