"""Client use cases: add, edit, hold, discharge, episodes of care, retention."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from notesdesk.core.domain.clients import (
    CONTROL_CHARS,
    EARLIEST_BIRTH,
    NAME_MAX,
    Client,
    ClientStatus,
    Episode,
)
from notesdesk.core.domain.common import today
from notesdesk.core.domain.dates import check_not_future, check_record_date
from notesdesk.core.domain.names import fold
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.storage.uow import UnitOfWork


def _validate(client: Client) -> None:
    """Every value a client record should never hold, refused with a line naming the field."""
    if not client.name.strip():
        raise InvalidInput("A client needs a name.")
    for label, value in (("name", client.name), ("preferred name", client.preferred_name)):
        if len(value.strip()) > NAME_MAX:
            raise InvalidInput(f"The {label} is longer than {NAME_MAX} characters.")
        if CONTROL_CHARS.search(value):
            raise InvalidInput(f"The {label} contains a control character (such as a line break).")
    if client.date_of_birth and client.date_of_birth > today():
        raise InvalidInput("The date of birth is in the future.")
    if client.date_of_birth and client.date_of_birth < EARLIEST_BIRTH:
        raise InvalidInput(f"The date of birth is before {EARLIEST_BIRTH.year}.")
    if client.intake_date:
        check_record_date(client.intake_date, "intake date")


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
    """Edit a client's details. Status and discharge are kept as stored: they change only through
    set_status / discharge, which keep their rules."""
    _validate(client)
    with uow:
        stored = uow.clients.get(client.id)
        client = replace(
            client,
            status=stored.status,
            discharge_date=stored.discharge_date,
            discharge_recorded_on=stored.discharge_recorded_on,
        )
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


def named_alike(clients: Iterable[Client], name: str, except_id: str | None = None) -> list[Client]:
    """The clients (but `except_id`) whose full name is `name`, ignoring case, accents and spacing: a
    warning, not a rule, as two people can share a name."""
    wanted = " ".join(fold(name).split())
    if not wanted:
        return []
    return [c for c in clients if c.id != except_id and " ".join(fold(c.name).split()) == wanted]


def same_name(uow: UnitOfWork, name: str, except_id: str | None = None) -> list[Client]:
    with uow:
        clients = uow.clients.all()
    return named_alike(clients, name, except_id)


def open_episode(uow: UnitOfWork, client_id: str) -> Episode | None:
    with uow:
        episodes = uow.episodes.where(client_id=client_id)
    return next((e for e in episodes if e.is_open), None)


def episodes(uow: UnitOfWork, client_id: str) -> list[Episode]:
    with uow:
        found = uow.episodes.where(client_id=client_id)
    return sorted(found, key=lambda e: e.opened_on)


# Why care ended: the first words of the closed episode's reason (the clinician summary prints it).
DISCHARGE_REASONS = ("planned ending", "client ended", "referred on", "moved", "other")


def discharge_reason(kind: str, detail: str = "") -> str:
    """'referred on' + 'to Dr Byrne' -> 'referred on: to Dr Byrne'; 'other' + text -> the text alone."""
    detail = " ".join(detail.split())
    if kind not in DISCHARGE_REASONS:
        raise InvalidInput(f"Unknown discharge reason: {kind}.")
    if kind == "other":
        return detail or "other"
    return f"{kind}: {detail}" if detail else kind


@dataclass(frozen=True)
class DischargeFacts:
    """What the discharge dialog needs to know: when the open episode began, how many drafts wait."""

    opened_on: date | None
    unsigned_notes: int


def discharge_facts(uow: UnitOfWork, client_id: str) -> DischargeFacts:
    with uow:
        opened = [e.opened_on for e in uow.episodes.where(client_id=client_id) if e.is_open]
        drafts = uow.notes.where(client_id=client_id, signed=0)
    return DischargeFacts(max(opened) if opened else None, len(drafts))


def discharge(uow: UnitOfWork, client_id: str, on: date, reason: str = "") -> Client:
    """The one discharge use case (the app's dialog and `client status … discharged` alike): on a day
    between the start of care and today, once. The retention clock starts at the later of that day
    and the day it was recorded (today), so a back-dated discharge cannot shorten it."""
    if on > today():
        raise InvalidInput("The discharge date is in the future.")
    with uow:
        client = uow.clients.get(client_id)
        if client.status == ClientStatus.DISCHARGED:
            raise Conflict("This client is already discharged.")
        opened = [e.opened_on for e in uow.episodes.where(client_id=client_id) if e.is_open]
        if opened and on < max(opened):
            raise InvalidInput(
                f"The discharge date is before this episode of care began ({max(opened).isoformat()})."
            )
        if client.intake_date and on < client.intake_date:
            raise InvalidInput(
                f"The discharge date is before the intake date ({client.intake_date.isoformat()})."
            )
        client = _change_status(uow, client_id, ClientStatus.DISCHARGED, on, reason)
        uow.commit()
    return client


def set_status(
    uow: UnitOfWork, client_id: str, status: ClientStatus, on: date | None = None, reason: str = ""
) -> Client:
    """Hold, reactivate or discharge. Discharge closes the open episode (with `reason`, or "discharged")
    and keeps every rule of `discharge`; returning opens a new one."""
    if status == ClientStatus.DISCHARGED:
        return discharge(uow, client_id, on or today(), reason)
    check_not_future(on or today(), "date of this change")
    with uow:
        client = _change_status(uow, client_id, status, on or today(), reason)
        uow.commit()
    return client


def _change_status(uow: UnitOfWork, client_id: str, status: ClientStatus, on: date, reason: str) -> Client:
    client = uow.clients.get(client_id)
    current = [e for e in uow.episodes.where(client_id=client_id) if e.is_open]
    if status == ClientStatus.DISCHARGED:
        for episode in current:
            uow.episodes.replace(replace(episode, closed_on=on, reason=reason.strip() or "discharged"))
        client = replace(client, status=status, discharge_date=on, discharge_recorded_on=today())
    else:
        if client.status == ClientStatus.DISCHARGED and not current:
            uow.episodes.add(Episode(client_id=client_id, opened_on=on, reason="returned"))
        client = replace(client, status=status, discharge_date=None, discharge_recorded_on=None)
    uow.clients.replace(client)
    return client


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retain_until(
    client: Client, last_service: date | None, profile: PractitionerProfile
) -> date | None:
    """APA default: 7 years after last service or 3 years after majority, whichever is later. None
    while the client is still in care. The end of service is the latest of the discharge date, the
    last session, the day the discharge was recorded and the day the record was created: the last two
    are set from the clock, not typed, so they cannot be back-dated (a discharge recorded before the
    recorded day was kept still counts from the record's creation)."""
    if client.status != ClientStatus.DISCHARGED:
        return None
    recorded = (client.discharge_recorded_on, client.created_at.astimezone().date())
    facts = [d for d in (client.discharge_date, last_service, *recorded) if d]
    end = max(facts, default=today())
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
