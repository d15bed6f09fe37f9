"""A new practice key accepted is said once (issue 18): after a clinician is removed, each remaining
member's next sync reports the version it accepted and its fingerprint (the one the remover's File ▸
Practice… shows), and `practice sync` says to compare it; the sync after says nothing more."""

from __future__ import annotations

from pathlib import Path

from notesdesk.core.services import practice, practice_access
from tests.sync.helpers import clinician_of, found_practice, join_practice
from tests.sync.helpers import sync_in_turn as _sync
from tests.sync.test_cli_conflicts import Colleague


def _three(make_vault, admin_url):
    alice, bob, carol = make_vault("alice"), make_vault("bob"), make_vault("carol")
    founded = found_practice(alice, admin_url)
    for vault in (bob, carol):
        join_practice(alice, vault, admin_url, founded.practice_fingerprint)
    _sync(alice, bob, carol)
    return alice, bob, carol


def test_the_sync_that_accepts_a_renewed_key_reports_it_once(make_vault, admin_url):
    alice, bob, carol = _three(make_vault, admin_url)
    assert practice.sync(bob.unit_of_work()).key_renewed == 0  # nothing renewed: nothing said

    practice_access.remove_clinician(alice.unit_of_work(), clinician_of(carol))
    assert practice.sync(alice.unit_of_work()).key_renewed == 0  # the remover drew it: already shown
    report = practice.sync(bob.unit_of_work())
    renewed = practice.status(alice.unit_of_work())
    assert (report.key_renewed, report.key_fingerprint) == (2, renewed.key_fingerprint)
    assert report.key_fingerprint != renewed.practice_fingerprint
    again = practice.sync(bob.unit_of_work())
    assert (again.key_renewed, again.key_fingerprint) == (0, "")


def test_practice_sync_says_to_compare_the_renewed_keys_fingerprint(make_vault, admin_url):
    alice, bob, carol = _three(make_vault, admin_url)
    practice_access.remove_clinician(alice.unit_of_work(), clinician_of(carol))
    fingerprint = practice.status(alice.unit_of_work()).key_fingerprint
    path = Path(bob.path)
    bob.close()
    cli = Colleague(path)

    synced = cli.run("practice", "sync")
    assert synced.returncode == 0, synced.stderr
    said = [line for line in synced.stderr.splitlines() if "practice key was renewed" in line]
    assert len(said) == 1 and "(version 2)" in said[0] and fingerprint in said[0]
    assert "compare its fingerprint" in said[0]
    quiet = cli.run("practice", "sync")
    assert quiet.returncode == 0 and "renewed" not in quiet.stderr + quiet.stdout
