"""Issue 18 against a real PostgreSQL: a member's role for a client is the role of their copy of the
newest key generation they hold, and a row received is judged by the generation it is sealed under
(docs/design-notes.md §9, *Who may do what*). A clinician taken off a client and given it back as
supervisor is a supervisor; a supervisor made clinician can write; a clinician made supervisor cannot."""

from __future__ import annotations

import io
import json

import pytest

from notesdesk.cli.main import main
from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.errors import InvalidInput, SupervisedOnly
from notesdesk.core.services import cosign, notes, practice, practice_access, practice_devices, practice_view
from notesdesk.core.services.cosign import DEFAULT_TEXT
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access
from tests.conftest import PASSPHRASE
from tests.sync.helpers import (
    add_client,
    before_supervision_was_read_only,
    clinician_of,
    found_practice,
    join_practice,
    note_texts,
    signed_note,
    sync_in_turn,
)


def _practice(make_vault, admin_url) -> tuple[Vault, Vault, str, str, str]:
    """Alice's client, with one signed note, shared with Sam as clinician; both synced:
    (alice, sam's vault, sam's clinician id, client id, note id)."""
    alice, sam_vault = make_vault("alice"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, sam_vault, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Shared Client")
    note = signed_note(alice, client.id, "alice's session")
    practice_access.assign(alice.unit_of_work(), client.id, sam)
    sync_in_turn(alice, sam_vault)
    return alice, sam_vault, sam, client.id, note.id


def _not_taken(vault: Vault) -> int:
    uow = vault.unit_of_work()
    with uow:
        return access.load(uow).not_taken


def _forced_through(monkeypatch: pytest.MonkeyPatch, vault: Vault, client_id: str, text: str) -> None:
    """A note written and sent as an older version (or an altered vault) would: neither the guard
    nor the push holds it back."""
    with monkeypatch.context() as altered, before_supervision_was_read_only(monkeypatch):
        altered.setattr(access, "may_push", lambda keys, table, obj: True)
        signed_note(vault, client_id, text)
        practice.sync(vault.unit_of_work())


def _line(vault: Vault, client_id: str) -> str:
    found = practice_view.known_readers(vault.unit_of_work(), client_id)
    assert found is not None
    return practice_view.shared_with(found.readers)


def _others(vault: Vault, client_id: str) -> dict[str, str]:
    """The overview's readers of a client but yourself, as clinician id -> role."""
    found = practice_view.known_readers(vault.unit_of_work(), client_id)
    assert found is not None
    return {r.clinician_id: r.role for r in found.readers if not r.you}


def test_a_clinician_taken_off_and_given_the_client_as_supervisor_is_a_supervisor(
    make_vault, admin_url, monkeypatch
):
    alice, sam_vault, sam, client_id, note_id = _practice(make_vault, admin_url)
    signed_note(sam_vault, client_id, "written as clinician")
    practice.sync(sam_vault.unit_of_work())

    practice_access.unassign(alice.unit_of_work(), client_id, sam)
    done = practice_access.assign(alice.unit_of_work(), client_id, sam, supervisor=True)
    assert done.role == "supervisor"
    sync_in_turn(alice, sam_vault)
    assert "written as clinician" in note_texts(alice)

    # Sam's vault is supervising-only now: the guard refuses a write, a co-signature is allowed.
    with pytest.raises(SupervisedOnly):
        signed_note(sam_vault, client_id, "refused here")
    with pytest.raises(SupervisedOnly):
        notes.add_addendum(sam_vault.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "refused too")
    assert "refused here" not in note_texts(sam_vault)
    cosign.cosign_note(sam_vault.unit_of_work(), note_id)
    # A note forced through under the new generation (where Sam is only supervisor) is not taken.
    _forced_through(monkeypatch, sam_vault, client_id, "forced under the new key")
    practice.sync(alice.unit_of_work())
    assert note_texts(alice) == {"alice's session", "written as clinician", DEFAULT_TEXT}
    assert _not_taken(alice) == 1
    assert _line(alice, client_id) == "Shared with: Dr Sam, LCSW (supervisor)"

    # Alice's new device, on its first pull, takes what Sam wrote as clinician and not the rest.
    laptop = make_vault("laptop")
    code = practice_devices.invite_device(alice.unit_of_work()).code
    practice_devices.join_device(laptop.unit_of_work(), admin_url, code)
    practice.sync(laptop.unit_of_work())
    assert note_texts(laptop) == {"alice's session", "written as clinician", DEFAULT_TEXT}
    assert _not_taken(laptop) == 1


def test_a_supervisor_made_clinician_can_write_and_their_writes_are_taken(make_vault, admin_url):
    alice, sam_vault = make_vault("alice"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, sam_vault, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Supervised Client")
    signed_note(alice, client.id, "alice's session")
    practice_access.assign(alice.unit_of_work(), client.id, sam, supervisor=True)
    sync_in_turn(alice, sam_vault)
    with pytest.raises(SupervisedOnly):
        signed_note(sam_vault, client.id, "not yet")

    done = practice_access.assign(alice.unit_of_work(), client.id, sam)
    assert done.role == "clinician"
    assert _others(alice, client.id) == {sam: "clinician"}  # at once, before any sync
    sync_in_turn(alice, sam_vault)
    signed_note(sam_vault, client.id, "sam's own session")
    sync_in_turn(sam_vault, alice)
    assert note_texts(alice) == {"alice's session", "sam's own session"}
    assert _not_taken(alice) == 0
    assert _line(alice, client.id) == "Shared with: Dr Sam, LCSW"
    assert _line(sam_vault, client.id) == "Shared with: Dr Alice, LCSW"


def test_a_clinician_made_supervisor_without_removal_is_read_only_and_earlier_writes_stay(
    make_vault, admin_url, monkeypatch
):
    alice, sam_vault, sam, client_id, note_id = _practice(make_vault, admin_url)
    signed_note(sam_vault, client_id, "written as clinician")
    practice.sync(sam_vault.unit_of_work())

    done = practice_access.assign(alice.unit_of_work(), client_id, sam, supervisor=True)
    assert done.role == "supervisor"
    assert _others(alice, client_id) == {sam: "supervisor"}  # at once, before any sync
    signed_note(sam_vault, client_id, "written offline before the change reached sam")
    sync_in_turn(alice, sam_vault)
    # Held back by sam's push (their vault judges it as now: supervisor): it stays in sam's vault.
    assert "written offline before the change reached sam" in note_texts(sam_vault)
    with pytest.raises(SupervisedOnly):
        signed_note(sam_vault, client_id, "refused here")
    _forced_through(monkeypatch, sam_vault, client_id, "forced under the new key")
    cosign.cosign_note(sam_vault.unit_of_work(), note_id)
    practice.sync(sam_vault.unit_of_work())
    practice.sync(alice.unit_of_work())
    assert note_texts(alice) == {"alice's session", "written as clinician", DEFAULT_TEXT}
    assert _not_taken(alice) == 1


def test_a_supervisor_cannot_make_themselves_clinician_nor_anyone_change_their_own_role(
    make_vault, admin_url
):
    alice, sam_vault = make_vault("alice"), make_vault("sam")
    founded = found_practice(alice, admin_url)
    sam = join_practice(alice, sam_vault, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(alice, "Synthetic Supervised Client")
    practice_access.assign(alice.unit_of_work(), client.id, sam, supervisor=True)
    sync_in_turn(alice, sam_vault)

    with pytest.raises(InvalidInput, match="supervise"):
        practice_access.assign(sam_vault.unit_of_work(), client.id, sam)
    with pytest.raises(InvalidInput, match="your own role"):  # nor anyone their own
        practice_access.assign(alice.unit_of_work(), client.id, clinician_of(alice), supervisor=True)
    sync_in_turn(sam_vault, alice)
    with pytest.raises(SupervisedOnly):
        signed_note(sam_vault, client.id, "still refused")
    assert _others(alice, client.id) == {sam: "supervisor"}


def test_the_command_line_says_a_role_changed_and_the_new_key_it_took(make_vault, admin_url):
    alice, _sam_vault, sam, client_id, _note_id = _practice(make_vault, admin_url)
    alice.close()  # the command line opens it as the app would
    command = ["--vault", str(alice.path), "--passphrase-stdin", "practice", "assign", client_id, "--to", sam]

    out = io.StringIO()
    assert main([*command, "--supervisor"], stdin=io.StringIO(PASSPHRASE + "\n"), stdout=out) == 0
    assert out.getvalue().splitlines() == [
        f"Client {client_id} is shared with supervisor {sam}.",
        "Their role changed: the client's new records have a new key, which they hold as supervisor "
        "from their next sync. What they wrote before stays as written.",
    ]
    out = io.StringIO()
    assert main(["--json", *command], stdin=io.StringIO(PASSPHRASE + "\n"), stdout=out) == 0
    back = json.loads(out.getvalue())
    assert back["role"] == "clinician" and back["role_changed"] is True and back["key_id"].startswith("g3.")
    out = io.StringIO()  # the same role again: nothing new drawn
    assert main(["--json", *command], stdin=io.StringIO(PASSPHRASE + "\n"), stdout=out) == 0
    again = json.loads(out.getvalue())
    assert again["role_changed"] is False and again["key_id"] == back["key_id"]
