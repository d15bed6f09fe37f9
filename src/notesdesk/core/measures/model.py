"""Instrument definitions and the flags measures raise, as frozen data.

An `Instrument` is only ever built by `validate.parse_instrument`, so code that holds one may rely on
its invariants (bands contiguous over the range, critical items inside the item list, sources present).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

# Jacobson & Truax (1991): |RCI| > 1.96 means the change is unlikely (p < .05) to be measurement error.
RCI_CRITICAL = 1.96
JACOBSON_TRUAX = (
    "Jacobson & Truax (1991), J Consult Clin Psychol 59:12-19; S_diff with the sqrt(2) term of "
    "Christensen & Mendoza (1986), see https://psyctc.org/stats/rcsc1.htm"
)


class Kind(StrEnum):
    OUTCOME = "outcome"  # symptom or well-being measure: totals, bands, change labels
    ALLIANCE = "alliance"  # read item by item: drops and low items matter, not the total


class Direction(StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


class Rater(StrEnum):
    CLIENT = "client"
    CLINICIAN = "clinician"  # administered by the clinician; never sent to the client to fill in


class LicenceOwner(StrEnum):
    THIRD_PARTY = "third-party"
    NOTESDESK = "notesdesk"
    PRACTITIONER = "practitioner"


class FlagKind(StrEnum):
    RISK = "risk"
    UNKNOWN_RISK = "unknown risk"
    DETERIORATION = "deterioration"
    NOT_ON_TRACK = "not on track"
    NO_RELIABLE_IMPROVEMENT = "no reliable improvement"
    REVIEW_DUE = "review due"
    ALLIANCE_DROP = "alliance drop"
    ALLIANCE_DECLINE = "alliance decline"
    ALLIANCE_LOW = "alliance low"
    RISK_RECORDED = "risk recorded"
    NO_SAFETY_PLAN = "no safety plan"
    SAFETY_PLAN_NOT_REVIEWED = "safety plan not reviewed"


@dataclass(frozen=True)
class Flag:
    """Something the clinician should look at. It prompts; it never grades risk by itself."""

    kind: FlagKind
    message: str
    rule: str
    source: str
    item: int | None = None  # 1-based item number when the flag comes from one item


@dataclass(frozen=True)
class Option:
    score: int
    label: str


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class FunctionalItem:
    """The PHQ/GAD 'how difficult' question: recorded and shown, never added to the total."""

    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class CriticalItem:
    item: int  # 1-based, as printed on the form
    above: int  # an answer strictly above this raises the flag
    message: str
    source: str


@dataclass(frozen=True)
class Reliability:
    sd: float
    sd_source: str
    r: float
    r_type: str
    r_source: str

    @property
    def se_measurement(self) -> float:
        return self.sd * math.sqrt(1 - self.r)

    @property
    def s_diff(self) -> float:
        return math.sqrt(2) * self.se_measurement

    @property
    def rc_95(self) -> float:
        """Smallest raw change that is reliable at p < .05."""
        return RCI_CRITICAL * self.s_diff


@dataclass(frozen=True)
class ChangeRules:
    """Conventions for labelling change; each value travels with the source that justifies it."""

    reliable_change: float | None = None  # fixed raw-point threshold; None = use 1.96 x S_diff
    reliable_change_source: str = ""
    caseness: int | None = None  # higher_is_worse: score >= caseness is a case; otherwise <=
    caseness_source: str = ""
    response_reduction: float | None = None  # e.g. 0.5 = at least a 50 % reduction from baseline
    response_source: str = ""
    remission_below: int | None = None  # follow-up score strictly below this is remission
    remission_source: str = ""
    minimal_change: float | None = None  # smallest improvement worth calling change (an MCID), raw points
    minimal_change_source: str = ""


@dataclass(frozen=True)
class AllianceRules:
    drop: int  # a fall of at least this much on any item since the previous check is flagged
    low_below: int  # any item strictly below this is flagged
    source: str


@dataclass(frozen=True)
class Licence:
    owner: LicenceOwner
    attribution: str
    terms: str
    source: str
    redistribution_allowed: bool


def placeholder_items(count: int) -> tuple[str, ...]:
    """What a questionnaire's items read as on a colleague's computer when its licence keeps the
    wording on the computer that imported it (core/sync/setting_kinds.without_wording)."""
    return tuple(f"Item {n}" for n in range(1, count + 1))


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    title: str
    version: str
    kind: Kind
    rater: Rater
    direction: Direction
    stem: str
    items: tuple[str, ...]
    options: tuple[Option, ...]
    functional_item: FunctionalItem | None
    max_missing: int  # more missing answers than this and the total is not computed
    scoring_source: str
    range_min: int
    range_max: int
    bands: tuple[Band, ...]
    bands_source: str
    critical_items: tuple[CriticalItem, ...]
    reliability: Reliability | None
    change: ChangeRules
    licence: Licence
    alliance: AllianceRules | None = None

    @property
    def option_scores(self) -> frozenset[int]:
        return frozenset(o.score for o in self.options)

    @property
    def wording_withheld(self) -> bool:
        """Received without its wording: a licence that keeps it where it was imported, placeholder
        items and answers that are their scores (core/sync/setting_kinds.without_wording)."""
        return (not self.licence.redistribution_allowed and self.items == placeholder_items(len(self.items))
                and all(o.label == str(o.score) for o in self.options))

    def band_for(self, total: int) -> Band | None:
        return next((b for b in self.bands if b.min <= total <= b.max), None)

    def improvement(self, baseline: int, follow_up: int) -> int:
        """Positive when the client is better, whatever way the scale runs."""
        if self.direction is Direction.HIGHER_IS_WORSE:
            return baseline - follow_up
        return follow_up - baseline

    def is_case(self, total: int) -> bool | None:
        if self.change.caseness is None:
            return None
        if self.direction is Direction.HIGHER_IS_WORSE:
            return total >= self.change.caseness
        return total <= self.change.caseness
