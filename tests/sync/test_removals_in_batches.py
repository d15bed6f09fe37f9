"""Where byte-capped batches, removals and attachments meet (issue 18): a removal goes out once even
when a batch is cut after it; an attachment deleted while still arriving, or whose removal arrives over
two pulls, leaves both vaults syncing and verifying."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from notesdesk.core.domain.common import today
from notesdesk.core.services import attachments, diagnoses, practice, verify, visits
from tests.sync import test_attachments_sync as att
from tests.sync.helpers import sync_in_turn as _sync
from tests.sync.test_tombstones import _pair, _received_removals


def test_a_removal_goes_out_once_when_a_batch_fills_after_it(make_vault, admin_url):
    """Alice moves a client's next session, records a diagnosis, then clears the session; Bob moved it
    meanwhile. Her push is cut by bytes after the removal: the removal must not go again in the next
    batch (with no base, it would remove Bob's edit, which is to win on both)."""
    alice, bob, client, _bob_id = _pair(make_vault, admin_url)
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=7))
    _sync(alice, bob)

    visits.set_next_session(bob.unit_of_work(), client.id, today() + timedelta(days=9))
    _sync(bob)
    visits.set_next_session(alice.unit_of_work(), client.id, today() + timedelta(days=8))
    diagnoses.add_diagnosis(alice.unit_of_work(), client.id, "F32.1")
    visits.clear_next_session(alice.unit_of_work(), client.id)
    practice.sync(alice.unit_of_work(), batch_bytes=1)  # every row a batch of its own
    with psycopg.connect(admin_url) as conn:
        (stones,) = conn.execute("SELECT count(*) FROM change WHERE table_name = 'tombstone'").fetchone()
    assert stones == 1, "the removal went to the server more than once"
    _sync(bob, alice)

    for name, vault in (("Alice", alice), ("Bob", bob)):
        kept = visits.next_session(vault.unit_of_work(), client.id)
        assert kept is not None, f"{name}'s vault lost the next session Bob moved"
        assert kept.next_on == today() + timedelta(days=9)
    assert _received_removals(bob) == set()


class _Stopped(Exception):
    """The sync stopped (laptop closed) after its first pull."""


def _stop_after_first_pull(step: str) -> None:
    if step == "pull":
        raise _Stopped


def test_an_attachment_deleted_on_the_vault_it_was_still_arriving_on(make_vault, admin_url):
    """Bob's sync stopped after the first of three pulls of Alice's scan (the record and part 1); he
    deletes it ("attached to the wrong client"). Both vaults go on syncing and both end without it."""
    alice, bob, client_id = att._pair(make_vault, admin_url)
    sent = att._attach(alice, client_id)  # three 1 MiB parts
    practice.sync(alice.unit_of_work(), batch_bytes=2 * att.MIB)  # [record, part 1], [part 2], [part 3]
    with pytest.raises(_Stopped):
        practice.sync(bob.unit_of_work(), after_batch=_stop_after_first_pull, batch_bytes=2 * att.MIB)
    assert [a.id for a in attachments.list_attachments(bob.unit_of_work(), client_id)] == [sent.id]
    attachments.delete_attachment(bob.unit_of_work(), sent.id, "attached to the wrong client")

    practice.sync(bob.unit_of_work())  # the rest of Alice's scan arrives after Bob removed it
    practice.sync(alice.unit_of_work())  # Bob's removals arrive where all three parts are held
    for vault in (alice, bob):
        assert attachments.list_attachments(vault.unit_of_work(), client_id) == []
        with vault.unit_of_work() as uow:
            assert uow.attachment_chunks.ids(attachment_id=sent.id) == []
        assert verify.verify_vault(vault.unit_of_work()).ok


def test_a_vault_between_two_pulls_of_an_attachments_removal_verifies(make_vault, admin_url):
    """Alice deletes her 3-part scan; the removal reaches Bob over two pulls (parts 1 and 2, then part
    3 and the record) and his sync stops between them. Until the next sync his vault must still
    verify and the attachment must not read as damaged."""
    alice, bob, client_id = att._pair(make_vault, admin_url)
    sent = att._attach(alice, client_id)
    for vault in (alice, bob):
        practice.sync(vault.unit_of_work())
    attachments.delete_attachment(alice.unit_of_work(), sent.id, "attached to the wrong client")
    practice.sync(alice.unit_of_work(), batch=2)  # [part 1, part 2], [part 3, the record]
    with pytest.raises(_Stopped):
        practice.sync(bob.unit_of_work(), batch=1, after_batch=_stop_after_first_pull)
    assert verify.verify_vault(bob.unit_of_work()).ok
    practice.sync(bob.unit_of_work())
    assert attachments.list_attachments(bob.unit_of_work(), client_id) == []
    assert verify.verify_vault(bob.unit_of_work()).ok
