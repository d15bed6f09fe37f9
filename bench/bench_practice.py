"""The heavy practice (`notesdesk demo --clients 300 --notes 20000`): what a therapist waits for,
each figure a median (with min–max) as a ratio to a floor measured in the same run.

    .venv/bin/python bench/bench_practice.py [--clients 300] [--notes 20000] [--runs 5] [--keep DIR]
    .venv/bin/python bench/bench_practice.py --scaling [--keep DIR]
        # 1,000 / 5,000 / 20,000 / 50,000 notes, and 20,000 notes with a 300,000-entry audit log

Practices are built once with the real KDF (`--keep DIR` keeps them for the next run: the heavy one
takes a minute or two, the 50,000-note one and the long audit log several). A practice made by an
older NotesDesk is migrated by its first unlock, which is not timed (each command runs once first).
Goals are those of the integrity-at-scale issue; bench/RESULTS.md records runs.
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from practice import (  # noqa: E402
    PASSPHRASE,
    Timing,
    cli,
    demo,
    fsync_insert_floor,
    isolate,
    machine,
    sealed_blobs_floor,
    signatures_floor,
    timed,
)

from notesdesk.core.crypto import kdf, keys  # noqa: E402
from notesdesk.core.search.index import COUNT_CAP, HIT_END, HIT_START  # noqa: E402
from notesdesk.core.services import notes as note_service  # noqa: E402
from notesdesk.core.services.overview import client_flags  # noqa: E402
from notesdesk.core.services.search import build_index  # noqa: E402
from notesdesk.core.services.verify import verify_vault  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402

QUERIES = ("panic", "sleep", "bus", "breathing", "work stress", "mother", "exposure", "diary", "worry",
           "avoid", "walk", "anger", "school", "pain", "grief", "partner", "plan", "goal", "alcohol", "calm")


def kdf_time(vault: Path, runs: int) -> Timing:
    """The vault's own Argon2id parameters, timed alone."""
    conn = sqlite3.connect(f"file:{vault}?mode=ro", uri=True)
    try:
        raw = conn.execute("SELECT params FROM keyslot WHERE kind = 'passphrase'").fetchone()[0]
    finally:
        conn.close()
    params = kdf.KdfParams.from_dict(json.loads(raw))
    return timed(lambda: kdf.derive_key(PASSPHRASE, params), runs)


def command_time(vault: Path, runs: int, *args: str) -> Timing:
    def run() -> None:
        result = cli(vault, *args)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {result.stderr.strip()}")

    run()  # untimed: a practice from an older version migrates here once; the page cache warms
    return timed(run, runs)


def audit_heavy(folder: Path, clients: int, notes: int, entries: int) -> Path:
    """A demo practice whose audit log is grown to `entries` (views of its notes, as years of use
    would leave): unlock must not grow with it. Built once under its own name, so it is its own vault
    (its own anchor) and not the plain demo practice grown."""
    path = folder / f"demo-{clients}c-{notes}n-{entries}a.notesdesk"
    if path.exists():
        return path
    building = folder / f"building-{path.name}"
    for leftover in (building, building.with_name(building.name + ".lock")):
        leftover.unlink(missing_ok=True)
    result = cli(building, "demo", "--clients", str(clients), "--notes", str(notes))
    if result.returncode != 0:
        raise SystemExit(f"demo failed: {result.stderr.strip()}")
    with Vault.open(building, passphrase=PASSPHRASE) as vault:
        with vault.unit_of_work() as uow:
            assert uow.session is not None
            have = vault.audit.count(uow.session)
            ids = uow.notes.ids()
        while have < entries:
            batch = min(25_000, entries - have)
            with vault.unit_of_work() as uow:
                assert uow.session is not None
                for i in range(batch):
                    vault.audit.record(uow.session, "view", "note", ids[(have + i) % len(ids)])
                uow.commit()
            have += batch
    building.replace(path)
    return path


def data_dependent(heavy: Path, small: Path, runs: int, *args: str) -> tuple[Timing, Timing, Timing]:
    """(command on the heavy practice less its KDF) minus (the same on a one-client vault)."""
    heavy_total, small_total = command_time(heavy, runs, *args), command_time(small, runs, *args)
    heavy_kdf, small_kdf = kdf_time(heavy, runs), kdf_time(small, runs)
    return heavy_total.minus(heavy_kdf).minus(small_total.minus(small_kdf)), heavy_total, heavy_kdf


def timing(samples: list[float]) -> Timing:
    return Timing(statistics.median(samples), min(samples), max(samples))


def in_process(paths: tuple[Path, ...], runs: int, work: Callable[[Vault], object] | None = None
               ) -> list[Timing]:
    """Each vault unlocked (and `work` done on it, then closed) in this process, `runs` times, the
    vaults taken in turn so that they share the machine's load alike; the KDF's result is derived
    once per vault and then reused, as the KDF is no part of the data-dependent figures. On a loaded
    machine this is far steadier than subtracting whole-process times, each with its own KDF."""
    real = keys.derive_key
    keys.derive_key = functools.cache(real)  # type: ignore[assignment]
    try:
        samples: list[list[float]] = [[] for _ in paths]
        for round_ in range(runs + 1):
            for path, times in zip(paths, samples, strict=True):
                started = time.perf_counter()
                with Vault.open(path, passphrase=PASSPHRASE) as vault:
                    if work is not None:
                        work(vault)
                if round_:  # the first round derives the keys (and migrates an older practice)
                    times.append(time.perf_counter() - started)
        return [timing(times) for times in samples]
    finally:
        keys.derive_key = real  # type: ignore[assignment]


def line(figure: str, value: Timing, floor: Timing | None, goal: str) -> None:
    ratio = f"{value.ratio(floor):.2f}x" if floor is not None else "—"
    print(f"| {figure} | {value} | {floor if floor else '—'} | {ratio} | {goal} |", flush=True)


def in_process_figures(heavy: Path, runs: int, folder: Path) -> None:
    vault = Vault.open(heavy, passphrase=PASSPHRASE)
    try:
        counts: dict[str, int] = {}
        with vault.unit_of_work() as uow:
            for note in uow.notes.all():
                counts[note.client_id] = counts.get(note.client_id, 0) + 1
        client_id = min(counts, key=lambda cid: abs(counts[cid] - 70))

        def open_client() -> None:
            listed = note_service.list_notes(vault.unit_of_work(), client_id)
            note_service.get_note(vault.unit_of_work(), listed[0].id)
            client_flags(vault.unit_of_work(), [client_id])

        opened = timed(open_client, runs)
        line(f"open a {counts[client_id]}-note client (list, newest note, flags)", opened, None, "≤ 100 ms")

        started = time.perf_counter()
        index = build_index(vault.unit_of_work())
        built = time.perf_counter() - started
        flags = timed(lambda: client_flags(vault.unit_of_work()), max(1, runs // 2))
        line("client list flags, whole practice", flags, None, "(information)")
        print(f"| search index build | {built * 1000:.0f} ms | — | — | (information) |", flush=True)

        draft = note_service.list_notes(vault.unit_of_work(), client_id)[0]
        size = len(draft.text.encode())

        def save() -> None:
            saved = note_service.save_draft(vault.unit_of_work(), draft) if not draft.is_signed else draft
            index.put_note(saved)
            client_flags(vault.unit_of_work(), [client_id])

        if draft.is_signed:
            draft = note_service.create_note(vault.unit_of_work(), draft.__class__(
                client_id=client_id, session_date=draft.session_date, format=draft.format,
                sections=draft.sections))
        line("save a note (seal, commit, index, flags)", timed(save, runs * 4),
             fsync_insert_floor(folder, max(size, 256), runs * 4), "≤ 3x")

        per_query, direct = search_times(index, runs)
        search = Timing(statistics.median(per_query), min(per_query), max(per_query))
        floor = Timing(statistics.median(direct), min(direct), max(direct))
        p95 = statistics.quantiles(per_query, n=20)[-1]
        line(f"one search, top 50 with snippets, 20 queries (p95 {p95 * 1000:.0f} ms)", search, floor,
             "≤ 1.5x, p95 ≤ 50 ms")
    finally:
        vault.close()


def search_times(index: object, runs: int) -> tuple[list[float], list[float]]:
    """Each of QUERIES through `SearchIndex.find` (top 50 with snippets), and the same FTS5 statements
    it runs, run directly (the floor): the capped count, the page's rowids, its days with snippets."""
    per_query: list[float] = []
    direct: list[float] = []
    db = index._db  # type: ignore[attr-defined]
    snippets = (f"snippet(doc, 4, '{HIT_START}', '{HIT_END}', '…', 12), "
                f"snippet(doc, 5, '{HIT_START}', '{HIT_END}', '…', 12)")
    for query in QUERIES:
        fts = index_query(query)
        for _ in range(runs):
            started = time.perf_counter()
            index.find(query, 50)  # type: ignore[attr-defined]
            per_query.append(time.perf_counter() - started)
            started = time.perf_counter()
            db.execute("SELECT count(*) FROM (SELECT 1 FROM doc WHERE doc MATCH ? LIMIT ?)",
                       (fts, COUNT_CAP + 1)).fetchone()
            page = db.execute("SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid DESC LIMIT 50",
                              (fts,)).fetchall()
            if page:
                lowest = (page[-1][0] >> 32) << 32
                db.execute(f"SELECT rowid, rank, kind, object_id, client_id, day, {snippets} FROM doc "
                           "WHERE doc MATCH ? AND rowid >= ?", (fts, lowest)).fetchall()
            direct.append(time.perf_counter() - started)
    return per_query, direct


def index_query(text: str) -> str:
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


def heavy_table(folder: Path, clients: int, notes: int, runs: int) -> None:
    print(f"Machine: {machine()}", flush=True)
    started = time.perf_counter()
    heavy = demo(folder, clients, notes)
    small = demo(folder, 1, None)
    print(f"Practices ready in {time.perf_counter() - started:.0f} s ({clients} clients, {notes} notes)\n")
    floor = sealed_blobs_floor(folder, notes, runs)
    sigs = signatures_floor(notes, runs)
    print("| figure | median (min–max) | floor (same run) | ratio | goal |")
    print("|---|---|---|---|---|")
    line(f"F: read and decrypt {notes:,} note-sized AES-GCM blobs", floor, None, "floor")
    unlock, total, own_kdf = data_dependent(heavy, small, runs, "client", "list")
    print(f"| `client list` on the heavy practice, whole command | {total} | — | — | KDF alone: {own_kdf} |")
    line("data-dependent CLI unlock (`client list`, heavy less one-client, each less its KDF)", unlock, floor,
         "≤ 3x F")
    heavy_open, small_open = in_process((heavy, small), runs * 3)
    line("data-dependent unlock, in process (heavy less one-client, KDF result reused, taken in turn)",
         heavy_open.minus(small_open), floor, "≤ 3x F")
    verified, total, _ = data_dependent(heavy, small, max(1, runs // 2), "verify")
    floor_sigs = Timing(floor.median + sigs.median, floor.low + sigs.low, floor.high + sigs.high)
    print(f"| `verify` on the heavy practice, whole command | {total} | — | — | |")
    line("`verify`, data-dependent", verified, floor_sigs, "≤ 2x (F + Ed25519 loop)")
    in_process_figures(heavy, runs, folder)


SCALES = (1000, 5000, 20000, 50000)
AUDIT_ENTRIES = 300_000


def clients_for(notes: int) -> int:
    """The heavy practice's proportion: 300 clients for 20,000 notes."""
    return max(2, notes * 3 // 200)


def scaling(folder: Path, runs: int) -> None:
    print(f"Machine: {machine()}\n")
    small = demo(folder, 1, None)
    practices = [(n, demo(folder, clients_for(n), n)) for n in SCALES]
    practices.append((20000, audit_heavy(folder, clients_for(20000), 20000, AUDIT_ENTRIES)))
    print("| notes | audit entries | F | data-dependent unlock (in process) | ratio to F | `verify`, "
          "data-dependent (in process) | ratio to F + Ed25519 | list flags, whole practice | search p95 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for notes, practice in practices:
        floor = sealed_blobs_floor(folder, notes, runs)
        sigs = signatures_floor(notes, max(1, runs // 2))
        heavy_open, small_open = in_process((practice, small), runs * 3)
        unlock = heavy_open.minus(small_open)
        heavy_verify, small_verify = in_process(
            (practice, small), max(1, runs // 2), lambda vault: verify_vault(vault.unit_of_work()))
        verified = heavy_verify.minus(small_verify)  # the unlock included, as for the whole command
        floor_sigs = Timing(floor.median + sigs.median, floor.low + sigs.low, floor.high + sigs.high)
        flags, p95, entries = in_process_scale(practice, runs)
        print(f"| {notes:,} | {entries:,} | {floor} | {unlock} | {unlock.ratio(floor):.2f}x | {verified} | "
              f"{verified.ratio(floor_sigs):.2f}x | {flags} | {p95 * 1000:.0f} ms |", flush=True)


def in_process_scale(practice: Path, runs: int) -> tuple[Timing, float, int]:
    """(client list flags for the whole practice, search p95, audit entries) in one unlock."""
    vault = Vault.open(practice, passphrase=PASSPHRASE)
    try:
        with vault.unit_of_work() as uow:
            assert uow.session is not None
            entries = vault.audit.count(uow.session)
        flags = timed(lambda: client_flags(vault.unit_of_work()), runs)
        index = build_index(vault.unit_of_work())
        per_query, _direct = search_times(index, max(1, runs // 2))
        return flags, statistics.quantiles(per_query, n=20)[-1], entries
    finally:
        vault.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to keep the built practices in between runs")
    parser.add_argument("--scaling", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notesdesk-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        isolate(folder)
        if args.scaling:
            scaling(folder, args.runs)
        else:
            heavy_table(folder, args.clients, args.notes, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
