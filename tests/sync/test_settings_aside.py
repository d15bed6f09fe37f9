"""A practice setting's version kept aside after two computers changed it (issue 18) is used or
discarded: used, it becomes the one in use here and reaches the colleague at the next sync as a new
edit; discarded, it leaves the list and the one in use stays; either is audited; an id that names no
version changes nothing; from the command line too (`practice settings-aside --use ID | --discard ID`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notesdesk.core.domain.paperwork import ConsentKind
from notesdesk.core.errors import NotFound
from notesdesk.core.services import consent, practice, practice_settings
from notesdesk.core.storage.vault import Vault
from tests.sync.helpers import found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync
from tests.sync.test_cli_conflicts import Colleague

ALICE, BOB = "Alice's wording, {client}.", "Bob's wording, {client}."


def _changed_on_both(make_vault, admin_url) -> tuple[Vault, Vault, str]:
    """Alice and Bob change the telehealth template offline; the smaller device id's stands on both,
    the other is kept aside on both. Returns the version kept aside."""
    alice, bob = make_vault("alice"), make_vault("bob")
    founded = found_practice(alice, admin_url)
    join_practice(alice, bob, admin_url, founded.practice_fingerprint)
    _sync(alice, bob)
    consent.save_template_text(alice.unit_of_work(), ConsentKind.TELEHEALTH, ALICE)
    consent.save_template_text(bob.unit_of_work(), ConsentKind.TELEHEALTH, BOB)
    _sync(alice, bob, alice)
    stands = _telehealth(alice)
    assert stands == _telehealth(bob)
    return alice, bob, ({ALICE, BOB} - {stands}).pop()


def _telehealth(vault: Vault) -> str:
    return consent.template_text(vault.unit_of_work(), ConsentKind.TELEHEALTH)


def _audited(vault: Vault, action: str) -> int:
    with vault.unit_of_work() as uow:
        assert uow.session is not None
        return sum(e.action == action for e in vault.audit.entries(uow.session))


def test_the_version_used_stands_here_and_reaches_the_colleague(make_vault, admin_url):
    alice, bob, other = _changed_on_both(make_vault, admin_url)
    (kept,) = practice_settings.set_aside(alice.unit_of_work())
    assert (kept.what, kept.item, kept.value) == ("paperwork template", "telehealth", other)

    used = practice_settings.use_set_aside(alice.unit_of_work(), kept.id)
    assert used.value == other and _telehealth(alice) == other
    assert practice_settings.set_aside(alice.unit_of_work()) == []
    assert _audited(alice, "practice-setting-taken-back") == 1

    _sync(alice, bob)  # a new edit made from the version Bob holds: taken, nothing more kept aside
    assert _telehealth(bob) == other
    assert len(practice_settings.set_aside(bob.unit_of_work())) == 1
    assert practice.sync(bob.unit_of_work()).pushed == 0  # nothing received goes back


def test_the_version_discarded_leaves_the_list_and_the_one_in_use_stays(make_vault, admin_url):
    alice, bob, other = _changed_on_both(make_vault, admin_url)
    stands = _telehealth(bob)
    (kept,) = practice_settings.set_aside(bob.unit_of_work())

    with pytest.raises(NotFound):
        practice_settings.discard_set_aside(bob.unit_of_work(), "0000000000")
    assert practice_settings.count_set_aside(bob.unit_of_work()) == 1

    dropped = practice_settings.discard_set_aside(bob.unit_of_work(), kept.id)
    assert dropped.value == other
    assert practice_settings.count_set_aside(bob.unit_of_work()) == 0 and _telehealth(bob) == stands
    assert _audited(bob, "practice-setting-discarded") == 1
    with pytest.raises(NotFound):  # gone: using it now changes nothing
        practice_settings.use_set_aside(bob.unit_of_work(), kept.id)
    assert _telehealth(bob) == stands and practice.sync(bob.unit_of_work()).pushed == 0


def test_a_version_is_used_and_discarded_from_the_command_line(make_vault, admin_url):
    alice, bob, other = _changed_on_both(make_vault, admin_url)
    path = Path(bob.path)
    bob.close()
    cli = Colleague(path)

    (listed,) = json.loads(cli.ok("--json", "practice", "settings-aside"))
    assert listed["id"] in cli.ok("practice", "settings-aside")
    refused = cli.run("practice", "settings-aside", "--use", "nosuchid")
    assert refused.returncode != 0 and "nothing was changed" in refused.stderr
    assert "Traceback" not in refused.stderr
    used = cli.ok("practice", "settings-aside", "--use", listed["id"])
    assert "Now in use here: the paperwork template telehealth" in used
    assert cli.ok("practice", "settings-aside").strip() == "No practice setting was changed on two computers."
    cli.ok("practice", "sync")
    _sync(alice)
    assert _telehealth(alice) == other
