"""Receipt numbers issued on two computers while offline (docs/design-notes.md §9, *Receipt numbers*),
against a real PostgreSQL: a number printed on two receipts is a tax and accounting problem, so after
syncing both computers say which number, the command line and the app alike, and voiding one of the
two and issuing it again (a new number) clears it everywhere."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

from notesdesk.cli.main import main
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.services import clients, practice, profile, receipts, sync_state
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import billing
from tests.sync.helpers import assign, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync

DAY = today() - timedelta(days=10)


def _pair_with_a_session(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    bob_id = join_practice(alice, bob, admin_url, founded.practice_fingerprint).clinician_id
    client = clients.add_client(alice.unit_of_work(), Client(name="Synthetic Client",
                                                              intake_date=DAY - timedelta(days=30)))
    assign(alice, client.id, bob_id)
    billing.session(alice, client.id, DAY)
    for vault in (alice, bob):
        profile.save_profile(vault.unit_of_work(), replace(vault.profile(), locale="US"))
        billing.fee(vault, 12000)
    _sync(alice, bob)
    return alice, bob, client.id


def _cli(path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--vault", str(path), "--passphrase-stdin", *args], stdin=io.StringIO(PASSPHRASE + "\n"),
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_receipt_number_issued_on_two_computers_offline_is_shown_until_one_is_reissued(
    make_vault, admin_url, tmp_path
):
    alice, bob, client = _pair_with_a_session(make_vault, admin_url)
    # Both issue the client's receipt while neither can reach the server: both take number 1.
    on_alice = receipts.issue_receipt(alice.unit_of_work(), client, DAY, today()).receipt
    on_bob = receipts.issue_receipt(bob.unit_of_work(), client, DAY, today()).receipt
    assert on_alice.number == on_bob.number == 1
    _sync(alice, bob, alice)

    for vault in (alice, bob):
        assert receipts.numbers_issued_twice(vault.unit_of_work()) == [1]
        assert practice.status(vault.unit_of_work()).receipt_numbers_twice == [1]
        summary = sync_state.summary(vault.unit_of_work())
        assert summary is not None and summary.receipts_numbered_twice == 1
    bob.close()  # the command line opens it as its own process would
    for command in ("status", "sync"):
        code, out, err = _cli(tmp_path / "bob.notesdesk", "practice", command)
        assert code == 0, err
        said = out + err
        assert "Receipt number 1 was issued twice" in said and "--void 1 --id ID" in said and "--list" in said

    # Alice voids one of the two (the one issued later) and issues it again: it takes the next number.
    voided = receipts.void_receipt(alice.unit_of_work(), client, 1, "number issued twice")
    assert voided.id == max((on_alice, on_bob), key=lambda r: (r.created_at, r.id)).id
    again = receipts.issue_receipt(alice.unit_of_work(), client, DAY, today()).receipt
    assert again.number == 2
    _sync(alice)
    with Vault.open(tmp_path / "bob.notesdesk", passphrase=PASSPHRASE) as reopened:
        _sync(reopened)
        listed = receipts.list_receipts(reopened.unit_of_work(), client)
        assert receipts.numbers_issued_twice(reopened.unit_of_work()) == []
    assert listed == receipts.list_receipts(alice.unit_of_work(), client)
    assert [(r.number, r.voided is not None) for r in listed] == [(1, False), (1, True), (2, False)]
    assert receipts.numbers_issued_twice(alice.unit_of_work()) == []
    alice.close()
    code, out, err = _cli(tmp_path / "alice.notesdesk", "practice", "status")
    assert code == 0 and "issued twice" not in out + err
