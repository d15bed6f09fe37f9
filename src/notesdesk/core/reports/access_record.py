"""Record for an access request: signed progress notes with addenda, plans, measures.

Psychotherapy notes appear only when the read model carries them, which happens only when the
practitioner explicitly includes them (`services.summary.access_record(include_private=True)`).
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from notesdesk.core.codes.currencies import format_amount
from notesdesk.core.domain.notes import Delivery, MaintenancePlan, Signature
from notesdesk.core.domain.summaries import AccessRecord, NoteEntry, ReviewRow
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.clinician import episodes_text
from notesdesk.core.reports.flow import (
    boxed,
    data_table,
    gap,
    heading,
    keep,
    kv_table,
    markup,
    nothing,
    para,
    section,
)
from notesdesk.core.reports.fonts import MONO
from notesdesk.core.reports.paperwork import paperwork_sections
from notesdesk.core.reports.plan_flow import measures_table, plan_body, plan_facts, reviews_table
from notesdesk.core.reports.receipt import receipt_label
from notesdesk.core.reports.styles import ZEBRA
from notesdesk.core.reports.text import clean, short_date, stamp, time_range


class AccessRecordDoc(Renderer):
    title = "Record of care"

    def __init__(self, record: AccessRecord, options: PdfOptions) -> None:
        self.r = record
        running = f"Record of care \u00b7 {record.identification.name}"
        super().__init__(record.practitioner, options, running=running)

    def _stamp(self, when: datetime) -> str:
        return stamp(when, self.locale())

    def _signed_line(self, signature: Signature | None, verified: bool | None) -> Paragraph:
        if signature is None:
            return markup("<b>Draft: not signed.</b>", self.styles, "Muted")
        who = ", ".join(x for x in (signature.signer, signature.credentials) if x)
        text = f"Signed electronically by {clean(who)} on {self._stamp(signature.signed_at)}"
        if verified is True:
            text += " \u00b7 signature checked"
        elif verified is False:
            text += " \u00b7 <font color='#8A2D1B'><b>signature does not check out</b></font>"
        return markup(text + ".", self.styles, "Muted")

    def _intro(self) -> list[Flowable]:
        who = self.practitioner.name or "your practitioner"
        text = (f"This is a copy of the record kept by {clean(who)}: the signed progress notes with any "
                "later additions (addenda), the treatment plans and the questionnaire scores.")
        if self.r.drafts_left_out:
            text += " Notes that were not yet signed when this copy was made are not included."
        if self.r.includes_private:
            text += (" <b>This copy also includes psychotherapy notes</b>, released with the client's "
                     "specific authorization.")
        out: list[Flowable] = [markup(text, self.styles)]
        if self.r.key_fingerprint:
            out.append(markup(
                "Each signed note can be checked against the practitioner's signing key, fingerprint "
                f"<font name='{MONO}'>{clean(self.r.key_fingerprint)}</font>.", self.styles, "Muted"))
        return out

    def _client(self) -> list[Flowable]:
        ident, loc = self.r.identification, self.locale()
        pairs = [
            ("Name", ident.name),
            ("Date of birth", short_date(ident.date_of_birth, loc) if ident.date_of_birth else ""),
            ("Episodes of care", episodes_text(self.r.episodes, loc)),
            ("Diagnoses (ICD-10-CM)", "\n".join(
                f"{d.code} {d.description}" + (f" — {d.text}" if d.text else "") for d in self.r.diagnoses)),
        ]
        return section("Client", [kv_table(pairs, self.frame_width, self.styles, 0.25)], self.styles)

    def _plans(self) -> list[Flowable]:
        w, loc = self.frame_width, self.locale()
        if not self.r.plans:
            return section("Treatment plans", [nothing("No treatment plan on file.", self.styles)],
                           self.styles)
        out: list[Flowable] = [heading("Treatment plans", self.styles)]
        for plan in self.r.plans:
            out.append(keep([heading(f"Plan version {plan.version}", self.styles, 2),
                             plan_facts(plan, w, self.styles, loc, with_diagnoses=True)]))
            out += plan_body(plan, w, self.styles, loc)
            if plan.reviews:
                rows = [ReviewRow(plan.version, r.review_date, r.outcome.value, r.summary)
                        for r in plan.reviews]
                out += [gap(2 * mm), reviews_table(rows, w, self.styles, loc), gap(4 * mm)]
        return out

    def _note(self, entry: NoteEntry) -> list[Flowable]:
        n, loc = entry.note, self.locale()
        when = time_range(n.start_time, n.end_time, loc)
        kind = n.template_name or n.format.value
        where = "video" if n.delivery is Delivery.VIDEO else ""
        code = f"CPT {n.cpt_code}" if n.cpt_code else ""
        parts = [short_date(n.session_date, loc), n.session_type.value, where, when, kind, code]
        head: list[Flowable] = [heading(" \u00b7 ".join(p for p in parts if p), self.styles, 2)]
        body: list[Flowable] = []
        for s in n.sections:
            if s.text.strip():
                body.append(markup(f"<b>{clean(s.title)}</b><br/>{clean(s.text)}", self.styles))
        if n.interventions:
            body.append(markup(f"<b>Interventions:</b> {clean(', '.join(n.interventions))}", self.styles))
        if n.risk_text:
            body.append(markup(f"<b>Risk:</b> {clean(n.risk_text).replace(chr(10), '<br/>')}", self.styles))
        if n.maintenance_plan is not None:
            body.append(self._maintenance(n.maintenance_plan))
        body.append(self._signed_line(n.signature, entry.verified if n.signature else None))
        first = body[:1]
        out: list[Flowable] = [keep(head + first), *body[1:]]
        for a in entry.addenda:
            added = self._stamp(a.created_at)
            inner = [markup(f"<b>{clean(a.kind.value.capitalize())}</b> added {added}<br/>{clean(a.text)}",
                            self.styles, "Small"),
                     self._signed_line(a.signature, entry.verified)]
            out += [gap(1.5 * mm), boxed(inner, self.frame_width, ZEBRA, pad=6)]
        return out

    def _maintenance(self, plan: MaintenancePlan) -> Paragraph:
        parts = [
            ("What changed", plan.what_changed),
            ("Skills to practise", "; ".join(plan.skills_to_practise)),
            ("Early warning signs", "; ".join(plan.early_warning_signs)),
            ("If they appear", plan.what_to_do),
            ("When to come back", plan.when_to_return),
        ]
        lines = [f"<i>{label}:</i> {clean(text)}" for label, text in parts if text.strip()]
        return markup("<b>Maintenance plan</b><br/>" + "<br/>".join(lines), self.styles)

    def _notes(self) -> list[Flowable]:
        if not self.r.notes:
            return section("Progress notes", [nothing("No signed progress notes.", self.styles)], self.styles)
        out: list[Flowable] = [heading("Progress notes", self.styles)]
        for entry in self.r.notes:
            out += self._note(entry) + [gap(3 * mm)]
        return out

    def _private(self) -> list[Flowable]:
        if not self.r.includes_private:
            return []
        if not self.r.private_notes:
            return section("Psychotherapy notes", [nothing("None on file.", self.styles)], self.styles)
        out: list[Flowable] = [heading("Psychotherapy notes", self.styles)]
        for p in self.r.private_notes:
            out.append(keep([heading(short_date(p.note_date, self.locale()), self.styles, 2),
                                     para(p.text, self.styles)]))
        return out

    def _attachments(self) -> list[Flowable]:
        if not self.r.attachments:
            return []
        loc = self.locale()
        lines = [
            f"{short_date(a.added_on, loc)} · {clean(a.title)} · {clean(a.file_name)} "
            f"({a.media_type.value}, {max(1, round(a.size / 1024))} KB)"
            for a in self.r.attachments
        ]
        intro = markup("Documents kept with the record (a copy of each is given with this record on "
                       "request):", self.styles, "Muted")
        return section("Attached documents", [intro, markup("<br/>".join(lines), self.styles)], self.styles)
    def _billing(self) -> list[Flowable]:
        """What was paid and the receipts issued (their numbers and totals as issued)."""
        if not self.r.payments and not self.r.receipts:
            return []
        w, loc = self.frame_width, self.locale()
        out: list[Flowable] = [heading("Payments and receipts", self.styles)]
        if self.r.payments:
            rows = [[short_date(p.paid_on, loc), p.method.value, format_amount(p.amount, p.currency),
                     f"{len(p.note_ids)} session(s)" if p.note_ids else "on account"]
                    for p in self.r.payments]
            out.append(data_table(["Paid on", "Method", "Amount", "For"], rows,
                                  [w * 0.25, w * 0.25, w * 0.25, w * 0.25], self.styles))
        if self.r.receipts:
            rows = [[receipt_label(r.as_printed), short_date(r.data.issued_on, loc),
                     f"{short_date(r.data.period_from, loc)} \u2013 {short_date(r.data.period_to, loc)}",
                     format_amount(r.data.total, r.data.currency),
                     format_amount(r.data.paid, r.data.currency)] for r in self.r.receipts]
            out += [gap(3 * mm), data_table(["Issued", "On", "Sessions", "Total", "Paid"], rows,
                                            [w * 0.18, w * 0.18, w * 0.34, w * 0.15, w * 0.15], self.styles)]
        return out

    def story(self) -> list[Flowable]:
        ident = self.r.identification
        out: list[Flowable] = [
            markup("Record of care", self.styles, "Title"),
            markup(f"Copy for {clean(ident.name)} \u00b7 prepared {clean(self.date(self.r.prepared_on))}",
                   self.styles, "Subtitle"),
        ]
        out += self._intro() + self._client() + self._attachments() + self._plans() + self._notes()
        out += section("Questionnaire scores",
                       [measures_table(self.r.measures, self.frame_width, self.styles, self.locale())],
                       self.styles)
        out += paperwork_sections(self.r.consents, self.r.letters, self.styles, self.date)
        return out + self._billing() + self._private()


def render_access_record(record: AccessRecord, options: PdfOptions | None = None) -> bytes:
    """The record for an access request, as PDF bytes."""
    return AccessRecordDoc(record, options or PdfOptions()).render()
