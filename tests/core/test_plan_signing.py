"""Signed treatment-plan versions (issue 14 item 12; docs/design-notes.md "Signed plans"): activating
a version signs it (name and credentials needed), a signed version is locked and revised into a new
draft, reviews and the client's agreement are signed records of their own, and `verify` checks them."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import AgreementHow, PlanStatus, ReviewOutcome, TreatmentPlan
from notesdesk.core.errors import Conflict, InvalidInput, NotFound, VaultDamaged
from notesdesk.core.services import clients, plans, profile
from notesdesk.core.services.overview import client_flags, flags_from_records
from notesdesk.core.services.signatures import content_hash, signature_valid
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.vault import Vault
from tests.core import records

NAME, CREDS = "Robin Vale", "LCSW"


def set_signer(vault: Vault, name: str = NAME, credentials: str = CREDS) -> None:
    profile.save_profile(vault.unit_of_work(), replace(vault.profile(), name=name, credentials=credentials))


def draft(vault: Vault) -> TreatmentPlan:
    client = clients.add_client(vault.unit_of_work(), records.client("Ada "))
    return plans.save_plan(vault.unit_of_work(), records.plan(client.id, "plan "))


def active(vault: Vault, effective: date | None = None) -> TreatmentPlan:
    set_signer(vault)
    return plans.activate_plan(vault.unit_of_work(), draft(vault).id, effective)


def stored(vault: Vault, plan_id: str) -> TreatmentPlan:
    with vault.unit_of_work() as uow:
        return uow.plans.get(plan_id)


def test_activating_signs_the_whole_version_with_the_signers_name(vault: Vault) -> None:
    plan = active(vault)
    sig = plan.signature
    assert sig is not None and (sig.signer, sig.credentials) == (NAME, CREDS)
    assert stored(vault, plan.id) == plan
    assert signature_valid(plan, vault.signing_public_key())
    assert plans.status_line(plan) == f"Plan v1: Active, signed by {NAME}, {CREDS} on {today().isoformat()}"


@pytest.mark.parametrize(("name", "credentials"), [("", ""), (NAME, ""), ("", CREDS), ("  ", "  ")])
def test_activation_is_refused_without_name_and_credentials_and_changes_nothing(
    vault: Vault, name: str, credentials: str
) -> None:
    set_signer(vault, "x", "y")  # the profile service refuses blanks: set, then clear them as stored
    vault.save_profile(replace(vault.profile(), name=name, credentials=credentials))
    plan = draft(vault)
    with pytest.raises(InvalidInput, match="set your name and credentials first"):
        plans.activate_plan(vault.unit_of_work(), plan.id)
    assert stored(vault, plan.id) == plan and plan.status is PlanStatus.DRAFT and plan.signature is None


def test_activation_rules_still_come_first(vault: Vault) -> None:
    set_signer(vault)
    plan = draft(vault)
    objective = replace(plan.objectives()[0], measurable_criterion="")
    goal = replace(plan.goals()[0], objectives=(objective,))
    broken = replace(plan, problems=(replace(plan.problems[0], goals=(goal,)),))
    broken = plans.save_plan(vault.unit_of_work(), broken)
    with pytest.raises(InvalidInput, match="needs a measurable criterion"):
        plans.activate_plan(vault.unit_of_work(), broken.id)
    assert stored(vault, broken.id).signature is None


def test_every_signed_field_is_in_the_hash_and_the_status_and_review_date_are_not(vault: Vault) -> None:
    plan = active(vault)
    assert plan.signature is not None
    sig = plan.signature
    changes: dict[str, Any] = {
        "version": 2, "client_id": "someone else", "effective_date": date(2030, 1, 1),
        "created_at": plan.created_at - timedelta(days=1), "diagnoses": ("F99",), "strengths": "other",
        "service_type": "group", "session_length_minutes": 30, "frequency": "monthly",
        "expected_duration": "1 year", "discharge_criteria": "other",
        "problems": (replace(plan.problems[0], title="other"),),
    }
    for field, value in changes.items():
        assert content_hash(replace(plan, **{field: value}), sig.signed_at, sig.signer, sig.credentials) != \
            sig.content_hash, field
    objective = replace(plan.objectives()[0], target_date=date(2038, 1, 1))
    moved = replace(plan, problems=(replace(plan.problems[0], goals=(
        replace(plan.goals()[0], objectives=(objective,)),)),))
    assert not signature_valid(moved, vault.signing_public_key())
    for status in PlanStatus:  # what moves on after signing is outside it
        assert signature_valid(replace(plan, status=status), vault.signing_public_key())
    assert signature_valid(replace(plan, review_due=date(2030, 1, 1)), vault.signing_public_key())


def test_a_signed_version_is_locked(vault: Vault) -> None:
    plan = active(vault)
    edited = replace(plan, strengths="changed after signing")
    with pytest.raises(Conflict) as refused:
        plans.save_plan(vault.unit_of_work(), edited)
    assert str(refused.value) == "Plan v1 is signed and locked; revise it to make a new draft version."
    assert plans.plan_versions(vault.unit_of_work(), plan.client_id) == [plan]
    with pytest.raises(Conflict, match="already signed"):
        plans.sign_plan(vault.unit_of_work(), plan.id)
    with pytest.raises(Conflict, match="Only a draft plan can be activated"):
        plans.activate_plan(vault.unit_of_work(), plan.id)


def test_revise_copies_into_a_draft_and_activating_it_supersedes_the_signed_version(vault: Vault) -> None:
    plan = active(vault, today() - timedelta(days=30))
    revised = plans.revise_plan(vault.unit_of_work(), plan.id)
    assert (revised.version, revised.status, revised.signature) == (2, PlanStatus.DRAFT, None)
    assert (revised.effective_date, revised.review_due) == (None, None)
    assert revised.problems == plan.problems and revised.diagnoses == plan.diagnoses
    with pytest.raises(Conflict, match="already a draft"):
        plans.revise_plan(vault.unit_of_work(), plan.id)
    changed = plans.save_plan(vault.unit_of_work(), replace(revised, strengths="v2 strengths"))
    new = plans.activate_plan(vault.unit_of_work(), changed.id)
    old = stored(vault, plan.id)
    assert old.status is PlanStatus.SUPERSEDED and old.signature == plan.signature
    assert signature_valid(old, vault.signing_public_key())
    assert new.is_signed and new.strengths == "v2 strengths"
    assert verify_vault(vault.unit_of_work()).ok


def test_a_review_is_a_signed_record_and_leaves_the_version_as_signed(vault: Vault) -> None:
    plan = active(vault, today() - timedelta(days=100))
    assert plan.signature is not None
    assert client_flags(vault.unit_of_work(), [plan.client_id])[plan.client_id].review_due
    due = today() + timedelta(days=60)
    shown = plans.record_review(vault.unit_of_work(), plan.client_id, today(), ReviewOutcome.CONTINUE,
                                "Goals still right", due)
    assert stored(vault, plan.id) == plan  # not one byte of the signed version changed
    assert [r.summary for r in shown.reviews] == ["Goals still right"] and shown.review_due == due
    with vault.unit_of_work() as uow:
        (record,) = uow.plan_reviews.where(client_id=plan.client_id)
    assert record.review_of == plan.signature.content_hash and record.next_due == due
    assert signature_valid(record, vault.signing_public_key())
    # The review-due flag reads the review from its record, through the summaries and the records alike.
    assert not client_flags(vault.unit_of_work(), [plan.client_id])[plan.client_id].review_due
    assert not flags_from_records(vault.unit_of_work(), [plan.client_id])[plan.client_id].review_due
    assert verify_vault(vault.unit_of_work()).ok


def test_a_closing_review_changes_only_the_status(vault: Vault) -> None:
    plan = active(vault, today() - timedelta(days=10))
    shown = plans.record_review(vault.unit_of_work(), plan.client_id, today(), ReviewOutcome.CLOSE, "Done")
    closed = stored(vault, plan.id)
    assert shown.status is PlanStatus.CLOSED and closed == replace(plan, status=PlanStatus.CLOSED)
    assert signature_valid(closed, vault.signing_public_key())
    assert verify_vault(vault.unit_of_work()).ok


def test_reviews_and_agreements_cannot_be_changed_or_deleted_in_the_file(
    vault: Vault, vault_path: Path
) -> None:
    plan = active(vault, today() - timedelta(days=10))
    plans.record_review(vault.unit_of_work(), plan.client_id, today(), ReviewOutcome.CONTINUE, "Fine")
    plans.agree_plan(vault.unit_of_work(), plan.client_id, today(), AgreementHow.VERBAL)
    vault.close()
    conn = sqlite3.connect(vault_path)
    try:
        for table in ("plan_review", "plan_agreement"):
            for sql in (f"UPDATE {table} SET rev = rev + 1", f"DELETE FROM {table}"):
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    conn.execute(sql)
    finally:
        conn.close()


def test_the_clients_agreement_is_recorded_after_signing(vault: Vault) -> None:
    plan = active(vault)
    assert plans.agreement_line(plan, plans.agreement_of(vault.unit_of_work(), plan)) == \
        "Not yet agreed with the client."
    first = plans.agree_plan(vault.unit_of_work(), plan.client_id, today() - timedelta(days=1),
                             AgreementHow.VERBAL)
    later = plans.agree_plan(vault.unit_of_work(), plan.client_id, today(), AgreementHow.PAPER)
    assert first.agreement_of == later.agreement_of == (plan.signature.content_hash if plan.signature else "")
    current = plans.agreement_of(vault.unit_of_work(), plan)
    assert current == later  # at most one current: the newest
    on = today().isoformat()
    assert plans.agreement_line(plan, current) == f"Agreed with the client on {on} (on paper)."
    assert stored(vault, plan.id) == plan
    with pytest.raises(InvalidInput, match="in the future"):
        plans.agree_plan(vault.unit_of_work(), plan.client_id, today() + timedelta(days=1),
                         AgreementHow.PAPER)
    assert verify_vault(vault.unit_of_work()).ok


def test_agreement_needs_an_active_signed_plan(vault: Vault) -> None:
    plan = draft(vault)
    set_signer(vault)
    with pytest.raises(NotFound, match="no active plan"):
        plans.agree_plan(vault.unit_of_work(), plan.client_id, today(), AgreementHow.SCREEN)
    with vault.unit_of_work() as uow:  # an active plan made before plans were signed
        uow.plans.replace(replace(plan, status=PlanStatus.ACTIVE, effective_date=today()))
        uow.commit()
    with pytest.raises(Conflict, match="not signed yet"):
        plans.agree_plan(vault.unit_of_work(), plan.client_id, today(), AgreementHow.SCREEN)


def test_verify_finds_an_altered_plan_review_or_agreement(vault: Vault) -> None:
    plan = active(vault, today() - timedelta(days=10))
    plans.record_review(vault.unit_of_work(), plan.client_id, today(), ReviewOutcome.CONTINUE, "Fine")
    plans.agree_plan(vault.unit_of_work(), plan.client_id, today(), AgreementHow.SCREEN)
    with vault.unit_of_work() as uow:  # through the app's own sealing: only the signature can tell
        uow.plans.replace(replace(plan, strengths="rewritten later"))
        uow.commit()
    with pytest.raises(VaultDamaged, match=f"Signed plan {plan.id} .* fails its signature check"):
        verify_vault(vault.unit_of_work())


def test_an_active_plan_from_before_signing_is_shown_so_and_signed_once(vault: Vault) -> None:
    plan = draft(vault)
    old = replace(plan, status=PlanStatus.ACTIVE, effective_date=today() - timedelta(days=5))
    with vault.unit_of_work() as uow:
        uow.plans.replace(old)
        uow.commit()
    assert plans.status_line(old) == "Plan v1: Active (made before plans were signed)"
    vault.save_profile(replace(vault.profile(), credentials=""))
    with pytest.raises(InvalidInput, match="name and credentials"):
        plans.sign_plan(vault.unit_of_work(), plan.id)
    set_signer(vault)
    reviewed = plans.record_review(vault.unit_of_work(), plan.client_id, today(), ReviewOutcome.CONTINUE,
                                   "As before")
    assert [r.summary for r in stored(vault, plan.id).reviews] == ["As before"]  # inside it, as before
    signed = plans.sign_plan(vault.unit_of_work(), plan.id)
    assert signed.is_signed and signed.reviews == reviewed.reviews
    assert signature_valid(signed, vault.signing_public_key())
    with pytest.raises(Conflict, match="already signed"):
        plans.sign_plan(vault.unit_of_work(), plan.id)
    with pytest.raises(Conflict, match="activate it"):
        plans.sign_plan(vault.unit_of_work(), plans.revise_plan(vault.unit_of_work(), plan.id).id)
    assert verify_vault(vault.unit_of_work()).ok


def test_a_draft_is_never_saved_with_a_signature(vault: Vault) -> None:
    """Only activation (or signing an old active plan) signs: a signature handed in with a draft goes."""
    plan = active(vault)
    forged = plans.save_plan(vault.unit_of_work(), replace(records.plan(plan.client_id, "x "),
                                                           signature=plan.signature))
    assert forged.signature is None and stored(vault, forged.id).signature is None
