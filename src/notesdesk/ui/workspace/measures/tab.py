"""Measures: give a questionnaire in session (or hand the laptop to the client), then see the score,
its change against the episode baseline, the flags, the history table and the trend chart.

Scoring, change labels and flags all come from core.services.measures; this tab only shows them.
In 'hand to client' mode the questionnaire fills the screen in its own (modal) window, and the window
behind it shows only "Questionnaire in progress" until the clinician takes the laptop back
(measures_client).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import SessionNote
from notesdesk.core.measures import Flag, Instrument, builtin_instruments
from notesdesk.core.services import measures, notes
from notesdesk.core.services.measures import MeasureRow
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.widgets.ink import redraw_on_palette_change, risk_style
from notesdesk.ui.workspace.fitting import FillingScrollArea, FittingTable
from notesdesk.ui.workspace.measures.chart import TrendChart
from notesdesk.ui.workspace.measures.data import (
    FLAG_TITLES,
    RISK_KINDS,
    can_hand_to_client,
    chart_spec,
    ordered,
    outcome_instruments,
)
from notesdesk.ui.workspace.measures.form import AdministerForm
from notesdesk.ui.workspace.measures.handover import ClientWindow, WindowCover
from notesdesk.ui.workspace.measures.models import MeasureHistoryModel
from notesdesk.ui.workspace.measures.result import ResultPanel
from notesdesk.ui.workspace.notes.formatting import note_label
from notesdesk.ui.workspace.widgets import (
    Confirm,
    ask_confirm,
    bold,
    date_edit,
    named,
    pydate,
    qdate,
)

if TYPE_CHECKING:
    from notesdesk.core.storage.uow import UnitOfWork

NEAR_DAYS = 7  # session notes offered for linking: within a week of the date given
NO_ALLIANCE = "No alliance checks recorded for this client yet, so there is no alliance line to show."
UNFINISHED = "Unfinished: stored as it stood when the client's record was closed or NotesDesk locked."
HANDED_OVER = ("The questionnaire is open full screen for the client. Nothing else of the record is shown "
               "there.")
THANKS = "Thank you. Please hand the laptop back to your therapist."


def flags_html(flags: list[Flag], palette: QPalette, shown: tuple[str, ...] = ()) -> str:
    """The current flags; one whose advice the result panel is showing right now (`shown`, its risk
    messages) points there instead of repeating it."""
    if not flags:
        return "No measure flags for the current episode of care."
    lines = []
    for f in flags:
        title = html.escape(FLAG_TITLES[f.kind])
        style = risk_style(palette) if f.kind in RISK_KINDS else ""
        message = f.message
        same = next((m for m in shown if f.kind in RISK_KINDS and m and message.endswith(m)), None)
        if same is not None:
            message = message[: -len(same)].rstrip(" :") + ": see the prompt above."
        lines.append(f"<li><b{style}>{title}</b> — {html.escape(message)}</li>")
    return "<ul style='margin-left:-20px'>" + "".join(lines) + "</ul>"


def stored_instruments(uow: UnitOfWork) -> tuple[Instrument, ...]:
    """The practice's own instruments (core: measures.vault_instruments), read in one unit of work."""
    with uow:
        return measures.stored_instruments(uow)


class MeasuresTab(QWidget):
    """Stores administrations through the session (Kind.MEASURE: the plan's suggestions, the overview and
    the client list follow) and re-reads its history itself to show the result just given; the session
    notes offered for linking follow every note change."""

    sig_new_note_requested = Signal()
    sig_safety_plan_requested = Signal()

    def __init__(self, ctx: AppContext, client_id: str, confirm: Confirm | None = None) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self.confirm: Confirm = confirm or ask_confirm  # replaceable: tests answer for the clinician
        self.rows: list[MeasureRow] = []
        self.flags: list[Flag] = []
        self.instruments: list[Instrument] = []
        self.client_window: ClientWindow | None = None
        self.cover: WindowCover | None = None  # over the whole window while the client has the laptop
        self._covering = False
        self._risk_shown: tuple[str, ...] = ()  # risk advice the result panel shows (not repeated below)
        self._notes: list[SessionNote] = []
        self._note_chosen = False  # the clinician picked a note (or none): refreshing keeps it
        self._done = True  # the questionnaire on screen was stored or stopped

        self.instrument_combo = named(QComboBox(), "Questionnaire to give")
        self.date = date_edit("Date given")
        self.all_on_one = named(QCheckBox("All questions on one page"), "All questions on one page")
        self.start_button = named(QPushButton("&Give in session"), "Give the questionnaire in session")
        self.client_button = named(QPushButton("&Hand to client…"), "Hand the laptop to the client",
                                   "Full screen, with nothing else of the record shown")
        self.note_combo = named(QComboBox(), "Session note the questionnaire belongs to",
                                "Optional: link the scores to a session note within a week of the date")
        for button in (self.start_button, self.client_button):
            button.setMinimumHeight(40)
        bar = QGridLayout()
        for row, column, text, field, span in ((0, 0, "&Questionnaire", self.instrument_combo, 3),
                                               (1, 0, "Dat&e", self.date, 1),
                                               (1, 2, "Session n&ote", self.note_combo, 1)):
            caption = QLabel(text)
            caption.setBuddy(field)
            bar.addWidget(caption, row, column)
            bar.addWidget(field, row, column + 1, 1, span)
        bar.setColumnStretch(3, 1)
        go = QHBoxLayout()
        go.addWidget(self.all_on_one)
        go.addStretch(1)
        go.addWidget(self.start_button)
        go.addWidget(self.client_button)
        bar.addLayout(go, 2, 0, 1, 4)

        self.result = ResultPanel()
        self.flags_label = named(QLabel(), "Current measure flags")
        self.flags_label.setWordWrap(True)
        self.flags_label.setTextFormat(Qt.TextFormat.RichText)
        flags_box = QGroupBox("Flags")
        QVBoxLayout(flags_box).addWidget(self.flags_label)
        redraw_on_palette_change(self.flags_label, lambda: self._show_flags(self._risk_shown))

        self.chart_combo = named(QComboBox(), "Instrument shown in the chart")
        self.alliance_check = named(QCheckBox("Show the alliance"), "Show the alliance line in the chart")
        self.alliance_check.setChecked(True)
        self._show_alliance = True  # the clinician's choice, kept while a client has no alliance checks
        self.chart = TrendChart()
        chart_bar = QHBoxLayout()
        chart_bar.addWidget(bold(QLabel("Trend")))
        chart_bar.addWidget(self.chart_combo)
        chart_bar.addWidget(self.alliance_check)
        chart_bar.addStretch(1)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addLayout(chart_bar)
        chart_layout.addWidget(self.chart, 1)
        self.model = MeasureHistoryModel(self)
        # The change label wraps in a readable width (the band gives way first on a narrow screen);
        # its tooltip repeats it with the rule behind it.
        self.view = FittingTable(self.model, "Score history", MeasureHistoryModel.COL_CHANGE, min_stretch=180,
                                 drop=(MeasureHistoryModel.COL_BAND,), cap=140, wrap=True)
        self.view.setMinimumHeight(90)  # the header and two rows
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(chart_box)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        content = QWidget()
        home = QVBoxLayout(content)
        home.addLayout(bar)
        home.addWidget(self.result)
        home.addWidget(flags_box)
        home.addWidget(splitter, 1)
        # Scrolls rather than making the window taller than a small laptop screen (a result shown
        # above the flags and the chart needs more height than 1024x640 has).
        self.home = FillingScrollArea(content, "Scores, flags and trend")

        self.form = AdministerForm()
        self.admin = QWidget()
        self.admin_layout = QVBoxLayout(self.admin)
        self.admin_layout.setContentsMargins(0, 0, 0, 0)
        self.admin_layout.addWidget(self.form)
        # While the client holds the laptop the tab shows only this: no history, no flags (and the whole
        # window is covered besides; the clinician takes the laptop back from the client's window).
        self.handed = QWidget()
        handed_label = QLabel(HANDED_OVER)
        handed_label.setWordWrap(True)
        handed_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        handed = QVBoxLayout(self.handed)
        handed.addStretch(1)
        handed.addWidget(handed_label)
        handed.addStretch(1)
        self.stack = QStackedWidget()
        for page in (self.home, self.admin, self.handed):
            self.stack.addWidget(page)
        QVBoxLayout(self).addWidget(self.stack)

        self.start_button.clicked.connect(lambda: self.start(client=False))
        self.client_button.clicked.connect(lambda: self.start(client=True))
        self.instrument_combo.currentIndexChanged.connect(self._on_instrument)
        self.form.sig_finished.connect(self.finish)
        self.form.sig_cancelled.connect(self.cancel)
        self.result.sig_new_note_requested.connect(self.sig_new_note_requested)
        self.result.sig_safety_plan_requested.connect(self.sig_safety_plan_requested)
        self.result.sig_dismissed.connect(lambda: self._show_flags(()))
        self.chart_combo.currentIndexChanged.connect(self._update_chart)
        self.alliance_check.toggled.connect(self._on_alliance_toggled)
        self.date.dateChanged.connect(self._on_date)
        self.note_combo.activated.connect(self._on_note_chosen)
        self._session.on_change(self, {Kind.NOTE}, self.refresh_notes)
        self.reload()

    # -- reading ----------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # Plans, episodes and other tabs change what is flagged (a review date, a closed episode).
        if self.stack.currentWidget() is self.home and not event.spontaneous():
            self.reload()
        super().showEvent(event)

    @property
    def client_mode(self) -> bool:
        return self.client_window is not None

    def reload(self) -> None:
        self.date.setMaximumDate(qdate(today()))  # the app may stay open past midnight
        extra = self._session.read(stored_instruments)
        self.instruments = ordered((*builtin_instruments(), *(extra or ())))
        current = self.instrument_combo.currentData()
        self.instrument_combo.blockSignals(True)
        self.instrument_combo.clear()
        for n, inst in enumerate(self.instruments):
            self.instrument_combo.addItem(inst.name, inst.id)
            self.instrument_combo.setItemData(n, f"{inst.title}\n{inst.licence.attribution}",
                                              Qt.ItemDataRole.ToolTipRole)
        self.instrument_combo.setCurrentIndex(max(0, self.instrument_combo.findData(current)))
        self.instrument_combo.blockSignals(False)
        self._on_instrument()
        rows = self._session.read(measures.measure_history, self._client_id)
        if rows is None:
            return
        flags = self._session.read(measures.client_measure_flags, [self._client_id])
        self.rows, self.flags = rows, (flags or {}).get(self._client_id, [])
        self.model.set_rows(rows)
        self._show_flags(self._risk_shown if self.result.isVisibleTo(self) else ())
        self.flags_label.setToolTip("\n".join(f"{FLAG_TITLES[f.kind]}: {f.rule}. Source: {f.source}"
                                              for f in self.flags))
        shown = self.chart_combo.currentData()
        self.chart_combo.blockSignals(True)
        self.chart_combo.clear()
        for inst in outcome_instruments(rows):
            self.chart_combo.addItem(inst.name, inst.id)
        self.chart_combo.setCurrentIndex(max(0, self.chart_combo.findData(shown)))
        self.chart_combo.blockSignals(False)
        self._offer_alliance(any(r.alliance is not None for r in rows))
        self._update_chart()
        self.refresh_notes()

    def _show_flags(self, risk_shown: tuple[str, ...]) -> None:
        self._risk_shown = risk_shown
        self.flags_label.setText(flags_html(self.flags, QApplication.palette(), risk_shown))

    # -- linking to a session note ----------------------------------------------------------------------

    def refresh_notes(self) -> None:
        """The client's session notes near the date given, nearest first; a note of that very day is
        picked unless the clinician chose otherwise."""
        found = self._session.read(notes.list_notes, self._client_id)
        self._notes = found if found is not None else self._notes
        self.model.note_labels = {n.id: note_label(n) for n in self._notes}
        on = pydate(self.date.date())
        near = sorted((n for n in self._notes if abs((n.session_date - on).days) <= NEAR_DAYS),
                      key=lambda n: (abs((n.session_date - on).days), n.session_date))
        chosen = self.note_combo.currentData() if self._note_chosen else None
        if chosen is None and not self._note_chosen:
            chosen = next((n.id for n in near if n.session_date == on), None)
        self.note_combo.clear()
        self.note_combo.addItem("(no session note)", None)
        for note in near:
            self.note_combo.addItem(note_label(note), note.id)
        self.note_combo.setCurrentIndex(max(0, self.note_combo.findData(chosen)))
        self.note_combo.setEnabled(bool(near))

    def _on_date(self) -> None:
        self._note_chosen = False
        self.refresh_notes()

    def _on_note_chosen(self) -> None:
        self._note_chosen = True

    def selected_instrument(self) -> Instrument | None:
        wanted = self.instrument_combo.currentData()
        return next((i for i in self.instruments if i.id == wanted), None)

    def _on_instrument(self) -> None:
        inst = self.selected_instrument()
        self.client_button.setEnabled(inst is not None and can_hand_to_client(inst))

    def _offer_alliance(self, available: bool) -> None:
        """Without alliance checks there is nothing to show: the box is unticked and says why."""
        box = self.alliance_check
        box.blockSignals(True)
        box.setEnabled(available)
        box.setChecked(available and self._show_alliance)
        box.setToolTip("" if available else NO_ALLIANCE)
        box.blockSignals(False)

    def _on_alliance_toggled(self, on: bool) -> None:
        self._show_alliance = on
        self._update_chart()

    def _update_chart(self) -> None:
        wanted = self.chart_combo.currentData()
        inst = next((r.instrument for r in self.rows if r.instrument and r.instrument.id == wanted), None)
        if inst is None:
            self.chart.set_spec(None)
            return
        self.chart.set_spec(chart_spec(self.rows, inst, self.alliance_check.isChecked()))

    # -- giving a questionnaire -------------------------------------------------------------------------

    def start(self, client: bool = False, instrument_id: str | None = None) -> None:
        if instrument_id is not None:
            self.instrument_combo.setCurrentIndex(self.instrument_combo.findData(instrument_id))
        inst = self.selected_instrument()
        if inst is None or (client and not can_hand_to_client(inst)):
            return
        self.result.hide()
        self._show_flags(())
        self._done = False
        self.form.start(inst, one_per_screen=not self.all_on_one.isChecked())
        self.form.set_for_client(client)
        self.stack.setCurrentWidget(self.handed if client else self.admin)
        if client:
            self.client_window = ClientWindow(self, self.form)
            self.client_window.sig_taken_back.connect(self.take_back)
            # Covering hides the workspace, which saves its drafts (flush() below): that must not end
            # the hand-over it is starting.
            self._covering = True
            try:
                self.cover = WindowCover(self.window())
            finally:
                self._covering = False
            self.client_window.showFullScreen()
        self.form.setFocus()

    @property
    def in_progress(self) -> bool:
        """A questionnaire is being given and has at least one answer not stored yet."""
        answered = any(a is not None for a in self.form.answers())
        return not self._done and self.form.instrument is not None and answered

    def flush(self) -> bool:
        """Before lock, close or a client switch: a questionnaire in progress is stored as it stands
        (unanswered items stay unanswered, never 0) and marked unfinished, and a hand-over ends (the
        record is uncovered for the lock's own cover). False when storing failed."""
        ok = self._record(UNFINISHED) if self.in_progress else True
        if self.client_window is not None and not self._covering:
            self.take_back()
        return ok

    def finish(self) -> None:
        self._record("")

    def _record(self, comment: str) -> bool:
        inst = self.form.instrument
        if inst is None:
            return True
        answers = self.form.answers()
        functional = self.form.functional()
        stored = self._session.write(
            measures.record_measure, self._client_id, inst.id, answers, pydate(self.date.date()),
            self.note_combo.currentData(), comment, functional,
            change=Kind.MEASURE, object_id=lambda found: found[0].id,
        )
        if stored is None:
            return False
        self._done, self._note_chosen = True, False
        administration, result = stored
        self.reload()
        row = next((r for r in self.rows if r.administration.id == administration.id), None)
        self.result.show_result(inst, result, row, answers)
        self._show_flags(tuple(f.message for f in result.flags if f.kind in RISK_KINDS))
        shown = self.chart_combo.findData(inst.id)  # the trend of what was just given
        if shown >= 0:
            self.chart_combo.setCurrentIndex(shown)
        if self.client_window is not None:
            self.client_window.hand_back(THANKS)
            if comment:  # stored unfinished: the record is closing, the client's window too
                self.take_back()
        else:
            self.stack.setCurrentWidget(self.home)
        return True

    def cancel(self) -> None:
        """The clinician's Stop: answers already given are only thrown away once they say so."""
        given = sum(a is not None for a in self.form.answers()) + (self.form.functional() is not None)
        if given and not self.confirm(self, "Stop without saving",
                                      f"Stop this questionnaire? The {given} answer(s) given so far will not "
                                      "be saved."):
            return
        self._done = True
        self.stack.setCurrentWidget(self.home)

    def take_back(self) -> None:
        """The clinician has the laptop again: the form returns to the tab (or the result is shown)."""
        window, self.client_window = self.client_window, None
        finished = window is not None and window.finished
        self.form.set_for_client(False)
        self.admin_layout.insertWidget(0, self.form)
        self.form.show()  # a re-parented widget starts hidden
        if window is not None:
            window.release()
        self.stack.setCurrentWidget(self.home if finished else self.admin)
        cover, self.cover = self.cover, None
        if cover is not None:
            cover.remove()
