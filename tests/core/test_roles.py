"""A member's role for a client by key generation (core/sync/roles.py, docs/design-notes.md §9): their
role now is their copy of the newest key they hold; a row is judged by the key it is sealed under."""

from __future__ import annotations

from notesdesk.core.domain.notes import Addendum, AddendumKind
from notesdesk.core.sync import access, roles
from notesdesk.core.sync.crypto import CLINICIAN, SUPERVISOR

# (client, member) -> key name -> role: Sam was clinician under g1, taken off, then given the client
# back as supervisor under g2; Bob holds it as clinician throughout.
COPIES = {
    ("c1", "sam"): {"g1.aaaa": CLINICIAN, "g2.bbbb": SUPERVISOR},
    ("c1", "bob"): {"g1.aaaa": CLINICIAN, "g2.bbbb": CLINICIAN},
}


def test_a_members_role_now_is_their_copy_of_the_newest_key_they_hold() -> None:
    assert roles.current_role(COPIES[("c1", "sam")]) == SUPERVISOR
    assert roles.current_role({"g2.bbbb": SUPERVISOR, "g3.aaaa": CLINICIAN}) == CLINICIAN
    # The generation counts as a number (g10 is newer than g9), then the name breaks a tie.
    assert roles.current_role({"g9.ffff": SUPERVISOR, "g10.0000": CLINICIAN}) == CLINICIAN
    assert roles.current_role({"g2.aaaa": CLINICIAN, "g2.bbbb": SUPERVISOR}) == SUPERVISOR
    assert roles.supervisors_now(COPIES) == {"c1": ["sam"]}


def test_a_row_is_judged_by_the_key_it_is_sealed_under() -> None:
    keys = access.ClientKeys(
        keys={"c1": {"g1.aaaa": "00", "g2.bbbb": "00"}},
        supervisors=roles.supervisors_now(COPIES),
        supervisors_by_key=roles.supervisors_by_key(COPIES),
    )
    assert keys.supervisors_by_key == {"c1": {"g2.bbbb": ["sam"]}}
    note = Addendum("n1", "c1", AddendumKind.CLARIFICATION, "a clarification", addendum_of="")
    cosigned = Addendum("n1", "c1", AddendumKind.CO_SIGNATURE, "reviewed", addendum_of="")
    assert access.may_take(keys, "sam", "addendum", note, "g1.aaaa")  # written while clinician
    assert not access.may_take(keys, "sam", "addendum", note, "g2.bbbb")
    assert access.may_take(keys, "sam", "addendum", cosigned, "g2.bbbb")
    assert access.may_take(keys, "bob", "addendum", note, "g2.bbbb")
    # A row of the client under the practice key (from before per-client keys): their role now.
    assert not access.may_take(keys, "sam", "addendum", note, "")
    assert access.may_take(keys, "bob", "addendum", note, "")
