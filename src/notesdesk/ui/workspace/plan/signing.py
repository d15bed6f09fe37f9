"""The plan tab's signing row: whether the version is signed (and by whom), Sign for an active plan made
before plans were signed, Revise for a signed one, and the client's agreement one click away
(docs/design-notes.md, "Signed plans")."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import AgreementHow, PlanStatus, TreatmentPlan
from notesdesk.core.services import plans
from notesdesk.ui.context import AppContext
from notesdesk.ui.session import Kind
from notesdesk.ui.workspace.notes.signer import SignerBar
from notesdesk.ui.workspace.widgets import named


class SigningRow(QWidget):
    sig_changed = Signal(str)
    """Emitted after a sign, revise or agreement was written; arg: the plan version to show."""

    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self._session = ctx.session.for_client(client_id)
        self._active: TreatmentPlan | None = None
        self._shown: TreatmentPlan | None = None
        self.status = named(QLabel(), "Plan signature")
        self.status.setWordWrap(True)
        self.agreement = named(QLabel(), "Client agreement")
        self.agreement.setWordWrap(True)
        self.sign_button = named(QPushButton("S&ign plan"), "Sign plan",
                                 "Sign the active plan, made before plans were signed, as it stands")
        self.revise_button = named(QPushButton("Re&vise"), "Revise plan",
                                   "Make a new draft version from this signed version")
        self.how = named(QComboBox(), "How the client agreed")
        for how in AgreementHow:
            self.how.addItem(how.label, how.value)
        self.agree_button = named(QPushButton("Record a&greement (today)"), "Record the client's agreement",
                                  "Record that the client agreed to the active, signed plan today")
        self.signer = SignerBar(ctx, self)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.sign_button)
        row.addWidget(self.revise_button)
        agree = QHBoxLayout()
        agree.addWidget(self.agreement, 1)
        agree.addWidget(self.how)
        agree.addWidget(self.agree_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(agree)
        layout.addWidget(self.signer)
        self.sign_button.clicked.connect(self.sign)
        self.revise_button.clicked.connect(self.revise)
        self.agree_button.clicked.connect(self.agree)

    def show_plan(self, shown: TreatmentPlan | None, versions: Sequence[TreatmentPlan]) -> None:
        """`shown`: the version in the editor (None before the first save)."""
        self._shown = shown
        self._active = next((p for p in reversed(versions) if p.status is PlanStatus.ACTIVE), None)
        has_draft = any(p.status is PlanStatus.DRAFT for p in versions)
        if shown is None or shown.status is PlanStatus.DRAFT:
            self.status.setText("Draft: activating it signs it, in your name and with your credentials.")
        else:
            locked = " — signed and locked: Revise to change it." if shown.is_signed else "."
            self.status.setText(plans.status_line(shown) + locked)
        self.sign_button.setVisible(shown is not None and shown.unsigned_active)
        self.revise_button.setVisible(shown is not None and shown.is_signed)
        self.revise_button.setEnabled(not has_draft)
        active = self._active
        agreed = False
        if active is None:
            self.agreement.setText("No plan is active yet: the client's agreement is recorded on the "
                                   "active plan.")
        else:
            found = self._session.read(plans.agreement_of, active)
            agreed = found is not None
            self.agreement.setText(f"Version {active.version}: {plans.agreement_line(active, found)}")
        ready = active is not None and active.is_signed
        self.how.setEnabled(ready)
        self.agree_button.setEnabled(ready)
        self._label_agree_button(agreed)

    def _label_agree_button(self, agreed: bool) -> None:
        if agreed:
            self.agree_button.setText("Record a&greement again (today)")
            self.agree_button.setToolTip("Recording it again replaces the current agreement; the "
                                         "earlier one stays in the record")
        else:
            self.agree_button.setText("Record a&greement (today)")
            self.agree_button.setToolTip("Record that the client agreed to the active, signed plan today")

    def sign(self) -> None:
        if self._shown is None or not self.signer.ready():
            return
        signed = self._session.write(plans.sign_plan, self._shown.id, change=Kind.PLAN)
        if signed is not None:
            self.sig_changed.emit(signed.id)

    def revise(self) -> None:
        if self._shown is None:
            return
        draft = self._session.write(plans.revise_plan, self._shown.id, change=Kind.PLAN)
        if draft is not None:
            self.sig_changed.emit(draft.id)

    def agree(self) -> None:
        if self._active is None or not self.signer.ready():
            return
        how = AgreementHow(self.how.currentData())
        done = self._session.write(plans.agree_plan, self._client_id, today(), how, change=Kind.PLAN,
                                   object_id=lambda agreement: agreement.plan_id)
        if done is not None:
            self.sig_changed.emit(done.plan_id)
