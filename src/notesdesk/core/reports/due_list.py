"""The "due at the next visit" list for a day: each client booked that day and what to bring up
(questionnaires, plan review, homework check-ins, safety-plan review), with the rules and sources."""

from __future__ import annotations

from reportlab.platypus import Flowable

from notesdesk.core.domain.summaries import PractitionerBlock
from notesdesk.core.domain.visits import DueList
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.flow import bullets, markup, nothing, section
from notesdesk.core.reports.text import clean


class DueListPage(Renderer):
    title = "Due at the next visit"  # generic: the PDF's metadata never names a client

    def __init__(self, due: DueList, practitioner: PractitionerBlock, options: PdfOptions) -> None:
        self.due = due
        running = f"Due at the next visit \u00b7 {due.day.isoformat()}"
        super().__init__(practitioner, options, running=running)

    def story(self) -> list[Flowable]:
        out: list[Flowable] = [
            markup("Due at the next visit", self.styles, "Title"),
            markup(clean(self.date(self.due.day)), self.styles, "Subtitle"),
        ]
        if not self.due.visits:
            out.append(nothing("No client has a session booked on this day.", self.styles))
        for visit in self.due.visits:
            lines = [f"{item.kind.value.capitalize()}: {item.what}" for item in visit.items]
            body = bullets(lines, self.styles) if lines else [
                nothing("Nothing due.", self.styles)]
            out += section(visit.client_name, body, self.styles)
        rules = [f"{kind.capitalize()}: {rule} Source: {source}" for kind, rule, source in self.due.rules]
        out += section("How each item is chosen", bullets(rules, self.styles),
                       self.styles)
        return out


def render_due_list(
    due: DueList, practitioner: PractitionerBlock, options: PdfOptions | None = None
) -> bytes:
    return DueListPage(due, practitioner, options or PdfOptions()).render()
