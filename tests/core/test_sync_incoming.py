"""A pulled push as core/sync/shared.py takes it in, row by row or in bulk (the waiting rows inserted
together, core/sync/arrivals.py): both ways must store the same record. Made here without a server,
as a pull hands each row to `incoming`."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, diagnoses, verify
from notesdesk.core.storage.sealer import encode
from notesdesk.core.sync import shared
from notesdesk.core.sync.arrivals import Arrivals


def _payload(obj: object) -> bytes:
    return encode(shared.Shared(encode(obj).decode(), ()))


@pytest.mark.parametrize("bulk", [False, True], ids=["row by row", "in bulk"])
def test_one_push_with_the_same_diagnosis_twice_lists_it_once(vault, bulk):
    # A colleague recorded a code, removed it and recorded it again between two syncs: two rows, one code.
    client = clients.add_client(vault.unit_of_work(), Client(name="Synthetic Person"))
    first = diagnoses.add_diagnosis(vault.unit_of_work(), client.id, "F32.1")
    diagnoses.remove_diagnosis(vault.unit_of_work(), first.id)
    again = [replace(first, id=str(uuid.uuid4())) for _ in range(2)]

    with vault.unit_of_work() as uow:
        arrivals = Arrivals(uow) if bulk else None
        taken = [shared.incoming(uow, "diagnosis", d.id, "d" * 36, _payload(d), {}, {}, arrivals)
                 for d in again]
        if arrivals is not None:
            arrivals.settle()
        uow.commit()

    assert taken == ["added", "held"]
    assert [d.code for d in diagnoses.list_diagnoses(vault.unit_of_work(), client.id)] == ["F32.1"]
    assert verify.verify_vault(vault.unit_of_work()).ok
