"""The plan signature page: the goals and objectives of the active, signed plan version, in the
client's words where they exist, with signature and date lines for the client and the clinician, and
the version's fingerprint, so the signed paper can be matched to the signed version in the record."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from notesdesk.core.domain.plan_sheet import PlanSignatureSheet
from notesdesk.core.domain.plans import Goal, ObjectiveStatus
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.flow import FONT, WriteLines, gap, keep, markup, para, section
from notesdesk.core.reports.text import clean

SIGN_ROW = 14 * mm  # room to sign by hand above each line


class PlanSignaturePage(Renderer):
    title = "Our plan"
    base_size = 11.5
    footer_note = ""

    def __init__(self, sheet: PlanSignatureSheet, options: PdfOptions) -> None:
        self.sheet = sheet
        super().__init__(sheet.practitioner, options, running=f"Our plan \u00b7 {sheet.client_name}")

    def _goal(self, number: int, goal: Goal) -> list[Flowable]:
        words = goal.client_words.strip()
        body: list[Flowable] = [para(f"In your words: \u201c{words}\u201d" if words else goal.statement,
                                     self.styles)]
        if words:
            body.append(para(f"As we wrote it: {goal.statement}", self.styles, "Muted"))
        for objective in goal.objectives:
            if objective.status is ObjectiveStatus.DISCONTINUED:
                continue
            if objective.status is ObjectiveStatus.ACHIEVED:
                by = " (reached)"
            else:
                by = f" (by {clean(self.date(objective.target_date))})" if objective.target_date else ""
            text = f"{clean(objective.description)}{by}"
            if objective.measurable_criterion.strip():
                text += f"<br/><i>How we will know: {clean(objective.measurable_criterion)}</i>"
            body.append(markup(text, self.styles, "Bullet", bullet="\u2022"))
        return [keep(section(f"Goal {number}", body, self.styles))]

    def _signatures(self) -> list[Flowable]:
        p = self.practitioner
        clinician = ", ".join(x for x in (p.name, p.credentials) if x)
        width = self.frame_width
        rows: list[list[Flowable | str]] = [
            [para(who, self.styles, "Label"), WriteLines(1, SIGN_ROW), para("Date", self.styles, "Label"),
             WriteLines(1, SIGN_ROW)] for who in ("Client", "Clinician")]
        rows.append(["", para(clinician, self.styles, "Muted"), "", ""])  # the name under the line
        table = Table(rows, colWidths=[width * 0.16, width * 0.5, width * 0.09, width * 0.25], hAlign="LEFT")
        table.setStyle(TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return [table]

    def story(self) -> list[Flowable]:
        sheet, plan = self.sheet, self.sheet.plan
        assert plan.signature is not None
        out: list[Flowable] = [
            markup("Our plan", self.styles, "Title"),
            markup(f"{clean(sheet.client_name)} \u00b7 plan version {plan.version}, from "
                   f"{clean(self.date(plan.effective_date))} \u00b7 printed "
                   f"{clean(self.date(sheet.prepared_on))}", self.styles, "Subtitle"),
            para("These are the goals we have agreed to work on together, and how we will know they are "
                 "being reached.", self.styles),
        ]
        for number, goal in enumerate(plan.goals(), 1):
            out += self._goal(number, goal)
        agreement = [
            para("I have talked this plan through with my clinician, and I agree to work on it. I can ask "
                 "to change it at any time.", self.styles),
            gap(2 * mm),
            *self._signatures(),
            gap(4 * mm),
            para(f"Plan version {plan.version} was signed electronically by {plan.signature.signer}"
                 f"{', ' + plan.signature.credentials if plan.signature.credentials else ''} on "
                 f"{self.date(plan.signature.signed_at.date())}. Version fingerprint: "
                 f"{sheet.version_fingerprint} (signing key {sheet.key_fingerprint}).",
                 self.styles, "Muted"),
        ]
        out += [keep(section("Agreement", agreement, self.styles))]
        return out


def render_plan_signature(sheet: PlanSignatureSheet, options: PdfOptions | None = None) -> bytes:
    """The client's plan signature page, as PDF bytes."""
    return PlanSignaturePage(sheet, options or PdfOptions()).render()
