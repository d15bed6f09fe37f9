"""Issue 18 against a real PostgreSQL: a vault that only supervises a client cannot share it onward nor
take anyone off it (docs/design-notes.md §9, *Who may do what*). `practice assign` and `--remove` are
refused in one line before anything is drawn, wrapped or sent: no stored byte changes, in the vault or
on the server."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import psycopg
import pytest

from notesdesk.cli.main import main
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import practice, practice_access
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sync.helpers import clinician_of, join_practice, supervised_client

REFUSED = ("You supervise this client: only its clinicians can share it or take someone off it; "
           "nothing was changed.")


def _vault_rows(path: Path) -> list[str]:
    """Every stored row of the vault, the audit log's included (read-only: reading changes nothing)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _server_rows(admin_url: str) -> dict[str, list[str]]:
    """Every row of every table on the practice server, as text."""
    with psycopg.connect(admin_url) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {name: sorted(row for (row,) in conn.execute(f'SELECT t::text FROM "{name}" t'))
                for name in tables}


def _supervising_with_a_colleague(make_vault, admin_url) -> tuple[Vault, Vault, str, str, str]:
    """Alice's client supervised by Sam; Carol is a member who holds nothing of it:
    (alice, sam's vault, client id, alice's clinician id, carol's clinician id)."""
    alice, sam_vault, carol_vault = make_vault("alice"), make_vault("sam"), make_vault("carol")
    _sam, client_id, _note_id = supervised_client(alice, sam_vault, admin_url)
    fingerprint = practice.status(alice.unit_of_work()).practice_fingerprint
    carol = join_practice(alice, carol_vault, admin_url, fingerprint).clinician_id
    practice.sync(sam_vault.unit_of_work())  # Sam knows every member, as after any later sync
    return alice, sam_vault, client_id, clinician_of(alice), carol


def test_a_supervisor_can_neither_share_a_client_nor_take_its_clinician_off(make_vault, admin_url):
    _alice, sam_vault, client_id, alice_id, carol = _supervising_with_a_colleague(make_vault, admin_url)
    vault_before, server_before = _vault_rows(sam_vault.path), _server_rows(admin_url)

    attempts = (
        lambda: practice_access.assign(sam_vault.unit_of_work(), client_id, carol),
        lambda: practice_access.assign(sam_vault.unit_of_work(), client_id, carol, supervisor=True),
        lambda: practice_access.assign(sam_vault.unit_of_work(), client_id, alice_id, supervisor=True),
        lambda: practice_access.unassign(sam_vault.unit_of_work(), client_id, alice_id),
    )
    for attempt in attempts:
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert str(refused.value) == REFUSED
    assert _vault_rows(sam_vault.path) == vault_before
    assert _server_rows(admin_url) == server_before


def test_the_clinician_still_shares_the_client_the_supervisor_cannot(make_vault, admin_url):
    alice, _sam_vault, client_id, _alice_id, carol = _supervising_with_a_colleague(make_vault, admin_url)
    assert practice_access.assign(alice.unit_of_work(), client_id, carol).role == "clinician"


def test_the_command_line_refuses_it_in_one_line(make_vault, admin_url):
    _alice, sam_vault, client_id, alice_id, carol = _supervising_with_a_colleague(make_vault, admin_url)
    sam_vault.close()  # the command line opens it as the app would
    server_before = _server_rows(admin_url)
    for extra in (["--to", carol], ["--to", carol, "--supervisor"], ["--to", alice_id, "--remove"]):
        err = io.StringIO()
        code = main(["--vault", str(sam_vault.path), "--passphrase-stdin", "practice", "assign", client_id,
                     *extra], stdin=io.StringIO(PASSPHRASE + "\n"), stdout=io.StringIO(), stderr=err)
        assert (code, err.getvalue().strip()) == (1, f"notesdesk: {REFUSED}"), extra
    assert _server_rows(admin_url) == server_before
