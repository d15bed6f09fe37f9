"""Printed documents: plain read models in (core.domain.summaries), PDF bytes out. No Qt, no files.

One function per document; each takes a `PdfOptions` (paper, optional AES-256 password, print date).
"""

from notesdesk.core.reports.access_record import render_access_record
from notesdesk.core.reports.base import Paper, PdfOptions, PdfPasswordUnavailable, default_paper
from notesdesk.core.reports.client_copy import render_client_summary
from notesdesk.core.reports.clinician import render_clinician_summary
from notesdesk.core.reports.crisis_lines import CRISIS_LINES, lines_for
from notesdesk.core.reports.homework import render_homework_sheet
from notesdesk.core.reports.maintenance import render_maintenance_plan
from notesdesk.core.reports.plan_signature import render_plan_signature
from notesdesk.core.reports.recovery import render_recovery_sheet
from notesdesk.core.reports.safety_plan import render_safety_plan

__all__ = [
    "CRISIS_LINES",
    "Paper",
    "PdfOptions",
    "PdfPasswordUnavailable",
    "default_paper",
    "lines_for",
    "render_access_record",
    "render_client_summary",
    "render_clinician_summary",
    "render_homework_sheet",
    "render_maintenance_plan",
    "render_plan_signature",
    "render_recovery_sheet",
    "render_safety_plan",
]
