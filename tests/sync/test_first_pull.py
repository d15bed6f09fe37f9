"""A new device's first pull, made faster (docs/design-notes.md §9, "Speed"), checks and builds what it did:
each client's summary made from the rows received is the one the writer's own saves made, and the
signatures of several pushes checked together on both cores still refuse every push of the pull when
one of them fails."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from notesdesk.core.crypto import signing
from notesdesk.core.domain.notes import NoteFormat, RiskAssessment, RiskLevel, Section, SessionNote
from notesdesk.core.services import care, measures, notes, overview, practice, verify
from notesdesk.core.storage import summaries
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import access, pull
from notesdesk.core.sync.pull import SyncTampered
from tests.core import records
from tests.sync.helpers import add_client, assign, found_practice, join_practice, note_texts, signed_note


def _stored_summaries(vault: Vault) -> dict[str, object]:
    uow = vault.unit_of_work()
    with uow:
        return {s.id: s for s in summaries.read(uow)}


def _risk_note(vault: Vault, client_id: str, day: date, level: RiskLevel) -> None:
    draft = notes.create_note(
        vault.unit_of_work(),
        SessionNote(client_id=client_id, session_date=day, format=NoteFormat.FREE,
                    sections=(Section("text", "Note", f"risk {level}"),), risk=RiskAssessment(level)),
    )
    notes.sign_note(vault.unit_of_work(), draft.id)


def test_summaries_built_from_a_first_pull_equal_those_the_writers_saves_built(
    make_vault, admin_url, monkeypatch
):
    alice = make_vault("alice")
    founded = found_practice(alice, admin_url)
    first, second = add_client(alice, "Synthetic One"), add_client(alice, "Synthetic Two")
    for n, day in enumerate((date(2026, 3, 9), date(2026, 3, 2), date(2026, 3, 16))):
        signed_note(alice, first.id, f"session {n}", day)
    _risk_note(alice, first.id, date(2026, 3, 23), RiskLevel.HIGH)
    care.add_homework(alice.unit_of_work(), records.homework(first.id, "a "))
    measures.record_measure(alice.unit_of_work(), second.id, "PHQ-9", [2, 2, 2, 2, 2, 2, 1, 1, 0])
    signed_note(alice, second.id, "second's session")
    bob = make_vault("bob")
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    assign(alice, first.id, joined.clinician_id)
    assign(alice, second.id, joined.clinician_id)
    practice.sync(alice.unit_of_work(), batch=3)
    # Groups of a push or two: each group's signatures checked on the second thread while the one
    # before it is applied.
    monkeypatch.setattr(pull, "SIGNATURES_TOGETHER", 4)

    report = practice.sync(bob.unit_of_work())

    on_alice, on_bob = _stored_summaries(alice), _stored_summaries(bob)
    assert set(on_bob) == {first.id, second.id}
    assert report.received >= 11  # two clients, their intake episodes, 6 notes, homework, a questionnaire
    assert on_bob == on_alice
    assert on_bob[first.id].risk_notes and on_bob[first.id].homework and on_bob[second.id].notes
    flags = overview.client_flags(bob.unit_of_work(), [first.id, second.id])
    assert flags == overview.flags_from_records(bob.unit_of_work(), [first.id, second.id])
    assert verify.verify_vault(bob.unit_of_work()).ok  # the stored summaries equal a recomputation


def test_one_failing_signature_among_several_pushes_checked_together_on_two_threads_refuses_them_all(
    make_vault, admin_url, monkeypatch
):
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    joined = join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    client = add_client(alice, "Synthetic Client")
    assign(alice, client.id, joined.clinician_id)
    written = [signed_note(alice, client.id, f"session {n}") for n in range(9)]
    broken = written[7]  # in the third push of three notes: the first two pushes verify
    seal = access.seal

    def alter_one(keys, ident, table, obj, at, payload):
        # One bit of the note's Ed25519 signature flipped: its content hash, its seal, its push's digest
        # and signature all hold; only the Ed25519 check (in verify_many) fails.
        if at.row_id == broken.id:
            note = msgspec.json.decode(payload)
            signature = bytearray.fromhex(note["signature"]["signature"])
            signature[5] ^= 1
            note["signature"]["signature"] = signature.hex()
            payload = msgspec.json.encode(note)
        return seal(keys, ident, table, obj, at, payload)

    with monkeypatch.context() as patched:
        patched.setattr(access, "seal", alter_one)
        practice.sync(alice.unit_of_work(), batch=3)
    verified: list[int] = []
    verify_many = signing.verify_many

    def counted(public_key, claims, workers=2):
        verified.append(len(claims))
        return verify_many(public_key, claims, workers)

    monkeypatch.setattr(signing, "PARALLEL_FROM", 2)  # these few signatures are split over two threads
    monkeypatch.setattr(signing, "verify_many", counted)

    with pytest.raises(SyncTampered, match="signature fails"):
        practice.sync(bob.unit_of_work())  # all of Alice's pushes in one pull

    assert verified == [9]  # the three pushes' signatures checked in one go
    assert note_texts(bob) == set()  # nothing of any of the pushes was kept
    assert verify.verify_vault(bob.unit_of_work()).ok
    monkeypatch.setattr(pull, "SIGNATURES_TOGETHER", 3)  # one push at a time: the same verdict
    with pytest.raises(SyncTampered, match="signature fails"):
        practice.sync(bob.unit_of_work())
    assert len(verified) > 2 and sum(verified[1:]) == 9 and note_texts(bob) == set()
