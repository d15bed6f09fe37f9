"""Issue 18 against a real PostgreSQL: a client a vault only supervises is read-only there but for
co-signing; the pull still takes in what its clinician writes. (A supervisor who also holds the
client's key as clinician is not read-only: tests/core/test_supervised_read_only.py.)"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from notesdesk.cli.main import main
from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.errors import SupervisedOnly
from notesdesk.core.services import clients, cosign, notes, practice
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sync.helpers import (
    before_supervision_was_read_only,
    note_texts,
    signed_note,
    supervised_client,
)


def _supervising(make_vault, admin_url) -> tuple[Vault, Vault, str, str, str]:
    alice, supervisor = make_vault("alice"), make_vault("sam")
    sam, client_id, note_id = supervised_client(alice, supervisor, admin_url)
    return alice, supervisor, sam, client_id, note_id


def test_a_supervisor_co_signs_but_writes_nothing_else_and_still_receives(make_vault, admin_url):
    alice, supervisor, _sam, client_id, note_id = _supervising(make_vault, admin_url)
    with pytest.raises(SupervisedOnly):
        signed_note(supervisor, client_id, "the supervisor's own note")
    with pytest.raises(SupervisedOnly):
        notes.add_addendum(supervisor.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "not theirs")
    cosign.cosign_note(supervisor.unit_of_work(), note_id, "Reviewed in supervision.")
    practice.sync(supervisor.unit_of_work())

    # The clinician goes on writing; the supervisor's pull takes it in (the guard is not the pull's).
    later = signed_note(alice, client_id, "the next session")
    notes.add_addendum(alice.unit_of_work(), later.id, AddendumKind.CLARIFICATION, "a clarification")
    practice.sync(alice.unit_of_work())
    practice.sync(supervisor.unit_of_work())
    assert note_texts(supervisor) >= {"supervisee's session", "the next session", "a clarification"}
    assert "Reviewed in supervision." in note_texts(alice)



def test_what_a_supervisor_wrote_before_stays_and_is_counted_as_never_travelling(
    make_vault, admin_url, monkeypatch
):
    alice, supervisor, _sam, client_id, note_id = _supervising(make_vault, admin_url)
    assert practice.status(supervisor.unit_of_work()).kept_here == 0  # what arrived is not counted
    cosign.cosign_note(supervisor.unit_of_work(), note_id)  # travels: not counted
    with before_supervision_was_read_only(monkeypatch):
        signed_note(supervisor, client_id, "the supervisor's own note")
        notes.add_addendum(supervisor.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "theirs")
        client = clients.get_client(supervisor.unit_of_work(), client_id)
        clients.update_client(supervisor.unit_of_work(), replace(client, phone="555-0100"))
    practice.sync(supervisor.unit_of_work())
    practice.sync(alice.unit_of_work())
    assert "the supervisor's own note" not in note_texts(alice)
    assert "the supervisor's own note" in note_texts(supervisor)  # it stays where it was written
    assert practice.status(supervisor.unit_of_work()).kept_here == 3
    assert practice.status(alice.unit_of_work()).kept_here == 0

    supervisor.close()  # the command line opens it as the app would
    out = io.StringIO()
    code = main(["--vault", str(supervisor.path), "--passphrase-stdin", "practice", "status"],
                stdin=io.StringIO(PASSPHRASE + "\n"), stdout=out)
    assert code == 0
    assert ("3 records of clients you only supervise were written on this computer: they stay here "
            "and never reach their clinician.") in out.getvalue()
