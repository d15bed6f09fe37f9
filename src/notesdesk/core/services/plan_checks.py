"""Checking signed plan versions, their reviews and the client's agreements (used by `verify`)."""

from __future__ import annotations

from collections.abc import Iterable

from notesdesk.core.domain.plans import PlanAgreement, SignedReview, TreatmentPlan
from notesdesk.core.services.signatures import Signable, signature_valid


def _holds(item: Signable, keys: dict[str, bytes]) -> bool:
    """Signed under one of `keys` (by fingerprint): this vault's and, in a group practice, a
    colleague's (services/notes.signer_keys), as notes are checked."""
    sig = item.signature
    return sig is not None and signature_valid(item, keys.get(sig.key_fingerprint, b""))


def plan_signature_problem(plans: Iterable[TreatmentPlan], reviews: Iterable[SignedReview],
                           agreements: Iterable[PlanAgreement], keys: dict[str, bytes]) -> str | None:
    """One line naming the first plan version, review or agreement whose signature does not hold under
    the signer's key in `keys`, or that is not chained to the content hash of the signed version it is
    about; None when all hold."""
    signed: dict[str, str] = {}
    for plan in plans:
        if plan.signature is None:
            continue
        if not _holds(plan, keys):
            return f"Signed plan {plan.id} (v{plan.version}) fails its signature check: it was altered."
        signed[plan.id] = plan.signature.content_hash
    agreements = list(agreements)
    agreed = {a.signature.content_hash for a in agreements if a.signature is not None}
    for agreement in agreements:
        if agreement.follows and agreement.follows not in agreed:
            return f"The plan agreement {agreement.id} follows an agreement that is not in the vault."
    records: list[SignedReview | PlanAgreement] = [*reviews, *agreements]
    for record in records:
        what = "plan review" if isinstance(record, SignedReview) else "plan agreement"
        of = record.review_of if isinstance(record, SignedReview) else record.agreement_of
        if not _holds(record, keys):
            return f"Signed {what} {record.id} fails its signature check: it was altered."
        if signed.get(record.plan_id) != of:
            return f"The {what} {record.id} is not about the signed plan version it names."
    return None
