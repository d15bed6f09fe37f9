"""The registry of record types (core/storage/entities.py) covers every table, and everything that
should derive from it does: every row is verified, exported, kept until retention ends and then
destroyed. A table added without its line in the registry fails here, saying what to add."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, get_args, get_origin, get_type_hints

import pytest
from sqlalchemy import func, select

from notesdesk.core.domain.attachments import CHUNK_SIZE
from notesdesk.core.domain.billing import Fee, PaymentMethod
from notesdesk.core.domain.care import CheckinStatus, MilestoneStatus
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind, NoteFormat
from notesdesk.core.domain.paperwork import Consent, ConsentKind, LetterTemplate
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import AgreementHow, ReviewOutcome
from notesdesk.core.errors import Conflict
from notesdesk.core.exports import practice, record
from notesdesk.core.exports.snapshot import Snapshot, take
from notesdesk.core.services import (
    attachments,
    care,
    clients,
    consent,
    diagnoses,
    fees,
    letters,
    lookup,
    notes,
    payments,
    pending,
    plans,
    profile,
    receipts,
    retention,
    templates,
    visits,
)
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage import migrate, schema
from notesdesk.core.storage.entities import BY_TABLE, ENTITIES, NOT_RECORDS, REPOSITORIES, Entity
from notesdesk.core.storage.repositories import Repositories
from notesdesk.core.storage.sealer import Sealer, encode
from notesdesk.core.storage.store import SealedTable
from notesdesk.core.storage.tables import Base
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import shared
from tests.core import records

REGISTRY = "src/notesdesk/core/storage/entities.py"


def test_every_table_is_in_the_registry_or_says_why_not() -> None:
    tables = set(Base.metadata.tables)
    missing = sorted(tables - set(BY_TABLE) - set(NOT_RECORDS))
    assert not missing, "\n".join(
        f"Table {name!r} (tables.py) is not in the registry. Add to ENTITIES in {REGISTRY}, after the "
        f'tables its foreign keys point to: Entity("{name}", "<unit of work attribute>", <DomainType>, '
        f'"<label>"), or, if it holds no sealed records, a line in NOT_RECORDS saying why.'
        for name in missing
    )
    gone = sorted((set(BY_TABLE) | set(NOT_RECORDS)) - tables)
    assert not gone, f"{gone} are in {REGISTRY} but no row class in tables.py defines them."
    assert not set(BY_TABLE) & set(NOT_RECORDS)


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.table)
def test_each_entitys_clear_columns_are_its_tables_columns(entity: Entity) -> None:
    columns = {column.name for column in Base.metadata.tables[entity.table].columns}
    assert columns == {"id", "data", *entity.clear}, (
        f"Entity {entity.table!r}: clear=... in {REGISTRY} must name every column of the table but "
        f"id and data; the table has {sorted(columns - {'id', 'data'})}."
    )


def test_a_table_the_first_migration_does_not_make_is_marked_later() -> None:
    """An older vault opened read-only is never migrated: a table it lacks must read as empty."""
    oldest = min(migrate.revisions())
    first = {name for kind, name, _table, _sql in schema.expected(oldest) if kind == "table"}
    for entity in ENTITIES:
        assert entity.later == (entity.table not in first), (
            f"Entity {entity.table!r} in {REGISTRY}: later={entity.table not in first} "
            f"(the migration {oldest} {'makes' if entity.table in first else 'does not make'} it)."
        )


def test_every_repository_is_typed_on_the_unit_of_work() -> None:
    hints = get_type_hints(Repositories)
    for entity in REPOSITORIES:
        hint = hints.get(entity.repository)
        assert get_origin(hint) is SealedTable and get_args(hint) == (entity.kind,), (
            f"Add `{entity.repository}: SealedTable[{entity.kind.__name__}]` to class Repositories in "
            "src/notesdesk/core/storage/repositories.py (the type checker's view of the registry)."
        )


def test_the_export_snapshot_has_one_field_per_repository_in_registry_order() -> None:
    hints = get_type_hints(Snapshot)
    fields = [field.name for field in dataclasses.fields(Snapshot)]
    expected = [entity.repository for entity in REPOSITORIES]
    lines = "\n".join(
        f"    {entity.repository}: tuple[{entity.kind.__name__}, ...] = ()" for entity in REPOSITORIES
    )
    assert fields == expected, f"class Snapshot in core/exports/snapshot.py should read:\n{lines}"
    for entity in REPOSITORIES:
        hint = hints[entity.repository]
        assert get_origin(hint) is tuple and get_args(hint) == (entity.kind, ...), lines


def fill(vault: Vault) -> str:
    """One client with at least one row in every table of the registry, written through the services.
    A new table needs its line here too (the test below says so)."""
    client = clients.add_client(vault.unit_of_work(), records.client("Ada "))
    note = notes.create_note(vault.unit_of_work(), records.note(client.id, "n ", NoteFormat.SOAP))
    notes.sign_note(vault.unit_of_work(), note.id)
    notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CLARIFICATION, "later")
    pending.save_pending(vault.unit_of_work(), client.id, PendingKind.ADDENDUM, note.id, "unsent")
    notes.add_private_note(vault.unit_of_work(), records.private_note(client.id, "p "))
    plan = plans.save_plan(vault.unit_of_work(), records.plan(client.id, "plan "))
    plans.activate_plan(vault.unit_of_work(), plan.id)
    plans.record_review(vault.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE, "reviewed")
    plans.agree_plan(vault.unit_of_work(), client.id, today(), AgreementHow.PAPER)
    homework = care.add_homework(vault.unit_of_work(), records.homework(client.id, "hw "))
    care.check_in(vault.unit_of_work(), homework.id, CheckinStatus.DONE)
    milestone = care.add_milestone(vault.unit_of_work(), records.milestone(client.id, "m "))
    care.set_milestone_status(vault.unit_of_work(), milestone.id, MilestoneStatus.EMERGING)
    # A colleague's edit of the milestone made from another revision arrives: kept beside it (core/sync).
    theirs = shared.Shared(encode(dataclasses.replace(milestone, title="m elsewhere")).decode(), ("c:other",))
    with vault.unit_of_work() as uow:
        shared.incoming(uow, "milestone", milestone.id, "device-b", encode(theirs), {}, {})
        uow.commit()
    care.set_phase(vault.unit_of_work(), records.phase(client.id, "ph "))
    care.save_safety_plan(vault.unit_of_work(), records.safety_plan(client.id, "sp "))
    care.add_measure(vault.unit_of_work(), records.measure(client.id, "me "))
    templates.save_template(vault.unit_of_work(), templates.make_template("Couples", ["Story", "Plan"]))
    diagnoses.add_diagnosis(vault.unit_of_work(), client.id, "F41.1", "worry most days")
    visits.set_next_session(vault.unit_of_work(), client.id, today() + timedelta(days=7), 14)
    scan = io.BytesIO(b"%PDF-1.4\n" + b"x" * CHUNK_SIZE)  # two chunks
    attachments.add_attachment(vault.unit_of_work(), client.id, scan, "consent.pdf")
    consent.add_consent(vault.unit_of_work(), Consent(client.id, ConsentKind.RELEASE, to="Dr GP",
                                                       purpose="care", until=today()))
    letters.send_letter(vault.unit_of_work(), client.id, LetterTemplate.WHOM, "To whom it may concern")
    profile.save_profile(vault.unit_of_work(), dataclasses.replace(vault.profile(), locale="US"))
    fees.set_fee(vault.unit_of_work(), Fee(note.session_type, 12000))
    payments.record_payment(vault.unit_of_work(), client.id, 12000, PaymentMethod.CARD, note.session_date,
                            (note.id,))
    receipts.issue_receipt(vault.unit_of_work(), client.id, note.session_date, note.session_date)
    return client.id


def ids_in(vault: Vault, entity: Entity) -> set[str]:
    table = Base.metadata.tables[entity.table]
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return set(uow.session.scalars(select(table.c.id)))


def count_of(vault: Vault, entity: Entity, client_id: str) -> int:
    table = Base.metadata.tables[entity.table]
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return int(uow.session.scalar(select(func.count()).where(table.c.client_id == client_id)) or 0)


@pytest.fixture
def filled(vault: Vault) -> Iterator[tuple[Vault, str]]:
    client_id = fill(vault)
    empty = [entity.table for entity in ENTITIES if not ids_in(vault, entity)]
    assert not empty, (
        f"No row in {empty} after fill(): add a line writing one, through its service, to fill() in "
        "tests/core/test_entities.py."
    )
    yield vault, client_id


def test_verify_opens_the_seal_of_every_row_of_every_table(
    filled: tuple[Vault, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, _ = filled
    opened: set[tuple[str, str]] = set()
    real_open = Sealer.open_bytes

    def spy(self: Sealer, table: str, row_id: str, *args: Any) -> bytes:
        opened.add((table, row_id))
        return real_open(self, table, row_id, *args)

    monkeypatch.setattr(Sealer, "open_bytes", spy)
    report = verify_vault(vault.unit_of_work())
    every_row = {(entity.table, row_id) for entity in ENTITIES for row_id in ids_in(vault, entity)}
    assert every_row <= opened, f"verify left unchecked: {sorted(every_row - opened)}"
    assert report.records == sum(len(ids_in(vault, entity)) for entity in REPOSITORIES)


def test_every_row_is_exported(filled: tuple[Vault, str]) -> None:
    vault, client_id = filled
    whole = take(vault.unit_of_work(), include_private=True, include_unsent=True)
    for entity in REPOSITORIES:
        exported = {item.id for item in getattr(whole, entity.repository)}
        assert exported == ids_in(vault, entity), f"the practice export misses rows of {entity.table}"
    secrets = ids_in(vault, BY_TABLE["secret"])
    carried = set(practice._settings(vault)) | practice.CARRIED_ELSEWHERE
    assert secrets <= carried, "a vault setting would not travel with the practice export"
    one = record.client_record(vault.unit_of_work(), client_id, include_private=True)
    for entity in REPOSITORIES:
        key = "client" if entity.repository == "clients" else entity.repository
        if entity.in_client_record:
            items = [one[key]] if key == "client" else one[key]
            assert {item["id"] for item in items} == ids_in(vault, entity), entity.table
        else:
            assert key not in one, f"{entity.table} is not part of the client's record"


def test_every_row_is_kept_until_retention_ends_then_destroyed(
    filled: tuple[Vault, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, client_id = filled
    owned = [entity for entity in ENTITIES if entity.client_owned]
    before = {entity.table: count_of(vault, entity, client_id) for entity in owned}
    clients.set_status(vault.unit_of_work(), client_id, ClientStatus.DISCHARGED, date.today())
    with pytest.raises(Conflict, match="kept until"):
        retention.delete_client_record(vault.unit_of_work(), client_id, confirmed=True)
    assert {entity.table: count_of(vault, entity, client_id) for entity in owned} == before
    monkeypatch.setattr(clients, "today", lambda: date(2100, 1, 1))  # long after any retention date
    removed = retention.delete_client_record(vault.unit_of_work(), client_id, confirmed=True)
    left = {entity.table: count_of(vault, entity, client_id) for entity in owned}
    assert left == dict.fromkeys(left, 0), f"rows left after the record was destroyed: {left}"
    assert removed == sum(before.values()) + 1  # and the client row itself
    kept = [entity.table for entity in ENTITIES if client_id in ids_in(vault, entity)]
    assert not kept, f"a row keyed by the destroyed client's id is left in {kept}"


def test_the_cli_finds_records_of_each_kind_it_names(filled: tuple[Vault, str]) -> None:
    vault, _ = filled
    for label in ("note", "psychotherapy note", "homework", "milestone"):
        ids = lookup.record_ids(vault.unit_of_work(), label)
        assert ids and set(ids) == ids_in(vault, next(e for e in ENTITIES if e.label == label))
