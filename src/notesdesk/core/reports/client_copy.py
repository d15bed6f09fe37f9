"""Treatment summary, client copy: plain language, larger type, the client's own words.

No diagnosis codes, no clinical assessment (presenting concerns, bands, phase names) unless the
clinician ticks them in through `ClientCopyOptions`; never psychotherapy notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from notesdesk.core.domain.plans import Goal, Objective, ObjectiveStatus, PlanStatus
from notesdesk.core.domain.summaries import ClientCopyOptions, ClientSummary, MeasureChange
from notesdesk.core.measures.objectives import names_instrument
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.charts import CLIENT_CUTOFF, chart_block
from notesdesk.core.reports.crisis_lines import lines_for
from notesdesk.core.reports.flow import boxed, bullets, gap, keep, markup, nothing, para, section
from notesdesk.core.reports.styles import CALM_FILL
from notesdesk.core.reports.text import clean

BULLET = "\u2022"
PROGRESS_WORDS = {
    "reached": "reached",
    "moving": "making progress",
    "working": "under way",
    "starting": "just starting",
}
MOVING = (ObjectiveStatus.ACHIEVED, ObjectiveStatus.PARTIALLY_ACHIEVED, ObjectiveStatus.IN_PROGRESS)


def _measured_progress(objective: Objective, changes: Sequence[MeasureChange]) -> bool:
    """The objective's linked measure moved by at least its instrument's minimal change since baseline."""
    text = objective.linked_measure.strip()
    return bool(text) and any(c.progressing for c in changes
                              if names_instrument(text, c.instrument_id, c.instrument))


def goal_progress(goal: Goal, changes: Sequence[MeasureChange] = ()) -> str:
    """A plain-language word for where a goal stands. 'Making progress' needs the data behind it: an
    objective under way whose linked measure has improved by at least the minimal change (the
    instrument's own, with its source). Work under way without that evidence is 'under way': a status
    set by hand alone never tells the client they are improving."""
    live = [o for o in goal.objectives if o.status != ObjectiveStatus.DISCONTINUED]
    if live and all(o.status == ObjectiveStatus.ACHIEVED for o in live):
        return PROGRESS_WORDS["reached"]
    moving = [o for o in live if o.status in MOVING]
    if any(_measured_progress(o, changes) for o in moving):
        return PROGRESS_WORDS["moving"]
    if moving:
        return PROGRESS_WORDS["working"]
    return PROGRESS_WORDS["starting"]


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


class ClientCopy(Renderer):
    title = "Your progress summary"
    base_size = 12.5
    footer_note = ""
    top_margin = 28 * mm

    def __init__(self, summary: ClientSummary, options: PdfOptions, copy: ClientCopyOptions) -> None:
        self.s = summary
        self.copy = copy
        super().__init__(summary.practitioner, options, running=f"Your progress summary \u00b7 "
                                                                f"{summary.identification.display_name}")

    @property
    def finished(self) -> bool:
        return self.s.identification.status == "discharged"

    def _goals(self) -> list[Flowable]:
        plan = self.s.plan
        goals = plan.goals() if plan else []
        title = "What we worked on" if self.finished else "What we are working on"
        if not goals:
            return section(title, [nothing("We will write your goals down together.", self.styles)],
                           self.styles)
        items = []
        for goal in goals:
            words = goal.client_words.strip() or goal.statement
            items.append(markup(f"\u201c{clean(words)}\u201d  <font color='#5B6770'>\u2014 "
                                f"{goal_progress(goal, self.s.measures.changes)}</font>", self.styles,
                                "Bullet", BULLET))
        return section(title, items, self.styles)

    def _together(self) -> list[Flowable]:
        n = len(self.s.sessions)
        if n == 0:
            return []
        first, last = self.s.sessions[0].session_date, self.s.sessions[-1].session_date
        if n == 1:  # "once since" reads as if something came before
            text = f"We met {'once' if self.finished else 'for the first time'}, on {self.date(first)}."
        elif self.finished:
            text = f"We met {times(n)} between {self.date(first)} and {self.date(last)}."
        else:
            text = f"We have met {times(n)} since {self.date(first)}."
        return [gap(2 * mm), para(text, self.styles)]

    def _practice(self) -> list[Flowable]:
        active = [h for h in self.s.homework if h.active]
        if not active:
            if self.finished:
                return []
            return section("What you are practising",
                           [nothing("Nothing set at the moment.", self.styles)], self.styles)
        items: list[Flowable] = []
        listed: set[tuple[str, str, str]] = set()
        for h in active:
            same = (h.description.strip().casefold(), h.recurrence.value, h.rationale.strip().casefold())
            if same in listed:  # the same task given again while the first is open: one line for the client
                continue
            listed.add(same)
            how = {"daily": "every day", "weekly": "each week"}.get(h.recurrence.value, "")
            text = clean(h.description) + (f"  <font color='#5B6770'>({how})</font>" if how else "")
            if h.rationale:
                text += f"<br/><font size='{self.base_size * 0.85:.1f}' color='#5B6770'>Why: " \
                        f"{clean(h.rationale)}</font>"
            items.append(markup(text, self.styles, "Bullet", BULLET))
        return section("What you are practising", items, self.styles)

    def _milestones(self) -> list[Flowable]:
        reached = [m for m in self.s.milestones if m.reached]
        if not reached:
            return section("Milestones reached",
                           [nothing("Milestones will be listed here as you reach them.", self.styles)],
                           self.styles)
        items = [f"{m.title} ({self.date(m.achieved_on)})" if m.achieved_on else m.title for m in reached]
        return section("Milestones reached", bullets(items, self.styles), self.styles)

    def _chart(self) -> list[Flowable]:
        bands = self.copy.include_assessment
        charts = chart_block(self.s.measures, self.frame_width, show_bands=bands, font_size=9, height=50 * mm,
                             cutoff_label=CLIENT_CUTOFF)
        if not charts:
            return section("Your progress chart", [nothing(
                "Your chart will appear here once we have a few questionnaire scores.", self.styles)],
                self.styles)
        body: list[Flowable] = []
        lower_better = {s.instrument for s in self.s.measures.scales if s.higher_is_worse}
        if lower_better:
            body.append(para("On these questionnaires, a lower score means you are bothered less by the "
                             "problem.", self.styles))
        body += [keep([c, gap(2 * mm)]) for c in charts]
        return section("Your progress chart", body, self.styles)

    def _clinical(self) -> list[Flowable]:
        out: list[Flowable] = []
        if self.copy.include_assessment and self.s.presenting_concerns.strip():
            concerns = [para(self.s.presenting_concerns, self.styles)]
            out += section("What brought you here", concerns, self.styles)
        if self.copy.include_diagnoses and self.s.diagnoses:
            out += section("Diagnosis", bullets(self.s.diagnoses, self.styles), self.styles)
        if self.copy.include_assessment and self.s.current_phase is not None:
            out += section("Where we are in the work",
                           [para(f"We are in the {self.s.current_phase.phase} phase.", self.styles)],
                           self.styles)
        return out

    def _next_steps(self) -> list[Flowable]:
        steps = [s for s in self.copy.next_steps if s.strip()]
        plan = self.s.plan
        review = plan.review_due if plan is not None and plan.status == PlanStatus.ACTIVE else None
        if review is not None and review >= self.s.prepared_on:
            steps.append(f"We will look at your plan together again around {self.date(review)}.")
        if not steps and not self.finished:
            steps = ["We will talk about next steps at our next session."]
        if not steps:
            return []
        return section("Next steps", bullets(steps, self.styles), self.styles)

    def _help(self) -> list[Flowable]:
        lines = lines_for(self.country())
        parts = [f"<b>{clean(line.name)}</b>: {clean(line.reach)}" for line in lines.lines]
        text = "If things get very hard between sessions: " + ("; ".join(parts) + ". " if parts else "")
        text += clean(lines.emergency)
        return [gap(4 * mm), boxed([markup(text, self.styles, "Small")], self.frame_width, CALM_FILL)]

    def story(self) -> list[Flowable]:
        name = self.s.identification.display_name
        out: list[Flowable] = [
            markup("Your progress so far", self.styles, "Title"),
            markup(f"For {clean(name)} \u00b7 {clean(self.date(self.s.prepared_on))}", self.styles,
                   "Subtitle"),
        ]
        if self.copy.message.strip():
            out.append(para(self.copy.message, self.styles))
        out += self._clinical() + self._goals() + self._together() + self._practice() + self._milestones()
        out += self._chart()
        ending = self._next_steps()
        # The crisis box never sits alone on a last page: it travels with the end of the next steps.
        tail = ending[-1:] if ending else []
        return out + ending[:-1] + [keep(tail + self._help())]


def render_client_summary(
    summary: ClientSummary, options: PdfOptions | None = None, copy: ClientCopyOptions | None = None
) -> bytes:
    """Treatment summary, client copy, as PDF bytes."""
    return ClientCopy(summary, options or PdfOptions(), copy or ClientCopyOptions()).render()
