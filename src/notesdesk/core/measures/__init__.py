"""Measurement-based care core: instruments as validated data, scoring, reliable change, trajectories.

Pure Python on plain data (ids, answers, dates, lists of (date, total)); no Qt and no database, so the
CLI can score without a vault and every rule can be tested at its boundaries. Sources and wording:
docs/clinical-sources.md and the instrument files.
"""

from notesdesk.core.measures.alliance import AllianceCheck, ItemDrop, alliance_check
from notesdesk.core.measures.change import (
    ChangeLabel,
    ChangeResult,
    Rci,
    Verdict,
    classify_change,
    reliable_change_index,
    remission,
    response,
)
from notesdesk.core.measures.fields import InstrumentInvalid
from notesdesk.core.measures.library import (
    builtin_instruments,
    find_by_name,
    get_instrument,
    load_instrument_file,
)
from notesdesk.core.measures.model import Flag, FlagKind, Instrument
from notesdesk.core.measures.objectives import (
    MeasureRule,
    ObjectiveSuggestion,
    parse_measure_rule,
    suggest_objective_status,
)
from notesdesk.core.measures.scoring import ScoreResult, critical_flags, score
from notesdesk.core.measures.trajectory import (
    ReviewStatus,
    TrackStatus,
    Trajectory,
    review_due,
    trajectory,
)
from notesdesk.core.measures.validate import parse_instrument

__all__ = [
    "AllianceCheck",
    "ChangeLabel",
    "ChangeResult",
    "Flag",
    "FlagKind",
    "Instrument",
    "InstrumentInvalid",
    "ItemDrop",
    "MeasureRule",
    "ObjectiveSuggestion",
    "Rci",
    "ReviewStatus",
    "ScoreResult",
    "TrackStatus",
    "Trajectory",
    "Verdict",
    "alliance_check",
    "builtin_instruments",
    "classify_change",
    "critical_flags",
    "find_by_name",
    "get_instrument",
    "load_instrument_file",
    "parse_instrument",
    "parse_measure_rule",
    "reliable_change_index",
    "remission",
    "response",
    "review_due",
    "score",
    "suggest_objective_status",
    "trajectory",
]
