"""`practice conflicts` lists what was edited on two devices (also as JSON) and `practice resolve`
keeps one version; `practice status` and `practice sync` say how many wait."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from notesdesk.core.services import clients, practice
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.sync.helpers import add_client, assign, found_practice, join_practice
from tests.sync.test_cli_practice import Clinician


class Colleague(Clinician):
    """A clinician whose vault was made by the `make_vault` fixture (its passphrase)."""

    def run(self, *args: str, more: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "notesdesk", "--vault", str(self.vault), "--passphrase-stdin", *args],
            input=PASSPHRASE + "\n" + more,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NOTESDESK_INSECURE_TEST_KDF": "1"},
        )


def test_conflicts_are_listed_and_resolved_from_the_command_line(make_vault, admin_url) -> None:
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    clients.update_client(alice.unit_of_work(), replace(client, phone="555-0101"))
    clients.update_client(bob.unit_of_work(), replace(client, phone="555-0202"))
    practice.sync(alice.unit_of_work())
    path = Path(bob.path)
    bob.close()
    cli = Colleague(path)

    synced = cli.run("practice", "sync")
    assert synced.returncode == 0 and "1 record(s) were edited on another device" in synced.stderr
    assert "choose with 'notesdesk practice conflicts'" in cli.ok("practice", "status")
    (listed,) = json.loads(cli.ok("--json", "practice", "conflicts"))
    assert (listed["what"], listed["differing"], listed["kept"]) == ("client details", ["phone"], "open")
    assert (listed["mine"]["phone"], listed["theirs"]["phone"]) == ("555-0202", "555-0101")
    assert "phone: mine 555-0202 | theirs 555-0101" in cli.ok("practice", "conflicts")

    wrong = cli.run("practice", "resolve", listed["id"], "--keep", "both")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
    missing = cli.run("practice", "resolve", "no-such-id", "--keep", "mine")
    assert missing.returncode != 0 and "No sync conflict" in missing.stderr
    assert "Traceback" not in missing.stderr
    not_a_field = cli.run("practice", "resolve", listed["id"], "--keep", "mine", "--take-theirs", "email")
    assert not_a_field.returncode != 0 and "differ only in: phone" in not_a_field.stderr
    assert "Kept theirs" in cli.ok("practice", "resolve", listed["id"], "--keep", "theirs")
    assert "No conflicts" in cli.ok("practice", "conflicts")
    cli.ok("practice", "sync")
    with Vault.open(path, passphrase=PASSPHRASE) as vault:
        assert clients.get_client(vault.unit_of_work(), client.id).phone == "555-0101"
    practice.sync(alice.unit_of_work())
    assert clients.get_client(alice.unit_of_work(), client.id).phone == "555-0101"
