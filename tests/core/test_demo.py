"""The synthetic demo practice: counts, determinism, signatures, clinical shape, vault integrity."""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.domain.attachments import MediaType
from notesdesk.core.domain.care import DIMENSIONS, MilestoneStatus
from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.notes import NoteFormat
from notesdesk.core.domain.plans import PlanStatus, missing_required_fields
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.errors import InvalidInput
from notesdesk.core.services import attachments, care, clients, measures, notes, overview, plans
from notesdesk.core.services.signatures import signature_valid
from notesdesk.core.services.verify import verify_vault
from notesdesk.core.storage.vault import Vault
from notesdesk.demo import CASES, DEMO_PROFILE, DemoSummary, build_demo, session_counts
from notesdesk.demo import course as dc
from notesdesk.demo import text as t
from notesdesk.demo import text_body as tb
from notesdesk.demo.names import invent_people

PASSPHRASE = "correct horse battery"
TODAY = date(2026, 3, 16)


def _vault(path: Path, monkeypatch: pytest.MonkeyPatch) -> Vault:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    vault, _recovery = Vault.create(path, PASSPHRASE)
    return vault


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, DemoSummary]]:
    """One small practice shared by the read-only checks: 6 clients, 60 notes."""
    with pytest.MonkeyPatch.context() as mp:
        vault = _vault(tmp_path_factory.mktemp("demo") / "v.notesdesk", mp)
        summary = build_demo(vault, clients=6, notes=60, seed=11, today=TODAY)
        yield vault, summary
        vault.close()


def _names(vault: Vault) -> list[str]:
    return [c.name for c in clients.list_clients(vault.unit_of_work())]


def test_counts_match_the_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = _vault(tmp_path / "v.notesdesk", monkeypatch)
    try:
        summary = build_demo(vault, clients=4, notes=30, seed=3, today=TODAY)
        assert summary.clients == 4
        assert summary.notes == 30
        with vault.unit_of_work() as uow:
            assert len(uow.clients.all()) == 4
            stored = uow.notes.all()
            assert len(stored) == 30
            assert summary.signed_notes == sum(n.is_signed for n in stored)
            assert summary.plans == len(uow.plans.all())
            assert summary.homework == len(uow.homework.all())
            assert summary.milestones == len(uow.milestones.all())
            assert summary.safety_plans == len(uow.safety_plans.all())
            assert summary.private_notes == len(uow.private_notes.all())
            assert summary.measures == len(uow.measures.all())
            assert summary.addenda == len(uow.addenda.all())
    finally:
        vault.close()


def test_the_same_seed_gives_the_same_practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _vault(tmp_path / "a.notesdesk", monkeypatch)
    second = _vault(tmp_path / "b.notesdesk", monkeypatch)
    try:
        build_demo(first, clients=3, notes=20, seed=5, today=TODAY)
        build_demo(second, clients=3, notes=20, seed=5, today=TODAY)
        assert _names(first) == _names(second)

        def texts(vault: Vault) -> list[str]:
            with vault.unit_of_work() as uow:
                return sorted(n.text for n in uow.notes.all())

        assert texts(first) == texts(second)
    finally:
        first.close()
        second.close()
    other = [p.name for p in invent_people(3, random.Random(6))]
    assert sorted(other) != sorted(p.name for p in invent_people(3, random.Random(5)))


def test_names_are_varied_and_not_only_latin_1() -> None:
    people = invent_people(25, random.Random(7))
    names = [p.name for p in people]
    assert len(set(names)) == 25
    assert any(not name.isascii() for name in names)
    assert any(ord(ch) > 0xFF for name in names for ch in name)  # Ł, ş, ơ, ő…
    assert len({p.culture for p in people}) >= 8


def test_practice_names_include_accents(practice: tuple[Vault, DemoSummary]) -> None:
    vault, _ = practice
    assert any(not name.isascii() for name in _names(vault))


def test_signed_notes_verify_and_the_latest_may_be_drafts(practice: tuple[Vault, DemoSummary]) -> None:
    vault, summary = practice
    signed = drafts = 0
    with vault.unit_of_work() as uow:
        addenda = uow.addenda.all()
        for client in uow.clients.all():
            history = sorted(uow.notes.where(client_id=client.id), key=lambda n: n.session_date)
            seen_draft = False
            for note in history:
                if not note.is_signed:
                    seen_draft = True
                    drafts += 1
                    continue
                assert not seen_draft, "a draft is followed by a signed note"
                chain = sorted((a for a in addenda if a.note_id == note.id), key=lambda a: a.created_at)
                assert notes.verify_note(uow, note, chain)
                assert note.signature is not None
                assert note.signature.signer == DEMO_PROFILE.name
                signed += 1
    assert signed == summary.signed_notes
    assert signed > drafts > 0


def test_every_client_starts_with_an_intake(practice: tuple[Vault, DemoSummary]) -> None:
    vault, _ = practice
    for client in clients.list_clients(vault.unit_of_work()):
        history = sorted(notes.list_notes(vault.unit_of_work(), client.id), key=lambda n: n.session_date)
        assert history[0].format == NoteFormat.INTAKE
        assert history[0].session_date == client.intake_date
        assert sum(n.format == NoteFormat.INTAKE for n in history) == 1
        assert all(n.session_date < TODAY for n in history)
        if client.status == ClientStatus.DISCHARGED:
            assert history[-1].format == NoteFormat.DISCHARGE
            assert history[-1].maintenance_plan is not None
            assert history[-1].session_date == client.discharge_date


def test_statuses_plans_and_care_records_look_clinical(practice: tuple[Vault, DemoSummary]) -> None:
    vault, _ = practice
    everyone = clients.list_clients(vault.unit_of_work())
    assert {c.status for c in everyone} == set(ClientStatus)
    for client in everyone:
        versions = plans.plan_versions(vault.unit_of_work(), client.id)
        assert versions, client.name
        assert [p.version for p in versions] == list(range(1, len(versions) + 1))
        assert all(p.status == PlanStatus.SUPERSEDED for p in versions[:-1])
        expected = PlanStatus.CLOSED if client.status == ClientStatus.DISCHARGED else PlanStatus.ACTIVE
        assert versions[-1].status == expected
        for plan in versions:
            assert missing_required_fields(plan) == []
            assert all(g.client_words for g in plan.goals())
        for milestone in care.list_milestones(vault.unit_of_work(), client.id):
            assert milestone.dimension in DIMENSIONS[milestone.kind] or not DIMENSIONS[milestone.kind]
            assert milestone.history[0].status == MilestoneStatus.PLANNED
            assert milestone.status == milestone.history[-1].status
        for measure in care.list_measures(vault.unit_of_work(), client.id):
            assert len(measure.answers) == {"PHQ-9": 9, "GAD-7": 7, "PCL-5": 20}[measure.instrument]
            assert all(a is not None and 0 <= a <= 3 for a in measure.answers)
    with vault.unit_of_work() as uow:
        homework = uow.homework.all()
        statuses = {c.status for h in homework for c in h.checkins}
    assert len(statuses) >= 3  # done, partial, not done: adherence varies


def signed_plans(vault: Vault) -> tuple[int, list[str]]:
    """Checks every plan version and review is signed and verifies; returns how many clients have a
    revised plan, and what each active plan says of the client's agreement."""
    public = vault.signing_public_key()
    agreements: list[str] = []
    revised = 0
    for client in clients.list_clients(vault.unit_of_work()):
        versions = plans.plan_versions(vault.unit_of_work(), client.id)
        assert all(p.is_signed and signature_valid(p, public) for p in versions), client.name
        revised += len(versions) > 1
        current = versions[-1]
        if current.status is PlanStatus.ACTIVE:
            agreed = plans.agreement_of(vault.unit_of_work(), current)
            agreements.append(plans.agreement_line(current, agreed))
    with vault.unit_of_work() as uow:  # the reviews are signed records, chained to their version
        reviews = uow.plan_reviews.all()
    assert all(signature_valid(r, public) for r in reviews)
    return revised, agreements


def test_every_plan_version_is_signed(practice: tuple[Vault, DemoSummary]) -> None:
    _revised, agreements = signed_plans(practice[0])
    assert any(line.startswith("Agreed with the client on ") for line in agreements)


def test_the_demo_vault_passes_verify(practice: tuple[Vault, DemoSummary]) -> None:
    vault, summary = practice
    report = verify_vault(vault.unit_of_work())
    assert report.ok
    assert report.signed_notes == summary.signed_notes


def test_profile_is_filled_only_when_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = _vault(tmp_path / "v.notesdesk", monkeypatch)
    try:
        vault.save_profile(PractitionerProfile(name="Dr. Own Name", credentials="LCSW"))
        build_demo(vault, clients=1, notes=6, seed=1, today=TODAY)
        assert vault.profile().name == "Dr. Own Name"
        with vault.unit_of_work() as uow:
            assert all(n.signature.signer == "Dr. Own Name" for n in uow.notes.all() if n.signature)
    finally:
        vault.close()


def test_session_counts_are_exact_and_requests_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(1)
    for wanted_clients, wanted_notes in ((4, 30), (300, 20000), (10, 10), (7, 1000)):
        counts = session_counts(wanted_clients, wanted_notes, rng)
        assert sum(counts) == wanted_notes
        assert min(counts) >= 1
    assert all(6 <= c <= 40 for c in session_counts(25, None, rng))
    vault = _vault(tmp_path / "v.notesdesk", monkeypatch)
    try:
        with pytest.raises(InvalidInput):
            build_demo(vault, clients=5, notes=3)
        with pytest.raises(InvalidInput):
            build_demo(vault, clients=0)
    finally:
        vault.close()


def test_milestones_record_setbacks() -> None:
    dates = [TODAY + timedelta(weeks=i) for i in range(14)]
    severity = (1.0, 0.95, 0.8, 0.6, 0.35, 0.3, 0.3, 0.3, 0.3, 0.95, 0.95, 0.4, 0.3, 0.3)
    ids = [f"note-{i}" for i in range(14)]
    history, evidence = dc.milestone_history(dates, severity, ids, 1, random.Random(2))
    levels = [dc.LEVELS.index(change.status) for change in history]
    assert max(levels) >= 2
    assert any(b < a for a, b in zip(levels, levels[1:], strict=False)), "no setback recorded"
    assert len(evidence) == len(history) - 1


def test_every_phrase_template_fills() -> None:
    words = invent_people(1, random.Random(1))[0].words
    rng = random.Random(0)
    for case in CASES:
        assert case.reports and all(len(band) >= 2 for band in case.reports)
        for text in (*case.techniques.values(), *case.history, *(r for b in case.reports for r in b),
                     *case.backgrounds, *case.formulation, *case.formulations.values()):
            assert "{" not in t.fill(text, {**words, "job": t.JOBS[0]}, rng)
        for spec in case.goals:
            t.fill(spec.statement, words, rng)
            for objective in spec.objectives:
                assert set(objective.techniques) <= set(case.techniques), case.key
        for instrument in case.measures:
            assert instrument in case.baselines
    banks = (t.PRIVATE, *t.PRESENTATION, *t.STAGE_ASSESSMENT.values(), *t.RESPONSE, *t.LIFE,
             *tb.LIFE_CHILD, *tb.LIFE_BODY, *tb.PRESENTATION_BODY, *tb.STAGE_BODY.values(),
             *tb.RESPONSE_BODY, *t.ADDENDA.values(), t.SETBACKS, t.ALLIANCE, *tb.PRESENTATION_CHILD,
             tb.BACKGROUND_CHILD, tb.STRENGTHS_CHILD, tb.DEVELOPMENT_CHILD, (tb.RISK_CHILD,),
             tuple(text.replace("{job}", t.JOBS[0]) for _, _, text in t.BACKGROUND))
    for bank in banks:
        for text in bank:
            assert "{" not in t.fill(text, words, rng)


def test_planned_signatures_and_addenda_are_in_order() -> None:
    """Addenda strictly after their note and each other (verification orders them by time)."""
    from datetime import UTC, datetime

    from notesdesk.demo.client import plan_client

    ceiling = datetime(2026, 3, 16, tzinfo=UTC)
    people = invent_people(80, random.Random(4))
    seen = 0
    for index, person in enumerate(people):
        record = plan_client(person, CASES[index % len(CASES)], 40, ClientStatus.ACTIVE, 1, TODAY,
                             ceiling, "Dr. Test", random.Random(index))
        for planned in record.notes:
            if planned.signed_at is None:
                assert not planned.addenda
                continue
            assert planned.note.updated_at <= planned.signed_at < ceiling
            times = [planned.signed_at, *(when for _, _, when in planned.addenda)]
            assert times == sorted(times) and len(set(times)) == len(times)
            assert all(when < ceiling for when in times)
            seen += len(planned.addenda)
    assert seen > 0


def test_the_default_practice_shows_every_alert_of_issue_14(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """As `notesdesk demo` builds it (25 clients, seed 7): each alert is on at least one client's row in
    the client list, and the joint recovery label and partial homework credit are there to be seen."""
    vault = _vault(tmp_path / "v.notesdesk", monkeypatch)
    try:
        build_demo(vault, today=TODAY)
        shown = overview.client_flags(vault.unit_of_work(), on=TODAY)
        labels = {label for flags in shown.values() for label in flags.labels()}
        assert {"deteriorating", "not on track", "no reliable improvement", "alliance decline"} <= labels
        # The risk loop (items 7-8): a signed moderate level, a newly endorsed item 9 with no plan yet,
        # and a plan not reviewed since the latest risk event.
        assert {"risk recorded", "risk item endorsed", "no safety plan", "safety plan not reviewed"} <= labels
        ids = [c.id for c in clients.list_clients(vault.unit_of_work())]
        joint = [measures.client_recovery(vault.unit_of_work(), cid) for cid in ids]
        assert {r.met for r in joint if r is not None} >= {True, False}
        partial = [care.counts_text(care.checkin_counts(care.list_homework(vault.unit_of_work(), cid), TODAY))
                   for cid in ids]
        assert any("partial" in text for text in partial)
        # Signed plans (item 12): one revised at least, and one signed but not yet agreed.
        revised, agreements = signed_plans(vault)
        assert revised >= 1 and agreements.count("Not yet agreed with the client.") == 1
        # The adult trauma cases are followed with the PCL-5 (item 13).
        given = {m.instrument for cid in ids for m in care.list_measures(vault.unit_of_work(), cid)}
        assert "pcl5" in given or "PCL-5" in given
    finally:
        vault.close()


def test_one_client_has_a_generated_consent_pdf_and_a_referral_png(
    practice: tuple[Vault, DemoSummary]
) -> None:
    vault, summary = practice
    with vault.unit_of_work() as uow:
        attached = uow.attachments.all()
    assert summary.attachments == len(attached) == 2 and len({a.client_id for a in attached}) == 1
    by_type = {a.media_type: a for a in attached}
    pdf, png = io.BytesIO(), io.BytesIO()
    attachments.read_attachment(vault.unit_of_work(), by_type[MediaType.PDF].id, pdf)
    attachments.read_attachment(vault.unit_of_work(), by_type[MediaType.PNG].id, png)
    name = clients.get_client(vault.unit_of_work(), attached[0].client_id).display_name
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Consent to treatment (synthetic demo document)" in text and name.split()[0] in text
    width, height = struct.unpack(">II", png.getvalue()[16:24])
    assert png.getvalue().startswith(b"\x89PNG") and (width, height) == (240, 160)
def test_the_demo_shows_each_paperwork_case(practice: tuple[Vault, DemoSummary]) -> None:
    """Consent on file for most clients, one active client without it, one expired release to the GP,
    one letter (issue 16), each flagged as the client list shows it."""
    vault, summary = practice
    assert summary.letters == 1 and summary.consents >= summary.clients - 1
    flags = overview.client_flags(vault.unit_of_work(), on=TODAY)
    labels = sorted(label for f in flags.values() for label in f.labels()
                    if label in ("no informed consent recorded", "release of information expired"))
    assert labels == ["no informed consent recorded", "release of information expired"]
    missing = [cid for cid, f in flags.items() if "no informed consent recorded" in f.labels()]
    expired = [cid for cid, f in flags.items() if "release of information expired" in f.labels()]
    assert missing != expired
    with vault.unit_of_work() as uow:
        [letter] = uow.letters.all()
    assert letter.body.startswith("Dear colleague,") and letter.practitioner_name == DEMO_PROFILE.name
def test_the_demo_has_fees_payments_a_receipt_and_a_superbill(practice: tuple[Vault, DemoSummary]) -> None:
    from notesdesk.core.domain.billing import ReceiptKind
    from notesdesk.core.services import fees

    vault, summary = practice
    schedule = fees.fee_schedule(vault.unit_of_work())
    assert schedule.currency == "USD" and len(schedule.fees) >= 6  # the demo practice is American
    with vault.unit_of_work() as uow:
        paid, issued = uow.payments.all(), uow.receipts.all()
        signed = {n.id for n in uow.notes.all() if n.is_signed}
    assert summary.payments == len(paid) > 0 and summary.receipts == len(issued)
    assert all(set(p.note_ids) <= signed for p in paid) and any(not p.note_ids for p in paid)
    assert sorted(r.number for r in issued) == list(range(1, len(issued) + 1))
    assert {r.data.kind for r in issued} == {ReceiptKind.RECEIPT, ReceiptKind.SUPERBILL}
    assert all(r.data.total > 0 and r.data.lines for r in issued)


def test_every_active_client_has_a_next_session_and_the_weeks_due_lists_show_them(
    practice: tuple[Vault, DemoSummary]
) -> None:
    """Issue 16 item 7 in the demo: the "due at the next visit" list has visits on it, the expired
    release among what is due."""
    from notesdesk.core.domain.visits import DueKind
    from notesdesk.core.services import visits

    vault, summary = practice
    active = {c.id for c in clients.list_clients(vault.unit_of_work()) if c.status == ClientStatus.ACTIVE}
    week = [visits.due_on(vault.unit_of_work(), TODAY + timedelta(days=n)) for n in range(7)]
    seen = [visit.client_id for day in week for visit in day.visits]
    assert summary.next_sessions == len(active) and sorted(seen) == sorted(active)
    kinds = {item.kind for day in week for visit in day.visits for item in visit.items}
    assert DueKind.RELEASE in kinds and DueKind.QUESTIONNAIRE in kinds
