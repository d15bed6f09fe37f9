"""What `practice status` (and File ▸ Practice…) pays to count the records a supervisor's vault wrote of
clients it only supervises (services/supervision.kept_here, core/sync/kept_rows.py), as ratios to a
floor measured in the same run.

The practice: `notesdesk demo --clients 50 --notes 5000` (100 notes a client, real KDF), every client
marked as one this vault only supervises (its client keys' `supervising` list, as a supervisor's pull
leaves it; the server plays no part in counting). F is reading and decrypting as many note-sized blobs
as the count looks at, in a plain loop: what opening every record costs at the least, so a count
that opened them could not meet the goal (≤ 1x F).

    .venv/bin/python bench/bench_kept_here.py [--runs N] [--folder DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.practice import PASSPHRASE, demo, isolate, machine, sealed_blobs_floor, timed  # noqa: E402

from notesdesk.core.services import supervision  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.core.sync import access, kept_rows, shared  # noqa: E402

CLIENTS, NOTES = 50, 5000
GOAL = 1.0  # of F: less than opening every record once could ever cost (it was 3.5x F, opening them all)


def supervising(folder: Path) -> Path:
    """The demo practice, every client supervised only (a copy: the demo stays as made)."""
    path = folder / f"supervising-{CLIENTS}c-{NOTES}n.notesdesk"
    if not path.exists():
        shutil.copy(demo(folder, CLIENTS, NOTES), path)
        with Vault.open(path, passphrase=PASSPHRASE) as vault, vault.unit_of_work() as uow:
            ids = [client.id for client in uow.clients.all()]
            access.save(uow, replace(access.load(uow), supervising=ids))
            uow.commit()
    return path


def every_row_opened(vault: Vault) -> int:
    """Each row of every supervised client opened, as kept_here read them before (for comparison)."""
    with vault.unit_of_work() as uow:
        ids = access.load(uow).supervising
        opened = 0
        for table in shared.SPECS:
            repository = shared.repository_of(uow, table)
            for client_id in ids:
                own = table == "client"  # a client row is its own client's
                opened += len([repository.find(client_id)] if own else repository.where(client_id=client_id))
    return opened


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="notesdesk-bench-kept-"))
    folder.mkdir(parents=True, exist_ok=True)
    isolate(folder)
    path = supervising(folder)
    print(f"Machine: {machine()}; practice: {CLIENTS} supervised clients, {NOTES} notes; runs: {args.runs}")
    with Vault.open(path, passphrase=PASSPHRASE) as vault:
        with vault.unit_of_work() as uow:  # as the sync before left it
            kept_rows.refresh(uow)
            uow.commit()
            judged = sum(len(rows) for rows in kept_rows.stored(uow).rows.values())
        count = supervision.kept_here(vault.unit_of_work())
        floor = sealed_blobs_floor(folder, judged, args.runs)
        before = timed(lambda: every_row_opened(vault), args.runs)
        after = timed(lambda: supervision.kept_here(vault.unit_of_work()), args.runs)

        def refresh() -> None:
            with vault.unit_of_work() as uow:
                kept_rows.refresh(uow)
                uow.commit()

        syncing = timed(refresh, args.runs)
    print("| figure | median (min–max) | floor (same run) | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| F: read and decrypt {judged:,} note-sized AES-GCM blobs | {floor} | — | — | floor |")
    print(f"| every supervised row opened (kept_here before) | {before} | {floor} "
          f"| {before.ratio(floor):.2f}x | (information) |")
    print(f"| `kept_here` after a sync ({count:,} counted) | {after} | {floor} | {after.ratio(floor):.2f}x "
          f"| ≤ {GOAL:g}x F |")
    print(f"| a sync's refresh, nothing written since | {syncing} | {floor} | {syncing.ratio(floor):.2f}x "
          "| (information) |")
    return 0 if after.ratio(floor) <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
