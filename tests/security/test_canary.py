"""A marker written through every field never appears in any file the app writes (security.md §5 #13)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from notesdesk import paths
from notesdesk.core.domain.care import CheckinStatus, MilestoneStatus
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import AddendumKind, NoteFormat
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import AgreementHow, ReviewOutcome
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import care, clients, notes, pending, plans, search
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core import records
from tests.signer import ready_to_sign

CANARY = "CANARYqv7Zk"


def fill_every_field(vault: Vault) -> None:
    mark = CANARY
    client = clients.add_client(vault.unit_of_work(), records.client(mark))
    for fmt in (NoteFormat.SOAP, NoteFormat.DISCHARGE, NoteFormat.GIRP):
        note = notes.create_note(vault.unit_of_work(), records.note(client.id, mark, fmt))
    notes.sign_note(vault.unit_of_work(), note.id)
    notes.add_addendum(vault.unit_of_work(), note.id, AddendumKind.CLARIFICATION, f"{mark} addendum")
    pending.save_pending(vault.unit_of_work(), client.id, PendingKind.ADDENDUM, note.id, f"{mark} unsent")
    notes.add_private_note(vault.unit_of_work(), records.private_note(client.id, mark))
    vault.save_profile(PractitionerProfile(name=f"{mark} Dr", credentials=f"{mark} LCSW"))  # plans are signed
    plan = plans.save_plan(vault.unit_of_work(), records.plan(client.id, mark))
    plans.activate_plan(vault.unit_of_work(), plan.id)
    plans.record_review(vault.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE, f"{mark} reviewed")
    plans.agree_plan(vault.unit_of_work(), client.id, today(), AgreementHow.PAPER)
    pending.save_pending(vault.unit_of_work(), client.id, PendingKind.PLAN_REVIEW, plan.id, f"{mark} review")
    hw = care.add_homework(vault.unit_of_work(), records.homework(client.id, mark))
    care.check_in(vault.unit_of_work(), hw.id, CheckinStatus.PARTIAL, client_report=f"{mark} report")
    m = care.add_milestone(vault.unit_of_work(), records.milestone(client.id, mark))
    care.set_milestone_status(vault.unit_of_work(), m.id, MilestoneStatus.EMERGING, comment=f"{mark} c")
    care.set_phase(vault.unit_of_work(), records.phase(client.id, mark))
    care.save_safety_plan(vault.unit_of_work(), records.safety_plan(client.id, mark))
    care.add_measure(vault.unit_of_work(), records.measure(client.id, mark))
    edited = replace(records.client(mark), id=client.id, address=f"{mark} new address")
    clients.update_client(vault.unit_of_work(), edited)
    index = search.build_index(vault.unit_of_work())
    assert index.search(CANARY), "the canary must be findable while unlocked"
    index.close()


def scan(folder: Path) -> list[str]:
    needles = [CANARY.encode(), CANARY.encode("utf-16-le"), CANARY.lower().encode()]
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}" for needle in needles if needle in data]
    return hits


def test_canary_never_reaches_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    vault_path = tmp_path / "vault" / "practice.notesdesk"
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    fill_every_field(vault)
    vault.close()
    with Vault.open(vault_path, passphrase=PASSPHRASE) as reopened:
        found = clients.list_clients(reopened.unit_of_work())
        assert found[0].name.startswith(CANARY)  # it really was stored
    assert list(tmp_path.rglob("*.notesdesk"))
    assert scan(tmp_path) == []
    anchors = paths.anchor_dir()  # outside the vault's folder by design
    assert list(anchors.glob("*.anchor")) and scan(anchors) == []


def test_canary_is_absent_from_the_journal_mid_transaction(tmp_path: Path) -> None:
    vault, _ = Vault.create(tmp_path / "v.notesdesk", PASSPHRASE)
    ready_to_sign(vault)  # the signing service refuses without a signer
    client = clients.add_client(vault.unit_of_work(), records.client("plain"))
    with vault.unit_of_work() as uow:
        uow.notes.add(records.note(client.id, CANARY))
        assert uow.session is not None
        uow.session.flush()
        # The rollback journal exists now; everything in it and in the file is sealed.
        assert scan(tmp_path) == []
    vault.close()
