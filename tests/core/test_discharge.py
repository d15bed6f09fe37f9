"""One discharge use case for the app and the CLI, and retention that cannot be back-dated."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.services import clients, retention
from notesdesk.core.storage.vault import Vault
from tests.core import records


def _discharge_by_status(vault: Vault, client_id: str, on: date) -> None:
    clients.set_status(vault.unit_of_work(), client_id, ClientStatus.DISCHARGED, on)


def _discharge(vault: Vault, client_id: str, on: date) -> None:
    clients.discharge(vault.unit_of_work(), client_id, on)


@pytest.mark.parametrize("path", [_discharge_by_status, _discharge], ids=["set_status", "discharge"])
def test_every_discharge_path_keeps_the_rules(vault: Vault, path) -> None:
    intake = today() - timedelta(days=30)
    client = clients.add_client(vault.unit_of_work(), replace(records.client("A"), intake_date=intake))
    with pytest.raises(InvalidInput, match="discharge date is in the future"):
        path(vault, client.id, today() + timedelta(days=1))
    with pytest.raises(InvalidInput, match="before"):
        path(vault, client.id, intake - timedelta(days=1))
    assert clients.get_client(vault.unit_of_work(), client.id).status == ClientStatus.ACTIVE
    path(vault, client.id, today())
    with pytest.raises(Conflict, match="already discharged"):
        path(vault, client.id, today())


def test_retention_counts_from_when_the_discharge_was_recorded(vault: Vault) -> None:
    """A client entered with an intake in 1990 and discharged 'in 1990' today is kept 7 years from
    today, not deletable at once (the outside review deleted such a record straight away)."""
    old = replace(records.client("B"), intake_date=date(1990, 1, 1), date_of_birth=date(1960, 1, 1))
    client = clients.add_client(vault.unit_of_work(), old)
    clients.set_status(vault.unit_of_work(), client.id, ClientStatus.DISCHARGED, date(1990, 1, 2))
    status = retention.retention_status(vault.unit_of_work(), client.id)
    assert status.retain_until is not None and status.retain_until >= today() + timedelta(days=7 * 365)
    with pytest.raises(Conflict, match="must be kept until"):
        retention.delete_client_record(vault.unit_of_work(), client.id, confirmed=True)
    shown = clients.get_client(vault.unit_of_work(), client.id)
    assert shown.discharge_date == date(1990, 1, 2) and shown.discharge_recorded_on == today()


def test_editing_a_client_cannot_move_the_recorded_discharge(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("C"))
    discharged = clients.discharge(vault.unit_of_work(), client.id, today())
    edited = replace(discharged, name="C renamed", discharge_recorded_on=date(1990, 1, 1))
    clients.update_client(vault.unit_of_work(), edited)
    stored = clients.get_client(vault.unit_of_work(), client.id)
    assert stored.name == "C renamed" and stored.discharge_recorded_on == today()


def test_a_record_discharged_before_the_recorded_day_was_kept_counts_from_its_creation(
    vault: Vault,
) -> None:
    """A client discharged by an older version (no recorded day) with a back-dated discharge date."""
    client = clients.add_client(vault.unit_of_work(), replace(records.client("D"), date_of_birth=None))
    with vault.unit_of_work() as uow:
        stored = uow.clients.get(client.id)
        old_style = replace(stored, discharge_date=date(1990, 1, 2), discharge_recorded_on=None)
        uow.clients.replace(replace(old_style, status=ClientStatus.DISCHARGED))
        uow.commit()
    keep = retention.retention_status(vault.unit_of_work(), client.id).retain_until
    assert keep is not None and keep >= today() + timedelta(days=7 * 365 - 2)
