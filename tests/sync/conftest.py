"""The PostgreSQL server every sync test talks to: one throw-away cluster per test session
(pg_cluster.py), a fresh database per test."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.signer import ready_to_sign
from tests.sync.pg_cluster import Cluster, remove_cluster, start_cluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    started = start_cluster()
    try:
        yield started
    finally:
        remove_cluster(started)


@pytest.fixture
def database(cluster: Cluster) -> tuple[Cluster, str, str]:
    """(cluster, database name, administrator URL) of a new, empty database."""
    name = "nd_" + secrets.token_hex(6)
    return cluster, name, cluster.create_database(name)


@pytest.fixture
def admin_url(database: tuple[Cluster, str, str]) -> str:
    return database[2]


@pytest.fixture
def make_vault(tmp_path: Path) -> Iterator[object]:
    opened: list[Vault] = []

    def make(name: str) -> Vault:
        vault, _recovery = Vault.create(tmp_path / f"{name}.notesdesk", PASSPHRASE)
        # Each clinician signs under their own name (the signing service refuses without one).
        ready_to_sign(vault, PractitionerProfile(name=f"Dr {name.title()}", credentials="LCSW"))
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()
