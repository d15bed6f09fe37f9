"""A practitioner's own questionnaire (synthetic: its wording is made up here) as an import file's
JSON, shared by the tests that import one."""

from __future__ import annotations

from typing import Any


def sleep_check(**changes: Any) -> dict[str, Any]:
    """Four items scored 0–4 and summed, two bands, item 4 critical; `changes` replace top-level keys."""
    data: dict[str, Any] = {
        "schema_version": 1, "id": "sleep4", "name": "Sleep check", "version": "1", "kind": "outcome",
        "rater": "client", "direction": "higher_is_worse",
        "items": ["Hard to fall asleep", "Woke in the night", "Woke too early", "Thoughts of not waking"],
        "options": [{"score": s, "label": str(s)} for s in range(5)],
        "scoring": {"method": "sum", "max_missing": 1, "source": "my practice rule"},
        "range": {"min": 0, "max": 16},
        "bands": [{"min": 0, "max": 7, "label": "low"}, {"min": 8, "max": 16, "label": "high"}],
        "bands_source": "my own clinical judgement",
        "critical_items": [{"item": 4, "above": 0, "message": "Item 4 endorsed.", "source": "my practice"}],
        "reliability": {"sd": 3.0, "sd_source": "my caseload", "r": 0.8, "r_type": "alpha",
                        "r_source": "my caseload"},
        "licence": {"owner": "practitioner", "attribution": "Written by me", "terms": "private use",
                    "redistribution_allowed": False},
    }
    data.update(changes)
    return data
