"""Roles by key generation (issue 18): a supervisor never ends up with clinician rights for a client
by any path of an unaltered app or command line, whoever draws the client's key (docs/design-notes.md
§9, *Who may do what*); a role change is all or nothing from the person's view."""

from __future__ import annotations

import contextlib

import pytest

from notesdesk.core.errors import InvalidInput, NotesdeskError, SupervisedOnly
from notesdesk.core.services import practice_access
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access
from tests.sync.helpers import (
    add_client,
    clinician_of,
    found_practice,
    join_practice,
    signed_note,
    supervised_client,
    sync_in_turn,
)


def _still_supervising_only(supervisor: Vault, client_id: str) -> None:
    with pytest.raises(SupervisedOnly):
        signed_note(supervisor, client_id, "written by the supervisor")


def test_a_supervisor_who_takes_the_clinician_off_the_client_does_not_become_its_clinician(
    make_vault, admin_url
):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, client_id, _note_id = supervised_client(alice, supervisor, admin_url)

    # `practice assign CLIENT --to ALICE --remove` on the supervisor's computer (or Share with
    # colleague…'s Stop sharing…, which is on there): the key it draws is wrapped for its drawer as
    # clinician.
    with contextlib.suppress(InvalidInput):
        practice_access.unassign(supervisor.unit_of_work(), client_id, clinician_of(alice))
    sync_in_turn(supervisor, alice, supervisor)

    _still_supervising_only(supervisor, client_id)


def test_a_supervisor_does_not_become_clinician_when_the_clients_clinician_leaves_the_practice(
    make_vault, admin_url
):
    alice, tom, supervisor = make_vault("alice"), make_vault("tom"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    tom_id = join_practice(alice, tom, admin_url, founded.practice_fingerprint).clinician_id
    sam = join_practice(alice, supervisor, admin_url, founded.practice_fingerprint).clinician_id
    sync_in_turn(tom, supervisor)  # both hold the practice key
    client = add_client(tom, "Synthetic Supervised Client")
    signed_note(tom, client.id, "tom's session")
    practice_access.assign(tom.unit_of_work(), client.id, sam, supervisor=True)
    sync_in_turn(tom, supervisor)
    _still_supervising_only(supervisor, client.id)

    # Tom leaves: the supervisor's next sync draws the client's new key (access.rotate_for_removed),
    # and its own copy of it is a clinician's.
    practice_access.remove_clinician(alice.unit_of_work(), tom_id)
    sync_in_turn(supervisor, supervisor)  # the key drawn at the first, received back at the second

    _still_supervising_only(supervisor, client.id)


def test_a_supervisor_changing_the_clinicians_role_is_told_they_supervise_the_client(make_vault, admin_url):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, client_id, _note_id = supervised_client(alice, supervisor, admin_url)

    # Change role… on the supervisor's computer: refused, but as "You cannot change your own role",
    # which is not what they asked (their own role is in the roles _change_role is given).
    with pytest.raises(InvalidInput, match="You supervise this client"):
        practice_access.assign(supervisor.unit_of_work(), client_id, clinician_of(alice), supervisor=True)


def test_a_role_change_the_server_did_not_take_changes_nothing_later(make_vault, admin_url, monkeypatch):
    alice, sam_vault = make_vault("alice"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, sam_vault, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    practice_access.assign(alice.unit_of_work(), client.id, sam)
    sync_in_turn(alice, sam_vault)
    signed_note(sam_vault, client.id, "sam writes as clinician")

    def unanswered(*_args: object) -> int:
        raise NotesdeskError("The practice server did not answer.")

    # Change role… as the server stops answering once the new key is drawn: the dialog says "Nothing
    # was changed." (share_dialog._change_failed), and no practice-assign entry is audited.
    with monkeypatch.context() as down:
        down.setattr(access, "publish", unanswered)
        with pytest.raises(NotesdeskError):
            practice_access.assign(alice.unit_of_work(), client.id, sam, supervisor=True)
    signed_note(alice, client.id, "alice's next session")  # she goes on working
    sync_in_turn(alice, sam_vault)  # the next sync, with the server back, publishes the drawn key

    signed_note(sam_vault, client.id, "sam still writes as clinician")  # nothing was changed
