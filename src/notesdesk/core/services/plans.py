"""Treatment plans: drafts, activation (which signs the version and supersedes the previous one),
revision into a new draft, signed reviews and the client's agreement (docs/design-notes.md, "Signed
plans"). A signed version never changes: only its status moves on (superseded, closed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from notesdesk.core.domain.common import new_id, now, today
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import (
    SESSION_MINUTES,
    AgreementHow,
    PlanAgreement,
    PlanReview,
    PlanStatus,
    ReviewOutcome,
    SignedReview,
    TreatmentPlan,
    current_agreement,
    default_review_due,
    plans_with_reviews,
    with_reviews,
)
from notesdesk.core.errors import Conflict, InvalidInput, NotFound
from notesdesk.core.services import pending
from notesdesk.core.services.plan_rules import check_activation
from notesdesk.core.services.signatures import make_signature
from notesdesk.core.storage.uow import UnitOfWork

LOCKED = "Plan v{version} is signed and locked; revise it to make a new draft version."
NEEDS_SIGNER = ("Plan versions are signed when they are activated, and a signature names its signer: "
                "set your name and credentials first (Settings, About you; or notesdesk profile).")


def plan_versions(uow: UnitOfWork, client_id: str) -> list[TreatmentPlan]:
    """Every version, oldest first, each with its reviews (with_reviews)."""
    with uow:
        plans = read_plans(uow, client_id)
    return sorted(plans, key=lambda p: p.version)


def read_plans(uow: UnitOfWork, client_id: str | None = None) -> list[TreatmentPlan]:
    """Inside an entered unit of work: one client's plans (or every plan), each with its reviews
    (with_reviews), as every reader of reviews and review-due dates must see them."""
    if client_id is None:
        return plans_with_reviews(uow.plans.all(), uow.plan_reviews.all())
    return plans_with_reviews(uow.plans.where(client_id=client_id),
                              uow.plan_reviews.where(client_id=client_id))


def plan_signer(uow: UnitOfWork) -> tuple[bytes, str, str]:
    """The signing key, name and credentials; refused, in one line, while either is unset."""
    profile = uow.vault.profile()
    if not (profile.name.strip() and profile.credentials.strip()):
        raise InvalidInput(NEEDS_SIGNER)
    return uow.vault.signing_private_key(), profile.name.strip(), profile.credentials.strip()


def current_plan(uow: UnitOfWork, client_id: str) -> TreatmentPlan | None:
    """The active plan, else the newest draft."""
    versions = plan_versions(uow, client_id)
    active = [p for p in versions if p.status == PlanStatus.ACTIVE]
    if active:
        return active[-1]
    drafts = [p for p in versions if p.status == PlanStatus.DRAFT]
    return drafts[-1] if drafts else None


def _validate(plan: TreatmentPlan) -> None:
    minutes = plan.session_length_minutes
    if minutes is not None and minutes not in SESSION_MINUTES:
        raise InvalidInput(
            f"The session length must be between {SESSION_MINUTES.start} and {SESSION_MINUTES.stop - 1} "
            "minutes."
        )
    if plan.effective_date and plan.review_due and plan.review_due < plan.effective_date:
        raise InvalidInput("The review due date is before the plan's effective date.")


def save_plan(uow: UnitOfWork, plan: TreatmentPlan) -> TreatmentPlan:
    """Save a draft. Editing an active plan made before plans were signed makes a new draft version;
    a signed version refuses (it is revised instead); history is never rewritten. A draft is never
    saved with a signature: only activation (or `sign_plan`) signs."""
    _validate(plan)
    plan = replace(plan, signature=None)
    with uow:
        existing = {p.id: p for p in uow.plans.where(client_id=plan.client_id)}
        stored = existing.get(plan.id)
        if stored is None:
            version = max((p.version for p in existing.values()), default=0) + 1
            plan = replace(plan, version=version, status=PlanStatus.DRAFT)
            uow.plans.add(plan)
        elif stored.is_signed:
            raise Conflict(LOCKED.format(version=stored.version))
        elif stored.status == PlanStatus.DRAFT:
            uow.plans.replace(replace(plan, version=stored.version, status=PlanStatus.DRAFT))
        else:
            # A new version of a plan in use: it gets its own dates when activated, unless the
            # practitioner set new ones; keeping the old ones would back-date it.
            version = max(p.version for p in existing.values()) + 1
            plan = replace(
                plan,
                id=new_id(),
                version=version,
                status=PlanStatus.DRAFT,
                reviews=(),
                effective_date=None if plan.effective_date == stored.effective_date else plan.effective_date,
                review_due=None if plan.review_due == stored.review_due else plan.review_due,
            )
            uow.plans.add(plan)
        uow.commit()
    return plan


def activate_plan(uow: UnitOfWork, plan_id: str, effective: date | None = None) -> TreatmentPlan:
    """Make a draft the active plan and sign it; the previously active plan becomes superseded (its
    signature, if it has one, still holds: status is not signed)."""
    effective = effective or today()
    key, signer, creds = plan_signer(uow)
    with uow:
        plan = uow.plans.get(plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise Conflict(f"Only a draft plan can be activated; this one is {plan.status.value}.")
        if not plan.goals():
            raise InvalidInput("A plan needs at least one goal before it is activated.")
        # Imported here: the measures service reads plans (services.plans), so a module-level import
        # would be circular.
        from notesdesk.core.services.measures import stored_instruments

        check_activation(plan, plan.effective_date or effective, stored_instruments(uow))
        for other in uow.plans.where(client_id=plan.client_id):
            if other.status == PlanStatus.ACTIVE:
                uow.plans.replace(replace(other, status=PlanStatus.SUPERSEDED))
        plan = replace(
            plan,
            status=PlanStatus.ACTIVE,
            effective_date=plan.effective_date or effective,
            review_due=plan.review_due or default_review_due(plan.effective_date or effective),
        )
        _validate(plan)
        plan = replace(plan, signature=make_signature(plan, key, signer, creds, now()))
        uow.plans.replace(plan, action="sign")
        uow.commit()
    return plan


def sign_plan(uow: UnitOfWork, plan_id: str) -> TreatmentPlan:
    """Sign, once, an active plan made before plans were signed, as it stands. A draft is signed by
    activating it."""
    key, signer, creds = plan_signer(uow)
    with uow:
        plan = uow.plans.get(plan_id)
        if plan.is_signed:
            raise Conflict(f"Plan v{plan.version} is already signed.")
        if plan.status is PlanStatus.DRAFT:
            raise Conflict("A draft is signed when it is activated: activate it.")
        if plan.status is not PlanStatus.ACTIVE:
            raise Conflict(f"Only the active plan can be signed; v{plan.version} is {plan.status.value}.")
        plan = replace(plan, signature=make_signature(plan, key, signer, creds, now()))
        uow.plans.replace(plan, action="sign")
        uow.commit()
    return plan


def revise_plan(uow: UnitOfWork, plan_id: str) -> TreatmentPlan:
    """A new draft version copied from `plan_id` (its content, not its dates, status or signature);
    activating it supersedes the version it came from. Refused while the client has a draft."""
    with uow:
        source = uow.plans.get(plan_id)
        versions = uow.plans.where(client_id=source.client_id)
        drafts = [p for p in versions if p.status is PlanStatus.DRAFT]
        if drafts:
            raise Conflict(f"Plan v{drafts[-1].version} is already a draft: edit that one.")
        draft = replace(
            source,
            id=new_id(),
            version=max(p.version for p in versions) + 1,
            status=PlanStatus.DRAFT,
            effective_date=None,
            review_due=None,
            client_agreement_date=None,
            client_agreement_how="",
            reviews=(),
            created_at=now(),
            signature=None,
        )
        uow.plans.add(draft)
        uow.commit()
    return draft


def record_review(
    uow: UnitOfWork,
    client_id: str,
    review_date: date,
    outcome: ReviewOutcome,
    summary: str,
    next_due: date | None = None,
    discard_unsent: bool = False,
) -> TreatmentPlan:
    """Record a review on the active plan and move its review-due date on (default +90 days). With
    `discard_unsent` (the app's review box), its kept unsent summary goes in the same transaction."""
    with uow:
        active = [p for p in uow.plans.where(client_id=client_id) if p.status == PlanStatus.ACTIVE]
        if not active:
            raise NotFound("This client has no active plan to review.")
        plan = active[0]
        if plan.effective_date and review_date < plan.effective_date:
            raise InvalidInput(
                f"The review date is before the plan's effective date ({plan.effective_date.isoformat()})."
            )
        if review_date > today():
            raise InvalidInput("The review date is in the future.")
        if next_due is not None and next_due < review_date:
            raise InvalidInput("The next review due date is before this review's date.")
        due = next_due or default_review_due(review_date)
        status = PlanStatus.CLOSED if outcome == ReviewOutcome.CLOSE else plan.status
        if plan.signature is not None:
            # The signed version stays as it was signed: the review is its own signed record,
            # chained to the version's hash; closing changes only the (unsigned) status.
            record = SignedReview(plan.id, client_id, review_date, outcome, summary, due,
                                  review_of=plan.signature.content_hash)
            key, signer, creds = plan_signer(uow)
            record = replace(record, signature=make_signature(record, key, signer, creds, now()))
            uow.plan_reviews.add(record, action="sign")
            if status is not plan.status:
                plan = replace(plan, status=status)
                uow.plans.replace(plan)
        else:  # made before plans were signed: reviewed as it always was, inside the plan
            review = PlanReview(review_date=review_date, outcome=outcome, summary=summary)
            plan = replace(plan, reviews=(*plan.reviews, review), review_due=due, status=status)
            uow.plans.replace(plan)
        if discard_unsent:
            pending.drop_within(uow, client_id, PendingKind.PLAN_REVIEW, plan.id)
        reviews = uow.plan_reviews.where(client_id=client_id)
        uow.commit()
    return with_reviews(plan, reviews)


def agree_plan(uow: UnitOfWork, client_id: str, agreed_on: date, how: AgreementHow) -> PlanAgreement:
    """Record the client's agreement to the active, signed version (when, and how: on paper, verbally,
    on screen): a signed, append-only record; a later one for the same version replaces it as the
    current one, the earlier staying in the record."""
    if agreed_on > today():
        raise InvalidInput("The agreement date is in the future.")
    key, signer, creds = plan_signer(uow)
    with uow:
        active = [p for p in uow.plans.where(client_id=client_id) if p.status is PlanStatus.ACTIVE]
        if not active:
            raise NotFound("This client has no active plan to agree.")
        plan = active[-1]
        if plan.signature is None:
            raise Conflict(f"Plan v{plan.version} is not signed yet: sign it before recording the client's "
                           "agreement.")
        previous = current_agreement(plan.id, uow.plan_agreements.where(client_id=client_id))
        replaces = previous.signature.content_hash if previous and previous.signature else ""
        record = PlanAgreement(plan.id, client_id, agreed_on, how, agreement_of=plan.signature.content_hash,
                               follows=replaces)
        record = replace(record, signature=make_signature(record, key, signer, creds, now()))
        uow.plan_agreements.add(record, action="sign")
        uow.commit()
    return record


def agreement_of(uow: UnitOfWork, plan: TreatmentPlan) -> PlanAgreement | None:
    with uow:
        return current_agreement(plan.id, uow.plan_agreements.where(client_id=plan.client_id))


def agreement_line(plan: TreatmentPlan, agreement: PlanAgreement | None) -> str:
    """How the plan tab, the overview and `plan show` say whether the client agreed to this version
    (a plan made before plans were signed may carry its agreement in its own fields)."""
    if agreement is not None:
        return f"Agreed with the client on {agreement.agreed_on.isoformat()} ({agreement.how.label})."
    if plan.client_agreement_date is not None and not plan.is_signed:
        how = f" ({plan.client_agreement_how})" if plan.client_agreement_how else ""
        return f"Agreed with the client on {plan.client_agreement_date.isoformat()}{how}."
    return "Not yet agreed with the client."


def status_line(plan: TreatmentPlan) -> str:
    """The version's status as shown: a signed version names its signer; an active one made before
    plans were signed says so."""
    if plan.unsigned_active:
        return f"Plan v{plan.version}: Active (made before plans were signed)"
    if plan.signature is not None:
        sig = plan.signature
        return (f"Plan v{plan.version}: {plan.status.value.capitalize()}, signed by {sig.signer}, "
                f"{sig.credentials} on {sig.signed_at.date().isoformat()}")
    return f"Plan v{plan.version}: {plan.status.value.capitalize()}"
