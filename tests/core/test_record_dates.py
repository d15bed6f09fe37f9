"""Dates no record should hold: year 1 and year 9999 typed by a slip, a session signed before it took
place, a hold dated in the future. Each is refused in the core (app and CLI alike) with a line that
names the field, and nothing is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import clients, notes
from notesdesk.core.storage.vault import Vault
from tests.core import records


@pytest.mark.parametrize("intake", [date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31)])
def test_an_intake_date_out_of_range_is_refused(vault: Vault, intake: date) -> None:
    with pytest.raises(InvalidInput, match="(?i)intake date"):
        clients.add_client(vault.unit_of_work(), replace(records.client("A"), intake_date=intake))
    assert clients.list_clients(vault.unit_of_work()) == []


def test_an_intake_booked_a_few_weeks_ahead_is_fine(vault: Vault) -> None:
    ahead = today() + timedelta(days=30)
    client = clients.add_client(vault.unit_of_work(), replace(records.client("A"), intake_date=ahead))
    assert client.intake_date == ahead


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(9999, 12, 31)])
def test_a_session_date_out_of_range_is_refused_on_create_and_on_save(vault: Vault, day: date) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    with pytest.raises(InvalidInput, match="(?i)session date"):
        notes.create_note(vault.unit_of_work(), replace(records.note(client.id, "n"), session_date=day))
    assert notes.list_notes(vault.unit_of_work(), client.id) == []

    draft = notes.create_note(vault.unit_of_work(), records.note(client.id, "n"))
    with pytest.raises(InvalidInput, match="(?i)session date"):
        notes.save_draft(vault.unit_of_work(), replace(draft, session_date=day))
    [stored] = notes.list_notes(vault.unit_of_work(), client.id)
    assert stored.session_date == draft.session_date


def test_a_note_for_a_session_still_to_come_can_be_drafted_but_not_signed(vault: Vault) -> None:
    client = clients.add_client(vault.unit_of_work(), records.client("A"))
    tomorrow = today() + timedelta(days=1)
    ahead = replace(records.note(client.id, "n"), session_date=tomorrow)
    draft = notes.create_note(vault.unit_of_work(), ahead)
    with pytest.raises(InvalidInput, match="(?i)cannot be signed before"):
        notes.sign_note(vault.unit_of_work(), draft.id)
    [stored] = notes.list_notes(vault.unit_of_work(), client.id)
    assert not stored.is_signed

    notes.save_draft(vault.unit_of_work(), replace(stored, session_date=today()))
    assert notes.sign_note(vault.unit_of_work(), draft.id).is_signed


@pytest.mark.parametrize("status", [ClientStatus.ON_HOLD, ClientStatus.ACTIVE])
def test_a_hold_or_a_return_dated_in_the_future_is_refused(vault: Vault, status: ClientStatus) -> None:
    intake = replace(records.client("A"), intake_date=date(2026, 1, 5))
    client = clients.add_client(vault.unit_of_work(), intake)
    if status == ClientStatus.ACTIVE:
        clients.set_status(vault.unit_of_work(), client.id, ClientStatus.ON_HOLD, date(2026, 2, 1))
    before = clients.get_client(vault.unit_of_work(), client.id)
    with pytest.raises(InvalidInput, match="(?i)in the future"):
        clients.set_status(vault.unit_of_work(), client.id, status, today() + timedelta(days=1))
    assert clients.get_client(vault.unit_of_work(), client.id) == before
