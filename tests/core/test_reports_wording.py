"""Wording of the clinician summary that a reader could misread: plan versions as the dates each was in
effect, and sessions counted whether or not their note is signed yet."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from notesdesk.core import reports
from notesdesk.core.domain.plans import PlanReview, PlanStatus, ReviewOutcome, TreatmentPlan
from notesdesk.core.domain.summaries import ClientSummary, PlanVersionRow, SessionRow
from notesdesk.core.reports import PdfOptions
from notesdesk.core.reports.clinician import plan_version_text, sessions_text
from notesdesk.core.services import summary
from notesdesk.core.services.summary import plan_version_rows
from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import build_practice, flat, pdf_text, phq_scorer

JAN30, NOV6 = date(2026, 1, 30), date(2026, 11, 6)


def test_each_plan_version_runs_until_the_next_one_took_effect_or_a_review_closed_it() -> None:
    v1 = TreatmentPlan("c", version=1, status=PlanStatus.SUPERSEDED, effective_date=JAN30)
    v2 = TreatmentPlan("c", version=2, status=PlanStatus.ACTIVE, effective_date=NOV6)
    v3 = TreatmentPlan("c", version=3, status=PlanStatus.DRAFT)
    assert plan_version_rows([v3, v2, v1]) == (
        PlanVersionRow(1, "superseded", JAN30, NOV6),  # v1 STARTED on Jan 30 and ended when v2 began
        PlanVersionRow(2, "active", NOV6, None),
        PlanVersionRow(3, "draft", None, None),
    )
    reviews = (
        PlanReview(date(2027, 1, 5), ReviewOutcome.CONTINUE),
        PlanReview(date(2027, 2, 9), ReviewOutcome.CLOSE),
    )
    closed = replace(v2, status=PlanStatus.CLOSED, reviews=reviews)
    assert plan_version_rows([v1, closed])[-1] == PlanVersionRow(2, "closed", NOV6, date(2027, 2, 9))


def test_plan_versions_are_worded_as_ranges() -> None:
    superseded, active = PlanVersionRow(1, "superseded", JAN30, NOV6), PlanVersionRow(2, "active", NOV6)
    assert plan_version_text(superseded, "US") == "v1 in effect Jan 30 \u2013 Nov 6, 2026 (superseded)"
    assert plan_version_text(active, "US") == "v2 in effect from Nov 6, 2026 (active)"
    assert plan_version_text(superseded, "UK") == "v1 in effect 30 Jan \u2013 6 Nov 2026 (superseded)"
    across = PlanVersionRow(1, "superseded", date(2025, 12, 1), JAN30)
    assert plan_version_text(across, "US") == "v1 in effect Dec 1, 2025 \u2013 Jan 30, 2026 (superseded)"
    assert plan_version_text(PlanVersionRow(3, "draft"), "US") == "v3 draft, not in effect yet"


def _sessions(signed: int, unsigned: int) -> tuple[SessionRow, ...]:
    start = date(2026, 1, 9)
    return tuple(SessionRow(start + timedelta(weeks=i), "individual", "SOAP", signed=i < signed)
                 for i in range(signed + unsigned))


def test_every_session_counts_and_unsigned_notes_are_named_as_such() -> None:
    text = sessions_text(_sessions(30, 1), "US")
    assert text == "31 sessions from Jan 9, 2026 to Aug 7, 2026 (30 notes signed, 1 not yet signed *)"
    assert sessions_text(_sessions(3, 0), "US").endswith("(every note signed)")
    assert sessions_text(_sessions(1, 0), "US") == "1 session from Jan 9, 2026 to Jan 9, 2026 (note signed)"
    assert sessions_text(_sessions(1, 2), "US").endswith("(1 note signed, 2 not yet signed *)")


@pytest.fixture
def base_summary(vault: Vault) -> ClientSummary:
    practice = build_practice(vault)
    return summary.client_summary(practice.vault.unit_of_work(), practice.client_id, measures=phq_scorer,
                                  on=date(2026, 3, 4))


def test_the_printed_summary_uses_these_words(base_summary: ClientSummary) -> None:
    sessions = (*base_summary.sessions[:-1], replace(base_summary.sessions[-1], signed=False))
    versions = (PlanVersionRow(1, "superseded", JAN30, NOV6), PlanVersionRow(2, "active", NOV6))
    s = replace(base_summary, sessions=sessions, plan_versions=versions)
    text = flat(pdf_text(reports.render_clinician_summary(s, PdfOptions(printed_on=date(2026, 11, 20)))))
    assert "Plan versions: v1 in effect Jan 30 \u2013 Nov 6, 2026 (superseded); " \
           "v2 in effect from Nov 6, 2026 (active)" in text
    assert "(6 notes signed, 1 not yet signed *)" in text
    assert "superseded from" not in text and "signed; *" not in text


# -- issue 15, item 12: the header's phone, the client copy's chart and its first session ----------


def test_a_phone_number_in_the_header_is_never_broken_across_lines() -> None:
    from notesdesk.core.reports.fonts import register_fonts
    from notesdesk.core.reports.plaintext import wrap_keeping_phones, wrap_text
    from notesdesk.core.reports.styles import stylesheet

    register_fonts()
    style = stylesheet()["HeaderRight"]
    phone = "(312) 555-0148"
    broken_before = 0
    for filler in range(0, 40):  # every place a line could end: one of them falls inside the number
        contact = f"Suite {'9' * filler}, Alder Court · {phone}"
        broken_before += not any(phone in line for line in wrap_text(contact, style, 140))
        lines = wrap_keeping_phones(contact, style, 140)
        assert any(phone in line for line in lines), lines
        assert "".join(lines).replace(" ", "") == contact.replace(" ", "")  # nothing lost
    assert broken_before, "the check never met a break inside the number"


def test_the_client_copy_chart_speaks_plainly_and_the_clinician_copy_keeps_the_term(
    base_summary: ClientSummary,
) -> None:
    scales = tuple(replace(scale, caseness=10) for scale in base_summary.measures.scales)
    with_line = replace(base_summary, measures=replace(base_summary.measures, scales=scales))
    client = flat(pdf_text(reports.render_client_summary(with_line, PdfOptions())))
    clinician = flat(pdf_text(reports.render_clinician_summary(with_line, PdfOptions())))
    assert "the line where scores count as a concern" in client and "cut-off" not in client
    assert "clinical cut-off" in clinician


def test_a_first_session_reads_naturally_on_the_client_copy(base_summary: ClientSummary) -> None:
    one = replace(base_summary, sessions=base_summary.sessions[:1])
    text = flat(pdf_text(reports.render_client_summary(one, PdfOptions())))
    assert "We met for the first time, on " in text and "once since" not in text
    many = flat(pdf_text(reports.render_client_summary(base_summary, PdfOptions())))
    assert f"We have met {len(base_summary.sessions)} times since" in many


def test_the_client_copy_lists_a_task_given_twice_once(base_summary: ClientSummary) -> None:
    """Seen in the example client copy (issue 15, "Done when"): the same weekly task, assigned again
    while the first was still open, was listed twice under "What you are practising"."""
    from notesdesk.core.domain.care import Recurrence
    from notesdesk.core.domain.summaries import HomeworkRow

    task = HomeworkRow("Two phone calls using pull-outs", JAN30, Recurrence.WEEKLY, "Transfer to real life")
    again = replace(task, assigned_on=NOV6)
    other = HomeworkRow("Read the leaflet", NOV6)
    shown = replace(base_summary, homework=(task, again, other))
    text = flat(pdf_text(reports.render_client_summary(shown, PdfOptions())))
    assert text.count("Two phone calls using pull-outs") == 1
    assert "Read the leaflet" in text
