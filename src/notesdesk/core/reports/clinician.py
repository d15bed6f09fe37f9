"""Treatment summary, clinician copy: the whole course of care on a few pages.

Sessions appear as dates and formats only; psychotherapy-note content is never part of a summary
(the read model does not carry it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from notesdesk.core.domain.summaries import (
    ClientSummary,
    EpisodeDates,
    HomeworkRow,
    PlanVersionRow,
    SessionRow,
)
from notesdesk.core.reports.base import PdfOptions, Renderer
from notesdesk.core.reports.charts import chart_block
from notesdesk.core.reports.flow import (
    data_table,
    gap,
    keep,
    kv_table,
    nothing,
    para,
    section,
)
from notesdesk.core.reports.grid import Grid, GridCell, GridLook
from notesdesk.core.reports.plan_flow import (
    diagnoses_list,
    measures_table,
    plan_body,
    plan_facts,
    reviews_table,
)
from notesdesk.core.reports.styles import RULE
from notesdesk.core.reports.text import date_span, percent, plural, short_date

SESSION_COLUMNS = 3


def group_homework(rows: Sequence[HomeworkRow]) -> list[list[HomeworkRow]]:
    """The same task set week after week is one line, oldest assignment first."""
    groups: dict[str, list[HomeworkRow]] = {}
    for row in sorted(rows, key=lambda h: h.assigned_on):
        groups.setdefault(" ".join(row.description.casefold().split()), []).append(row)
    return sorted(groups.values(), key=lambda g: (not any(h.active for h in g), g[0].assigned_on))


def plan_version_text(row: PlanVersionRow, locale: str) -> str:
    """'v1 in effect Jan 30 – Nov 6, 2026 (superseded)', 'v2 in effect from Nov 6, 2026 (active)'."""
    v, start, end = f"v{row.version}", row.in_effect_from, row.in_effect_until
    if row.status == "draft":
        return f"{v} draft, not in effect yet"
    if start is None:
        return f"{v} ({row.status})"
    if end is not None:
        return f"{v} in effect {date_span(start, end, locale)} ({row.status})"
    return f"{v} in effect from {short_date(start, locale)} ({row.status})"


def sessions_text(sessions: Sequence[SessionRow], locale: str) -> str:
    """'31 sessions from … to … (30 notes signed, 1 not yet signed *)': every session counts, whether or
    not its note is signed yet; the star marks the unsigned ones in the grid below."""
    signed = sum(s.signed for s in sessions)
    unsigned = len(sessions) - signed
    first, last = sessions[0].session_date, sessions[-1].session_date
    span = f"from {short_date(first, locale)} to {short_date(last, locale)}"
    if unsigned == 0:
        notes = "every note signed" if len(sessions) > 1 else "note signed"
    else:
        notes = f"{plural(signed, 'note')} signed, {unsigned} not yet signed *"
    return f"{plural(len(sessions), 'session')} {span} ({notes})"


def episodes_text(episodes: Sequence[EpisodeDates], locale: str) -> str:
    parts = []
    for e in episodes:
        end = short_date(e.closed_on, locale) if e.closed_on else "ongoing"
        why = f" ({e.reason})" if e.reason and e.closed_on else ""
        parts.append(f"{short_date(e.opened_on, locale)} \u2013 {end}{why}")
    return "\n".join(parts)


class ClinicianSummary(Renderer):
    title = "Treatment summary"

    def __init__(self, summary: ClientSummary, options: PdfOptions) -> None:
        self.s = summary
        name = summary.identification.name
        super().__init__(summary.practitioner, options, running=f"Treatment summary \u00b7 {name}")

    # -- sections ----------------------------------------------------------------------------------

    def _empty(self, title: str, text: str) -> list[Flowable]:
        return section(title, [nothing(text, self.styles)], self.styles)

    def _identification(self) -> list[Flowable]:
        ident, loc = self.s.identification, self.locale()
        dob = short_date(ident.date_of_birth, loc) if ident.date_of_birth else ""
        pairs = [
            ("Name", ident.name),
            ("Preferred name", ident.preferred_name if ident.preferred_name != ident.name else ""),
            ("Pronouns", ident.pronouns),
            ("Date of birth", dob),
            ("Status", ident.status),
            ("Referral", ident.referral),
            ("Modality", ident.modality),
            ("Episodes of care", episodes_text(self.s.episodes, loc)),
        ]
        return section("Client", [kv_table(pairs, self.frame_width, self.styles, 0.25)], self.styles)

    def _concerns(self) -> list[Flowable]:
        body = [para(self.s.presenting_concerns, self.styles)] if self.s.presenting_concerns.strip() else [
            nothing("No presenting concerns recorded.", self.styles)]
        out = section("Presenting concerns", body, self.styles)
        out += section("Diagnoses", diagnoses_list(self.s.clinician_diagnoses, self.styles), self.styles)
        return out

    def _plan(self) -> list[Flowable]:
        plan, w, loc = self.s.plan, self.frame_width, self.locale()
        if plan is None:
            return self._empty("Treatment plan", "No treatment plan on file.")
        out = section("Treatment plan", [plan_facts(plan, w, self.styles, loc)], self.styles)
        out += plan_body(plan, w, self.styles, loc)
        history = [reviews_table(self.s.reviews, w, self.styles, loc)]
        if len(self.s.plan_versions) > 1:
            versions = "; ".join(plan_version_text(row, loc) for row in self.s.plan_versions)
            history.append(para(f"Plan versions: {versions}", self.styles, "Muted"))
        return out + section("Plan reviews", history, self.styles)

    def _session_grid(self, sessions: Sequence[SessionRow]) -> Grid:
        """Dates down three column pairs (date, then type in grey; * marks a note not yet signed)."""
        loc, cols = self.locale(), SESSION_COLUMNS
        per_col = -(-len(sessions) // cols)
        cells = [(short_date(s.session_date, loc), s.session_type + ("" if s.signed else " *"))
                 for s in sessions]
        rows = []
        for r in range(per_col):
            row: list[str] = []
            for c in range(cols):
                i = c * per_col + r
                row += list(cells[i]) if i < len(cells) else ["", ""]
            rows.append(row)
        third = self.frame_width / cols
        look = GridLook(pad_left=0, pad_right=2, pad_top=1, pad_bottom=1, rule=RULE,
                        muted_columns=frozenset(range(1, 2 * cols, 2)), muted=self.styles["Muted"].textColor)
        return Grid(rows, [third * 0.42, third * 0.58] * cols, [self.styles["Cell"]] * 2 * cols, look)

    def _sessions(self) -> list[Flowable]:
        sessions, loc = self.s.sessions, self.locale()
        if not sessions:
            return self._empty("Sessions attended", "No sessions recorded yet.")
        kinds = Counter(s.session_type for s in sessions)
        formats = Counter(s.note_format for s in sessions)
        facts = kv_table([
            ("Attended", sessions_text(sessions, loc)),
            ("Session types", ", ".join(f"{k} {n}" for k, n in kinds.most_common())),
            ("Note formats", ", ".join(f"{k} {n}" for k, n in formats.most_common())),
        ], self.frame_width, self.styles, 0.25)
        return section("Sessions attended", [facts, gap(2 * mm), self._session_grid(sessions)], self.styles)

    def _homework(self) -> list[Flowable]:
        rows, w, loc = self.s.homework, self.frame_width, self.locale()
        if not rows:
            return self._empty("Homework and practice", "No homework set.")
        until = short_date(self.s.adherence_until or self.s.prepared_on, loc)
        if self.s.adherence_recent is None:
            intro = para(f"No check-ins in the 28 days to {until}.", self.styles)
        else:
            made_of = "; ".join(part for part in (self.s.checkins_recent, self.s.adherence_rule) if part)
            intro = para(f"Homework adherence in the 28 days to {until}: {percent(self.s.adherence_recent)}"
                         + (f" ({made_of})" if made_of else ""), self.styles)
        table = data_table(
            ["Task", "Set", "Repeats", "Check-ins", "Done", "Now"],
            [self._homework_row(group) for group in group_homework(rows)],
            [w * 0.33, w * 0.25, w * 0.1, w * 0.13, w * 0.08, w * 0.11],
            self.styles,
        )
        return section("Homework and practice", [intro, table], self.styles)

    def _homework_row(self, group: list[HomeworkRow]) -> list[str]:
        loc = self.locale()
        first, last = group[0], group[-1]
        when = short_date(first.assigned_on, loc)
        if len(group) > 1:
            when += f" \u2013 {short_date(last.assigned_on, loc)} ({len(group)} times)"
        checkins = sum(h.checkins for h in group)
        done = sum(h.done for h in group)
        now = "active" if any(h.active for h in group) else "ended"
        return [first.description, when, first.recurrence.value, str(checkins),
                percent(done / checkins if checkins else None), now]

    def _milestones(self) -> list[Flowable]:
        rows, w, loc = self.s.milestones, self.frame_width, self.locale()
        out: list[Flowable] = []
        if rows:
            table_rows: list[list[GridCell]] = []
            for m in rows:
                what = [(self.styles["Cell"], m.title)]
                if m.criteria:
                    what.append((self.styles["Muted"], m.criteria))
                steps = " \u2192 ".join(
                    f"{s.status.value} {short_date(s.changed_on, loc)}" for s in m.history
                )
                kind = f"{m.kind}" + (f" \u00b7 {m.dimension}" if m.dimension else "")
                reached = short_date(m.achieved_on, loc) if m.achieved_on else ""
                table_rows.append([what, kind, m.status.value, reached, steps])
            out.append(data_table(["Milestone", "Kind", "Now", "First reached", "History"], table_rows,
                                  [w * 0.28, w * 0.15, w * 0.11, w * 0.14, w * 0.32], self.styles))
        else:
            out.append(nothing("No milestones set.", self.styles))
        current = self.s.current_phase
        if current is not None:
            out.append(gap(3 * mm))
            since = short_date(current.started_on, loc)
            out.append(para(f"Current phase of care: {current.phase}, since {since}.", self.styles))
            if len(self.s.phases) > 1:
                history = [[p.phase, short_date(p.started_on, loc), p.comment] for p in self.s.phases]
                out.append(data_table(["Phase", "From", "Comment"], history,
                                      [w * 0.3, w * 0.18, w * 0.52], self.styles))
        return section("Milestones and phase of care", out, self.styles)

    def _measures(self) -> list[Flowable]:
        w = self.frame_width
        body: list[Flowable] = [measures_table(self.s.measures, w, self.styles, self.locale())]
        if self.s.measures.across:  # beside the per-questionnaire labels, named by its definition
            body += [gap(2 * mm), para(f"Across questionnaires: {self.s.measures.across}.", self.styles)]
        charts = chart_block(self.s.measures, w)
        if charts:
            body.append(gap(3 * mm))
            body += [keep([c, gap(2 * mm)]) for c in charts]
        return section("Measures", body, self.styles)

    def _risk(self) -> list[Flowable]:
        loc, w = self.locale(), self.frame_width
        flags = self.s.risk_flags
        body: list[Flowable] = []
        if flags:
            body.append(data_table(["Date", "Noted", "Source"],
                                   [[short_date(f.noted_on, loc), f.text, f.source] for f in flags],
                                   [w * 0.16, w * 0.64, w * 0.2], self.styles))
        else:
            body.append(nothing("No risk noted in session notes or measures.", self.styles))
        sp = self.s.safety_plan
        if sp.exists:
            reviewed = short_date(sp.last_reviewed, loc) if sp.last_reviewed else "not recorded"
            text = (f"Safety plan: version {sp.version}, last reviewed {reviewed}; "
                    f"{sp.sections_filled} of {sp.sections_total} sections filled in.")
            body.append(gap(2 * mm))
            body.append(para(text, self.styles))
            if sp.missing:
                body.append(para(f"Still empty: {'; '.join(sp.missing)}.", self.styles, "Muted"))
        else:
            body.append(gap(2 * mm))
            body.append(para("Safety plan: none on file.", self.styles))
        return section("Risk and safety", body, self.styles)

    def _signature(self) -> list[Flowable]:
        p, loc = self.practitioner, self.locale()
        who = ", ".join(x for x in (p.name, p.credentials) if x) or "Practitioner"
        lines = [
            para(f"Prepared by {who} on {short_date(self.s.prepared_on, loc)}.", self.styles),
            gap(9 * mm),
            para("Signature ____________________________________    Date ________________", self.styles),
        ]
        if self.s.key_fingerprint:
            lines.append(gap(3 * mm))
            lines.append(para(
                "Progress notes in this record are signed electronically with the key whose fingerprint is "
                f"{self.s.key_fingerprint}.", self.styles, "Muted"))
        return [keep(section("Signature", lines, self.styles))]

    def story(self) -> list[Flowable]:
        ident = self.s.identification
        out: list[Flowable] = [
            para("Treatment summary", self.styles, "Title"),
            para(f"Clinician copy \u00b7 {ident.name} \u00b7 prepared {self.date(self.s.prepared_on)}",
                 self.styles, "Subtitle"),
        ]
        for part in (self._identification, self._concerns, self._plan, self._sessions, self._homework,
                     self._milestones, self._measures, self._risk, self._signature):
            out += part()
        return out


def render_clinician_summary(summary: ClientSummary, options: PdfOptions | None = None) -> bytes:
    """Treatment summary, clinician copy, as PDF bytes."""
    return ClinicianSummary(summary, options or PdfOptions()).render()

