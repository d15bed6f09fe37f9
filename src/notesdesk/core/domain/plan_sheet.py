"""What the client's plan signature page prints (reports/plan_signature.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notesdesk.core.domain.plans import PlanAgreement, TreatmentPlan
from notesdesk.core.domain.summaries import PractitionerBlock


@dataclass(frozen=True)
class PlanSignatureSheet:
    """The active, signed plan version to go through and sign with the client: its goals and
    objectives (in the client's words where they exist), signature and date lines for both, and the
    version's fingerprint, which ties the paper to the signed version in the record."""

    client_name: str
    plan: TreatmentPlan
    practitioner: PractitionerBlock
    prepared_on: date
    version_fingerprint: str
    key_fingerprint: str
    agreement: PlanAgreement | None = None
