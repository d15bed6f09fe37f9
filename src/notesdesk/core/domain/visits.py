"""Diagnoses on a client (ICD-10-CM codes, core/codes/icd10cm.py) and the client's next session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from notesdesk.core.domain.common import new_id, now, today

TEXT_MAX = 2000  # characters of free text beside a code
LONGEST_CADENCE_DAYS = 366  # "every N days": a cadence beyond a year is a typing mistake


@dataclass(frozen=True)
class Diagnosis:
    """One ICD-10-CM code on a client, with the code's description as recorded (the list it was picked
    from is named in `code_list`) and, beside it, the clinician's own words."""

    client_id: str
    code: str  # with its dot: "F41.1"
    description: str
    id: str = field(default_factory=new_id)
    text: str = ""
    recorded_on: date = field(default_factory=today)
    code_list: str = ""  # "ICD-10-CM April-2026"
    created_at: datetime = field(default_factory=now)


@dataclass(frozen=True)
class NextSession:
    """The client's next session and, optionally, how often sessions recur (every N days): the date
    rolls forward by the cadence, so a weekly client stays on the list without being re-entered."""

    client_id: str
    next_on: date
    id: str = field(default_factory=new_id)
    every_days: int | None = None
    updated_at: datetime = field(default_factory=now)

    def occurs_on(self, day: date) -> bool:
        if day == self.next_on:
            return True
        if not self.every_days or day < self.next_on:
            return False
        return (day - self.next_on).days % self.every_days == 0

    def upcoming(self, on: date) -> date | None:
        """The first session on or after `on` (None: the one date is past and nothing recurs)."""
        if on <= self.next_on:
            return self.next_on
        if not self.every_days:
            return None
        periods = -(-(on - self.next_on).days // self.every_days)
        return self.next_on + timedelta(days=periods * self.every_days)


class DueKind(StrEnum):
    QUESTIONNAIRE = "questionnaire"
    PLAN_REVIEW = "plan review"
    HOMEWORK = "homework check-in"
    SAFETY_PLAN = "safety-plan review"
    RELEASE = "release of information"


@dataclass(frozen=True)
class DueItem:
    kind: DueKind
    what: str  # "PHQ-9", "plan version 2 (review date 2026-03-01)", the homework's description
    why: str  # the rule that put it here


@dataclass(frozen=True)
class DueVisit:
    client_id: str
    client_name: str
    items: tuple[DueItem, ...]


@dataclass(frozen=True)
class DueList:
    day: date
    visits: tuple[DueVisit, ...]
    rules: tuple[tuple[str, str, str], ...]  # (kind, rule, source) for the printed list's footnotes
