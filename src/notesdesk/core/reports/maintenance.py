"""Maintenance plan at discharge: what changed, what keeps it going, early warning signs, what to do,
and when and how to come back. Built from the discharge note's MaintenancePlan."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from notesdesk.core.domain.summaries import MaintenanceSheet
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.crisis_lines import lines_for
from notesdesk.core.reports.flow import WriteLines, boxed, bullets, gap, keep, markup, para, section
from notesdesk.core.reports.styles import CALM_FILL
from notesdesk.core.reports.text import clean


class MaintenancePage(Renderer):
    title = "Maintenance plan"
    base_size = 12.0
    footer_note = ""

    def __init__(self, sheet: MaintenanceSheet, options: PdfOptions) -> None:
        self.sheet = sheet
        super().__init__(sheet.practitioner, options, running=f"Keeping it going \u00b7 {sheet.client_name}")

    def _part(self, title: str, text: str = "", items: tuple[str, ...] = ()) -> list[Flowable]:
        body: list[Flowable] = [para(text, self.styles)] if text.strip() else []
        body += bullets(items, self.styles)
        if not body:
            body = [WriteLines(2, 8 * mm)]
        return [keep(section(title, body, self.styles))]

    def _contact(self) -> list[Flowable]:
        p = self.practitioner
        who = ", ".join(x for x in (p.name, p.credentials) if x)
        text = ""
        if who or p.contact:
            contact = f", {clean(p.contact)}" if p.contact else ""
            text = f"To get in touch: <b>{clean(who)}</b>{contact}. "
        lines = lines_for(self.country())
        crisis = "; ".join(f"{clean(line.name)}: {clean(line.reach)}" for line in lines.lines)
        text += (f"If you are ever in crisis: {crisis}. " if crisis else "") + clean(lines.emergency)
        return [gap(5 * mm), boxed([markup(text, self.styles, "Small")], self.frame_width, CALM_FILL)]

    def story(self) -> list[Flowable]:
        sheet, plan = self.sheet, self.sheet.plan
        out: list[Flowable] = [
            markup("Keeping it going", self.styles, "Title"),
            markup(f"A plan for {clean(sheet.client_name)} after finishing therapy \u00b7 "
                   f"{clean(self.date(sheet.discharged_on))}", self.styles, "Subtitle"),
        ]
        out += self._part("What changed", plan.what_changed)
        out += self._part("Skills and habits that keep it going", items=plan.skills_to_practise)
        out += self._part("Early warning signs to watch for", items=plan.early_warning_signs)
        out += self._part("If they appear", plan.what_to_do)
        out += self._part("When and how to come back", plan.when_to_return)
        return out[:-1] + [keep([out[-1], *self._contact()])]  # the contact box never stands alone


def render_maintenance_plan(sheet: MaintenanceSheet, options: PdfOptions | None = None) -> bytes:
    """The maintenance plan at discharge, as PDF bytes."""
    return MaintenancePage(sheet, options or PdfOptions()).render()
