"""A co-signature verifies on both vaults when the supervisor's vault holds an ordinary addendum an
earlier version let it write (one that never travels), and when the clinician added an addendum the
supervisor had not received yet (two addenda following the same item). Issue 18; docs/design-notes.md
§9, Supervision."""

from __future__ import annotations

from notesdesk.core.domain.notes import AddendumKind
from notesdesk.core.services import cosign, notes, practice, verify
from notesdesk.core.storage.vault import Vault
from tests.sync.helpers import before_supervision_was_read_only, supervised_client


def _shown(vault: Vault, note_id: str) -> tuple[bool | None, list[str]]:
    view = notes.show_note(vault.unit_of_work(), note_id)
    return view.signature_valid, [a.text for a in view.addenda]


def test_a_co_signature_after_an_older_ordinary_addendum_verifies_on_both_vaults(
    make_vault, admin_url, monkeypatch
):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, _client_id, note_id = supervised_client(alice, supervisor, admin_url)
    with before_supervision_was_read_only(monkeypatch):  # as an earlier version let a supervisor write
        notes.add_addendum(supervisor.unit_of_work(), note_id, AddendumKind.CLARIFICATION,
                           "the supervisor's own")
    cosign.cosign_note(supervisor.unit_of_work(), note_id, "Reviewed in supervision.")
    practice.sync(supervisor.unit_of_work())
    practice.sync(alice.unit_of_work())

    assert _shown(alice, note_id) == (True, ["Reviewed in supervision."])
    valid, texts = _shown(supervisor, note_id)  # both follow the note: shown in time order
    assert valid is True and sorted(texts) == ["Reviewed in supervision.", "the supervisor's own"], texts
    for vault in (alice, supervisor):  # `notesdesk verify` passes: nothing reads as altered
        assert verify.verify_vault(vault.unit_of_work()).ok


def test_a_co_signature_beside_an_addendum_it_had_not_received_verifies_on_both(make_vault, admin_url):
    alice, supervisor = make_vault("alice"), make_vault("sam")
    _sam, _client_id, note_id = supervised_client(alice, supervisor, admin_url)
    notes.add_addendum(alice.unit_of_work(), note_id, AddendumKind.CLARIFICATION, "the clinician's")
    cosign.cosign_note(supervisor.unit_of_work(), note_id, "Reviewed in supervision.")
    for vault in (alice, supervisor, alice):
        practice.sync(vault.unit_of_work())

    for vault in (alice, supervisor):
        valid, texts = _shown(vault, note_id)
        assert valid is True and sorted(texts) == ["Reviewed in supervision.", "the clinician's"], texts
        assert verify.verify_vault(vault.unit_of_work()).ok
