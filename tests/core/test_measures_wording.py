"""What clinicians read about the measures — instrument files, rules, sources, flags and explanations — is
plain clinical language: no pointers into NotesDesk's own development notes ('research/clinical.md §2.1',
'issue 5', 'TODO'), which mean nothing to a therapist."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from notesdesk.core.measures import (
    alliance_check,
    builtin_instruments,
    classify_change,
    remission,
    response,
    review_due,
    score,
    trajectory,
)
from notesdesk.core.measures.model import JACOBSON_TRUAX
from notesdesk.core.measures.trajectory import REVIEW_SOURCE, TRAJECTORY_SOURCE

FOLDER = resources.files("notesdesk.core.measures").joinpath("instruments")
INTERNAL = re.compile(r"research/|\bissues? ?#?\d|§|\bTODO\b|\bFIXME\b|\bDESIGN\b|\w\.md\b|clinical\.md",
                      re.IGNORECASE)


def _strings(value: Any) -> Iterator[str]:
    """Every string inside JSON data or a (nested) dataclass."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _strings(getattr(value, f.name))


def _internal(texts: Iterator[str]) -> list[str]:
    return [t for t in texts if INTERNAL.search(t)]


def test_the_pattern_catches_what_qa_found() -> None:
    found = ["common practice per NotesDesk research/clinical.md §2.1", "a drop of 2 or more (issue 5)",
             "TODO check the manual"]
    assert _internal(iter(found)) == found
    assert _internal(iter(["Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613",
                           "https://psyctc.org/stats/rcsc1.htm"])) == []


def test_builtin_instrument_files_carry_no_internal_references() -> None:
    files = [f for f in FOLDER.iterdir() if f.name.endswith(".json")]
    assert {f.name for f in files} >= {"phq9.json", "gad7.json", "alliance.json"}
    for f in files:
        assert _internal(_strings(json.loads(f.read_text(encoding="utf-8")))) == [], f.name
    assert _internal(_strings(list(builtin_instruments()))) == []


def test_missing_answer_rule_is_plain_and_honest_about_its_standing() -> None:
    for inst_id, items in (("phq9", 9), ("gad7", 7)):
        raw = json.loads(FOLDER.joinpath(f"{inst_id}.json").read_text(encoding="utf-8"))
        assert raw["scoring"]["max_missing"] == 2
        text = raw["scoring"]["source"]
        assert f"1 or 2 of the {items} items" in text and "not confirmed" in text


@pytest.mark.parametrize("answers", [[2, 2, 1, 1, 0, 1, 1, 0, 1], [2, None, 1, 1, 0, None, 1, 0, 0],
                                     [None, None, None, 1, 0, 1, 1, 0, 0]])
def test_scoring_explanations_and_flags_carry_no_internal_references(answers: list[int | None]) -> None:
    assert _internal(_strings(score("phq9", answers))) == []


def test_rules_sources_and_flags_of_change_trajectory_review_and_alliance_are_plain() -> None:
    start = date(2025, 3, 3)
    shown: list[Any] = [TRAJECTORY_SOURCE, REVIEW_SOURCE, JACOBSON_TRUAX]
    for inst_id, baseline, follow_up in (("phq9", 18, 4), ("phq9", 8, 16), ("gad7", 12, 11)):
        shown += [classify_change(inst_id, baseline, follow_up), response(inst_id, baseline, follow_up),
                  remission(inst_id, baseline, follow_up)]
    shown.append(trajectory("phq9", [(start, 15), (start + timedelta(weeks=4), 17)]))
    shown.append(review_due(start, start + timedelta(weeks=13), [start + timedelta(weeks=6)]))
    shown.append(alliance_check([9, 5, 6], [9, 9, 9]))
    assert _internal(_strings(shown)) == []
    flags = [s.flag for s in shown[-3:-1]] + list(shown[-1].flags)
    assert all(f is not None and f.source for f in flags)  # every flag still says where its rule comes from
