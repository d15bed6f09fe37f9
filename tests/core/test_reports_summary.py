"""The read models behind the documents: one unit of work, audit on request, private notes untouched."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from notesdesk.core.domain.summaries import AuditAction
from notesdesk.core.reports.charts import trend_charts
from notesdesk.core.services import summary
from notesdesk.core.storage import store
from notesdesk.core.storage.uow import UnitOfWork
from notesdesk.core.storage.vault import Vault
from tests.core.test_reports_data import PRIVATE_TEXT, Practice, build_practice, phq_scorer


@pytest.fixture
def practice(vault: Vault) -> Practice:
    return build_practice(vault)


class CountingUnitOfWork(UnitOfWork):
    entered = 0

    def __enter__(self) -> UnitOfWork:
        CountingUnitOfWork.entered += 1
        return super().__enter__()


@pytest.fixture
def tables_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original_where, original_all = store.SealedTable.where, store.SealedTable.all

    def where(self: store.SealedTable, **equals: Any):
        read.append(self.name)
        return original_where(self, **equals)

    def all_rows(self: store.SealedTable):
        read.append(self.name)
        return original_all(self)

    monkeypatch.setattr(store.SealedTable, "where", where)
    monkeypatch.setattr(store.SealedTable, "all", all_rows)
    return read


def test_each_read_model_is_built_in_one_unit_of_work_with_one_read_per_table(
    practice: Practice, tables_read: list[str]
) -> None:
    vault, cid = practice.vault, practice.client_id
    for build in (
        lambda uow: summary.client_summary(uow, cid),
        lambda uow: summary.access_record(uow, cid, include_private=True),
        lambda uow: summary.safety_plan_sheet(uow, cid),
        lambda uow: summary.homework_sheet(uow, cid),
        lambda uow: summary.maintenance_sheet(uow, cid),
    ):
        CountingUnitOfWork.entered = 0
        tables_read.clear()
        build(CountingUnitOfWork(vault))
        assert CountingUnitOfWork.entered == 1
        assert len(tables_read) == len(set(tables_read)), tables_read  # bulk reads, never one per row


def test_private_notes_are_never_read_unless_included(practice: Practice, tables_read: list[str]) -> None:
    uow, cid = practice.vault.unit_of_work, practice.client_id
    summary.client_summary(uow(), cid)
    summary.access_record(uow(), cid)
    summary.safety_plan_sheet(uow(), cid)
    summary.homework_sheet(uow(), cid)
    summary.maintenance_sheet(uow(), cid)
    assert "private_note" not in tables_read
    record = summary.access_record(uow(), cid, include_private=True)
    assert "private_note" in tables_read and record.private_notes[0].text == PRIVATE_TEXT


def test_the_summary_carries_no_psychotherapy_note_text(practice: Practice) -> None:
    s = summary.client_summary(practice.vault.unit_of_work(), practice.client_id, measures=phq_scorer)
    assert PRIVATE_TEXT not in repr(s)


def _audit(vault: Vault) -> list[tuple[str, str, str]]:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return [(e.action, e.table, e.detail) for e in vault.audit.entries(uow.session)]


def test_print_and_export_are_audited_only_when_asked(practice: Practice) -> None:
    vault, cid = practice.vault, practice.client_id
    before = len(_audit(vault))
    summary.client_summary(vault.unit_of_work(), cid)
    assert len(_audit(vault)) == before
    summary.client_summary(
        vault.unit_of_work(), cid, audit=AuditAction.PRINT, document="treatment summary (client)"
    )
    summary.access_record(vault.unit_of_work(), cid, include_private=True, audit=AuditAction.EXPORT)
    entries = _audit(vault)[-2:]
    assert entries[0] == ("print", "client", "treatment summary (client)")
    assert entries[1] == ("export", "client", "record for access request with psychotherapy notes")
    assert all("Wiśniewski" not in detail for _a, _t, detail in entries)


def test_an_export_says_whether_the_pdf_was_password_protected(practice: Practice) -> None:
    vault, cid = practice.vault, practice.client_id
    summary.safety_plan_sheet(vault.unit_of_work(), cid, audit=AuditAction.EXPORT, protected=True)
    summary.homework_sheet(vault.unit_of_work(), cid, audit=AuditAction.EXPORT, protected=False)
    summary.homework_sheet(vault.unit_of_work(), cid, audit=AuditAction.PRINT, protected=False)
    assert _audit(vault)[-3:] == [
        ("export", "client", "safety plan; password-protected"),
        ("export", "client", "homework sheet; not password-protected"),
        ("print", "client", "homework sheet"),  # a print has no file to protect
    ]


def test_the_summary_read_model(practice: Practice) -> None:
    s = summary.client_summary(
        practice.vault.unit_of_work(), practice.client_id, measures=phq_scorer, on=date(2026, 1, 20)
    )
    assert len(s.sessions) == 7 and all(r.signed for r in s.sessions)
    assert (
        s.plan is not None
        and s.plan.version == 1
        and [r.summary for r in s.reviews] == ["Goals still relevant."]
    )
    # One done and one partial check-in (test_reports_data): (1 + 0.5) / 2 = 75 %, not 50 %.
    assert s.adherence_recent == 0.75 and s.adherence_until == date(2026, 1, 20)
    assert s.checkins_recent == "1 done, 1 partial" and "partial check-in counts as 0.5" in s.adherence_rule
    assert [m.title for m in s.milestones if m.reached] == ["Names the worry out loud"]
    assert s.current_phase is not None and s.current_phase.phase == "active work"
    assert [r.total for r in s.measures.rows] == [14, 4]
    assert s.risk_flags[0].text == "Passive thoughts, no plan."
    assert (
        s.safety_plan.exists
        and s.safety_plan.sections_filled == 6
        and s.safety_plan.missing == ("People and places that take my mind off things",)
    )
    assert s.practitioner.name == "Dr. Zoë Ó Briain" and len(s.key_fingerprint.split()) == 8


def test_unscored_measures_still_list_and_the_chart_is_empty_safe(practice: Practice) -> None:
    s = summary.client_summary(practice.vault.unit_of_work(), practice.client_id)
    assert [r.instrument for r in s.measures.rows] == ["PHQ-9", "PHQ-9"]
    assert all(r.total is None for r in s.measures.rows)
    assert trend_charts(s.measures, 400) == []
