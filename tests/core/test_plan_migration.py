"""A vault made before plans were signed (schema 0009, tests/fixtures/vault-0009.sql) opens with this
code: migration 0010 adds the review and agreement records, its active plan is shown "Active (made
before plans were signed)" with its review and agreement as they were, and can be signed once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import PlanStatus, ReviewOutcome
from notesdesk.core.exports.check import check_export
from notesdesk.core.exports.record import client_record_json
from notesdesk.core.services import clients, plans, profile, verify
from notesdesk.core.storage import migrate
from notesdesk.core.storage.vault import Vault
from tests.conftest import PASSPHRASE


def test_read_only_before_the_migration_the_plans_read_as_they_were(unsigned_plans_vault: Path) -> None:
    with Vault.open(unsigned_plans_vault, passphrase=PASSPHRASE, read_only=True) as old:
        assert migrate.current_revision(old.engine) == "0009"
        (client,) = clients.list_clients(old.unit_of_work())
        versions = plans.plan_versions(old.unit_of_work(), client.id)
    assert [(p.version, p.status, p.is_signed) for p in versions] == [
        (1, PlanStatus.SUPERSEDED, False), (2, PlanStatus.ACTIVE, False)]
    assert [r.summary for r in versions[1].reviews] == ["Reviewed before plans were signed"]


def test_an_old_active_plan_is_shown_unsigned_and_can_be_signed_once(unsigned_plans_vault: Path) -> None:
    with Vault.open(unsigned_plans_vault, passphrase=PASSPHRASE) as vault:
        assert migrate.current_revision(vault.engine) == migrate.head_revision()
        assert verify.verify_vault(vault.unit_of_work()).ok
        (client,) = clients.list_clients(vault.unit_of_work())
        old = plans.current_plan(vault.unit_of_work(), client.id)
        assert old is not None and old.unsigned_active
        assert plans.status_line(old) == "Plan v2: Active (made before plans were signed)"
        assert old.review_due == date(2027, 2, 1)
        assert plans.agreement_line(old, plans.agreement_of(vault.unit_of_work(), old)) == \
            "Agreed with the client on 2026-10-01 (signed in session)."
        profile.save_profile(vault.unit_of_work(), replace(vault.profile(), name="Robin Vale",
                                                           credentials="LCSW"))
        signed = plans.sign_plan(vault.unit_of_work(), old.id)
        assert signed.is_signed and signed.reviews == old.reviews
        # Signed, it is reviewed like any signed version: a record, the version untouched.
        shown = plans.record_review(vault.unit_of_work(), client.id, today(), ReviewOutcome.CONTINUE,
                                    "First review after signing")
        assert [r.summary for r in shown.reviews] == ["Reviewed before plans were signed",
                                                      "First review after signing"]
        with vault.unit_of_work() as uow:
            assert uow.plans.get(old.id) == signed
        assert verify.verify_vault(vault.unit_of_work()).ok
        checked = check_export(client_record_json(vault.unit_of_work(), client.id))
        assert checked.signed_items == 2  # the signed version and its review
