"""Plans and safety plans on the server: sealed (a pg_dump shows none of them), and a plan version whose
signature fails, or a plan row the server altered, refuses the whole batch (exit 4)."""

from __future__ import annotations

import secrets
from dataclasses import replace

import psycopg
import pytest

from notesdesk.core.domain.care import MilestoneStatus
from notesdesk.core.services import care, plans, practice, sync_conflicts
from notesdesk.core.sync.pull import SyncTampered
from tests.core import records
from tests.sync.helpers import add_client, assign, found_practice, join_practice

CANARY = "zq" + secrets.token_hex(6)


def _pair(make_vault, admin_url):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    return alice, bob, joined.clinician_id


def _activated(vault, client_id, mark):
    draft = plans.save_plan(vault.unit_of_work(), records.plan(client_id, mark))
    return plans.activate_plan(vault.unit_of_work(), draft.id)


def test_a_dump_of_the_server_shows_no_plan_safety_plan_milestone_or_conflict(make_vault, database):
    cluster, name, admin_url = database
    alice, bob, bob_id = _pair(make_vault, admin_url)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, bob_id)
    _activated(alice, client.id, f"{CANARY}-plan ")
    care.save_safety_plan(alice.unit_of_work(), records.safety_plan(client.id, f"{CANARY}-safety "))
    milestone = care.add_milestone(alice.unit_of_work(), records.milestone(client.id, f"{CANARY}-m "))
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    care.set_milestone_status(alice.unit_of_work(), milestone.id, MilestoneStatus.EMERGING, comment=CANARY)
    care.set_milestone_status(bob.unit_of_work(), milestone.id, MilestoneStatus.ACHIEVED, comment=CANARY)
    for vault in (alice, bob, alice):
        practice.sync(vault.unit_of_work())
    (conflict,) = sync_conflicts.list_conflicts(alice.unit_of_work())  # it did travel, and conflict
    sync_conflicts.resolve(alice.unit_of_work(), conflict.id, "mine")
    practice.sync(alice.unit_of_work())
    assert care.safety_plan_versions(bob.unit_of_work(), client.id)[0].reason_for_living.startswith(CANARY)

    dump = cluster.dump(name)
    assert "COPY public.change" in dump
    for secret in (CANARY, CANARY.encode().hex(), "Synthetic", "emerging", "achieved"):
        assert secret not in dump


def test_a_plan_version_whose_signature_fails_is_refused_whole(make_vault, admin_url):
    alice, bob, bob_id = _pair(make_vault, admin_url)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, bob_id)
    practice.sync(alice.unit_of_work())
    practice.sync(bob.unit_of_work())
    plan = _activated(alice, client.id, "p ")
    care.save_safety_plan(alice.unit_of_work(), records.safety_plan(client.id, "same batch "))
    # A member's vault altered behind the services' back: the signed content no longer matches.
    with alice.unit_of_work() as uow:
        uow.plans.replace(replace(plan, strengths="rewritten after signing"))
        uow.commit()
    practice.sync(alice.unit_of_work())

    with pytest.raises(SyncTampered, match="signature fails") as refused:
        practice.sync(bob.unit_of_work())

    assert refused.value.exit_code == 4
    assert plans.plan_versions(bob.unit_of_work(), client.id) == []
    assert care.safety_plan_versions(bob.unit_of_work(), client.id) == []


def test_a_plan_row_altered_on_the_server_is_refused_whole(make_vault, admin_url):
    alice, bob, bob_id = _pair(make_vault, admin_url)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, bob_id)
    _activated(alice, client.id, "p ")
    practice.sync(alice.unit_of_work())
    with psycopg.connect(admin_url) as conn:
        conn.execute(
            "UPDATE change SET sealed = set_byte(sealed, 19, get_byte(sealed, 19) # 255) "
            "WHERE table_name = 'plan'"
        )

    with pytest.raises(SyncTampered, match="altered") as refused:
        practice.sync(bob.unit_of_work())

    assert refused.value.exit_code == 4
    assert plans.plan_versions(bob.unit_of_work(), client.id) == []
