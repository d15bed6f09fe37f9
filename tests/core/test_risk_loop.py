"""The risk loop (issue 14 items 7 and 8): risk is recorded, not inferred from text, and the safety plan
follows it. Rules and sources: rules/alerts.json `risk_recorded` and `safety_plan_review`.

Hand-computed cases. Flagged levels: moderate and high (not none, not low). PHQ-9 item 9 is critical
above 0 (instruments/phq9.json, Simon et al. 2013), so an answer of 1 is a risk event and 0 is not. A
safety plan clears the loop when its current version was reviewed on or after the latest risk event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from notesdesk.core.domain.care import SafetyPlan
from notesdesk.core.domain.clients import Client
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, RiskAssessment, RiskLevel, SessionNote, Signature
from notesdesk.core.errors import InvalidInput
from notesdesk.core.measures import FlagKind
from notesdesk.core.measures.alert_rules import alert_rules
from notesdesk.core.measures.risk_loop import recorded_risk_flag, risk_events, safety_plan_flag
from notesdesk.core.services import care, clients, measures, notes, overview, verify
from notesdesk.core.storage.vault import Vault

DAY = date(2025, 5, 5)
PHQ_ITEM9_ONE = [1, 1, 1, 1, 1, 1, 1, 1, 1]
PHQ_ITEM9_ZERO = [1, 1, 1, 1, 1, 1, 1, 1, 0]


def note(day: date, level: RiskLevel | None = None, text: str = "", signed: bool = True) -> SessionNote:
    made = SessionNote(
        "c", day, NoteFormat.FREE, notes.build_sections(NoteFormat.FREE, {"text": "Session."}),
        risk_noted=text, risk=RiskAssessment(level, "factors", "plan") if level else None,
    )
    if not signed:
        return made
    return replace(made, signature=Signature(datetime(2025, 1, 1, tzinfo=UTC), "T", "", "h", "s", "f"))


def kinds(flags: object) -> list[FlagKind]:
    return [f.kind for f in flags]  # type: ignore[attr-defined]


# -- item 7: the recorded level decides, never the text, never a draft ------------------------------------


def test_a_documented_negative_screen_raises_no_flag() -> None:
    assert recorded_risk_flag([note(DAY, text="Denies suicidal ideation.")]) is None
    assert recorded_risk_flag([note(DAY, RiskLevel.NONE, text="Denies suicidal ideation.")]) is None


@pytest.mark.parametrize(("level", "flagged"), [(RiskLevel.NONE, False), (RiskLevel.LOW, False),
                                                (RiskLevel.MODERATE, True), (RiskLevel.HIGH, True)])
def test_the_boundary_is_between_low_and_moderate(level: RiskLevel, flagged: bool) -> None:
    flag = recorded_risk_flag([note(DAY, level)])
    assert (flag is not None) is flagged
    if flag is not None:
        assert flag.kind is FlagKind.RISK_RECORDED and f"Risk recorded as {level.value}" in flag.message
        assert flag.source == alert_rules().risk_recorded.source and "NG225" in flag.source


def test_an_empty_new_draft_neither_clears_nor_raises_the_flag() -> None:
    signed_high = note(DAY, RiskLevel.HIGH)
    empty_draft = note(DAY + timedelta(days=7), signed=False)
    assert recorded_risk_flag([signed_high, empty_draft]) is not None
    assert recorded_risk_flag([note(DAY, RiskLevel.HIGH, signed=False)]) is None


def test_a_later_signed_note_at_a_lower_level_clears_it_and_a_note_without_a_level_does_not() -> None:
    high = note(DAY, RiskLevel.HIGH)
    assert recorded_risk_flag([high, note(DAY + timedelta(days=7))]) is not None
    assert recorded_risk_flag([high, note(DAY + timedelta(days=7), RiskLevel.LOW)]) is None


# -- item 8: the safety plan follows every risk event ---------------------------------------------------


def test_no_event_no_flag_and_an_event_without_a_plan_says_so() -> None:
    assert safety_plan_flag([], []) is None
    flag = safety_plan_flag(risk_events([note(DAY, RiskLevel.MODERATE)], []), [])
    assert flag is not None and flag.kind is FlagKind.NO_SAFETY_PLAN
    assert "risk recorded as moderate on 2025-05-05" in flag.message
    assert "Stanley & Brown" in flag.source


@pytest.mark.parametrize(("reviewed", "flagged"), [(DAY - timedelta(days=1), True), (DAY, False),
                                                    (DAY + timedelta(days=1), False), (None, True)])
def test_a_review_on_or_after_the_event_clears_it(reviewed: date | None, flagged: bool) -> None:
    plan = SafetyPlan("c", last_reviewed=reviewed)
    flag = safety_plan_flag(risk_events([note(DAY, RiskLevel.HIGH)], []), [plan])
    assert (flag is not None) is flagged
    if flag is not None:
        assert flag.kind is FlagKind.SAFETY_PLAN_NOT_REVIEWED


def test_only_the_current_version_of_the_plan_counts() -> None:
    old = SafetyPlan("c", version=1, last_reviewed=DAY)
    new = SafetyPlan("c", version=2, last_reviewed=DAY - timedelta(days=30))
    assert safety_plan_flag(risk_events([note(DAY, RiskLevel.HIGH)], []), [old, new]) is not None


# -- through the vault: PHQ-9 item 9, drafts, the review that answers the flag --------------------------


def _client(vault: Vault) -> str:
    return clients.add_client(vault.unit_of_work(), Client(name="Rowan Risk")).id


def _flags(vault: Vault, cid: str) -> list[FlagKind]:
    return kinds(overview.client_flags(vault.unit_of_work(), [cid])[cid].measure_flags)


@pytest.mark.parametrize(("answers", "flagged"), [(PHQ_ITEM9_ZERO, False), (PHQ_ITEM9_ONE, True)])
def test_phq9_item9_at_1_asks_for_a_safety_plan(vault: Vault, answers: list[int], flagged: bool) -> None:
    cid = _client(vault)
    measures.record_measure(vault.unit_of_work(), cid, "PHQ-9", answers, on=today())
    assert (FlagKind.NO_SAFETY_PLAN in _flags(vault, cid)) is flagged


def test_the_loop_closes_when_the_plan_is_marked_reviewed(vault: Vault) -> None:
    cid = _client(vault)
    care.save_safety_plan(vault.unit_of_work(), SafetyPlan(cid, warning_signs=("pacing",),
                                                            last_reviewed=today() - timedelta(days=40)))
    measures.record_measure(vault.unit_of_work(), cid, "PHQ-9", PHQ_ITEM9_ONE, on=today())
    found = overview.client_flags(vault.unit_of_work(), [cid])[cid]
    assert FlagKind.SAFETY_PLAN_NOT_REVIEWED in kinds(found.measure_flags) and found.safety_plan_due
    assert found.labels()[:2] == ["risk item endorsed", "safety plan not reviewed"]
    reviewed = care.mark_safety_plan_reviewed(vault.unit_of_work(), cid)
    assert reviewed.last_reviewed == today() and reviewed.version == 2
    assert reviewed.warning_signs == ("pacing",)
    assert FlagKind.SAFETY_PLAN_NOT_REVIEWED not in _flags(vault, cid)
    versions = care.safety_plan_versions(vault.unit_of_work(), cid)
    assert [v.last_reviewed for v in versions] == [today() - timedelta(days=40), today()]  # both on record
    assert verify.verify_vault(vault.unit_of_work()).ok


def test_marking_a_review_needs_a_plan_and_a_date_not_in_the_future(vault: Vault) -> None:
    cid = _client(vault)
    with pytest.raises(InvalidInput, match="no safety plan to mark as reviewed"):
        care.mark_safety_plan_reviewed(vault.unit_of_work(), cid)
    care.save_safety_plan(vault.unit_of_work(), SafetyPlan(cid))
    with pytest.raises(InvalidInput, match="future"):
        care.mark_safety_plan_reviewed(vault.unit_of_work(), cid, today() + timedelta(days=1))


def test_a_draft_with_high_risk_raises_nothing_until_it_is_signed(vault: Vault) -> None:
    cid = _client(vault)
    sections = notes.build_sections(NoteFormat.FREE, {"text": "Session."})
    risk = RiskAssessment(RiskLevel.HIGH, "recent loss", "call Friday")
    draft = notes.create_note(vault.unit_of_work(),
                              SessionNote(cid, today(), NoteFormat.FREE, sections, risk=risk))
    assert _flags(vault, cid) == []
    notes.sign_note(vault.unit_of_work(), draft.id)
    assert _flags(vault, cid) == [FlagKind.RISK_RECORDED, FlagKind.NO_SAFETY_PLAN]
    # A new, empty draft the next day changes nothing.
    notes.create_note(vault.unit_of_work(), SessionNote(cid, today(), NoteFormat.FREE, sections))
    assert _flags(vault, cid) == [FlagKind.RISK_RECORDED, FlagKind.NO_SAFETY_PLAN]
    stored, addenda = notes.get_note(vault.unit_of_work(), draft.id)
    assert stored.risk == RiskAssessment(RiskLevel.HIGH, "recent loss", "call Friday")
    assert notes.verify_note(vault.unit_of_work(), stored, addenda)  # the risk is signed with the note
    tampered = replace(stored, risk=RiskAssessment(RiskLevel.LOW, "recent loss", "call Friday"))
    assert not notes.verify_note(vault.unit_of_work(), tampered, addenda)


def test_a_note_without_a_risk_level_hashes_as_notes_signed_before_levels_existed() -> None:
    from notesdesk.core.services.signatures import signed_body
    from notesdesk.core.storage.sealer import encode

    plain = note(DAY, signed=False)
    body = signed_body(plain)
    assert '"risk":' not in body and body.endswith(',"signature":null}')
    later = ',"delivery":"in person","cpt_code":"","risk":null}'  # the fields added after the first notes
    assert encode(plain).decode().replace(later, "}") == body
    assert '"risk":{"level":"high"' in signed_body(note(DAY, RiskLevel.HIGH, signed=False))


def test_measure_flags_carry_the_risk_loop_with_rule_and_source(vault: Vault) -> None:
    cid = _client(vault)
    measures.record_measure(vault.unit_of_work(), cid, "PHQ-9", PHQ_ITEM9_ONE, on=today())
    found = measures.client_measure_flags(vault.unit_of_work(), [cid])[cid]
    plan_flag = next(f for f in found if f.kind is FlagKind.NO_SAFETY_PLAN)
    assert plan_flag.rule and plan_flag.source == alert_rules().safety_plan_review.source
    assert "PHQ-9 item 9 endorsed" in plan_flag.message
