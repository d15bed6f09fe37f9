"""Client use cases: add, edit, hold, discharge, episodes of care, retention."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from notesdesk.core.domain.clients import Client, ClientStatus, Episode
from notesdesk.core.domain.common import today
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.storage.uow import UnitOfWork


def _validate(client: Client) -> None:
    if not client.name.strip():
        raise InvalidInput("A client needs a name.")
    if client.date_of_birth and client.date_of_birth > today():
        raise InvalidInput("The date of birth is in the future.")


def add_client(uow: UnitOfWork, client: Client) -> Client:
    """Add a client and open their first episode of care on the intake date."""
    _validate(client)
    intake = client.intake_date or today()
    client = replace(client, name=client.name.strip(), intake_date=intake)
    with uow:
        uow.clients.add(client)
        uow.episodes.add(Episode(client_id=client.id, opened_on=intake))
        uow.commit()
    return client


def update_client(uow: UnitOfWork, client: Client) -> Client:
    _validate(client)
    with uow:
        uow.clients.replace(client)
        uow.commit()
    return client


def get_client(uow: UnitOfWork, client_id: str, audit_view: bool = True) -> Client:
    with uow:
        client = uow.clients.get(client_id)
        if audit_view:
            uow.record("view", "client", client_id)
            uow.commit()
    return client


def list_clients(uow: UnitOfWork, status: ClientStatus | None = None) -> list[Client]:
    with uow:
        clients = uow.clients.all()
    if status is not None:
        clients = [c for c in clients if c.status == status]
    return sorted(clients, key=lambda c: c.name.casefold())


def open_episode(uow: UnitOfWork, client_id: str) -> Episode | None:
    with uow:
        episodes = uow.episodes.where(client_id=client_id)
    return next((e for e in episodes if e.is_open), None)


def episodes(uow: UnitOfWork, client_id: str) -> list[Episode]:
    with uow:
        found = uow.episodes.where(client_id=client_id)
    return sorted(found, key=lambda e: e.opened_on)


def set_status(
    uow: UnitOfWork, client_id: str, status: ClientStatus, on: date | None = None
) -> Client:
    """Hold, reactivate or discharge. Discharge closes the open episode; returning opens a new one."""
    on = on or today()
    with uow:
        client = uow.clients.get(client_id)
        current = [e for e in uow.episodes.where(client_id=client_id) if e.is_open]
        if status == ClientStatus.DISCHARGED:
            for episode in current:
                uow.episodes.replace(replace(episode, closed_on=on, reason="discharged"))
            client = replace(client, status=status, discharge_date=on)
        else:
            if client.status == ClientStatus.DISCHARGED and not current:
                uow.episodes.add(Episode(client_id=client_id, opened_on=on, reason="returned"))
            client = replace(client, status=status, discharge_date=None)
        uow.clients.replace(client)
        uow.commit()
    return client


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retain_until(
    client: Client, last_service: date | None, profile: PractitionerProfile
) -> date | None:
    """APA default: 7 years after last service or 3 years after majority, whichever is later
    (research/clinical.md §2.10). None while the client is still in care."""
    if client.status != ClientStatus.DISCHARGED:
        return None
    end = client.discharge_date or last_service or today()
    if last_service and last_service > end:
        end = last_service
    candidates = [_add_years(end, profile.retention_years_after_service)]
    if client.date_of_birth:
        majority = _add_years(client.date_of_birth, profile.age_of_majority)
        candidates.append(_add_years(majority, profile.retention_years_after_majority))
    return max(candidates)


def ensure_deletable(client: Client, last_service: date | None, profile: PractitionerProfile) -> None:
    keep = retain_until(client, last_service, profile)
    if keep is None:
        raise Conflict("Only a discharged client's record can be deleted.")
    if today() < keep:
        raise Conflict(f"This record must be kept until {keep.isoformat()}; it cannot be deleted yet.")
