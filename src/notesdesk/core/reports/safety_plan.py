"""The safety plan: one page for the client to keep, seven sections in our own words.

It follows the published components of safety planning (Stanley & Brown 2012) without reproducing
their form's wording or layout (docs/clinical-sources.md). Crisis lines come from the practitioner's
locale (`crisis_lines`) plus any the plan names; the emergency number is always printed.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Table, TableStyle

from notesdesk.core.domain.care import SAFETY_PLAN_SECTIONS, Contact, SafetyPlan
from notesdesk.core.domain.summaries import SafetyPlanSheet
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.crisis_lines import lines_for
from notesdesk.core.reports.flow import FONT, Para, WriteLines, boxed, gap, markup
from notesdesk.core.reports.fonts import SANS_BOLD
from notesdesk.core.reports.styles import ACCENT, RULE, WARN_FILL, WARN_INK
from notesdesk.core.reports.text import clean

PROMPTS: dict[str, str] = {
    "warning_signs": "Thoughts, feelings, places or habits that tell me things are getting harder.",
    "coping_strategies": "Things that help me feel steadier, without needing anyone else.",
    "distractions": "People to be around and places to go that take my mind off things.",
    "people_to_ask": "People I trust to tell that I am struggling.",
    "professionals": "Who to call for professional help, day or night.",
    "safe_environment": "Steps that keep me safe, like putting things that could hurt me out of reach.",
    "reason_for_living": "",
}


class Badge(Flowable):
    """A numbered disc marking each step."""

    def __init__(self, number: int, size: float = 6.5 * mm) -> None:
        super().__init__()
        self.number = number
        self.width = self.height = size

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        r = self.width / 2
        self.canv.setFillColor(ACCENT)
        self.canv.circle(r, r, r, stroke=0, fill=1)
        self.canv.setFillColor(colors.white)
        self.canv.setFont(SANS_BOLD, r * 1.15)
        self.canv.drawCentredString(r, r * 0.6, str(self.number))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def contact_text(contact: Contact) -> str:
    text = f"<b>{clean(contact.name)}</b>"
    if contact.phone:
        text += f"  {clean(contact.phone)}"
    if contact.note:
        text += f"  <font color='#5B6770'>({clean(contact.note)})</font>"
    return text


class SafetyPlanPage(Renderer):
    title = "Safety plan"
    base_size = 10.5
    footer_note = ""

    def __init__(self, sheet: SafetyPlanSheet, options: PdfOptions) -> None:
        self.sheet = sheet
        super().__init__(sheet.practitioner, options, running=f"Safety plan \u00b7 {sheet.client_name}")

    def _items(self, key: str) -> list[str]:
        """Each line of a section as markup (already cleaned)."""
        plan: SafetyPlan = self.sheet.plan
        if key in ("people_to_ask",):
            return [contact_text(c) for c in plan.people_to_ask]
        if key == "professionals":
            out = [contact_text(c) for c in (*plan.professionals, *plan.crisis_lines)]
            named = {_digits(c.phone) for c in plan.crisis_lines if c.phone}
            for line in lines_for(self.country()).lines:
                if _digits(line.number) not in named:
                    out.append(f"<b>{clean(line.name)}</b>  {clean(line.reach)}")
            return out
        if key == "reason_for_living":
            return [clean(plan.reason_for_living)] if plan.reason_for_living.strip() else []
        return [clean(item) for item in getattr(plan, key) if item.strip()]

    def _section(self, number: int, key: str, title: str) -> Table:
        body: list[Flowable] = [Para(f"<b>{clean(title)}</b>", self.styles["H2"])]
        if PROMPTS.get(key):
            body.append(Para(clean(PROMPTS[key]), self.styles["Muted"]))
        items = self._items(key)
        style = "BodyItalic" if key == "reason_for_living" else "Bullet"
        bullet = None if key == "reason_for_living" else "\u2022"
        body += [markup(item, self.styles, style, bullet) for item in items]
        if len(items) < 2 and key != "reason_for_living":  # room to add one by hand
            body.append(WriteLines(2 - len(items), 7 * mm))
        elif not items:
            body.append(WriteLines(1, 7 * mm))
        table = Table([[Badge(number), body]], colWidths=[10 * mm, self.frame_width - 10 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([
            FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("LEFTPADDING", (1, 0), (1, 0), 2 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (1, 0), (1, 0), 0.5, RULE),
        ]))
        return table

    def _emergency(self) -> Table:
        lines = lines_for(self.country())
        first = lines.lines[0] if lines.lines else None
        text = f"<b>{clean(lines.emergency)}</b>"
        if first is not None:
            text += f"<br/>{clean(first.name)}: {clean(first.reach)}."
        return boxed([Para(text, self.styles["Warn"])], self.frame_width, WARN_FILL, WARN_INK)

    def story(self) -> list[Flowable]:
        sheet, plan = self.sheet, self.sheet.plan
        reviewed = f" \u00b7 reviewed {clean(self.date(plan.last_reviewed))}" if plan.last_reviewed else ""
        # Version 0: a blank worksheet (services.summary.blank_safety_plan_sheet), to fill in together.
        prepared = clean(self.date(sheet.prepared_on))
        blank = f"to fill in together \u00b7 {prepared}"
        which = f"version {plan.version}{reviewed}" if plan.version else blank
        content: list[Flowable] = [
            markup("My safety plan", self.styles, "Title"),
            markup(f"For {clean(sheet.client_name)} \u00b7 {which}", self.styles, "Subtitle"),
            markup("Keep this somewhere easy to find. When things get hard, start at step 1 and keep going "
                   "until you feel safer.", self.styles),
            gap(2 * mm),
        ]
        for number, (key, title) in enumerate(SAFETY_PLAN_SECTIONS, start=1):
            content += [self._section(number, key, title), gap(2.5 * mm)]
        content.append(self._emergency())
        # One page, always: if a plan is long, the type shrinks rather than spilling onto page 2.
        return [KeepInFrame(self.frame_width, self.frame_height - 1, content, mode="shrink")]


def render_safety_plan(sheet: SafetyPlanSheet, options: PdfOptions | None = None) -> bytes:
    """The client's safety plan on one page, as PDF bytes."""
    return SafetyPlanPage(sheet, options or PdfOptions()).render()
