"""The demo's plan versions as the app keeps them: each version in use signed on the day it took
effect, its reviews signed records of their own, and the client's agreement recorded after signing
(docs/design-notes.md, "Signed plans"). The course (course.py) writes reviews inside the versions, as
plans were kept before they were signed; this turns them into the records the app makes today."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from notesdesk.core.domain.plans import (
    AgreementHow,
    PlanAgreement,
    PlanStatus,
    SignedReview,
    TreatmentPlan,
    default_review_due,
)
from notesdesk.core.services.signatures import make_signature
from notesdesk.demo.course import at


@dataclass(frozen=True)
class Signer:
    key: bytes
    name: str
    credentials: str


def agreement_how(text: str) -> AgreementHow:
    """How the course's wording of an agreement was given ("signed in session", "agreed verbally…")."""
    if "verbal" in text:
        return AgreementHow.VERBAL
    return AgreementHow.PAPER


def signed_versions(plans: list[TreatmentPlan], signer: Signer, agree_last: bool = True
                    ) -> tuple[list[TreatmentPlan], list[SignedReview], list[PlanAgreement]]:
    """Every version that was ever in use, signed when it took effect (its review-due date the one it
    was signed with), its reviews as signed records and its agreement as a record; with `agree_last`
    False the newest version has no agreement yet (shown "Not yet agreed with the client")."""
    versions: list[TreatmentPlan] = []
    reviews: list[SignedReview] = []
    agreements: list[PlanAgreement] = []
    for index, plan in enumerate(plans):
        if plan.status is PlanStatus.DRAFT or plan.effective_date is None:
            versions.append(plan)
            continue
        effective = plan.effective_date
        bare = replace(plan, reviews=(), review_due=default_review_due(effective), client_agreement_date=None,
                       client_agreement_how="")
        signed = replace(bare, signature=make_signature(bare, signer.key, signer.name, signer.credentials,
                                                        at(effective, time(17, 40))))
        assert signed.signature is not None
        versions.append(signed)
        for review in plan.reviews:
            record = SignedReview(plan.id, plan.client_id, review.review_date, review.outcome, review.summary,
                                  default_review_due(review.review_date), signed.signature.content_hash,
                                  id=review.id, created_at=at(review.review_date, time(18, 10)))
            reviews.append(replace(record, signature=make_signature(
                record, signer.key, signer.name, signer.credentials, record.created_at)))
        last = index == len(plans) - 1
        if plan.client_agreement_date is not None and (agree_last or not last):
            when = plan.client_agreement_date
            agreement = PlanAgreement(plan.id, plan.client_id, when, agreement_how(plan.client_agreement_how),
                                      signed.signature.content_hash, created_at=at(when, time(17, 50)))
            agreements.append(replace(agreement, signature=make_signature(
                agreement, signer.key, signer.name, signer.credentials, agreement.created_at)))
    return versions, reviews, agreements
