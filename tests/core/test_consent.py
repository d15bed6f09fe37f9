"""Consent and agreements: what is stored (sealed), the flags and their boundaries (a release's last
day, the first session note), a release on the due-at-the-next-visit list, the practice's templates
and the filled form."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from notesdesk.core.domain.clients import ClientStatus
from notesdesk.core.domain.paperwork import Consent, ConsentHow, ConsentKind
from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.domain.visits import DueKind
from notesdesk.core.errors import InvalidInput
from notesdesk.core.reports.base import PdfOptions
from notesdesk.core.services import clients, consent, documents, notes, overview, profile, visits
from notesdesk.core.services.paperwork_texts import PLACEHOLDERS, STARTING_TEXTS, check_template
from notesdesk.core.storage.vault import Vault
from tests.core import records

LAST_DAY = date(2026, 11, 30)


def release(client_id: str, to: str = "Dr Rahman", until: date = LAST_DAY, agreed: date = date(2026, 6, 1)
            ) -> Consent:
    return Consent(client_id, ConsentKind.RELEASE, agreed, to=to, purpose="coordinating care", until=until)


def test_the_rules_are_data_with_a_source() -> None:
    rules = consent.paperwork_rules()
    assert set(rules) == {"release_expired", "informed_consent_missing", "withdrawn"}
    assert "164.508(b)(5)" in rules["withdrawn"].source
    assert all(r.label and r.rule and r.source for r in rules.values())
    assert "164.508" in rules["release_expired"].source


@pytest.mark.parametrize(("day", "expired"), [
    (LAST_DAY - timedelta(days=1), False), (LAST_DAY, False), (LAST_DAY + timedelta(days=1), True)])
def test_a_release_is_valid_through_its_last_day_and_flagged_the_day_after(day: date, expired: bool) -> None:
    flags = consent.paperwork_flags([release("c")], [], day)
    assert (flags.get("c", ()) != ()) == expired
    if expired:
        [flag] = flags["c"]
        assert (flag.label, flag.detail) == ("release of information expired",
                                             "to Dr Rahman, valid until 2026-11-30")


def test_a_renewed_release_to_the_same_person_clears_the_flag_another_persons_does_not() -> None:
    day = LAST_DAY + timedelta(days=5)
    renewed = release("c", " dr  RAHMAN", until=date(2027, 6, 1), agreed=LAST_DAY)
    assert consent.paperwork_flags([release("c"), renewed], [], day) == {}
    other = release("c", "School nurse", until=date(2027, 6, 1), agreed=LAST_DAY)
    assert [f.detail for f in consent.paperwork_flags([release("c"), other], [], day)["c"]] == [
        "to Dr Rahman, valid until 2026-11-30"]


def test_no_informed_consent_is_flagged_from_the_first_note() -> None:
    day = date(2026, 10, 1)
    assert consent.paperwork_flags([], [], day) == {}
    [flag] = consent.paperwork_flags([], ["c"], day)["c"]
    assert flag.label == "no informed consent recorded" and flag.source.startswith("APA Ethical Principles")
    telehealth = Consent("c", ConsentKind.TELEHEALTH, day)
    assert consent.paperwork_flags([telehealth], ["c"], day)["c"][0].key == "informed_consent_missing"
    assert consent.paperwork_flags([Consent("c", ConsentKind.INFORMED, day)], ["c"], day) == {}


def test_the_client_list_shows_the_flags_from_the_first_note(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("F ")).id
    assert overview.client_flags(vault.unit_of_work(), [cid])[cid] == overview.NO_FLAGS
    notes.create_note(vault.unit_of_work(), records.note(cid, "n "))
    flags = overview.client_flags(vault.unit_of_work(), [cid])[cid]
    assert "no informed consent recorded" in flags.labels() and flags.any
    from_records = overview.flags_from_records(vault.unit_of_work(), [cid])[cid]
    assert from_records.paperwork_flags == flags.paperwork_flags
    consent.add_consent(vault.unit_of_work(), Consent(cid, ConsentKind.INFORMED, date(2026, 9, 1)))
    consent.add_consent(vault.unit_of_work(), release(cid, until=date.today()))
    assert not overview.client_flags(vault.unit_of_work(), [cid])[cid].paperwork_flags
    tomorrow = date.today() + timedelta(days=1)
    labels = overview.client_flags(vault.unit_of_work(), on=tomorrow)[cid].labels()
    assert labels[-1] == "release of information expired" and "no informed consent recorded" not in labels


def test_refused_agreements_change_nothing(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("R ")).id
    wrong = [
        Consent(cid, ConsentKind.RELEASE, date(2026, 6, 1), purpose="x", until=LAST_DAY),
        Consent(cid, ConsentKind.INFORMED, date(2026, 6, 1), until=LAST_DAY),
        release(cid, until=date(2026, 5, 31)),
        Consent(cid, ConsentKind.INFORMED, date.today() + timedelta(days=1)),
        Consent(cid, ConsentKind.INFORMED, note="a\x07bell"),
        Consent(cid, ConsentKind.INFORMED, note="x" * 2001),
    ]
    for bad in wrong:
        with pytest.raises(InvalidInput):
            consent.add_consent(vault.unit_of_work(), bad)
    assert consent.list_consents(vault.unit_of_work(), cid) == []


def test_agreements_are_sealed_and_listed_in_order(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("S ")).id
    later = consent.add_consent(vault.unit_of_work(), release(cid, to="Canary-Recipient-5521"))
    first = consent.add_consent(vault.unit_of_work(), Consent(cid, ConsentKind.INFORMED, date(2026, 1, 2),
                                                              ConsentHow.VERBAL, note="by phone"))
    assert [c.id for c in consent.list_consents(vault.unit_of_work(), cid)] == [first.id, later.id]
    vault.close()
    assert b"Canary-Recipient-5521" not in vault.path.read_bytes()


def test_an_expiring_release_is_due_at_the_visit_within_30_days(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("D ")).id
    consent.add_consent(vault.unit_of_work(), release(cid))
    rule = visits.due_rules()[DueKind.RELEASE]
    assert rule.days == 30 and rule.source

    def due(day: date) -> list[str]:
        visits.set_next_session(vault.unit_of_work(), cid, day)
        [visit] = visits.due_on(vault.unit_of_work(), day).visits
        return [i.what for i in visit.items if i.kind == DueKind.RELEASE]

    assert due(LAST_DAY - timedelta(days=31)) == []
    assert due(LAST_DAY - timedelta(days=30)) == ["to Dr Rahman, valid until 2026-11-30"]
    assert due(LAST_DAY) == ["to Dr Rahman, valid until 2026-11-30"]
    assert due(LAST_DAY + timedelta(days=1)) == ["to Dr Rahman, expired 2026-11-30"]


def test_templates_start_generic_are_edited_once_and_checked(vault: Vault) -> None:
    texts = consent.all_template_texts(vault.unit_of_work())
    assert set(texts) == set(ConsentKind) and not any(own for _text, own in texts.values())
    assert "limits" in texts[ConsentKind.INFORMED][0].casefold()
    for text in STARTING_TEXTS.values():  # every starting text uses only placeholders NotesDesk fills
        assert check_template(text) == text.strip()
    consent.save_template_text(vault.unit_of_work(), ConsentKind.FEES, "  Fees for {client}: Canary-Fee-88  ")
    assert consent.template_text(vault.unit_of_work(), ConsentKind.FEES) == "Fees for {client}: Canary-Fee-88"
    for bad in ("", "Dear {surname}", "Broken {client", "{0}"):
        with pytest.raises(InvalidInput):
            consent.save_template_text(vault.unit_of_work(), ConsentKind.FEES, bad)
    assert consent.template_text(vault.unit_of_work(), ConsentKind.FEES) == "Fees for {client}: Canary-Fee-88"
    consent.save_template_text(vault.unit_of_work(), ConsentKind.FEES, None)
    assert consent.template_text(vault.unit_of_work(), ConsentKind.FEES) == STARTING_TEXTS[ConsentKind.FEES]
    assert set(PLACEHOLDERS) >= {"client", "practitioner", "release_to", "release_until"}


def test_the_filled_form_is_a_registry_document(vault: Vault) -> None:
    profile.save_profile(vault.unit_of_work(), PractitionerProfile("Dr Ada Lee", "PhD", "01 555 0101", "IE"))
    cid = clients.add_client(vault.unit_of_work(), records.client("P ")).id
    consent.add_consent(vault.unit_of_work(), release(cid, to="Dr Rahman (GP)"))
    assert "consent" in documents.DOCUMENTS
    pdf = documents.make_document(vault.unit_of_work(), "consent", cid, PdfOptions(),
                                  ConsentKind.RELEASE)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Release of information" in text and "P name Ó Briain (date of birth 29 February 1988)" in text
    assert ("share information about my therapy with Dr Rahman (GP), for this purpose only: coordinating "
            "care") in text
    assert "valid until 30 November 2026" in text and "Recorded in the client's file" in text
    blank = documents.make_document(vault.unit_of_work(), "consent", cid, PdfOptions())
    blank_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(blank)).pages)
    assert "Informed consent to treatment" in blank_text and "Recorded in" not in blank_text
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        details = [(e.action, e.detail) for e in vault.audit.entries(uow.session)]
    assert ("export", "release of information; not password-protected") in details


def test_a_client_out_of_care_has_no_paperwork_flags(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("O ")).id
    notes.sign_note(vault.unit_of_work(), notes.create_note(vault.unit_of_work(), records.note(cid, "n ")).id)
    consent.add_consent(vault.unit_of_work(), release(cid))
    later = LAST_DAY + timedelta(days=1)
    assert len(overview.client_flags(vault.unit_of_work(), [cid], on=later)[cid].paperwork_flags) == 2
    clients.set_status(vault.unit_of_work(), cid, ClientStatus.DISCHARGED, date(2026, 10, 20))
    assert overview.client_flags(vault.unit_of_work(), [cid], on=later)[cid].paperwork_flags == ()
    assert overview.flags_from_records(vault.unit_of_work(), [cid], on=later)[cid].paperwork_flags == ()


def test_releases_recorded_on_one_day_keep_their_order_and_the_form_names_the_newest(vault: Vault) -> None:
    """Timestamps have whole seconds and ids are random: the order they were recorded in breaks a tie
    (it once fell to the ids, so the printed form could name an earlier recipient)."""
    cid = clients.add_client(vault.unit_of_work(), records.client("T ")).id
    recipients = ["Dr Rahman", "Dr Okafor", "Ms Lindqvist", "Mr Tanaka", "Dr Novak", "Ms Quispe"]
    for to in recipients:  # within a second or close: the order must hold either way
        consent.add_consent(vault.unit_of_work(), release(cid, to=to))
    assert [c.to for c in consent.list_consents(vault.unit_of_work(), cid)] == recipients
    form = consent.consent_form(vault.unit_of_work(), cid, ConsentKind.RELEASE)
    assert "Ms Quispe" in form.body and "Dr Novak" not in form.body


@pytest.mark.parametrize(("day", "flagged"), [(LAST_DAY + timedelta(days=2), True),
                                              (LAST_DAY + timedelta(days=3), False)])
def test_a_withdrawn_release_is_not_in_force_from_its_withdrawal_day(day: date, flagged: bool) -> None:
    """Expired on the 1st, withdrawn on the 3rd: flagged as expired on the 2nd, not from the 3rd (it is
    no longer the recipient's current release, and not due for renewal)."""
    withdrawn = replace(release("c"), withdrawn_on=LAST_DAY + timedelta(days=3))
    assert (consent.paperwork_flags([withdrawn], [], day) != {}) == flagged
    assert (consent.current_releases([withdrawn], day) != []) == flagged


def test_a_withdrawn_informed_consent_counts_as_none() -> None:
    day = date(2026, 10, 1)
    given = Consent("c", ConsentKind.INFORMED, date(2026, 9, 1))
    assert consent.paperwork_flags([given], ["c"], day) == {}
    gone = replace(given, withdrawn_on=day)
    [flag] = consent.paperwork_flags([gone], ["c"], day)["c"]
    assert flag.key == "informed_consent_missing"
    # still in force the day before
    assert consent.paperwork_flags([gone], ["c"], day - timedelta(days=1)) == {}


def test_withdrawing_keeps_the_agreement_and_refuses_bad_days(vault: Vault) -> None:
    cid = clients.add_client(vault.unit_of_work(), records.client("W ")).id
    given = consent.add_consent(vault.unit_of_work(), release(cid, agreed=date(2026, 6, 1)))
    for bad, says in ((date(2026, 5, 31), "cannot be withdrawn before"),
                      (date.today() + timedelta(days=1), "future")):
        with pytest.raises(InvalidInput, match=says):
            consent.withdraw_consent(vault.unit_of_work(), given.id, bad)
    assert consent.list_consents(vault.unit_of_work(), cid) == [given]  # nothing changed
    done = consent.withdraw_consent(vault.unit_of_work(), given.id, date(2026, 6, 10))
    assert consent.list_consents(vault.unit_of_work(), cid) == [done]
    assert done.withdrawn_on == date(2026, 6, 10) and done.to == given.to
    with pytest.raises(InvalidInput, match="already withdrawn on 2026-06-10"):
        consent.withdraw_consent(vault.unit_of_work(), given.id)
    form = consent.consent_form(vault.unit_of_work(), cid, ConsentKind.RELEASE)
    pdf = documents.make_document(vault.unit_of_work(), "consent", cid, PdfOptions(), ConsentKind.RELEASE)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert form.recorded == (done,) and "valid until November 30, 2026; withdrawn June 10, 2026" in text


def test_a_practice_export_and_import_keep_the_order_agreements_were_recorded_in(
        vault: Vault, tmp_path: Path) -> None:
    """Two agreements of one day, recorded in one second (timestamps have whole seconds): the second
    one's id sorts first. The export once sorted rows by id, so after an import they swapped."""
    from notesdesk.core.exports import practice, record

    cid = clients.add_client(vault.unit_of_work(), records.client("Q ")).id
    same_second = datetime(2026, 6, 1, 9)
    informed = Consent(cid, ConsentKind.INFORMED, date(2026, 6, 1), id="f" * 8, created_at=same_second)
    released = replace(release(cid, agreed=date(2026, 6, 1)), id="0" * 8, created_at=same_second)
    for agreement in (informed, released):
        consent.add_consent(vault.unit_of_work(), agreement)
    before = [c.id for c in consent.list_consents(vault.unit_of_work(), cid)]
    assert before == ["f" * 8, "0" * 8]
    exported = json.loads(record.client_record_json(vault.unit_of_work(), cid))  # docs/export-schema.md
    assert [c["id"] for c in exported["consents"]] == before
    target, _ = Vault.create(tmp_path / "imported.notesdesk", "another passphrase for the copy")
    practice.import_practice(target, practice.export_practice(vault, "export passphrase 42"),
                             "export passphrase 42")
    assert [c.id for c in consent.list_consents(target.unit_of_work(), cid)] == before
    target.close()
