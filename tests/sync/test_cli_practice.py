"""The issue's "done when": two vaults on this machine, each run by its own CLI process, share a client
through a local PostgreSQL; a note signed on one appears, verified, on the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from notesdesk.core.storage.vault import Vault
from tests.signer import ready_to_sign
from tests.sync.helpers import add_client, signed_note
from tests.sync.pg_cluster import Cluster

PASSPHRASE = "correct horse battery staple"


class Clinician:
    def __init__(self, vault: Path) -> None:
        self.vault = vault

    def run(self, *args: str, more: str = "") -> subprocess.CompletedProcess[str]:
        """One `notesdesk` process; the passphrase (and `more` lines) on standard input."""
        return subprocess.run(
            [sys.executable, "-m", "notesdesk", "--vault", str(self.vault), "--passphrase-stdin", *args],
            input=PASSPHRASE + "\n" + more,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NOTESDESK_INSECURE_TEST_KDF": "1"},
        )

    def ok(self, *args: str, more: str = "") -> str:
        done = self.run(*args, more=more)
        assert done.returncode == 0, done.stderr
        return done.stdout


def test_two_cli_processes_share_a_signed_note(tmp_path: Path, database: tuple[Cluster, str, str]) -> None:
    cluster, name, _admin = database
    url = f"postgresql://{cluster.superuser}@127.0.0.1:{cluster.port}/{name}"  # no password in argv
    password = cluster.password + "\n"
    alice, bob = Clinician(tmp_path / "alice.notesdesk"), Clinician(tmp_path / "bob.notesdesk")
    for clinician in (alice, bob):  # the vaults themselves are made in this process: it is quicker
        ready_to_sign(Vault.create(clinician.vault, PASSPHRASE)[0]).close()
    refused = alice.run("practice", "init", "--server", url.replace("@", f":{cluster.password}@"))
    assert refused.returncode == 2 and "without its password" in refused.stderr

    founded = json.loads(alice.ok("--json", "practice", "init", "--server", url, more=password))
    joined = json.loads(
        bob.ok(
            "--json",
            "practice",
            "join",
            "--server",
            url,
            "--practice-fingerprint",
            founded["practice_fingerprint"],
            more=password,
        )
    )
    waiting = bob.run("practice", "sync")
    assert waiting.returncode == 1 and "Waiting to be added" in waiting.stderr

    wrong = alice.run("practice", "add-clinician", joined["clinician_id"], "--fingerprint", "0" * 32)
    assert wrong.returncode == 1 and "does not match" in wrong.stderr
    alice.ok(
        "practice", "add-clinician", joined["clinician_id"], "--fingerprint", joined["fingerprint"].lower()
    )

    with Vault.open(alice.vault, passphrase=PASSPHRASE) as vault:
        client = add_client(vault, "Synthetic Shared Client").id
        note = signed_note(vault, client, "Seen together today").id
    assigned = json.loads(
        alice.ok("--json", "practice", "assign", "Synthetic Sh", "--to", joined["clinician_id"])
    )
    assert assigned["client_id"] == client and assigned["role"] == "clinician"
    # The client, its episode of care (opened at intake), the note, Alice's name and her profile.
    assert "Sent 5 records" in alice.ok("practice", "sync")
    assert "received 4" in bob.ok("practice", "sync")

    shown = json.loads(bob.ok("--json", "note", "show", note))
    assert shown["signature_valid"] is True
    assert "Seen together today" in json.dumps(shown)
    status = json.loads(bob.ok("--json", "practice", "status"))
    assert status["member"] is True and status["received"] == 4 and status["clients_shared"] == 1
    assert status["practice_fingerprint"] == founded["practice_fingerprint"]
    assert cluster.password not in json.dumps(status)

    # A diagnosis recorded, then removed, on Alice's computer: gone on Bob's too after both sync.
    diagnosis = alice.ok("diagnosis", "add", client, "F32.1").split()[0]
    alice.ok("practice", "sync")
    bob.ok("practice", "sync")
    assert "F32.1" in bob.ok("diagnosis", "list", client)
    alice.ok("diagnosis", "remove", diagnosis)
    assert "Sent 1 record," in alice.ok("practice", "sync")
    bob.ok("practice", "sync")
    assert bob.ok("diagnosis", "list", client).strip() == "No diagnoses."
    for clinician in (alice, bob):
        clinician.ok("verify")

    # Taking access away, with --json: first from the client, then from the practice.
    taken = json.loads(
        alice.ok("--json", "practice", "assign", client, "--to", joined["clinician_id"], "--remove")
    )
    assert taken["role"] == "removed" and taken["key_id"].startswith("g2.")
    removed = json.loads(alice.ok("--json", "practice", "remove-clinician", joined["clinician_id"]))
    assert removed["devices"] == [status["device_id"]] and removed["clients_rotated"] == 0
    assert removed["key_version"] == 2
    refused = bob.run("practice", "sync")
    assert refused.returncode == 1 and "removed from the practice" in refused.stderr
    shown = alice.ok("practice", "status")
    assert "Clients shared with you: 1" in shown and "Practice key version 2 (since a removal)" in shown
