"""Treatment plans: drafts, activation (superseding the previous plan), new versions, reviews."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from notesdesk.core.domain.common import new_id, today
from notesdesk.core.domain.pending import PendingKind
from notesdesk.core.domain.plans import (
    SESSION_MINUTES,
    PlanReview,
    PlanStatus,
    ReviewOutcome,
    TreatmentPlan,
    default_review_due,
)
from notesdesk.core.errors import Conflict, InvalidInput, NotFound
from notesdesk.core.services import pending
from notesdesk.core.services.plan_rules import check_activation
from notesdesk.core.storage.uow import UnitOfWork


def plan_versions(uow: UnitOfWork, client_id: str) -> list[TreatmentPlan]:
    with uow:
        plans = uow.plans.where(client_id=client_id)
    return sorted(plans, key=lambda p: p.version)


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
    """Save a draft. Editing an active plan makes a new draft version; history is never rewritten."""
    _validate(plan)
    with uow:
        existing = {p.id: p for p in uow.plans.where(client_id=plan.client_id)}
        stored = existing.get(plan.id)
        if stored is None:
            version = max((p.version for p in existing.values()), default=0) + 1
            plan = replace(plan, version=version, status=PlanStatus.DRAFT)
            uow.plans.add(plan)
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
    """Make a draft the active plan; the previously active plan becomes superseded."""
    effective = effective or today()
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
        uow.plans.replace(plan)
        uow.commit()
    return plan


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
        review = PlanReview(review_date=review_date, outcome=outcome, summary=summary)
        status = PlanStatus.CLOSED if outcome == ReviewOutcome.CLOSE else plan.status
        plan = replace(
            plan,
            reviews=(*plan.reviews, review),
            review_due=next_due or default_review_due(review_date),
            status=status,
        )
        uow.plans.replace(plan)
        if discard_unsent:
            pending.drop_within(uow, client_id, PendingKind.PLAN_REVIEW, plan.id)
        uow.commit()
    return plan
