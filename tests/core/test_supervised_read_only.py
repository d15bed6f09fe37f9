"""Issue 18: a client this vault only supervises is read-only here but for co-signing. The refusal is
made in one place (the unit of work's guard over every sealed write), so each write service refuses
with the same line and changes no stored byte; reading, and another client's records, are untouched.
Here the vault is marked supervising as a sync marks it (access.ClientKeys.supervising); the full
round trip through a practice server is in tests/sync/test_supervised_read_only.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.domain.care import Homework
from notesdesk.core.domain.clients import Client, ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, PrivateNote, SessionNote
from notesdesk.core.domain.plans import TreatmentPlan
from notesdesk.core.errors import SupervisedOnly
from notesdesk.core.services import care, clients, notes, plans, retention
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access
from tests.core import records
from tests.signer import ready_to_sign

REFUSED = "You supervise this client: their clinician makes changes; you can read and co-sign."


def _note(client_id: str, text: str) -> SessionNote:
    return SessionNote(client_id=client_id, session_date=date(2026, 10, 5), format=NoteFormat.FREE,
                       sections=notes.build_sections(NoteFormat.FREE, {"text": text}))


def _supervise(vault: Vault, client_id: str, *, also_clinician: bool = False) -> None:
    """As a sync leaves it: the client's key held, with the role of supervisor only (or not)."""
    uow = vault.unit_of_work()
    with uow:
        keys = access.ClientKeys(keys={client_id: {"g1.000000000000": "00" * 32}},
                                 supervising=[] if also_clinician else [client_id])
        access.save(uow, keys)
        uow.commit()


@pytest.fixture
def supervised(vault: Vault) -> tuple[Client, SessionNote]:
    ready_to_sign(vault)
    client = clients.add_client(vault.unit_of_work(), Client(name="Synthetic Supervised Client"))
    draft = notes.create_note(vault.unit_of_work(), _note(client.id, "x"))
    signed = notes.sign_note(vault.unit_of_work(), draft.id)
    _supervise(vault, client.id)
    return client, signed


WRITES: dict[str, Callable[[Vault, Client, SessionNote], Any]] = {
    "new note": lambda v, c, _n: notes.create_note(v.unit_of_work(), _note(c.id, "the supervisor's")),
    "addendum": lambda v, _c, n: notes.add_addendum(v.unit_of_work(), n.id, AddendumKind.CLARIFICATION, "x"),
    "client details": lambda v, c, _n: clients.update_client(v.unit_of_work(), replace(c, name="Renamed")),
    "discharge": lambda v, c, _n: clients.discharge(v.unit_of_work(), c.id, today()),
    "plan": lambda v, c, _n: plans.save_plan(v.unit_of_work(), TreatmentPlan(client_id=c.id, strengths="x")),
    "homework": lambda v, c, _n: care.add_homework(
        v.unit_of_work(), Homework(client_id=c.id, description="walk", assigned_on=date(2026, 10, 5))),
    "psychotherapy note": lambda v, c, _n: notes.add_private_note(
        v.unit_of_work(), PrivateNote(c.id, date(2026, 10, 5), "process")),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_of_a_supervised_client_is_refused_and_changes_no_stored_byte(
    vault: Vault, vault_path: Path, supervised: tuple[Client, SessionNote], write: str
) -> None:
    client, note = supervised
    before = vault_path.read_bytes()
    with pytest.raises(SupervisedOnly) as refused:
        WRITES[write](vault, client, note)
    assert str(refused.value) == REFUSED
    assert vault_path.read_bytes() == before
    # Reading is as before.
    assert clients.get_client(vault.unit_of_work(), client.id, audit_view=False).name == client.name
    assert notes.get_note(vault.unit_of_work(), note.id)[1] == []


def test_another_clients_records_and_a_supervisor_also_assigned_as_clinician_are_writable(
    vault: Vault, supervised: tuple[Client, SessionNote]
) -> None:
    client, note = supervised
    other = clients.add_client(vault.unit_of_work(), Client(name="Synthetic Own Client"))
    assert notes.create_note(vault.unit_of_work(), _note(other.id, "own")).client_id == other.id
    _supervise(vault, client.id, also_clinician=True)  # both roles: the clinician's writes travel
    added = notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CLARIFICATION, "x")
    assert notes.get_note(vault.unit_of_work(), note.id)[1] == [added]



def test_the_copy_held_here_is_deleted_at_the_end_of_retention_all_the_same(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each clinician's retention duty is their own: the guard does not keep a supervisor's copy."""
    ready_to_sign(vault)
    entered = datetime(2011, 9, 1, 12, tzinfo=UTC)  # entered then: retention cannot start later
    old = replace(records.client("Old "), intake_date=date(2011, 9, 1), created_at=entered)
    old = clients.add_client(vault.unit_of_work(), old)
    note = replace(records.note(old.id, "n"), session_date=date(2012, 1, 9))
    note = notes.create_note(vault.unit_of_work(), note)
    notes.sign_note(vault.unit_of_work(), note.id)
    with monkeypatch.context() as then:  # discharged and recorded in 2012
        then.setattr(clients, "today", lambda: date(2012, 6, 2))
        clients.set_status(vault.unit_of_work(), old.id, ClientStatus.DISCHARGED, date(2012, 6, 1))
    _supervise(vault, old.id)
    assert retention.delete_client_record(vault.unit_of_work(), old.id, confirmed=True) == 3
    assert clients.list_clients(vault.unit_of_work()) == []
