"""Shared by the heavy-practice benchmarks: timing as a median with its spread, the synthetic
practices (the demo generator, real KDF), and the floors each figure is a ratio to — all measured in
the same run on the same machine, so the ratios travel where seconds do not."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "benchmark practice passphrase"


@dataclass(frozen=True)
class Timing:
    median: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.median * 1000:.0f} ms ({self.low * 1000:.0f}–{self.high * 1000:.0f})"

    def ratio(self, floor: Timing) -> float:
        return self.median / floor.median

    def minus(self, other: Timing) -> Timing:
        return Timing(self.median - other.median, self.low - other.high, self.high - other.low)


def timed(fn: Callable[[], object], runs: int) -> Timing:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times), min(times), max(times))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def isolate(folder: Path) -> None:
    """Backups and local anchors of the benchmark's vaults go to its folder, never the user's."""
    os.environ["NOTESDESK_BACKUP_DIR"] = str(folder / "backups")
    os.environ["NOTESDESK_ANCHOR_DIR"] = str(folder / "anchors")


# -- practices --------------------------------------------------------------------------------------


def cli(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NOTESDESK_INSECURE_TEST_KDF"}
    return subprocess.run(
        [sys.executable, "-m", "notesdesk", "--vault", str(vault), "--passphrase-stdin", *args],
        input=PASSPHRASE + "\n", capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )


def demo(folder: Path, clients: int, notes: int | None) -> Path:
    """A synthetic practice made by `notesdesk demo` (real KDF), kept in `folder` between runs."""
    name = f"demo-{clients}c-{notes or 'default'}n.notesdesk"
    path = folder / name
    if not path.exists():
        args = ["demo", "--clients", str(clients)] + (["--notes", str(notes)] if notes else [])
        result = cli(path, *args)
        if result.returncode != 0:
            raise SystemExit(f"demo failed: {result.stderr.strip()}")
    return path


# -- floors -----------------------------------------------------------------------------------------


def sealed_blobs_floor(folder: Path, count: int, runs: int) -> Timing:
    """F: read `count` note-sized (2–4 KB) AES-GCM blobs with sqlite3 and decrypt them in a plain loop."""
    path = folder / f"floor-{count}.sqlite"
    key = bytes(range(32))
    if not path.exists():
        aead = AESGCM(key)
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE blob (id INTEGER PRIMARY KEY, nonce BLOB, data BLOB)")
        rows = []
        for i in range(count):
            nonce = os.urandom(12)
            size = 2048 + (i * 977) % 2048
            rows.append((i, nonce, aead.encrypt(nonce, os.urandom(size), None)))
        conn.executemany("INSERT INTO blob VALUES (?, ?, ?)", rows)
        conn.commit()
        conn.close()

    def read_and_decrypt() -> None:
        aead = AESGCM(key)
        conn = sqlite3.connect(path)
        for _id, nonce, data in conn.execute("SELECT id, nonce, data FROM blob"):
            aead.decrypt(nonce, data, None)
        conn.close()

    return timed(read_and_decrypt, runs)


def signatures_floor(count: int, runs: int) -> Timing:
    """Verifying `count` Ed25519 signatures in a plain loop."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    signed = [(m, key.sign(m)) for m in (os.urandom(64) for _ in range(count))]

    def verify_all() -> None:
        for message, signature in signed:
            public.verify(signature, message)

    return timed(verify_all, runs)


def fsync_insert_floor(folder: Path, size: int, runs: int) -> Timing:
    """A plain sqlite3 insert of `size` bytes, committed with fsync (synchronous=FULL)."""
    conn = sqlite3.connect(folder / "floor-insert.sqlite", isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data BLOB)")
    payload = os.urandom(size)

    def insert() -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT OR REPLACE INTO t VALUES (1, ?)", (payload,))
        conn.execute("COMMIT")

    try:
        return timed(insert, runs)
    finally:
        conn.close()
