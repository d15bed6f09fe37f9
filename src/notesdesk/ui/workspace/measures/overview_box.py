"""The overview's measures box: the latest score of each instrument with its change label, and flags."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from notesdesk.core.services import measures
from notesdesk.ui.context import AppContext
from notesdesk.ui.widgets.ink import redraw_on_palette_change, risk_style
from notesdesk.ui.workspace.measures.data import FLAG_TITLES, RISK_KINDS, latest_lines

EMPTY = "No outcome measures yet. Give one from the Measures tab."


def _esc(text: str) -> str:
    return html.escape(text)


class MeasuresSummary(QLabel):
    def __init__(self, ctx: AppContext, client_id: str) -> None:
        super().__init__()
        self._ctx, self._client_id = ctx, client_id
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setAccessibleName("Latest outcome measures and flags")
        self._read: tuple[Any, Any, Any] | None = None  # the record last read, drawn again on a scheme switch
        redraw_on_palette_change(self, self._redraw)  # the risk red of the new scheme

    def refresh(self) -> None:
        rows = measures.measure_history(self._ctx.uow(), self._client_id)
        flags = measures.client_measure_flags(self._ctx.uow(), [self._client_id])[self._client_id]
        recovery = measures.client_recovery(self._ctx.uow(), self._client_id) if rows else None
        self._read = (rows, flags, recovery)
        self._show()

    def _redraw(self) -> None:
        """A scheme switch: the same record drawn again in its colours (nothing read)."""
        if self._read is not None:
            self._show()

    def _show(self) -> None:
        assert self._read is not None
        rows, flags, recovery = self._read
        if not rows:
            self.setText(_esc(EMPTY))
            self.setToolTip("")
            return
        lines = []
        for line in latest_lines(rows):
            band = f" ({_esc(line.band)})" if line.band else ""
            change = f" — {_esc(line.change)}" if line.change else ""
            lines.append(f"<li><b>{_esc(line.name)} {_esc(line.total)}</b>{band} on {line.when}{change}</li>")
        text = "<p>Latest scores</p><ul style='margin-left:-20px'>" + "".join(lines) + "</ul>"
        if recovery is not None:  # beside the per-questionnaire labels, named by its definition
            text += f"<p>Across questionnaires: {_esc(recovery.text)}</p>"
        if flags:
            items = []
            for f in flags:
                style = risk_style(QApplication.palette()) if f.kind in RISK_KINDS else ""
                items.append(f"<li><b{style}>{_esc(FLAG_TITLES[f.kind])}</b> — {_esc(f.message)}</li>")
            text += "<p>Flags</p><ul style='margin-left:-20px'>" + "".join(items) + "</ul>"
        self.setText(text)
        tips = [f"{line.name}: {line.rule}" for line in latest_lines(rows) if line.rule]
        if recovery is not None:
            tips.append(f"{recovery.rule}. Source: {recovery.source}")
        self.setToolTip("\n\n".join(tips))
