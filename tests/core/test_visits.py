"""The next session and what is due at a day's visits: rules from data (due.json) with sources,
boundaries, the printed list and its audit entry."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.visits import DueKind, DueList, NextSession
from notesdesk.core.errors import InvalidInput
from notesdesk.core.exports import practice
from notesdesk.core.exports.snapshot import take
from notesdesk.core.reports.due_list import render_due_list
from notesdesk.core.services import care, clients, notes, plans, summary, visits
from notesdesk.core.storage.vault import Vault
from tests.core import records

MONDAY = date(2026, 11, 2)


def test_a_cadence_repeats_the_date_and_nothing_before_it() -> None:
    weekly = NextSession("c", MONDAY, every_days=7)
    assert [weekly.occurs_on(MONDAY + timedelta(d)) for d in (-7, 0, 6, 7, 14, 15)] == [
        False, True, False, True, True, False]
    once = NextSession("c", MONDAY)
    assert once.occurs_on(MONDAY) and not once.occurs_on(MONDAY + timedelta(7))
    assert weekly.upcoming(MONDAY + timedelta(1)) == MONDAY + timedelta(7)
    assert once.upcoming(MONDAY + timedelta(1)) is None


def test_every_kind_has_its_rule_and_source() -> None:
    rules = visits.due_rules()
    assert set(rules) == set(DueKind)
    assert all(r.rule and r.source for r in rules.values())
    assert rules[DueKind.SAFETY_PLAN].days == 90


def _client(vault: Vault, mark: str) -> str:
    return clients.add_client(vault.unit_of_work(), records.client(mark)).id


def test_set_move_and_clear_the_next_session(vault: Vault) -> None:
    cid = _client(vault, "A ")
    visits.set_next_session(vault.unit_of_work(), cid, MONDAY, every_days=7)
    moved = visits.set_next_session(vault.unit_of_work(), cid, MONDAY + timedelta(1))
    with vault.unit_of_work() as uow:
        assert len(uow.next_sessions.where(client_id=cid)) == 1  # moved, not added
    assert visits.next_session(vault.unit_of_work(), cid) == moved and moved.every_days is None
    visits.clear_next_session(vault.unit_of_work(), cid)
    assert visits.next_session(vault.unit_of_work(), cid) is None


@pytest.mark.parametrize("every", [0, -7, 367])
def test_a_cadence_out_of_range_is_refused_and_nothing_changes(vault: Vault, vault_path: Path, every: int
                                                               ) -> None:
    cid = _client(vault, "A ")
    before = vault_path.read_bytes()
    with pytest.raises(InvalidInput, match="every 1 to 366 days"):
        visits.set_next_session(vault.unit_of_work(), cid, MONDAY, every_days=every)
    assert vault_path.read_bytes() == before


def test_a_discharged_client_cannot_be_booked(vault: Vault) -> None:
    cid = _client(vault, "A ")
    clients.set_status(vault.unit_of_work(), cid, ClientStatus.DISCHARGED, date(2026, 10, 30))
    with pytest.raises(InvalidInput, match="discharged"):
        visits.set_next_session(vault.unit_of_work(), cid, MONDAY)


def _fill(vault: Vault) -> tuple[str, str]:
    """A: weekly from MONDAY, with a questionnaire, a plan due for review, homework, a safety plan and
    risk noted in the latest note. B: one session on MONDAY + 8, nothing else."""
    a = _client(vault, "Alma ")
    care.add_measure(vault.unit_of_work(), records.measure(a, ""))  # PHQ-9 on 2026-10-06
    plan = plans.save_plan(vault.unit_of_work(), replace(records.plan(a, ""), review_due=date(2026, 11, 9)))
    plans.activate_plan(vault.unit_of_work(), plan.id, date(2026, 10, 6))
    care.add_homework(vault.unit_of_work(), records.homework(a, "Breathing "))
    safety = replace(records.safety_plan(a, ""), last_reviewed=date(2026, 10, 6))
    care.save_safety_plan(vault.unit_of_work(), safety)
    notes.create_note(vault.unit_of_work(), records.note(a, ""))  # 2026-10-06, risk noted
    visits.set_next_session(vault.unit_of_work(), a, MONDAY, every_days=7)
    b = _client(vault, "Bea ")
    visits.set_next_session(vault.unit_of_work(), b, MONDAY + timedelta(8))
    return a, b


def _items(due: DueList, cid: str) -> list[tuple[str, str]]:
    (visit,) = [v for v in due.visits if v.client_id == cid]
    return [(i.kind.value, i.what) for i in visit.items]


def test_the_days_list_names_what_is_due_for_each_client(vault: Vault) -> None:
    a, b = _fill(vault)
    first = visits.due_on(vault.unit_of_work(), MONDAY)
    assert [v.client_id for v in first.visits] == [a]
    assert _items(first, a) == [
        ("questionnaire", "PHQ-9"),
        ("homework check-in", "Breathing homework"),
        ("safety-plan review", "risk noted in the latest note"),
    ]  # the plan's review date (11-09) is a week away
    week_later = visits.due_on(vault.unit_of_work(), MONDAY + timedelta(7))
    assert ("plan review", "plan version 1 (review date 2026-11-09)") in _items(week_later, a)
    bea = visits.due_on(vault.unit_of_work(), MONDAY + timedelta(8))
    assert [v.client_id for v in bea.visits] == [b] and _items(bea, b) == []
    assert visits.due_on(vault.unit_of_work(), MONDAY + timedelta(1)).visits == ()


def test_a_questionnaire_given_that_day_is_not_due_again(vault: Vault) -> None:
    a, _b = _fill(vault)
    given = replace(records.measure(a, ""), administered_on=MONDAY)
    care.add_measure(vault.unit_of_work(), given)
    assert ("questionnaire", "PHQ-9") not in _items(visits.due_on(vault.unit_of_work(), MONDAY), a)


def test_safety_plan_review_without_risk_falls_due_at_90_days(vault: Vault) -> None:
    a, _b = _fill(vault)
    calm = replace(records.note(a, ""), session_date=date(2026, 10, 20), risk_noted="")
    notes.create_note(vault.unit_of_work(), calm)
    reviewed = date(2026, 10, 6)
    visits.set_next_session(vault.unit_of_work(), a, reviewed + timedelta(89))
    assert not [k for k, _ in _items(visits.due_on(vault.unit_of_work(), reviewed + timedelta(89)), a)
                if k == "safety-plan review"]
    visits.set_next_session(vault.unit_of_work(), a, reviewed + timedelta(90))
    assert ("safety-plan review", "last reviewed 2026-10-06") in _items(
        visits.due_on(vault.unit_of_work(), reviewed + timedelta(90)), a)


def test_a_discharged_client_leaves_the_list(vault: Vault) -> None:
    a, _b = _fill(vault)
    clients.set_status(vault.unit_of_work(), a, ClientStatus.DISCHARGED, date(2026, 10, 30))
    assert visits.due_on(vault.unit_of_work(), MONDAY).visits == ()


def test_the_printed_list_holds_each_client_each_item_and_the_sources(vault: Vault) -> None:
    a, _b = _fill(vault)
    due = visits.due_on(vault.unit_of_work(), MONDAY)
    with vault.unit_of_work() as uow:
        practitioner = summary.practitioner_block(uow)
    pdf = render_due_list(due, practitioner)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Due at the next visit" in text and "November 2, 2026" in text
    assert "Alma name Ó Briain" in text
    for line in ("Questionnaire: PHQ-9", "Homework check-in: Breathing homework",
                 "Safety-plan review: risk noted in the latest note", "Lewis CC et al. 2019",
                 "Stanley B & Brown GK 2012"):
        assert line in text
    title = reader.metadata.title if reader.metadata is not None else ""
    assert "Alma" not in str(title or "")  # the PDF's metadata names no client
    empty = " ".join(PdfReader(io.BytesIO(render_due_list(visits.due_on(vault.unit_of_work(), MONDAY
                                                                        + timedelta(1)), practitioner)))
                     .pages[0].extract_text().split())
    assert "No client has a session booked on this day." in empty


def test_printing_the_list_is_audited_without_names(vault: Vault) -> None:
    visits.log_due_list(vault.unit_of_work(), "print", MONDAY)
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        last = list(vault.audit.entries(uow.session))[-1]
    assert (last.action, last.detail) == ("print", "due at the next visit, 2026-11-02")


def test_the_next_session_travels_in_the_practice_export(vault: Vault, tmp_path: Path) -> None:
    _fill(vault)
    data = practice.export_practice(vault, "export passphrase for the move")
    target, _ = Vault.create(tmp_path / "new.notesdesk", "a different passphrase")
    counts = practice.import_practice(target, data, "export passphrase for the move")
    assert counts["next_sessions"] == 2
    assert take(target.unit_of_work()).next_sessions == take(vault.unit_of_work()).next_sessions
    target.close()
