"""Diagnoses on a client: ICD-10-CM codes from the offline list (core/codes/icd10cm.py), validated,
with the code's description and the clinician's own words beside it."""

from __future__ import annotations

from datetime import date

from notesdesk.core.codes import icd10cm
from notesdesk.core.domain.clients import CONTROL_CHARS
from notesdesk.core.domain.common import today
from notesdesk.core.domain.visits import TEXT_MAX, Diagnosis
from notesdesk.core.errors import Conflict, InvalidInput
from notesdesk.core.storage.uow import UnitOfWork


def _clean_text(text: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > TEXT_MAX:
        raise InvalidInput(f"The text beside a diagnosis is at most {TEXT_MAX} characters.")
    # Line breaks and tabs are text; every other control character (and a bidi override) is not.
    if CONTROL_CHARS.search(cleaned.replace("\n", " ").replace("\t", " ")):
        raise InvalidInput("The text beside a diagnosis holds control characters; remove them.")
    return cleaned


def add_diagnosis(
    uow: UnitOfWork, client_id: str, code: str, text: str = "", recorded_on: date | None = None
) -> Diagnosis:
    """Record `code` on the client. An unknown code, a category (not specific enough to record) or the
    same code twice is refused with one line, and nothing is stored."""
    found = icd10cm.lookup(code)
    words = _clean_text(text)
    with uow:
        client = uow.clients.get(client_id)
        if any(d.code == found.code for d in uow.diagnoses.where(client_id=client.id)):
            raise Conflict(f"{found.code} is already recorded for this client.")
        diagnosis = Diagnosis(
            client_id=client.id,
            code=found.code,
            description=found.description,
            text=words,
            recorded_on=recorded_on or today(),
            code_list=icd10cm.icd10cm().release,
        )
        uow.diagnoses.add(diagnosis)
        uow.commit()
    return diagnosis


def list_diagnoses(uow: UnitOfWork, client_id: str) -> list[Diagnosis]:
    """The client's diagnoses in the order they were recorded (the first is the principal one)."""
    with uow:
        uow.clients.get(client_id)
        found = uow.diagnoses.where(client_id=client_id)
    # Rows come in the order they were stored and the sort is stable: two recorded within one
    # second (created_at has whole seconds) keep that order, where a random id would decide it.
    return sorted(found, key=lambda d: (d.recorded_on, d.created_at))


def remove_diagnosis(uow: UnitOfWork, diagnosis_id: str) -> Diagnosis:
    """Take a diagnosis off the client (recorded in error, or no longer held); the audit log keeps
    the fact that it was there."""
    with uow:
        diagnosis = uow.diagnoses.get(diagnosis_id)
        uow.diagnoses.remove(diagnosis_id)
        uow.commit()
    return diagnosis
