"""The parts of a first pull that a different vault design would still pay (bench/RESULTS.md, "Session 8:
first pull"), on synthetic stand-ins of the heavy practice's rows (2–4 KB each): SHA-256 of every sealed
row (a push's digest), inserting the sealed bytes into SQLite in one transaction (as the vault does, and
into a fresh file with 64 KiB pages and no journal) or a plain file, one Ed25519 check a
push, every signed record's Ed25519 check, AES-GCM opening and sealing every row. Each a median of
`--runs` runs, wall time; compare the lines with each other, not across runs.

    .venv/bin/python bench/bench_pull_floor.py [--rows 37678] [--pushes 194] [--signed 20193] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def timed(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=37678)
    parser.add_argument("--pushes", type=int, default=194)
    parser.add_argument("--signed", type=int, default=20193)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    blobs = [os.urandom(2048 + (i * 977) % 2048) for i in range(args.rows)]
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    messages = [os.urandom(32) for _ in range(args.signed)]
    signatures = [key.sign(m) for m in messages]
    aead, nonce = AESGCM(bytes(32)), bytes(12)
    sealed = [aead.encrypt(nonce, blob, None) for blob in blobs]
    folder = Path(tempfile.mkdtemp(prefix="nd-pull-floor-"))

    def insert(*pragmas: str) -> Callable[[], None]:
        def write() -> None:
            path = folder / f"rows-{time.monotonic_ns()}.sqlite"
            conn = sqlite3.connect(path)
            for pragma in pragmas:
                conn.execute(pragma)
            conn.execute("CREATE TABLE row (id TEXT PRIMARY KEY, data BLOB)")
            rows = ((f"row-{i:06}", b) for i, b in enumerate(sealed))
            conn.executemany("INSERT INTO row VALUES (?, ?)", rows)
            conn.commit()
            conn.close()
            durable(path)
        return write

    def durable(path: Path) -> None:
        handle = os.open(path, os.O_RDONLY)
        os.fsync(handle)
        os.close(handle)

    def plain_file() -> None:
        path = folder / f"rows-{time.monotonic_ns()}.bin"
        with path.open("wb") as out:
            for blob in sealed:
                out.write(blob)
            out.flush()
            os.fsync(out.fileno())

    def verify(count: int) -> Callable[[], None]:
        def check() -> None:
            for signature, message in zip(signatures[:count], messages[:count], strict=True):
                public.verify(signature, message)
        return check

    lines = [
        ("SHA-256 of every sealed row", lambda: [hashlib.sha256(b).digest() for b in sealed]),
        ("SQLite insert of the sealed rows, one transaction (WAL, as the vault)",
         insert("PRAGMA journal_mode=WAL")),
        ("the same, 64 KiB pages, no journal (a fresh file written once)",
         insert("PRAGMA page_size=65536", "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF")),
        ("the sealed rows written to a plain file, fsync", plain_file),
        ("one Ed25519 check a push", verify(args.pushes)),
        ("every signed record's Ed25519 check", verify(args.signed)),
        ("AES-GCM opening every row", lambda: [aead.decrypt(nonce, s, None) for s in sealed]),
        ("AES-GCM sealing every row", lambda: [aead.encrypt(os.urandom(12), b, None) for b in blobs]),
    ]
    load = os.getloadavg()[0]
    print(f"load average {load:.1f}; {args.rows} rows, {args.signed} signed, {args.pushes} pushes")
    for name, work in lines:
        print(f"{name}: {timed(work, args.runs):.0f} ms", flush=True)
    for stale in folder.glob("*"):
        stale.unlink()
    folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
