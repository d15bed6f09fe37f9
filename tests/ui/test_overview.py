"""core.services.overview: client flags from bulk reads (review due, homework overdue, risk)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from notesdesk.core.domain.care import Checkin, CheckinStatus, Homework
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, RiskAssessment, RiskLevel, SessionNote, Signature
from notesdesk.core.domain.paperwork import Consent, ConsentKind
from notesdesk.core.domain.plans import Goal, PlanStatus, Problem, TreatmentPlan
from notesdesk.core.search.index import SearchIndex
from notesdesk.core.services import care, clients, consent, notes, plans
from notesdesk.core.services.overview import (
    NO_FLAGS,
    UNSIGNED_AFTER_DAYS,
    client_flags,
    flags_from,
    list_measure_flags,
    refresh_search_entry,
    unsigned_notes,
)

DAY = date(2024, 6, 1)


def note(client_id: str, day: date, risk: RiskLevel | None = None, signed: bool = False) -> SessionNote:
    made = SessionNote(
        client_id=client_id,
        session_date=day,
        format=NoteFormat.FREE,
        sections=notes.build_sections(NoteFormat.FREE, {"text": "Talked about sleep."}),
        risk=RiskAssessment(risk) if risk else None,
    )
    if not signed:
        return made
    return replace(made, signature=Signature(datetime(2024, 1, 1, tzinfo=UTC), "T", "", "h", "s", "f"))


def test_flags_from_is_pure_and_groups_by_client():
    due = TreatmentPlan(client_id="a", status=PlanStatus.ACTIVE, review_due=DAY)
    later = TreatmentPlan(client_id="b", status=PlanStatus.ACTIVE, review_due=DAY + timedelta(days=1))
    draft = TreatmentPlan(client_id="c", status=PlanStatus.DRAFT, review_due=DAY - timedelta(days=9))
    late = Homework(client_id="b", description="log", assigned_on=DAY, due_date=DAY - timedelta(days=1))
    done = Homework(
        client_id="c",
        description="walk",
        assigned_on=DAY,
        due_date=DAY - timedelta(days=3),
        checkins=(Checkin(DAY - timedelta(days=2), CheckinStatus.DONE),),
    )
    old_risk = note("a", DAY - timedelta(days=10), risk=RiskLevel.HIGH, signed=True)
    new_calm = note("a", DAY - timedelta(days=3), risk=RiskLevel.LOW, signed=True)
    risky = note("c", DAY, risk=RiskLevel.MODERATE, signed=True)
    measure_flags = list_measure_flags([], [], [], DAY, notes=[old_risk, new_calm, risky])
    flags = flags_from([due, later, draft], [late, done], [old_risk, new_calm, risky], DAY,
                       measure_flags=measure_flags)
    assert flags["a"].review_due and flags["a"].review_due_on == DAY
    assert not flags["a"].risk_noted  # the latest note counts, not an old one
    assert not flags["b"].review_due and flags["b"].homework_overdue == 1
    assert flags["c"].risk_noted and not flags["c"].review_due and flags["c"].homework_overdue == 0
    assert flags["b"].labels() == ["homework overdue"]
    only = flags_from([due], [], [], DAY, client_ids=["a", "z"])
    assert set(only) == {"a", "z"} and only["z"] == NO_FLAGS and not NO_FLAGS.any


def test_client_flags_reads_the_vault_in_one_unit_of_work(created, monkeypatch):
    vault = created[0]
    vault.save_profile(replace(vault.profile(), name="Dr Ada Byrne", credentials="PsyD"))  # plans are signed
    ana = clients.add_client(vault.unit_of_work(), Client(name="Ana"))
    ben = clients.add_client(vault.unit_of_work(), Client(name="Ben"))
    plan = plans.save_plan(
        vault.unit_of_work(),
        TreatmentPlan(client_id=ana.id, problems=(Problem("Sleep", goals=(Goal("Sleep 7h"),)),)),
    )
    plans.activate_plan(vault.unit_of_work(), plan.id, effective=today() - timedelta(days=120))
    care.add_homework(
        vault.unit_of_work(),
        Homework(ben.id, "diary", today() - timedelta(days=9), due_date=today() - timedelta(days=2)),
    )
    risky = notes.create_note(vault.unit_of_work(), note(ben.id, today(), risk=RiskLevel.HIGH))
    notes.sign_note(vault.unit_of_work(), risky.id)
    consent.add_consent(vault.unit_of_work(), Consent(ben.id, ConsentKind.INFORMED))  # no paperwork flag

    entered = []
    original = type(vault.unit_of_work()).__enter__

    def counting(self):
        entered.append(1)
        return original(self)

    monkeypatch.setattr(type(vault.unit_of_work()), "__enter__", counting)
    flags = client_flags(vault.unit_of_work(), [ana.id, ben.id])
    assert len(entered) == 1
    assert flags[ana.id].review_due and flags[ana.id].labels() == ["plan review due"]
    assert flags[ben.id].labels() == ["risk recorded", "no safety plan", "homework overdue"]
    everyone = client_flags(vault.unit_of_work())  # the bulk path: one query per table
    assert len(entered) == 2
    assert {cid: f.labels() for cid, f in everyone.items()} == {
        ana.id: ["plan review due"],
        ben.id: ["risk recorded", "no safety plan", "homework overdue"],
    }


def test_refresh_search_entry_updates_and_removes(created):
    vault = created[0]
    ana = clients.add_client(vault.unit_of_work(), Client(name="Ana"))
    index = SearchIndex()
    refresh_search_entry(vault.unit_of_work(), index, "client", ana.id)
    draft = notes.create_note(vault.unit_of_work(), note(ana.id, today()))
    refresh_search_entry(vault.unit_of_work(), index, "note", draft.id)
    hits = index.search("sleep")
    assert [h.object_id for h in hits] == [draft.id] and hits[0].client_name == "Ana"
    notes.delete_draft(vault.unit_of_work(), draft.id)
    refresh_search_entry(vault.unit_of_work(), index, "note", draft.id)
    assert index.search("sleep") == []


def test_a_draft_left_unsigned_for_days_is_flagged():
    fresh = note("a", DAY - timedelta(days=UNSIGNED_AFTER_DAYS - 1))  # still work in progress
    flags = flags_from([], [], [fresh], DAY, client_ids=["a"])
    assert flags["a"].unsigned_notes == 0 and not flags["a"].any and flags["a"].labels() == []
    week_old = note("a", DAY - timedelta(days=7))
    flags = flags_from([], [], [fresh, week_old], DAY)
    assert flags["a"].unsigned_notes == 1 and flags["a"].oldest_unsigned_on == DAY - timedelta(days=7)
    assert flags["a"].labels() == ["unsigned note"] and flags["a"].any
    due = note("a", DAY - timedelta(days=UNSIGNED_AFTER_DAYS))
    assert flags_from([], [], [fresh, week_old, due], DAY)["a"].labels() == ["2 unsigned notes"]


def test_a_signed_note_is_not_flagged_and_only_drafts_are_read(created):
    vault = created[0]
    ana = clients.add_client(vault.unit_of_work(), Client(name="Ana"))
    consent.add_consent(vault.unit_of_work(), Consent(ana.id, ConsentKind.INFORMED))  # no paperwork flag
    old = notes.create_note(vault.unit_of_work(), note(ana.id, today() - timedelta(days=7)))
    assert client_flags(vault.unit_of_work(), [ana.id])[ana.id].labels() == ["unsigned note"]
    assert [n.id for n in unsigned_notes(vault.unit_of_work(), ana.id)] == [old.id]
    notes.sign_note(vault.unit_of_work(), old.id)
    assert client_flags(vault.unit_of_work(), [ana.id])[ana.id].labels() == []
    assert unsigned_notes(vault.unit_of_work(), ana.id) == []
