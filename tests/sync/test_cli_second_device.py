"""`practice invite-device` on one device, `practice join --device --code` on another, each its own CLI
process: the new device receives the clinician's signed note, verified."""

from __future__ import annotations

import json
from pathlib import Path

from notesdesk.core.storage.vault import Vault
from tests.signer import ready_to_sign
from tests.sync.helpers import add_client, signed_note
from tests.sync.pg_cluster import Cluster
from tests.sync.test_cli_practice import PASSPHRASE, Clinician


def test_a_second_device_joins_from_the_command_line(
    tmp_path: Path, database: tuple[Cluster, str, str]
) -> None:
    cluster, name, _admin = database
    url = f"postgresql://{cluster.superuser}@127.0.0.1:{cluster.port}/{name}"
    password = cluster.password + "\n"
    desk, laptop = Clinician(tmp_path / "desk.notesdesk"), Clinician(tmp_path / "laptop.notesdesk")
    ready_to_sign(Vault.create(desk.vault, PASSPHRASE)[0]).close()
    Vault.create(laptop.vault, PASSPHRASE)[0].close()
    desk.ok("practice", "init", "--server", url, more=password)
    with Vault.open(desk.vault, passphrase=PASSPHRASE) as vault:
        note = signed_note(vault, add_client(vault, "Synthetic Client").id, "Seen at the desk").id
    desk.ok("practice", "sync")

    printed = desk.run("practice", "invite-device")
    assert printed.returncode == 0 and "valid until" in printed.stderr
    code = printed.stdout.strip()
    assert len(code) == 14 and code.count("-") == 2
    mixed = laptop.run("practice", "join", "--device", "--server", url, "--practice-fingerprint", "0" * 32)
    assert mixed.returncode == 2 and "--device --code" in mixed.stderr
    join = ("practice", "join", "--device", "--server", url, "--code")
    wrong = laptop.run(*join, "0000-0000-0000", more=password)
    assert wrong.returncode == 1 and "opens no invitation" in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1
    laptop.ok(*join, code, more=password)

    assert "received 3" in laptop.ok("practice", "sync")  # the client, its episode of care, the note
    shown = json.loads(laptop.ok("--json", "note", "show", note))
    assert shown["signature_valid"] is True and "Seen at the desk" in json.dumps(shown)
    again = laptop.run("practice", "invite-device")
    assert again.returncode == 0  # the new device is a full member: it can invite the next one
