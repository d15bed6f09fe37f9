"""Values no record should hold are refused in the core (so the app and the CLI alike), each with a
line that names the field; nothing is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import ReviewOutcome
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import care, clients, plans
from notesdesk.core.storage.vault import Vault
from tests.core import records


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_of_birth": date(1899, 12, 31)}, "date of birth"),
        ({"date_of_birth": today() + timedelta(days=1)}, "date of birth"),
        ({"name": "x" * 100_000}, "name"),
        ({"preferred_name": "x" * 100_000}, "preferred name"),
        ({"name": "   "}, "name"),
    ],
)
def test_client_values_out_of_range_are_refused_naming_the_field(
    vault: Vault, change: dict[str, Any], field: str
) -> None:
    bad = replace(records.client("A"), **change)
    with pytest.raises(InvalidInput, match=f"(?i){field}"):
        clients.add_client(vault.unit_of_work(), bad)
    assert clients.list_clients(vault.unit_of_work()) == []
    good = clients.add_client(vault.unit_of_work(), records.client("B"))
    with pytest.raises(InvalidInput, match=f"(?i){field}"):
        clients.update_client(vault.unit_of_work(), replace(good, **change))
    assert clients.get_client(vault.unit_of_work(), good.id) == good


def test_a_birth_date_in_1900_is_fine(vault: Vault) -> None:
    oldest = replace(records.client("A"), date_of_birth=date(1900, 1, 1))
    client = clients.add_client(vault.unit_of_work(), oldest)
    assert client.date_of_birth == date(1900, 1, 1)


@pytest.mark.parametrize("minutes", [-50, 0, 100_000])
def test_absurd_session_lengths_are_refused(vault: Vault, minutes: int) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    plan = replace(records.plan(client.id, "p"), session_length_minutes=minutes)
    with pytest.raises(InvalidInput, match="(?i)session length"):
        plans.save_plan(vault.unit_of_work(), plan)
    assert plans.plan_versions(vault.unit_of_work(), client.id) == []


def test_review_dates_before_the_plan_starts_are_refused(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    start = date(2026, 10, 1)
    early = replace(records.plan(client.id, "p"), effective_date=start, review_due=start - timedelta(days=1))
    with pytest.raises(InvalidInput, match="(?i)review due"):
        plans.save_plan(vault.unit_of_work(), early)
    plan = plans.save_plan(vault.unit_of_work(), replace(early, review_due=None))
    plans.activate_plan(vault.unit_of_work(), plan.id)
    with pytest.raises(InvalidInput, match="(?i)review date"):
        plans.record_review(vault.unit_of_work(), client.id, start - timedelta(1), ReviewOutcome.CONTINUE, "")
    with pytest.raises(InvalidInput, match="(?i)next review"):
        plans.record_review(
            vault.unit_of_work(), client.id, start, ReviewOutcome.CONTINUE, "", next_due=start - timedelta(2)
        )
    current = plans.current_plan(vault.unit_of_work(), client.id)
    assert current is not None and current.reviews == ()


def test_homework_due_before_it_is_assigned_is_refused(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    homework = records.homework(client.id, "h")
    early = replace(homework, due_date=homework.assigned_on - timedelta(days=1))
    with pytest.raises(InvalidInput, match="(?i)due date"):
        care.add_homework(vault.unit_of_work(), early)
    assert care.list_homework(vault.unit_of_work(), client.id) == []
    stored = care.add_homework(vault.unit_of_work(), homework)
    with pytest.raises(InvalidInput, match="(?i)due date"):
        care.update_homework(vault.unit_of_work(), replace(stored, due_date=early.due_date))
    assert care.list_homework(vault.unit_of_work(), client.id)[0].due_date == homework.due_date
