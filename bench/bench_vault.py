"""Vault read paths, as ratios to a plain sqlite3 read of the same rows measured in the same run.

    .venv/bin/python bench/bench_vault.py [--notes 20000]

Prints figures only; targets live here, never in timed unit tests.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")  # the KDF is not what we measure here

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from notesdesk.core.domain.clients import Client  # noqa: E402
from notesdesk.core.domain.notes import NoteFormat, SessionNote  # noqa: E402
from notesdesk.core.services import search  # noqa: E402
from notesdesk.core.services.notes import build_sections  # noqa: E402
from notesdesk.core.storage.tables import NoteRow  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def fill(vault: Vault, n_notes: int) -> None:
    text = "Client described sleep, work stress and the breathing practice in some detail. " * 25
    with vault.unit_of_work() as uow:
        clients = [Client(name=f"Client {i}") for i in range(max(1, n_notes // 60))]
        for client in clients:
            uow.clients.add(client)
        for i in range(n_notes):
            sections = build_sections(NoteFormat.SOAP, {"subjective": f"{i} {text}", "plan": "Continue"})
            uow.notes.add(SessionNote(client_id=clients[i % len(clients)].id, session_date=date(2026, 1, 1),
                                      format=NoteFormat.SOAP, sections=sections))
        uow.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.notesdesk"
        vault, _ = Vault.create(path, PASSPHRASE)
        fill(vault, args.notes)

        def plain() -> object:
            conn = sqlite3.connect(path)
            rows = conn.execute("SELECT id, client_id, rev, signed, data FROM note").fetchall()
            conn.close()
            return rows

        def core_and_decrypt() -> object:
            with vault.unit_of_work() as uow:
                return uow.notes.all()

        def orm_and_decrypt() -> object:
            with Session(vault.engine) as session:
                out = []
                for row in session.scalars(select(NoteRow)):
                    clear = {"client_id": row.client_id, "rev": row.rev, "signed": row.signed}
                    out.append(vault.sealer.open("note", row.id, clear, row.data, SessionNote))
                return out

        baseline = best_of(plain)
        core = best_of(core_and_decrypt)
        orm = best_of(orm_and_decrypt)
        vault.close()
        unlock = best_of(lambda: Vault.open(path, passphrase=PASSPHRASE).close(), runs=3)
        vault = Vault.open(path, passphrase=PASSPHRASE)
        index_times = [best_of(lambda: search.build_index(vault.unit_of_work()), runs=1) for _ in range(2)]
        index = search.build_index(vault.unit_of_work())
        query = best_of(lambda: index.search("breathing practice"), runs=20)
        vault.close()
    print(f"notes: {args.notes}")
    print(f"plain sqlite3 read (baseline): {baseline * 1000:8.1f} ms   1.00x")
    print(f"Core rows + decrypt + decode:  {core * 1000:8.1f} ms  {core / baseline:5.2f}x")
    print(f"ORM instances + decrypt:       {orm * 1000:8.1f} ms  {orm / baseline:5.2f}x")
    print(f"unlock (integrity, audit chain and row cross-check; test KDF): {unlock * 1000:8.1f} ms "
          f"{unlock / baseline:5.2f}x")
    print(f"search index build: {statistics.mean(index_times) * 1000:8.1f} ms "
          f"{statistics.mean(index_times) / baseline:5.2f}x; query {query * 1000:.2f} ms")


if __name__ == "__main__":
    main()
