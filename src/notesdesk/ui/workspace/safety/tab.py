"""The safety plan: seven sections, contacts as rows; every save is a new version, older ones read-only.

The review date shows when the plan was last reviewed with the client; editing the plan is not a review,
so it is never set to today unless the clinician says so ("Reviewed today")."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from notesdesk.core.domain.care import SAFETY_PLAN_SECTIONS, Contact, SafetyPlan
from notesdesk.core.domain.common import today
from notesdesk.core.reports.crisis_lines import COUNTRY_NOT_SET, lines_for
from notesdesk.core.services import care, measures
from notesdesk.core.services.overview import SAFETY_PLAN_KINDS
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.widgets.ink import in_risk_ink
from notesdesk.ui.workspace.widgets import (
    LinesEdit,
    OptionalDateEdit,
    bold,
    named,
    scrolled,
    text_edit,
)

TITLES = dict(SAFETY_PLAN_SECTIONS)
LIST_FIELDS = ("warning_signs", "coping_strategies", "distractions", "safe_environment")
CONTACT_FIELDS = ("people_to_ask", "professionals", "crisis_lines")
PREFILLED = ("Filled in for {locale} from your practitioner profile (Settings): check them with the client, "
             "edit or remove any.")
SAVE_FIRST, SAVE_NEXT = "&Save safety plan", "&Save as new version"
NO_LINES = ("No crisis lines are known for {locale} (Settings): add the ones the client would use. The "
            "printed plan always says to call the local emergency number.")


def locale_lines(locale: str) -> tuple[Contact, ...]:
    """The crisis lines of the practitioner's locale, as safety-plan contacts."""
    return tuple(Contact(line.name, line.number, line.how) for line in lines_for(locale).lines)


class ContactTable(QWidget):
    """Name / phone / note rows; rows without a name are ignored."""

    sig_changed = Signal()
    """Emitted when the user edits, adds or removes a row."""

    HEADERS = ("Name", "Phone", "Note")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.table = named(QTableWidget(0, 3), name)
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_button = named(QPushButton("Add row"), f"{name}: add a row")
        self.remove_button = named(QPushButton("Remove row"), f"{name}: remove the selected row")
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self._remove_row)
        self.table.itemChanged.connect(lambda _item: self.sig_changed.emit())
        self._fit()

    def _fit(self) -> None:
        rows = max(2, self.table.rowCount() + 1)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 30 * rows)

    def add_row(self, contact: Contact | None = None) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (contact.name, contact.phone, contact.note) if isinstance(contact, Contact) else ("", "", "")
        for column, value in enumerate(values):
            self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self._fit()
        if not isinstance(contact, Contact):
            self.table.setCurrentCell(row, 0)
            self.sig_changed.emit()

    def _remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._fit()
            self.sig_changed.emit()

    def set_contacts(self, contacts: tuple[Contact, ...]) -> None:
        self.table.setRowCount(0)
        for contact in contacts:
            self.add_row(contact)
        self._fit()

    def contacts(self) -> tuple[Contact, ...]:
        found = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in range(3)]
            name, phone, note = (cell.text().strip() if cell else "" for cell in cells)
            if name:
                found.append(Contact(name, phone, note))
        return tuple(found)


def safety_plan_html(plan: SafetyPlan) -> str:
    def items(values: tuple[str, ...]) -> str:
        if not values:
            return "<p>—</p>"
        return "<ul>" + "".join(f"<li>{html.escape(v)}</li>" for v in values) + "</ul>"

    def people(values: tuple[Contact, ...]) -> str:
        rows = [", ".join(html.escape(p) for p in (c.name, c.phone, c.note) if p) for c in values]
        return items(tuple(rows)) if rows else "<p>—</p>"

    reviewed = plan.last_reviewed.isoformat() if plan.last_reviewed else "—"
    parts = [f"<h3>Version {plan.version}, reviewed {reviewed} (read-only)</h3>"]
    for key, title in SAFETY_PLAN_SECTIONS:
        parts.append(f"<h4>{html.escape(title)}</h4>")
        if key in LIST_FIELDS:
            parts.append(items(getattr(plan, key)))
        elif key == "people_to_ask":
            parts.append(people(plan.people_to_ask))
        elif key == "professionals":
            parts.append(people(plan.professionals))
            parts.append("<p><i>Crisis lines</i></p>" + people(plan.crisis_lines))
        else:
            parts.append(f"<p>{html.escape(plan.reason_for_living) or '—'}</p>")
    return "".join(parts)


class SafetyPlanTab(QWidget):
    """Saves each version through the session (Kind.SAFETY_PLAN) and shows the versions as each change
    says."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self._versions: list[SafetyPlan] = []
        self._loading = False
        self.dirty = False
        self.status_label = bold(named(QLabel(), "Safety plan version and review date"))
        self.version_combo = named(QComboBox(), "Safety plan version to show")
        self.save_button = named(QPushButton(SAVE_FIRST), "Save the safety plan")
        self.reviewed = OptionalDateEdit("Safety plan reviewed with the client on",
                                         "&Reviewed with the client on")
        self.reviewed_today = named(QPushButton("Reviewed &today"), "Reviewed with the client today")
        self.lists: dict[str, LinesEdit] = {k: LinesEdit(TITLES[k], "One per line", 3) for k in LIST_FIELDS}
        self.contacts = {
            "people_to_ask": ContactTable(TITLES["people_to_ask"]),
            "professionals": ContactTable("Professionals"),
            "crisis_lines": ContactTable("Crisis lines"),
        }
        self.reason = text_edit(TITLES["reason_for_living"], "In the client's words", 2)
        self.lines_note = named(QLabel(), "About the crisis lines")
        self.lines_note.setWordWrap(True)
        # The risk loop: why the plan needs a review now, and the one action that records it.
        self.loop_label = named(QLabel(), "Why the safety plan needs a review")
        self.loop_label.setWordWrap(True)
        in_risk_ink(self.loop_label, lambda ink: f"color: {ink.name()}; font-weight: bold")
        self.mark_reviewed = named(QPushButton("&Mark reviewed with the client today"),
                                   "Record that the safety plan was reviewed with the client today")

        form_widget = QWidget()
        form_layout = QVBoxLayout(form_widget)
        for number, (key, title) in enumerate(SAFETY_PLAN_SECTIONS, start=1):
            group = QGroupBox(f"{number}. {title}")
            group.setAccessibleName(title)
            inner = QFormLayout(group)
            if key in LIST_FIELDS:
                inner.addRow(self.lists[key])
            elif key == "people_to_ask":
                inner.addRow(self.contacts["people_to_ask"])
            elif key == "professionals":
                inner.addRow("Professionals", self.contacts["professionals"])
                inner.addRow("Crisis lines", self.contacts["crisis_lines"])
                inner.addRow("", self.lines_note)
            else:
                inner.addRow(self.reason)
            form_layout.addWidget(group)
        form_layout.addStretch(1)
        self.viewer = named(QTextBrowser(), "Earlier safety plan version, read-only")
        self.stack = QStackedWidget()
        self.stack.addWidget(scrolled(form_widget, "Safety plan form"))
        self.stack.addWidget(self.viewer)
        self.status_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        show = QLabel("S&how")
        show.setBuddy(self.version_combo)
        top.addWidget(show)
        top.addWidget(self.version_combo)
        second = QHBoxLayout()
        second.addWidget(self.reviewed)
        second.addWidget(self.reviewed_today)
        second.addStretch(1)
        second.addWidget(self.save_button)
        loop = QHBoxLayout()
        loop.addWidget(self.loop_label, 1)
        loop.addWidget(self.mark_reviewed)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(loop)
        layout.addLayout(second)
        layout.addWidget(self.stack, 1)

        for edit in [*self.lists.values(), self.reason]:
            edit.textChanged.connect(self._on_edited)
        for contacts in self.contacts.values():
            contacts.sig_changed.connect(self._on_edited)
        self.reviewed.sig_changed.connect(self._on_edited)
        self.reviewed_today.clicked.connect(lambda: self.reviewed.set_value(today()))
        self.save_button.clicked.connect(self.save)
        self.mark_reviewed.clicked.connect(self.record_review)
        self.version_combo.currentIndexChanged.connect(self._on_version_chosen)
        self._session.on_change(self, {Kind.SAFETY_PLAN}, self.reload)
        self._session.on_change(self, {Kind.MEASURE}, self.refresh_loop)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh_loop()  # a note signed since (notes autosave too often to follow each change)

    def refresh_loop(self) -> None:
        """Show the risk loop's flag (no plan on file, or not reviewed since the latest risk event)."""
        found = self._session.read(measures.client_measure_flags, [self._client_id])
        flags = [f for f in (found or {}).get(self._client_id, []) if f.kind in SAFETY_PLAN_KINDS]
        self.loop_label.setText("\n".join(f.message for f in flags))
        self.loop_label.setToolTip("\n".join(f"{f.rule}. Source: {f.source}" for f in flags))
        self.loop_label.setVisible(bool(flags))
        self.mark_reviewed.setVisible(bool(flags) and bool(self._versions))

    def record_review(self) -> bool:
        """Record today's review of the current plan (saving any edits first, as a version of their own)."""
        if self.dirty and not self.save():
            return False
        reviewed = self._session.write(care.mark_safety_plan_reviewed, self._client_id,
                                       change=Kind.SAFETY_PLAN)
        return reviewed is not None

    def reload(self) -> None:
        versions = self._session.read(care.safety_plan_versions, self._client_id)
        if versions is None:
            return
        self._versions = versions
        latest = versions[-1] if versions else None
        self._loading = True
        self.reviewed.set_value(latest.last_reviewed if latest else None)
        self.save_button.setText(SAVE_NEXT if latest else SAVE_FIRST)
        self.save_button.setAccessibleName(
            "Save the safety plan as a new version" if latest else "Save the safety plan"
        )
        for key, edit in self.lists.items():
            edit.set_lines(getattr(latest, key) if latest else ())
        for key, table in self.contacts.items():
            table.set_contacts(getattr(latest, key) if latest else ())
        self._prefill_lines(latest is None)
        self.reason.setPlainText(latest.reason_for_living if latest else "")
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        self.version_combo.addItem("Current (editing)", None)
        for plan in reversed(versions):
            reviewed = plan.last_reviewed.isoformat() if plan.last_reviewed else "—"
            self.version_combo.addItem(f"Version {plan.version} (reviewed {reviewed})", plan.id)
        self.version_combo.blockSignals(False)
        self._loading = False
        self.dirty = False
        self.stack.setCurrentIndex(0)
        self._refresh_status()
        self.refresh_loop()

    def _prefill_lines(self, new_plan: bool) -> None:
        """A first plan starts with the crisis lines of the practitioner's locale (not saved until the
        plan is); later versions keep whatever the clinician kept."""
        self.lines_note.setVisible(new_plan)
        if not new_plan:
            return
        locale = self._ctx.vault.profile().locale  # unlocked: the profile is in memory
        lines = locale_lines(locale)
        self.contacts["crisis_lines"].set_contacts(lines)
        if not locale.strip():  # never a guessed country's numbers
            self.lines_note.setText(f"{COUNTRY_NOT_SET} Until then, add the lines the client would use.")
            return
        self.lines_note.setText((PREFILLED if lines else NO_LINES).format(locale=locale))

    def _refresh_status(self) -> None:
        latest = self._versions[-1] if self._versions else None
        if latest is None:
            text = "No safety plan yet — fill it in with the client and save"
        elif latest.last_reviewed is None:
            text = f"Version {latest.version}, not reviewed with the client yet"
        else:
            text = f"Version {latest.version}, last reviewed {latest.last_reviewed.isoformat()}"
        if self.dirty:
            text += " — unsaved changes"
        self.status_label.setText(text)

    def _on_edited(self, *_args: object) -> None:
        if not self._loading:
            self.dirty = True
            self._refresh_status()

    def _on_version_chosen(self, row: int) -> None:
        plan_id = self.version_combo.itemData(row)
        plan = next((p for p in self._versions if p.id == plan_id), None)
        editing = plan is None
        for widget in (self.reviewed, self.reviewed_today, self.save_button):
            widget.setEnabled(editing)
        if plan is None:
            self.stack.setCurrentIndex(0)
        else:
            self.viewer.setHtml(safety_plan_html(plan))
            self.stack.setCurrentIndex(1)

    def current_plan(self) -> SafetyPlan:
        plan = SafetyPlan(client_id=self._client_id, last_reviewed=self.reviewed.value())
        values: dict[str, Any] = {k: edit.lines() for k, edit in self.lists.items()}
        values |= {k: table.contacts() for k, table in self.contacts.items()}
        return replace(plan, reason_for_living=self.reason.toPlainText().strip(), **values)

    def flush(self) -> bool:
        return self.save() if self.dirty else True

    def save(self) -> bool:
        saved = self._session.write(care.save_safety_plan, self.current_plan(), reviewed_today_if_unset=False,
                                    change=Kind.SAFETY_PLAN)
        return saved is not None
