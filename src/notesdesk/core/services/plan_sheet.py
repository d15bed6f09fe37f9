"""The plan signature page's data: the client's active, signed plan version."""

from __future__ import annotations

from datetime import date

from notesdesk.core.crypto.signing import fingerprint
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plan_sheet import PlanSignatureSheet
from notesdesk.core.domain.plans import PlanStatus, current_agreement
from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.errors import NotFound
from notesdesk.core.services.summary import audit_detail, practitioner_block
from notesdesk.core.storage.uow import UnitOfWork

FINGERPRINT_DIGITS = 32
"""Hex digits of the version's content hash printed (128 bits, as the key's fingerprint)."""


def version_fingerprint(content_hash: str) -> str:
    """The first 128 bits of a signed version's content hash, in groups of four (as the key's)."""
    head = content_hash[:FINGERPRINT_DIGITS].upper()
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def plan_signature_sheet(
    uow: UnitOfWork,
    client_id: str,
    *,
    audit: AuditAction | None = None,
    protected: bool | None = None,
    on: date | None = None,
) -> PlanSignatureSheet:
    """The active plan version, which must be signed; NotFound (one line) otherwise."""
    with uow:
        client = uow.clients.get(client_id)
        active = [p for p in uow.plans.where(client_id=client_id) if p.status is PlanStatus.ACTIVE]
        if not active:
            raise NotFound("This client has no active plan to sign with them.")
        plan = max(active, key=lambda p: p.version)
        if plan.signature is None:
            raise NotFound(f"Plan v{plan.version} is not signed yet: sign it first, then print the page.")
        agreement = current_agreement(plan.id, uow.plan_agreements.where(client_id=client_id))
        practitioner = practitioner_block(uow)
        key = fingerprint(uow.vault.signing_public_key())
        if audit is not None and not uow.vault.read_only:
            uow.record(AuditAction(audit).value, "client", client_id,
                       detail=audit_detail("plan signature page", audit, protected))
            uow.commit()
    return PlanSignatureSheet(client.display_name, plan, practitioner, on or today(),
                              version_fingerprint(plan.signature.content_hash), key, agreement)
