"""The overview: where the client is at a glance. Read-only; refreshed after every change.

In privacy mode (initials only, for screen sharing) the client's names are masked in the text shown and
the client's own words are not shown at all; switching the mode redraws it at once."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from notesdesk.core.domain.common import today
from notesdesk.core.domain.names import mask_names
from notesdesk.core.domain.paperwork import ConsentKind
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.widgets.ink import redraw_on_palette_change, risk_style
from notesdesk.ui.workspace.measures.overview_box import MeasuresSummary
from notesdesk.ui.workspace.overview.attachments_box import AttachmentsBox
from notesdesk.ui.workspace.overview.data import ClientHeader, OverviewData, drafts_text, load_overview
from notesdesk.ui.workspace.overview.paperwork_box import PaperworkBox
from notesdesk.ui.workspace.overview.sharing_line import SharingLine
from notesdesk.ui.workspace.overview.visits_box import DiagnosesBox, NextSessionBox
from notesdesk.ui.workspace.widgets import named, scrolled


def _esc(text: str) -> str:
    return html.escape(text)


HIDDEN_WORDS = "the client's own words are hidden in privacy mode"

# (key, title, row, column, columns spanned)
PARTS = (
    ("phase", "Phase of care", 0, 0, 1),
    ("plan", "Treatment plan and next review", 0, 1, 1),
    ("notes", "Session notes", 1, 0, 1),
    ("safety", "Safety plan", 1, 1, 1),
    ("goals", "Goals and their status", 2, 0, 1),
    ("homework", "Homework adherence (last 4 weeks)", 2, 1, 1),
    ("milestones", "Milestones reached", 3, 0, 2),
)


# What the overview shows and re-reads after. Notes are left out: a draft autosaves every few seconds,
# and the workspace refreshes the overview whenever it is brought to the front.
# Diagnoses, the next session and attachments refresh their own boxes.
SHOWN_KINDS = frozenset(Kind) - {Kind.NOTE, Kind.PRIVATE_NOTE, Kind.TEMPLATE, Kind.DIAGNOSIS,
                                 Kind.NEXT_SESSION, Kind.ATTACHMENT, Kind.CONSENT, Kind.LETTER}


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{_esc(empty)}</p>"
    return "<ul style='margin-left:-20px'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def header_html(header: ClientHeader | None, privacy: bool) -> str:
    """'<big>Zoë Ó Briain</big> (Zoë) · 36 · she/her<br>Phone … · Emergency contact …'. In privacy mode:
    the initials only, and neither phone nor emergency contact (either may name someone)."""
    if header is None:
        return ""
    if privacy:
        first = f"<span style='font-size:large'><b>{_esc(header.initials)}</b></span>"
    else:
        called = f" (“{_esc(header.preferred_name)}”)" if header.preferred_name else ""
        first = f"<span style='font-size:large'><b>{_esc(header.name)}</b></span>{called}"
    facts = [first]
    if header.age is not None:
        facts.append(f"{header.age} years old")
    if header.pronouns:
        facts.append(_esc(header.pronouns))
    line = " · ".join(facts)
    if privacy:
        return line
    reach = [f"Phone {_esc(header.phone)}" if header.phone else "No phone recorded",
             f"Emergency contact: {_esc(header.emergency_contact)}" if header.emergency_contact
             else "No emergency contact recorded"]
    return line + "<br>" + " · ".join(reach)


class OverviewTab(QWidget):
    sig_safety_plan_requested = Signal()
    """The user wants the safety plan (to review it: the risk loop's flag)."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self.data: OverviewData | None = None
        self.labels: dict[str, QLabel] = {}
        self.review_safety_plan = named(QPushButton("Review the safety plan…"),
                                        "Open the safety plan to review it with the client")
        self.review_safety_plan.clicked.connect(self.sig_safety_plan_requested)
        inner = QWidget()
        grid = QGridLayout(inner)
        # Who this is: name, age, pronouns, phone and emergency contact, above everything else.
        self.header = named(QLabel(), "Client")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        flag = Qt.TextInteractionFlag
        self.header.setTextInteractionFlags(flag.TextSelectableByMouse | flag.TextSelectableByKeyboard)
        top = 2  # the grid's parts start under the header and the practice's "Shared with" line
        grid.addWidget(self.header, 0, 0, 1, 2)
        self.sharing = SharingLine(ctx, client_id)  # a vault in a group practice only
        grid.addWidget(self.sharing, 1, 0, 1, 2)
        for key, title, row, column, span in PARTS:
            box = QGroupBox(title)
            box.setAccessibleName(title)
            label = named(QLabel(), title)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            flag = Qt.TextInteractionFlag
            label.setTextInteractionFlags(flag.TextSelectableByMouse | flag.TextSelectableByKeyboard)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            inside = QVBoxLayout(box)
            inside.addWidget(label)
            if key == "safety":
                inside.addWidget(self.review_safety_plan, 0, Qt.AlignmentFlag.AlignLeft)
            self.labels[key] = label
            grid.addWidget(box, row + top, column, 1, span)
        rows = max(row for _k, _t, row, _c, _s in PARTS) + 1 + top
        # Outcome measures: the latest score of each instrument with its change label, and the flags.
        self.measures_slot = QGroupBox("Measures")
        self.measures_slot.setAccessibleName("Outcome measures")
        self.measures_summary = MeasuresSummary(ctx, client_id)
        QVBoxLayout(self.measures_slot).addWidget(self.measures_summary)
        grid.addWidget(self.measures_slot, rows, 0, 1, 2)
        # The paperwork of the visits: diagnoses and the next session, each with its own controls.
        self.diagnoses = DiagnosesBox(ctx, client_id)
        self.next_session = NextSessionBox(ctx, client_id)
        grid.addWidget(self.diagnoses, rows + 1, 0, 1, 2)
        grid.addWidget(self.next_session, rows + 2, 0, 1, 2)
        self.attachments = AttachmentsBox(ctx, client_id)  # scans and letters kept with the record
        grid.addWidget(self.attachments, rows + 3, 0, 1, 2)
        self.paperwork = PaperworkBox(ctx, client_id, preview=self._preview_form)
        grid.addWidget(self.paperwork, rows + 4, 0, 1, 2)
        rows += 4
        grid.setRowStretch(rows + 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolled(inner, "Client overview"))
        ctx.prefs.signals.sig_privacy_changed.connect(self._on_privacy)
        redraw_on_palette_change(self, lambda: self._on_privacy(False))  # the risk red of the new scheme
        ctx.session.for_client(client_id).on_change(self, SHOWN_KINDS, self.refresh)
        self.refresh()

    def _preview_form(self, client_id: str, kind: ConsentKind) -> None:
        """The agreement form of the registry (Reports menu's "Consent form…"), for this kind."""
        from notesdesk.ui.printing.documents import ReportActions

        self._reports = ReportActions(self._ctx, client_id, self.window())
        self._reports.preview("consent", kind)

    def text(self, key: str) -> str:
        return self.labels[key].text()

    def refresh(self) -> None:
        try:
            data = load_overview(self._ctx.uow, self._client_id, today())
            self.measures_summary.refresh()
        except Exception as exc:
            self._ctx.errors.present(exc)
            return
        self.data = data
        self._show(data)

    def _on_privacy(self, _on: bool) -> None:
        if self.data is not None:
            self._show(self.data)

    def _show(self, data: OverviewData) -> None:
        privacy = self._ctx.prefs.privacy_mode

        def free(text: str) -> str:  # free text that may name the client
            return _esc(mask_names(text, data.name_words) if privacy else text)

        since = f" (since {data.phase_since.isoformat()})" if data.phase_since else ""
        self.labels["phase"].setText(
            f"<b>{_esc(data.phase)}</b>{since}" if data.phase else "Not set yet (Milestones tab)"
        )
        if data.next_review is None:
            review = "No review date (no active plan)"
        elif data.review_overdue:
            review = f"<b>Review overdue: was due {data.next_review.isoformat()}</b>"
        else:
            review = f"Next review due {data.next_review.isoformat()}"
        agreed = f"<br>{_esc(data.agreement)}" if data.agreement else ""
        self.labels["plan"].setText(f"{_esc(data.plan_label)}<br>{review}{agreed}")
        self.header.setText(header_html(data.header, privacy))
        self.attachments.set_masked(data.name_words if privacy else ())
        drafts = _esc(drafts_text(data.drafts, data.late_drafts, today(), data.notes_total))
        self.labels["notes"].setText(f"<b>{drafts}</b>" if data.late_drafts else drafts)
        goals = []
        for goal in data.goals:
            words = ""
            if goal.client_words:
                quoted = f"({HIDDEN_WORDS})" if privacy else f"“{_esc(goal.client_words)}”"
                words = f"<br><i>{quoted}</i>"
            goals.append(f"{free(goal.statement)} — <b>{_esc(goal.status)}</b>{words}")
        self.labels["goals"].setText(_list(goals, "No goals yet"))
        if data.adherence is None:
            adherence = "No check-ins in the last 4 weeks"
        else:
            adherence = f"<b>{data.adherence:.0%}</b> ({data.checkin_counts})"
        if data.overdue:
            adherence += f"<br><b>{data.overdue} overdue</b>"
        self.labels["homework"].setText(adherence)
        reached = [
            f"{free(m.title)} — {_esc(m.kind)}{', ' + _esc(m.dimension) if m.dimension else ''}, "
            f"{_esc(m.status_text())}"
            for m in data.milestones_reached
        ]
        total = f"<p>{len(data.milestones_reached)} of {data.milestones_total} reached</p>"
        self.labels["milestones"].setText(
            (total if data.milestones_total else "") + _list(reached, "None reached yet")
        )
        style = risk_style(QApplication.palette())
        loop = "".join(f"<br><b{style}>{_esc(m)}</b>" for m in data.safety_flags)
        self.labels["safety"].setText(_esc(data.safety_plan) + loop)
        self.review_safety_plan.setVisible(bool(data.safety_flags))
