"""Faults that must never lose an acknowledged note or go unnoticed (security.md §5 #1, #3).

`make test` runs a few of each; `make soak` (NOTESDESK_SOAK=1) runs the full counts and prints a table.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.errors import NotesdeskError, VaultDamaged
from notesdesk.core.exports.snapshot import take
from notesdesk.core.services import care, clients, notes, plans
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.signer import ready_to_sign

SOAK = os.environ.get("NOTESDESK_SOAK") == "1"
WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def _kill_run(path: Path, client_id: str, batch: int, rng: random.Random) -> set[str]:
    env = dict(os.environ, NOTESDESK_INSECURE_TEST_KDF="1", PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), PASSPHRASE, client_id, str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    acked: set[str] = set()
    first = child.stdout.readline()  # wait until it is really writing
    if first.endswith("\n") and first.startswith("ACK "):
        acked.add(first.split()[1])
    deadline = time.monotonic() + rng.uniform(0.05, 0.35)
    os.set_blocking(child.stdout.fileno(), False)
    while time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    os.set_blocking(child.stdout.fileno(), True)
    # Only whole lines count: a line cut off by the kill was never fully acknowledged.
    for line in child.stdout.read().splitlines(keepends=True):
        parts = line.split()
        if line.endswith("\n") and len(parts) == 2 and parts[0] == "ACK":
            acked.add(parts[1])
    return acked


def test_kill_during_writes_loses_no_acknowledged_commit(tmp_path: Path) -> None:
    rng = random.Random(1)
    path = tmp_path / "crash.notesdesk"
    vault, _ = Vault.create(path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    client = clients.add_client(vault.unit_of_work(), Client(name="Siobhán Ní Bhriain"))
    vault.close()
    kills = int(os.environ.get("NOTESDESK_KILLS", "200" if SOAK else "4"))
    acked_total: set[str] = set()
    for i in range(kills):
        acked_total |= _kill_run(path, client.id, batch=1 if i % 2 else 20, rng=rng)
        # Opening checks integrity, the header and the audit chain.
        with Vault.open(path, passphrase=PASSPHRASE) as reopened, reopened.unit_of_work() as uow:
            present = set(uow.notes.ids())
        lost = acked_total - present
        assert lost == set(), f"{len(lost)} acknowledged notes lost after kill {i + 1}"
    with Vault.open(path, passphrase=PASSPHRASE) as final:
        verify_vault(final.unit_of_work())
    assert acked_total, "the writer never acknowledged a commit; the test proved nothing"
    if SOAK:
        print(f"\nkill -9 during writes: kills={kills} acked={len(acked_total)} lost=0 integrity_failures=0")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    os.environ["NOTESDESK_INSECURE_TEST_KDF"] = "1"
    folder = tmp_path_factory.mktemp("flips")
    path = folder / "pristine.notesdesk"
    vault, _ = Vault.create(path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    client = clients.add_client(vault.unit_of_work(), records.client("Flip "))

    for fmt_note in range(6):
        note = notes.create_note(vault.unit_of_work(), records.note(client.id, f"n{fmt_note} "))
        if fmt_note % 2:
            notes.sign_note(vault.unit_of_work(), note.id)
    plans.save_plan(vault.unit_of_work(), records.plan(client.id, "p "))
    care.save_safety_plan(vault.unit_of_work(), records.safety_plan(client.id, "s "))
    expected = take(vault.unit_of_work())
    vault.close()
    return path, expected


def test_random_bit_flips_in_the_vault_are_never_silent(
    pristine: tuple[Path, object], tmp_path: Path
) -> None:
    path, expected = pristine
    data = path.read_bytes()
    rng = random.Random(7)
    flips = 5000 if SOAK else 60
    outcomes = {"detected": 0, "benign": 0}
    for _ in range(flips):
        target = tmp_path / "flipped.notesdesk"
        damaged = bytearray(data)
        damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(damaged))
        try:
            with Vault.open(target, passphrase=PASSPHRASE) as vault:
                verify_vault(vault.unit_of_work())
                content = take(vault.unit_of_work())
        except (VaultDamaged, NotesdeskError):
            outcomes["detected"] += 1
            continue
        assert content == expected, "a flipped bit changed the record and nothing noticed"
        outcomes["benign"] += 1
    assert outcomes["detected"] > 0
    if SOAK:
        print(
            f"\nvault bit flips: {flips} flips, detected={outcomes['detected']} "
            f"benign={outcomes['benign']} silent=0"
        )
