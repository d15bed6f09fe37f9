"""Treatment-plan and safety-plan files for `plan set` and `safety-plan set` (TOML or JSON).

The file's extension picks the parser: `.toml` (tomllib) or `.json`. Both hold the same structure;
TOML dates may be bare (2024-03-01), JSON dates are strings ("2024-03-01"). Unknown fields are an
error naming the field, so a typo never silently drops text. Ids, versions, status, reviews and
signatures are kept by NotesDesk and cannot be set from a file; nested items (problems, goals, objectives,
interventions) may carry an `id` (as shown by `plan show --json`) to keep the same id across versions,
e.g. so homework stays linked to its goal.

Treatment plan (every field optional except the title / statement / description of each item):

    diagnoses = ["F41.1 Generalized anxiety disorder"]
    strengths = "Motivated; supportive partner"
    service_type = "individual psychotherapy"
    session_length_minutes = 50
    frequency = "weekly"
    expected_duration = "16 weeks"
    discharge_criteria = "GAD-7 below 5 for four weeks"
    effective_date = 2024-03-01        # default: the day the plan is activated
    review_due = 2024-05-30            # default: 90 days after the effective date
    client_agreement_date = 2024-03-01
    client_agreement_how = "Discussed and agreed in session"

    [[problems]]
    title = "Persistent worry"
    behavioral_definition = "Worries most days for hours; sleeps badly"

    [[problems.goals]]
    statement = "Worry takes less of the day"
    client_words = "I want my evenings back"
    agreed_with_client = true

    [[problems.goals.objectives]]
    description = "Uses a set worry time"
    measurable_criterion = "5 of 7 days, from the log"
    baseline = "0 days a week"
    target = "5 days a week"
    target_date = 2024-05-01
    linked_measure = "GAD-7 < 10"
    status = "in progress"  # not started | in progress | achieved | partially achieved | discontinued

    [[problems.goals.objectives.interventions]]
    technique = "Worry postponement"
    modality = "CBT"
    frequency = "weekly"

Safety plan (every field optional; a contact is a table with name, phone, note, or just a name):

    warning_signs = ["Not sleeping", "Stopping answering messages"]
    coping_strategies = ["Walk by the river", "Paced breathing"]
    distractions = ["The café on Main Street", "Calling my sister"]
    safe_environment = ["Medication kept by my partner"]
    reason_for_living = "My children"
    last_reviewed = 2024-03-01         # default: today
    people_to_ask = ["Ana"]

    [[professionals]]
    name = "Dr Lee"
    phone = "555-0101"

    [[crisis_lines]]
    name = "988 Suicide & Crisis Lifeline"
    phone = "988"
    note = "call or text, any time"
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
import typing
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, TypeVar

import msgspec

from notesdesk.core.domain.care import SafetyPlan
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.errors import InvalidInput, UsageError
from notesdesk.core.outputs import input_problem

T = TypeVar("T")

PLAN_KEPT = ("client_id", "id", "version", "status", "reviews", "created_at", "signature")
SAFETY_KEPT = ("client_id", "id", "version", "created_at")
CONTACT_LISTS = ("people_to_ask", "professionals", "crisis_lines")

_doc = __doc__ or ""
PLAN_HELP = _doc[_doc.index("Treatment plan (") : _doc.index("Safety plan (")].rstrip()
SAFETY_HELP = _doc[_doc.index("Safety plan (") :].rstrip()
FILE_HELP = _doc[: _doc.index("Treatment plan (")].rstrip()


MAX_FILE = 4 * 1024 * 1024  # a plan file is a few kilobytes


def load(path: Path, label: str) -> dict[str, Any]:
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise UsageError(f"The {label} file must end in .toml or .json.")
    problem = input_problem(path, MAX_FILE)
    if problem:
        raise InvalidInput(problem)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read the {label} file: {exc.strerror or type(exc).__name__}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8")) if suffix == ".toml" else json.loads(raw)
    except UnicodeDecodeError:
        raise InvalidInput(f"The {label} file is not UTF-8 text.") from None
    except RecursionError:
        raise InvalidInput(f"The {label} file is nested too deeply to be a {label}.") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        # Both messages give only a position, never the file's text.
        raise InvalidInput(f"The {label} file is not valid {suffix[1:].upper()}: {exc}.") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"The {label} file must hold a table (TOML) or an object (JSON).")
    return data


def _nested(hint: Any) -> tuple[type | None, bool]:
    """(dataclass, is_sequence) behind a field's type: tuple[Goal, ...] -> (Goal, True)."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return (inner if isinstance(inner, type) and dataclasses.is_dataclass(inner) else None), True
    if origin in (typing.Union, UnionType):
        options = [a for a in typing.get_args(hint) if a is not NoneType]
        if len(options) == 1:
            return _nested(options[0])
    return (hint if isinstance(hint, type) and dataclasses.is_dataclass(hint) else None), False


def check_fields(kind: type, data: dict[str, Any], where: str, kept: tuple[str, ...] = ()) -> None:
    """Every key must be a field of `kind`, recursively; the error names the field."""
    hints = typing.get_type_hints(kind)
    for key, value in data.items():
        path = f"{where}.{key}" if where else key
        if key not in hints:
            allowed = [name for name in hints if name not in kept and name != "created_at"]
            raise InvalidInput(f"Unknown field '{path}' in the file; expected one of: {', '.join(allowed)}.")
        inner, many = _nested(hints[key])
        if inner is None:
            continue
        items = value if many and isinstance(value, list) else [value] if not many else []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                check_fields(inner, item, f"{path}[{i}]" if many else path)


def _convert[T](data: dict[str, Any], kind: type[T], label: str) -> T:
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as exc:
        message = str(exc).replace("`$.", "`").replace("`$`", "the top level")
        raise InvalidInput(f"In the {label} file: {message}.") from None


def _refuse_kept(data: dict[str, Any], kept: tuple[str, ...], label: str) -> None:
    for key in kept:
        if key in data:
            raise InvalidInput(f"In the {label} file: '{key}' is kept by NotesDesk; remove it.")


def plan_from(data: dict[str, Any], client_id: str) -> TreatmentPlan:
    _refuse_kept(data, PLAN_KEPT, "plan")
    check_fields(TreatmentPlan, data, "", PLAN_KEPT)
    return _convert({**data, "client_id": client_id}, TreatmentPlan, "plan")


def safety_plan_from(data: dict[str, Any], client_id: str) -> SafetyPlan:
    _refuse_kept(data, SAFETY_KEPT, "safety plan")
    data = dict(data)
    for key in CONTACT_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [{"name": c} if isinstance(c, str) else c for c in data[key]]
    check_fields(SafetyPlan, data, "", SAFETY_KEPT)
    return _convert({**data, "client_id": client_id}, SafetyPlan, "safety plan")
