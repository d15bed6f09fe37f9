"""The documents a client's record can be printed as, written once for the app's Reports menu and the
CLI's `document` command (DOCUMENTS: name, the services that gather its data, its renderer, its audit
name); and which of them can be made now (document_sources), read cheaply, for the menu to grey out
the ones that would only end in 'this client has no … yet'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from notesdesk.core.domain.billing import ReceiptData
from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.domain.paperwork import CONSENT_TITLES, ConsentKind
from notesdesk.core.domain.plans import PlanStatus
from notesdesk.core.domain.summaries import (
    AccessRecord,
    AuditAction,
    ClientCopyOptions,
    ClientSummary,
    ConsentForm,
    HomeworkSheet,
)
from notesdesk.core.reports import (
    PdfOptions,
    render_access_record,
    render_client_summary,
    render_clinician_summary,
    render_homework_sheet,
    render_maintenance_plan,
    render_plan_signature,
    render_safety_plan,
)
from notesdesk.core.services import consent, receipts, summary
from notesdesk.core.services.plan_sheet import plan_signature_sheet
from notesdesk.core.services.summary_measures import summary_measures
from notesdesk.core.storage.uow import UnitOfWork


@dataclass(frozen=True)
class DocumentSources:
    """Whether the records behind the documents that need one exist; the others can always be made."""

    safety_plan: bool
    maintenance_plan: bool
    receipt: bool = False
    signed_plan: bool = False


def document_sources(uow: UnitOfWork, client_id: str) -> DocumentSources:
    """One unit of work, no audit entry. Whether a safety plan exists is read from row ids alone, without
    decrypting anything. A maintenance plan is part of a discharge note and a note's format is sealed, so
    this client's notes are read (only theirs, and only when the client has notes at all), and so are
    their plans (whether the active one is signed is sealed)."""
    with uow:
        safety = bool(uow.safety_plans.ids(client_id=client_id))
        receipt = bool(uow.receipts.ids(client_id=client_id))
        maintenance = False
        if uow.notes.ids(client_id=client_id):
            maintenance = any(
                n.format == NoteFormat.DISCHARGE and n.maintenance_plan is not None
                for n in uow.notes.where(client_id=client_id)
            )
        # The plan signature page needs the active version signed; plans are few and read only here.
        plans = uow.plans.where(client_id=client_id)
        signed_plan = any(p.status is PlanStatus.ACTIVE and p.is_signed for p in plans)
    return DocumentSources(safety_plan=safety, maintenance_plan=maintenance, receipt=receipt,
                           signed_plan=signed_plan)


# -- the documents the app's Reports menu and the CLI's `document` command both make -------------

Gather = Callable[[UnitOfWork, str, Any, AuditAction | None, bool | None], Any]
"""(uow, client id, choice, audit, protected) -> the document's read model; the read is audited as
`audit` (a preview, or an export saying whether the file is password-protected)."""
Render = Callable[[Any, PdfOptions, Any], bytes]
"""(read model, paper and password, choice) -> the PDF."""


@dataclass(frozen=True)
class RecordChoice:
    """What goes into the record for an access request beyond the signed record itself."""

    include_private: bool = False
    include_drafts: bool = False


@dataclass(frozen=True)
class DocumentKind:
    """One printable document, written once for the app and the CLI.

    key: its name on the command line (`notesdesk document KEY`). menu_name: the Reports menu's item
    (the app adds "…", as every item opens a preview first). title: the preview's title and the CLI's
    description. file_name: the start of the suggested file name (the app adds the client's initials and the
    date: ui/printing/documents.py export_name). Neither ever names the client. gather: the services
    that read its data. render: the renderer. audit_name: what the audit calls it, given the choice
    (never client data). needs: the DocumentSources field that must be true for it to be made ("" when
    any client's record can make it). choice: the type of the choice it takes (None: it takes none).
    """

    key: str
    menu_name: str
    title: str
    file_name: str
    gather: Gather
    render: Render
    audit_name: Callable[[Any], str]
    needs: str = ""
    choice: type[Any] | None = None


def _summary(audience: str) -> Gather:
    def gather(
        uow: UnitOfWork, client_id: str, _choice: Any, audit: AuditAction | None, protected: bool | None
    ) -> ClientSummary:
        scorer = summary_measures(uow, client_id, include_alliance=audience == "clinician")
        return summary.client_summary(
            uow, client_id, audit=audit, protected=protected, measures=scorer,
            document=f"treatment summary ({audience})",
        )

    return gather


def _record(
    uow: UnitOfWork,
    client_id: str,
    choice: RecordChoice | None,
    audit: AuditAction | None,
    protected: bool | None,
) -> AccessRecord:
    choice = choice or RecordChoice()
    return summary.access_record(
        uow, client_id, include_private=choice.include_private, include_drafts=choice.include_drafts,
        audit=audit, protected=protected, measures=summary_measures(uow, client_id),
    )


def _homework(
    uow: UnitOfWork, client_id: str, week_of: date | None, audit: AuditAction | None, protected: bool | None
) -> HomeworkSheet:
    return summary.homework_sheet(uow, client_id, week_of=week_of, audit=audit, protected=protected)


def _plain(service: Callable[..., Any]) -> Gather:
    return lambda uow, client_id, _choice, audit, protected: service(
        uow, client_id, audit=audit, protected=protected
    )


def _consent_form(
    uow: UnitOfWork, client_id: str, kind: ConsentKind | None, audit: AuditAction | None,
    protected: bool | None,
) -> ConsentForm:
    return consent.consent_form(uow, client_id, kind, audit=audit, protected=protected)


def _render_consent(form: ConsentForm, options: PdfOptions, _choice: Any) -> bytes:
    from notesdesk.core.reports.paperwork import render_consent_form

    return render_consent_form(form, options)


def _consent_audit_name(choice: ConsentKind | None) -> str:
    """The audit's name for a printed agreement form: its kind, as consent_form logs its preview."""
    return CONSENT_TITLES[ConsentKind(choice or ConsentKind.INFORMED)].lower()
RECEIPT_REPRINT = "receipt (reprint)"


def _receipt(uow: UnitOfWork, client_id: str, receipt_id: str | None, audit: AuditAction | None,
             protected: bool | None) -> ReceiptData:
    """The client's receipt `receipt_id` (None: the latest) as issued, marked VOID if voided since. By
    id, not number: two computers offline can issue one number twice (the billing dialog passes the
    receipt selected). A new receipt is issued, numbered, through services/receipts.issue_receipt
    (Client → Receipt… in the app, `notesdesk receipt`)."""
    data = receipts.find_receipt(uow, client_id, receipt_id=receipt_id).as_printed
    if audit is not None:
        summary.log_document(uow, client_id, audit, RECEIPT_REPRINT, protected)
    return data


def _render_receipt(data: ReceiptData, options: PdfOptions, _choice: Any) -> bytes:
    # The receipt's own paper and date, so every print of it is the same document.
    return receipts.render(data, options.password)


def _client_copy(model: ClientSummary, options: PdfOptions, choice: ClientCopyOptions | None) -> bytes:
    return render_client_summary(model, options, choice or ClientCopyOptions())


DOCUMENTS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind(
            "clinician", "Treatment summary (clinician)", "Treatment summary (clinician copy)",
            "treatment-summary-clinician", _summary("clinician"),
            lambda model, options, _choice: render_clinician_summary(model, options),
            lambda _choice: "treatment summary (clinician)",
        ),
        DocumentKind(
            "client", "Treatment summary (client copy)", "Treatment summary (client copy)",
            "progress-summary-for-client", _summary("client"), _client_copy,
            lambda _choice: "treatment summary (client)", choice=ClientCopyOptions,
        ),
        DocumentKind(
            "safety", "Safety plan", "Safety plan", "safety-plan", _plain(summary.safety_plan_sheet),
            lambda model, options, _choice: render_safety_plan(model, options),
            lambda _choice: "safety plan", needs="safety_plan",
        ),
        DocumentKind(
            "safety-blank", "Blank safety plan worksheet", "Blank safety plan worksheet",
            "safety-plan-worksheet", _plain(summary.blank_safety_plan_sheet),
            lambda model, options, _choice: render_safety_plan(model, options),
            lambda _choice: "blank safety plan",
        ),
        DocumentKind(
            "homework", "Homework sheet", "Homework sheet", "homework-sheet", _homework,
            lambda model, options, _choice: render_homework_sheet(model, options),
            lambda _choice: "homework sheet", choice=date,
        ),
        DocumentKind(
            "record", "Record for an access request", "Record for an access request",
            "record-of-care", _record,
            lambda model, options, _choice: render_access_record(model, options),
            lambda choice: summary.record_detail((choice or RecordChoice()).include_private),
            choice=RecordChoice,
        ),
        DocumentKind(
            "maintenance", "Maintenance plan", "Maintenance plan", "maintenance-plan",
            _plain(summary.maintenance_sheet),
            lambda model, options, _choice: render_maintenance_plan(model, options),
            lambda _choice: "maintenance plan", needs="maintenance_plan",
        ),
        DocumentKind(
            "consent", "Consent form", "Consent and agreement form", "agreement", _consent_form,
            _render_consent, _consent_audit_name,
            choice=ConsentKind,
        ),
        DocumentKind(
            "receipt", "Latest receipt (reprint)", "Receipt (reprint)", "receipt", _receipt,
            _render_receipt, lambda _choice: RECEIPT_REPRINT, needs="receipt", choice=str,
        ),
        DocumentKind(
            "plan-signature", "Plan signature page", "Plan signature page (for the client to sign)",
            "plan-signature-page", _plain(plan_signature_sheet),
            lambda model, options, _choice: render_plan_signature(model, options),
            lambda _choice: "plan signature page", needs="signed_plan",
        ),
    )
}
"""Every document, in the Reports menu's order."""


def make_document(
    uow: UnitOfWork,
    key: str,
    client_id: str,
    options: PdfOptions,
    choice: Any = None,
    audit: AuditAction | None = AuditAction.EXPORT,
) -> bytes:
    """Read and render one document (the CLI's path; the app renders off the UI thread, so it calls
    gather and render apart). The read is audited as `audit`, with whether the PDF is protected."""
    kind = DOCUMENTS[key]
    model = kind.gather(uow, client_id, choice, audit, options.password is not None)
    return kind.render(model, options, choice)
