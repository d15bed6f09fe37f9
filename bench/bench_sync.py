"""Practice sync at practice scale (issue 18 item 7), against a throw-away PostgreSQL cluster started by
the same code as the sync tests (tests/sync/pg_cluster.py). Each figure is a median (min–max) and a
ratio to a floor measured in the same run:

1. a new device (a second device of the practice's founder, joined with a one-time code) pulls a
   `--clients`/`--notes` practice (the demo generator's, real KDF), vs psycopg `COPY` of the same
   sealed rows out of the server (goal ≤ 2x); beside it, the realistic floor: F (reading and decrypting
   as many note-sized blobs) + verifying as many Ed25519 signatures + sealing as many blobs once;
2. one signed note reaches the other device's vault after a sync starts: the writer's sync (push)
   then the reader's (pull), on localhost (goal ≤ 0.5 s), vs one psycopg insert-and-read round trip;
3. a server holding `--server-clinicians` × `--server-notes` sealed rows (filled with COPY: the server
   answers the same whatever the bytes) answers a pull of 100 changes (pull.fetch: roster, push, rows)
   with p95 ≤ 50 ms, vs a plain psycopg SELECT of the same 100 rows: on the connection a sync keeps
   (server.engine_for(kept=True)), and, for comparison, on a new connection each (as before);
4. (information) the other device's sync that pulls a 20 MiB attachment, in 8 MiB batches, vs psycopg
   `COPY` of its sealed rows.

    .venv/bin/python bench/bench_sync.py [--clients 300] [--notes 20000] [--runs 3] [--keep DIR]
        [--server-clinicians 20] [--server-notes 20000] [--pulls 200]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from practice import (  # noqa: E402
    PASSPHRASE,
    Timing,
    demo,
    isolate,
    machine,
    sealed_blobs_floor,
    signatures_floor,
    timed,
)
from tests.sync.pg_cluster import Cluster, remove_cluster, start_cluster  # noqa: E402

from notesdesk.core.crypto import signing  # noqa: E402
from notesdesk.core.domain.notes import NoteFormat, Section, SessionNote  # noqa: E402
from notesdesk.core.services import attachments as attachment_service  # noqa: E402
from notesdesk.core.services import clients as client_service  # noqa: E402
from notesdesk.core.services import notes as note_service  # noqa: E402
from notesdesk.core.services import practice, practice_devices  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.core.sync import crypto, pull, server, shared  # noqa: E402
from notesdesk.core.sync import state as st  # noqa: E402

PULL_SIZE = 100


def say(text: str) -> None:
    print(text, flush=True)


def row(figure: str, value: Timing | str, floor: Timing | str, ratio: float | None, goal: str) -> None:
    shown = "—" if ratio is None else f"{ratio:.2f}x"
    say(f"| {figure} | {value} | {floor} | {shown} | {goal} |")


# -- 1. a new device pulls the whole practice --------------------------------------------------------


def copy_floor(url: str, runs: int) -> Timing:
    """psycopg COPY of every sealed row and every signed push out of the server, binary."""

    def copy_out() -> None:
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            for table in ("push", "change"):
                sink = io.BytesIO()
                query = f"COPY (SELECT * FROM {table} ORDER BY server_seq) TO STDOUT (FORMAT binary)"
                with cur.copy(query) as cp:
                    for block in cp:
                        sink.write(block)

    copy_out()  # the server's cache warms once, as it would be for a device pulling
    return timed(copy_out, runs)


def sealing_floor(count: int, runs: int) -> Timing:
    """Sealing `count` note-sized (2–4 KB) blobs with AES-GCM once each, in a plain loop."""
    aead = AESGCM(bytes(range(32)))
    blobs = [os.urandom(2048 + (i * 977) % 2048) for i in range(count)]

    def seal_all() -> None:
        for blob in blobs:
            aead.encrypt(os.urandom(12), blob, None)

    return timed(seal_all, runs)


def new_device_pull(folder: Path, founder: Vault, admin: str, run: int) -> tuple[float, int, int]:
    """A fresh vault joins as the founder's second device, then its first sync is timed: (seconds, rows
    received, signed records among them)."""
    path = folder / f"device-{run}.notesdesk"
    for stale in folder.glob(f"device-{run}.notesdesk*"):
        stale.unlink()
    vault = Vault.create(path, PASSPHRASE)[0]
    try:
        code = practice_devices.invite_device(founder.unit_of_work()).code
        practice_devices.join_device(vault.unit_of_work(), admin, code)
        started = time.perf_counter()
        report = practice.sync(vault.unit_of_work())
        seconds = time.perf_counter() - started
        uow = vault.unit_of_work()
        with uow:
            signed = sum(len(shared.repository_of(uow, spec.table).ids())
                         for spec in shared.SPECS.values() if spec.signed)
        return seconds, report.received, signed
    finally:
        vault.close()


# -- 2. one note, end to end -------------------------------------------------------------------------


def one_note_latency(writer: Vault, reader: Vault, client_id: str, runs: int) -> Timing:
    times = []
    for n in range(runs):
        draft = note_service.create_note(
            writer.unit_of_work(),
            SessionNote(client_id=client_id, session_date=date(2026, 3, 2), format=NoteFormat.FREE,
                        sections=(Section("text", "Note", f"bench note {n}"),)),
        )
        note_service.sign_note(writer.unit_of_work(), draft.id)
        started = time.perf_counter()
        practice.sync(writer.unit_of_work())
        received = practice.sync(reader.unit_of_work()).received
        times.append(time.perf_counter() - started)
        if received != 1:
            raise SystemExit(f"the note did not arrive (received {received})")
    return Timing(statistics.median(times), min(times), max(times))


def round_trip_floor(url: str, runs: int) -> Timing:
    """One psycopg connection that writes a note-sized row and another that reads it back."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, data bytea)")
    payload = os.urandom(3072)

    def trip() -> None:
        with psycopg.connect(url) as conn:
            conn.execute("INSERT INTO bench_floor (data) VALUES (%s)", (payload,))
        with psycopg.connect(url) as conn:
            conn.execute("SELECT data FROM bench_floor ORDER BY id DESC LIMIT 1").fetchone()

    return timed(trip, runs)


# -- 2b. an attachment, end to end -------------------------------------------------------------------

ATTACHMENT_MIB = 20


def attachment_pull(
    writer: Vault, reader: Vault, client_id: str, url: str, runs: int
) -> tuple[Timing, Timing]:
    """(the reader's sync that pulls a 20 MiB attachment the writer pushed, in byte-capped batches;
    psycopg COPY of the same sealed rows out of the server), one new attachment per run."""
    times, floors = [], []
    for n in range(runs):
        data = b"%PDF-1.4\n" + os.urandom(ATTACHMENT_MIB * 1024 * 1024 - 9)
        with psycopg.connect(url) as conn:
            last = conn.execute("SELECT coalesce(max(server_seq), 0) FROM change").fetchone()
        after = int(last[0]) if last is not None else 0
        attachment_service.add_attachment(writer.unit_of_work(), client_id, io.BytesIO(data),
                                          f"bench {n}.pdf")
        practice.sync(writer.unit_of_work())
        started = time.perf_counter()
        received = practice.sync(reader.unit_of_work()).received
        times.append(time.perf_counter() - started)
        if received != 1 + ATTACHMENT_MIB:
            raise SystemExit(f"the attachment did not arrive whole (received {received} rows)")

        def copy_out(since: int = after) -> None:
            with psycopg.connect(url) as conn, conn.cursor() as cur:
                sink = io.BytesIO()
                query = (f"COPY (SELECT * FROM change WHERE server_seq > {since} ORDER BY server_seq) "
                         "TO STDOUT (FORMAT binary)")
                with cur.copy(query) as cp:
                    for block in cp:
                        sink.write(block)

        copy_out()  # the server's cache warm, as for the reader
        floors.append(timed(copy_out, 1).median)
    return spread(times), spread(floors)


# -- 3. a big server answers a pull of 100 changes ---------------------------------------------------


def fill_server(url: str, clinicians: int, notes: int) -> st.SyncIdentity:
    """A practice of `clinicians` certified devices with `notes` sealed rows each, pushed 100 at a time;
    the rows are random bytes of note size (the server neither knows nor cares)."""
    engine = server.engine_for(url)
    server.migrate(engine)
    practice_id, key = "bench-practice", crypto.new_practice_key()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO practice (id) VALUES (%s)", (practice_id,))
        devices = []
        for n in range(clinicians):
            keys = crypto.DeviceKeys(f"device-{n:02}", f"clinician-{n:02}",
                                     signing.public_key_bytes(signing.new_private_key_bytes()),
                                     os.urandom(32), os.urandom(32))
            cur.execute(
                "INSERT INTO device (id, practice_id, clinician_id, role_name, sign_public, x25519_public, "
                "note_public, certificate) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (keys.device_id, practice_id, keys.clinician_id, f"bench_role_{n}", keys.sign_public,
                 keys.x25519_public, keys.note_public, keys.certificate(key, practice_id)),
            )
            devices.append(keys.device_id)
        blob = os.urandom(4096 + 64)
        with cur.copy("COPY change (practice_id, device_id, device_seq, table_name, row_id, rev, sealed) "
                      "FROM STDIN") as cp:
            for seq in range(1, notes + 1):  # interleaved, as clinicians push through the day
                for device in devices:
                    size = 1024 + (seq * 977) % 3072
                    cp.write_row((practice_id, device, seq, "note", f"{device}-{seq}", 1, blob[:size]))
        with cur.copy("COPY push (practice_id, device_id, push_seq, first_seq, last_seq, previous, digest, "
                      "audit_head, signature) FROM STDIN") as cp:
            for number, first in enumerate(range(1, notes + 1, PULL_SIZE), start=1):
                for device in devices:
                    last = min(first + PULL_SIZE - 1, notes)
                    cp.write_row((practice_id, device, number, first, last, os.urandom(32), os.urandom(32),
                                  os.urandom(40), os.urandom(64)))
        cur.execute("ANALYZE")
    return st.SyncIdentity(practice_id, "reader", "reader-device", url, "", "", "", key.hex())


def pull_times(
    url: str, ident: st.SyncIdentity, pulls: int, kept: bool
) -> tuple[list[float], list[float]]:
    """(pull.fetch of one 100-row push at random places, the same rows by a plain SELECT): on one kept
    connection each (as a sync now pulls), or on a new connection each time."""
    engine = server.engine_for(url, kept=kept)
    plain = psycopg.connect(url) if kept else None
    with psycopg.connect(url) as conn:
        pushes = conn.execute("SELECT max(server_seq) FROM push").fetchone()[0]
    rng = random.Random(7)
    fetched, floor = [], []
    query = ("SELECT * FROM change WHERE device_id = %s AND device_seq BETWEEN %s AND %s "
             "ORDER BY device_seq")
    try:
        if kept:
            pull.fetch(engine, ident, 0, 1)  # the sync's connection is made once, before its pulls
        for _ in range(pulls):
            cursor = rng.randrange(0, pushes - 1)
            started = time.perf_counter()
            batches, _trusted = pull.fetch(engine, ident, cursor, 1)
            fetched.append(time.perf_counter() - started)
            if len(batches) != 1 or len(batches[0].rows) != PULL_SIZE:
                raise SystemExit("a pull did not bring 100 changes")
            device, first = batches[0].device_id, batches[0].entry.first_seq
            started = time.perf_counter()
            if plain is not None:
                with plain.transaction():
                    plain.execute(query, (device, first, first + PULL_SIZE - 1)).fetchall()
            else:
                with psycopg.connect(url) as conn:
                    conn.execute(query, (device, first, first + PULL_SIZE - 1)).fetchall()
            floor.append(time.perf_counter() - started)
    finally:
        engine.dispose()
        if plain is not None:
            plain.close()
    return fetched, floor


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def spread(times: list[float]) -> Timing:
    return Timing(statistics.median(times), min(times), max(times))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--server-clinicians", type=int, default=20)
    parser.add_argument("--server-notes", type=int, default=20000)
    parser.add_argument("--pulls", type=int, default=200)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="nd-bench-sync-"))
    folder.mkdir(parents=True, exist_ok=True)
    isolate(folder)
    # A fresh anchor folder each run: the founder is a new copy of the demo practice every time.
    os.environ["NOTESDESK_ANCHOR_DIR"] = tempfile.mkdtemp(prefix="anchors-", dir=folder)
    say(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    cluster: Cluster = start_cluster()
    try:
        started = time.perf_counter()
        source = demo(folder, args.clients, args.notes)
        say(f"(practice ready in {time.perf_counter() - started:.0f} s)")
        founder_path = folder / "founder.notesdesk"
        for stale in folder.glob("founder.notesdesk*"):
            stale.unlink()
        shutil.copyfile(source, founder_path)
        admin = cluster.create_database("bench_pull")
        say("| figure | median (min–max) | floor (same run) | ratio | goal |")
        say("|---|---|---|---|---|")
        with Vault.open(founder_path, passphrase=PASSPHRASE) as founder:
            practice.init(founder.unit_of_work(), admin)
            started = time.perf_counter()
            pushed = practice.sync(founder.unit_of_work()).pushed
            row(f"founder's first push ({pushed} rows, information)",
                f"{(time.perf_counter() - started) * 1000:.0f} ms", "—", None, "—")
            floor = copy_floor(admin, args.runs)
            times, received, signed = [], 0, 0
            for run in range(args.runs):
                seconds, received, signed = new_device_pull(folder, founder, admin, run)
                times.append(seconds)
            pulled = spread(times)
            row(f"a new device pulls the practice ({received} rows, verified and applied)", pulled,
                f"psycopg COPY of the same sealed rows {floor}", pulled.ratio(floor), "≤ 2x")
            parts = (sealed_blobs_floor(folder, received, args.runs), signatures_floor(signed, args.runs),
                     sealing_floor(received, args.runs))
            realistic = Timing(*(sum(getattr(part, f) for part in parts) for f in ("median", "low", "high")))
            row("the same pull against the realistic floor (information)", pulled,
                f"F {parts[0]} + {signed} Ed25519 checks {parts[1]} + one sealing pass {parts[2]} "
                f"= {realistic}", pulled.ratio(realistic), "—")

            reader_path = folder / "device-0.notesdesk"  # joined above, holds the whole practice
            client = client_service.list_clients(founder.unit_of_work())[0]
            with Vault.open(reader_path, passphrase=PASSPHRASE) as reader:
                latency = one_note_latency(founder, reader, client.id, max(args.runs, 5))
            trip = round_trip_floor(admin, max(args.runs, 5))
            row("one signed note reaches another device (writer's sync + reader's sync)", latency,
                f"psycopg write + read round trip {trip}", latency.ratio(trip), "≤ 500 ms")
            with Vault.open(reader_path, passphrase=PASSPHRASE) as reader:
                fetched, copied = attachment_pull(founder, reader, client.id, admin, args.runs)
            row(f"a {ATTACHMENT_MIB} MiB attachment's pull ({1 + ATTACHMENT_MIB} rows, 8 MiB batches)",
                fetched, f"psycopg COPY of the same sealed rows {copied}", fetched.ratio(copied),
                "— (information)")

        big = cluster.create_database("bench_server")
        started = time.perf_counter()
        ident = fill_server(big, args.server_clinicians, args.server_notes)
        total = args.server_clinicians * args.server_notes
        say(f"(server of {args.server_clinicians} × {args.server_notes} = {total} rows filled in "
            f"{time.perf_counter() - started:.0f} s)")
        for kept, how in ((True, "on the sync's kept connection"), (False, "on a new connection each")):
            fetched, plain = pull_times(big, ident, args.pulls, kept)
            row(f"a pull of 100 changes from {total:,} rows {how}, p95 {p95(fetched) * 1000:.1f} ms "
                f"({args.pulls} pulls)", spread(fetched),
                f"plain SELECT of the same rows {spread(plain)}, p95 {p95(plain) * 1000:.1f} ms",
                statistics.median(fetched) / statistics.median(plain), "p95 ≤ 50 ms")
    finally:
        remove_cluster(cluster)
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
