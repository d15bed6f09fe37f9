"""The session's details beside the times in the note editor: in person or by video, the CPT code
(shown only where the practice's country uses CPT codes) and the length worked out from the times."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel

from notesdesk.core.codes.cpt import CPT_CODES, cpt_label, uses_cpt
from notesdesk.core.domain.notes import Delivery, SessionNote
from notesdesk.ui.workspace.widgets import named

NO_CODE = "No CPT code"


def length_text(start: time | None, end: time | None) -> str:
    """'50 min', 'ends before it starts', or '' while a time is missing."""
    if start is None or end is None:
        return ""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return f"{minutes} min" if minutes > 0 else "ends before it starts"


class SessionDetails(QObject):
    """Three widgets the editor lays out in its header row; `sig_changed` on every edit by the user."""

    sig_changed = Signal()

    def __init__(self, locale: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.delivery_combo = named(QComboBox(), "In person or video")
        for delivery in Delivery:
            self.delivery_combo.addItem(delivery.value, delivery.value)
        self.cpt_combo = named(QComboBox(), "CPT code", "The service's CPT code (US)")
        # As narrow as a code and a few words: the long descriptions show in the open list, and the
        # editor's header must still fit a small screen.
        self.cpt_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.cpt_combo.setMinimumContentsLength(16)
        self.cpt_combo.addItem(NO_CODE, "")
        for code in CPT_CODES:
            self.cpt_combo.addItem(cpt_label(code), code)
        self.uses_cpt = uses_cpt(locale)
        self.length_label = named(QLabel(), "Session length")
        self.delivery_combo.currentIndexChanged.connect(self.sig_changed)
        self.cpt_combo.currentIndexChanged.connect(self.sig_changed)

    def load(self, note: SessionNote) -> None:
        self.delivery_combo.setCurrentIndex(max(0, self.delivery_combo.findData(note.delivery.value)))
        index = self.cpt_combo.findData(note.cpt_code)
        if index < 0:  # a code no longer in the list stays as recorded
            self.cpt_combo.addItem(note.cpt_code, note.cpt_code)
            index = self.cpt_combo.count() - 1
        self.cpt_combo.setCurrentIndex(index)
        # A note that has a code keeps showing it, whatever the country is now.
        self.cpt_combo.setVisible(self.uses_cpt or bool(note.cpt_code))
        self.show_length(note.start_time, note.end_time)

    def show_length(self, start: time | None, end: time | None) -> None:
        self.length_label.setText(length_text(start, end))

    def values(self) -> dict[str, object]:
        delivery = Delivery(self.delivery_combo.currentData())
        return {"delivery": delivery, "cpt_code": str(self.cpt_combo.currentData())}

    def set_read_only(self, read_only: bool) -> None:
        self.delivery_combo.setEnabled(not read_only)
        self.cpt_combo.setEnabled(not read_only)
