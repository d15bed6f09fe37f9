"""Assemble the read models behind printed documents, in one unit of work with bulk reads.

Each function opens the unit of work it is given exactly once, reads one query per table for the
client, and builds plain data for `core.reports`. With `audit=` it also logs a print/export entry
(the document kind only, never client text; for an export given `protected=`, also whether the PDF
was password-protected). Psychotherapy notes are read only by `access_record` with
`include_private=True`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from notesdesk.core.crypto.signing import fingerprint
from notesdesk.core.domain.care import (
    SAFETY_PLAN_SECTIONS,
    CheckinStatus,
    Homework,
    MeasureAdministration,
    Milestone,
    PhaseEntry,
    Recurrence,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client, ClientStatus, Episode
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import Addendum, NoteFormat, SessionNote
from notesdesk.core.domain.plans import PlanStatus, ReviewOutcome, TreatmentPlan
from notesdesk.core.domain.summaries import (
    AccessRecord,
    AuditAction,
    ClientSummary,
    EpisodeDates,
    HomeworkRow,
    HomeworkSheet,
    HomeworkTask,
    Identification,
    MaintenanceSheet,
    MeasureRow,
    MeasureScorer,
    MeasureSection,
    MilestoneRow,
    NoteEntry,
    PhaseRow,
    PlanVersionRow,
    PractitionerBlock,
    RecoverySheet,
    ReviewRow,
    RiskFlag,
    SafetyPlanSheet,
    SafetyPlanStatus,
    SessionRow,
    StatusStep,
)
from notesdesk.core.errors import NotFound
from notesdesk.core.measures.risk_loop import flagged_levels
from notesdesk.core.services.care import adherence, adherence_rule, checkin_counts, counts_text
from notesdesk.core.services.notes import verify_note
from notesdesk.core.services.plans import read_plans
from notesdesk.core.storage.uow import UnitOfWork

RISK_FLAGS_SHOWN = 12


# -- small pure builders -------------------------------------------------------------------------


def practitioner_block(uow: UnitOfWork) -> PractitionerBlock:
    profile = uow.vault.profile()
    return PractitionerBlock(profile.name, profile.credentials, profile.contact, profile.locale)


def identification(client: Client) -> Identification:
    return Identification(
        name=client.name,
        preferred_name=client.preferred_name,
        pronouns=client.pronouns,
        date_of_birth=client.date_of_birth,
        status=client.status.value,
        referral=client.referral,
        modality=client.modality.value,
    )


def episode_rows(episodes: Iterable[Episode]) -> tuple[EpisodeDates, ...]:
    ordered = sorted(episodes, key=lambda e: e.opened_on)
    return tuple(EpisodeDates(e.opened_on, e.closed_on, e.reason) for e in ordered)


def unscored(administrations: Sequence[MeasureAdministration]) -> MeasureSection:
    """Default when no scorer is wired: list what was given, without totals."""
    return MeasureSection(tuple(MeasureRow(m.administered_on, m.instrument) for m in administrations))


def _measures(found: list[MeasureAdministration], scorer: MeasureScorer | None) -> MeasureSection:
    ordered = sorted(found, key=lambda m: (m.administered_on, m.created_at))
    return (scorer or unscored)(ordered)


def current_of(plans: Sequence[TreatmentPlan]) -> TreatmentPlan | None:
    """The active plan, else the newest draft, else the newest of any status."""
    by_version = sorted(plans, key=lambda p: p.version)
    for status in (PlanStatus.ACTIVE, PlanStatus.DRAFT):
        matching = [p for p in by_version if p.status == status]
        if matching:
            return matching[-1]
    return by_version[-1] if by_version else None


def session_rows(notes: Iterable[SessionNote]) -> tuple[SessionRow, ...]:
    ordered = sorted(notes, key=lambda n: (n.session_date, n.created_at))
    return tuple(
        SessionRow(
            n.session_date, n.session_type.value, n.format.value, n.start_time, n.end_time, n.is_signed
        )
        for n in ordered
    )


def homework_rows(homework: Iterable[Homework]) -> tuple[HomeworkRow, ...]:
    rows = []
    for h in sorted(homework, key=lambda h: (not h.active, h.assigned_on)):
        checkins = sorted(h.checkins, key=lambda c: c.checkin_date)
        rows.append(
            HomeworkRow(
                description=h.description,
                assigned_on=h.assigned_on,
                recurrence=h.recurrence,
                rationale=h.rationale,
                due_date=h.due_date,
                active=h.active,
                checkins=len(checkins),
                done=sum(c.status == CheckinStatus.DONE for c in checkins),
                last_status=checkins[-1].status if checkins else None,
            )
        )
    return tuple(rows)


def milestone_rows(milestones: Iterable[Milestone]) -> tuple[MilestoneRow, ...]:
    ordered = sorted(milestones, key=lambda m: (m.kind.value, m.dimension, m.created_at))
    return tuple(
        MilestoneRow(
            title=m.title,
            kind=m.custom_kind or m.kind.value,
            dimension=m.dimension,
            criteria=m.criteria,
            status=m.status,
            achieved_on=m.achieved_on,
            history=tuple(StatusStep(c.changed_on, c.status, c.comment) for c in m.history),
        )
        for m in ordered
    )


def phase_rows(phases: Iterable[PhaseEntry]) -> tuple[PhaseRow, ...]:
    ordered = sorted(phases, key=lambda p: (p.started_on, p.created_at))
    return tuple(PhaseRow(p.phase, p.started_on, p.comment) for p in ordered)


def risk_flags(notes: Iterable[SessionNote], measures: MeasureSection) -> tuple[RiskFlag, ...]:
    """Risk recorded in signed notes and flags raised by measures, newest first. A note's level counts
    when it is one that raises a flag (measures.risk_loop); a note from before levels existed shows its
    free-text risk line as it was. Drafts are never read."""
    levels = flagged_levels()
    flags = [RiskFlag(n.session_date, _risk_line(n)) for n in notes if n.is_signed and (
        (n.risk is not None and n.risk.level in levels) or (n.risk is None and n.risk_noted.strip()))]
    flags += [RiskFlag(r.administered_on, r.flag, r.instrument) for r in measures.rows if r.flag]
    flags.sort(key=lambda f: f.noted_on, reverse=True)
    return tuple(flags[:RISK_FLAGS_SHOWN])


def _risk_line(note: SessionNote) -> str:
    if note.risk is None:
        return note.risk_noted.strip()
    parts = [f"Risk recorded as {note.risk.level.value}."]
    parts += [f"{label}: {text.strip()}" for label, text in (("Factors", note.risk.factors),
                                                                ("Plan", note.risk.plan)) if text.strip()]
    return " ".join(parts)


def _filled(plan: SafetyPlan, key: str) -> bool:
    value = getattr(plan, key)
    if key == "professionals":
        return bool(plan.professionals or plan.crisis_lines)
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def safety_plan_status(plans: Sequence[SafetyPlan]) -> SafetyPlanStatus:
    if not plans:
        return SafetyPlanStatus(missing=tuple(title for _key, title in SAFETY_PLAN_SECTIONS))
    latest = max(plans, key=lambda p: p.version)
    missing = tuple(title for key, title in SAFETY_PLAN_SECTIONS if not _filled(latest, key))
    return SafetyPlanStatus(
        exists=True,
        version=latest.version,
        last_reviewed=latest.last_reviewed,
        sections_filled=len(SAFETY_PLAN_SECTIONS) - len(missing),
        sections_total=len(SAFETY_PLAN_SECTIONS),
        missing=missing,
    )


PROTECTED = "password-protected"
NOT_PROTECTED = "not password-protected"


def audit_detail(document: str, audit: AuditAction, protected: bool | None = None) -> str:
    """An audit entry's detail: the document kind and, for an export whose protection is known,
    whether the PDF was password-protected ("treatment summary (client); not password-protected")."""
    if AuditAction(audit) != AuditAction.EXPORT or protected is None:
        return document
    return f"{document}; {PROTECTED if protected else NOT_PROTECTED}"


def _log(
    uow: UnitOfWork, audit: AuditAction | None, client_id: str, document: str, protected: bool | None = None
) -> None:
    """Log the print/export in the same unit of work; the detail names the document (and, for an export,
    whether the file was password-protected), nothing more."""
    if audit is None or uow.vault.read_only:
        return
    uow.record(AuditAction(audit).value, "client", client_id, detail=audit_detail(document, audit, protected))
    uow.commit()


def record_detail(include_private: bool) -> str:
    """The audit's name for the access-request record (says when psychotherapy notes were in it)."""
    return "record for access request" + (" with psychotherapy notes" if include_private else "")


def log_document(
    uow: UnitOfWork, client_id: str, action: AuditAction, document: str, protected: bool | None = None
) -> None:
    """Log a print or export of a document already built and shown (the app logs once the printer or
    the file has it), without reading the record again."""
    with uow:
        uow.clients.get(client_id)  # only a client that exists
        _log(uow, action, client_id, document, protected)


# -- the documents -------------------------------------------------------------------------------


def plan_version_rows(plans: Iterable[TreatmentPlan]) -> tuple[PlanVersionRow, ...]:
    """Each version with the dates it was in effect. Nothing stores when a version was superseded: it is
    the effective date of the next version activated after it. A closed version ends at the review that
    closed it."""
    ordered = sorted(plans, key=lambda p: p.version)
    rows = []
    for plan in ordered:
        until = None
        if plan.status == PlanStatus.SUPERSEDED:
            later = [p.effective_date for p in ordered if p.version > plan.version and p.effective_date]
            until = later[0] if later else None
        elif plan.status == PlanStatus.CLOSED:
            closing = [r.review_date for r in plan.reviews if r.outcome == ReviewOutcome.CLOSE]
            until = max(closing) if closing else None
        rows.append(PlanVersionRow(plan.version, plan.status.value, plan.effective_date, until))
    return tuple(rows)


def client_summary(
    uow: UnitOfWork,
    client_id: str,
    *,
    audit: AuditAction | None = None,
    protected: bool | None = None,
    document: str = "treatment summary",
    measures: MeasureScorer | None = None,
    on: date | None = None,
) -> ClientSummary:
    """The read model behind both treatment summaries. Never touches psychotherapy notes.
    `protected`: for an export, whether the PDF written is password-protected (said in the audit)."""
    on = on or today()
    with uow:
        client = uow.clients.get(client_id)
        episodes = uow.episodes.where(client_id=client_id)
        notes = uow.notes.where(client_id=client_id)
        plans = read_plans(uow, client_id)
        homework = uow.homework.where(client_id=client_id)
        milestones = uow.milestones.where(client_id=client_id)
        phases = uow.phases.where(client_id=client_id)
        safety = uow.safety_plans.where(client_id=client_id)
        administered = uow.measures.where(client_id=client_id)
        coded = uow.diagnoses.where(client_id=client_id)
        practitioner = practitioner_block(uow)
        key = fingerprint(uow.vault.signing_public_key())
        _log(uow, audit, client_id, document, protected)
    scored = _measures(administered, measures)
    until = on  # homework adherence: the 28 days to today, or to discharge once discharged
    if client.status == ClientStatus.DISCHARGED and client.discharge_date is not None:
        until = min(on, client.discharge_date)
    by_version = sorted(plans, key=lambda p: p.version)
    reviews = sorted(
        (ReviewRow(p.version, r.review_date, r.outcome.value, r.summary) for p in plans for r in p.reviews),
        key=lambda r: (r.review_date, r.plan_version),
    )
    return ClientSummary(
        identification=identification(client),
        practitioner=practitioner,
        prepared_on=on,
        episodes=episode_rows(episodes),
        presenting_concerns=client.presenting_concerns,
        plan=current_of(plans),
        plan_versions=plan_version_rows(by_version),
        reviews=tuple(reviews),
        sessions=session_rows(notes),
        homework=homework_rows(homework),
        adherence_recent=adherence(homework, end=until),
        checkins_recent=counts_text(checkin_counts(homework, end=until)),
        adherence_rule=adherence_rule(),
        adherence_until=until,
        milestones=milestone_rows(milestones),
        phases=phase_rows(phases),
        measures=scored,
        risk_flags=risk_flags(notes, scored),
        safety_plan=safety_plan_status(safety),
        key_fingerprint=key,
        coded_diagnoses=tuple(sorted(coded, key=lambda d: (d.recorded_on, d.created_at))),
    )


def safety_plan_sheet(
    uow: UnitOfWork,
    client_id: str,
    *,
    audit: AuditAction | None = None,
    protected: bool | None = None,
    on: date | None = None,
) -> SafetyPlanSheet:
    """The latest version of the client's safety plan; NotFound if there is none yet."""
    with uow:
        client = uow.clients.get(client_id)
        versions = uow.safety_plans.where(client_id=client_id)
        if not versions:
            raise NotFound("This client has no safety plan yet.")
        practitioner = practitioner_block(uow)
        _log(uow, audit, client_id, "safety plan", protected)
    latest = max(versions, key=lambda p: p.version)
    return SafetyPlanSheet(client.display_name, latest, practitioner, on or today())


def blank_safety_plan_sheet(
    uow: UnitOfWork,
    client_id: str,
    *,
    audit: AuditAction | None = None,
    protected: bool | None = None,
    on: date | None = None,
) -> SafetyPlanSheet:
    """A worksheet to fill in with the client: the seven sections empty, with room to write, and the
    practice's crisis lines (none, with the reason, while the country is unset). Version 0 marks it."""
    with uow:
        client = uow.clients.get(client_id)
        practitioner = practitioner_block(uow)
        _log(uow, audit, client_id, "blank safety plan", protected)
    return SafetyPlanSheet(client.display_name, SafetyPlan(client_id, version=0), practitioner, on or today())


def _due_this_week(h: Homework, start: date, end: date) -> bool:
    if not h.active or h.assigned_on > end:
        return False
    if h.recurrence == Recurrence.ONCE:
        finished = any(c.status in (CheckinStatus.DONE, CheckinStatus.DROPPED) for c in h.checkins)
        return not finished
    return True


def homework_sheet(
    uow: UnitOfWork,
    client_id: str,
    *,
    week_of: date | None = None,
    audit: AuditAction | None = None,
    protected: bool | None = None,
) -> HomeworkSheet:
    """This week's tasks: active practices and one-off tasks not yet done (week starts Monday)."""
    day = week_of or today()
    start = day - timedelta(days=day.weekday())
    end = start + timedelta(days=6)
    with uow:
        client = uow.clients.get(client_id)
        homework = uow.homework.where(client_id=client_id)
        practitioner = practitioner_block(uow)
        _log(uow, audit, client_id, "homework sheet", protected)
    chosen = sorted(
        (h for h in homework if _due_this_week(h, start, end)),
        key=lambda h: (h.recurrence != Recurrence.DAILY, h.assigned_on),
    )
    tasks = tuple(HomeworkTask(h.description, h.recurrence, h.rationale, h.due_date) for h in chosen)
    return HomeworkSheet(client.display_name, start, tasks, practitioner, today())


def access_record(
    uow: UnitOfWork,
    client_id: str,
    *,
    include_private: bool = False,
    include_drafts: bool = False,
    audit: AuditAction | None = None,
    protected: bool | None = None,
    measures: MeasureScorer | None = None,
    on: date | None = None,
) -> AccessRecord:
    """Signed progress notes with their addenda, every plan version, measures; psychotherapy notes
    only with `include_private=True` (they are outside the right of access, 45 CFR 164.524)."""
    with uow:
        client = uow.clients.get(client_id)
        episodes = uow.episodes.where(client_id=client_id)
        notes = uow.notes.where(client_id=client_id)
        addenda = uow.addenda.where(client_id=client_id)
        plans = read_plans(uow, client_id)
        administered = uow.measures.where(client_id=client_id)
        private = uow.private_notes.where(client_id=client_id) if include_private else []
        coded = uow.diagnoses.where(client_id=client_id)
        attached = uow.attachments.where(client_id=client_id)
        agreed = uow.consents.where(client_id=client_id)
        sent = uow.letters.where(client_id=client_id)
        paid, issued = uow.payments.where(client_id=client_id), uow.receipts.where(client_id=client_id)
        practitioner = practitioner_block(uow)
        key = fingerprint(uow.vault.signing_public_key())
        chains: dict[str, list[Addendum]] = defaultdict(list)
        for addendum in sorted(addenda, key=lambda a: a.created_at):
            chains[addendum.note_id].append(addendum)
        kept = [n for n in notes if n.is_signed or include_drafts]
        entries = tuple(
            NoteEntry(n, tuple(chains.get(n.id, ())), n.is_signed and verify_note(uow, n, chains[n.id]))
            for n in sorted(kept, key=lambda n: (n.session_date, n.created_at))
        )
        _log(uow, audit, client_id, record_detail(include_private), protected)
    return AccessRecord(
        identification=identification(client),
        practitioner=practitioner,
        prepared_on=on or today(),
        episodes=episode_rows(episodes),
        notes=entries,
        drafts_left_out=len(notes) - len(kept),
        plans=tuple(sorted(plans, key=lambda p: p.version)),
        measures=_measures(administered, measures),
        private_notes=tuple(sorted(private, key=lambda p: (p.note_date, p.created_at))),
        includes_private=include_private,
        key_fingerprint=key,
        diagnoses=tuple(sorted(coded, key=lambda d: (d.recorded_on, d.created_at))),
        attachments=tuple(sorted(attached, key=lambda a: (a.added_on, a.created_at))),
        consents=tuple(sorted(agreed, key=lambda c: (c.agreed_on, c.created_at))),
        letters=tuple(sorted(sent, key=lambda x: (x.sent_on, x.created_at))),
        payments=tuple(sorted(paid, key=lambda p: (p.paid_on, p.created_at))),
        receipts=tuple(sorted(issued, key=lambda r: r.number)),
    )


def maintenance_sheet(
    uow: UnitOfWork,
    client_id: str,
    *,
    audit: AuditAction | None = None,
    protected: bool | None = None,
    on: date | None = None,
) -> MaintenanceSheet:
    """From the latest discharge note that carries a maintenance plan; NotFound if none does."""
    with uow:
        client = uow.clients.get(client_id)
        notes = uow.notes.where(client_id=client_id)
        candidates = [
            n for n in notes if n.format == NoteFormat.DISCHARGE and n.maintenance_plan is not None
        ]
        if not candidates:
            raise NotFound("This client has no discharge note with a maintenance plan.")
        practitioner = practitioner_block(uow)
        _log(uow, audit, client_id, "maintenance plan", protected)
    note = max(candidates, key=lambda n: (n.session_date, n.created_at))
    assert note.maintenance_plan is not None
    return MaintenanceSheet(
        client_name=client.display_name,
        discharged_on=client.discharge_date or note.session_date,
        plan=note.maintenance_plan,
        practitioner=practitioner,
        prepared_on=on or today(),
        signed_at=note.signature.signed_at if note.signature else None,
    )


def recovery_sheet(
    recovery_key: str,
    vault_id: str,
    created_on: date | None = None,
    practitioner: PractitionerBlock | None = None,
) -> RecoverySheet:
    """Offered once, at vault creation; needs no unit of work."""
    return RecoverySheet(recovery_key, vault_id, created_on or today(), practitioner or PractitionerBlock())

