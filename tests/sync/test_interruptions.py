"""A sync cut off anywhere — mid-batch, at the commit, by a server restart — loses and duplicates nothing:
the next sync completes, and the server holds each row once."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from notesdesk.core.errors import NotesdeskError
from notesdesk.core.services import practice
from notesdesk.core.sync import push
from notesdesk.core.sync import state as st
from tests.sync.helpers import add_client, assign, found_practice, join_practice, note_texts, signed_note
from tests.sync.pg_cluster import Cluster
from tests.sync.proxy import Proxy


@pytest.fixture
def proxy(database: tuple[Cluster, str, str]) -> Iterator[Proxy]:
    cluster = database[0]
    started = Proxy(cluster.port)
    yield started
    started.close()


def _through(url: str, proxy: Proxy, cluster: Cluster) -> str:
    return url.replace(f":{cluster.port}/", f":{proxy.port}/")


def _server_rows(admin_url: str) -> tuple[int, int]:
    """(changes, distinct (table, row, rev)) on the server."""
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT (table_name, row_id, rev)) FROM change"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _practice_of_two(make_vault, admin_url: str, proxy: Proxy, cluster: Cluster):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, _through(admin_url, proxy, cluster))
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    for n in range(12):
        signed_note(alice, client.id, f"session {n}")
    return alice, bob


@pytest.mark.parametrize(
    "marker, occurrence",
    [
        (b"INSERT INTO change", 2),  # the second batch: its rows half sent, nothing committed
        (b"INSERT INTO push", 3),  # the third batch: its rows sent, its log entry on its way
        (b"COMMIT", 2),  # the commit reached the server, its answer never came back
    ],
)
def test_a_sync_cut_mid_batch_completes_next_time(make_vault, database, proxy, marker, occurrence):
    cluster, _name, admin_url = database
    alice, bob = _practice_of_two(make_vault, admin_url, proxy, cluster)
    proxy.cut_at(marker, occurrence)

    with pytest.raises(NotesdeskError, match="could not be reached, or the connection was lost"):
        practice.sync(alice.unit_of_work(), batch=5)
    assert proxy.fired >= occurrence

    practice.sync(alice.unit_of_work(), batch=5)
    practice.sync(bob.unit_of_work(), batch=5)
    # The client, its episode of care and twelve notes, once, and each clinician's name and profile.
    assert _server_rows(admin_url) == (18, 18)
    assert note_texts(bob) == {f"session {n}" for n in range(12)}


def test_the_server_restarted_mid_batch(make_vault, database, proxy):
    cluster, _name, admin_url = database
    alice, bob = _practice_of_two(make_vault, admin_url, proxy, cluster)
    proxy.cut_at(b"INSERT INTO push", 2, before=cluster.restart)

    with pytest.raises(NotesdeskError, match="connection was lost"):
        practice.sync(alice.unit_of_work(), batch=5)
    assert proxy.acted.wait(120)
    practice.sync(alice.unit_of_work(), batch=5)
    # And restarted again between two batches of a pull: the pull goes on with a new connection.
    practice.sync(bob.unit_of_work(), batch=1, after_batch=lambda _stage: cluster.restart())
    assert _server_rows(admin_url) == (18, 18)
    assert note_texts(bob) == {f"session {n}" for n in range(12)}


def test_sending_the_same_batch_twice_changes_nothing(make_vault, admin_url):
    alice = make_vault("alice")
    found_practice(alice, admin_url)
    signed_note(alice, add_client(alice, "Synthetic Client").id, "once")
    uow = alice.unit_of_work()
    with uow:
        ident = st.required_identity(uow)
    box = push.prepare(alice.unit_of_work(), ident, 50).outbox
    assert box is not None
    engine = practice.server.engine_for(ident.server_url)

    push.send(engine, ident, box)
    push.send(engine, ident, box)

    # The client, its episode of care, the note, Alice's name and her profile.
    assert _server_rows(admin_url) == (5, 5)
    with psycopg.connect(admin_url) as conn:
        assert conn.execute("SELECT count(*) FROM push").fetchone() == (1,)
