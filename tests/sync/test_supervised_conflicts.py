"""A conflict over a client this vault only supervises (its own edit made before supervising became
read-only, against the clinician's): the supervisor can take the clinician's version, which is
receiving it as a pull would, so the conflict does not stay open for ever."""

from __future__ import annotations

import pytest

from notesdesk.core.errors import SupervisedOnly
from notesdesk.core.services import clients, sync_conflicts
from tests.sync.helpers import supervised_conflict


def test_a_supervisor_takes_the_clinicians_version_in_a_conflict_and_cannot_keep_theirs_own(
        make_vault, admin_url, monkeypatch):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    client_id = supervised_conflict(alice, supervisor, admin_url, monkeypatch)
    open_ = sync_conflicts.list_conflicts(supervisor.unit_of_work())
    assert open_, "no conflict set aside"
    # Keeping their own version would be a write of a client they only supervise: refused, still open.
    with pytest.raises(SupervisedOnly):
        sync_conflicts.resolve(supervisor.unit_of_work(), open_[0].id, "mine")
    assert [c.id for c in sync_conflicts.list_conflicts(supervisor.unit_of_work())] == [open_[0].id]
    sync_conflicts.resolve(supervisor.unit_of_work(), open_[0].id, "theirs")
    assert clients.get_client(supervisor.unit_of_work(), client_id).phone == "555-0199"
    assert sync_conflicts.list_conflicts(supervisor.unit_of_work()) == []
