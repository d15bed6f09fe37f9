"""The status bar says once that the practice key was renewed (issue 18): after the sync that accepted
the version drawn when a clinician was removed, until File ▸ Practice…, which shows its fingerprint to
compare, is opened. Against the real PostgreSQL cluster of tests/sync."""

from __future__ import annotations

import pytest

from notesdesk.core.services import practice, practice_access
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.lifecycle.sync_status import KEY_RENEWED
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import clinician_of, found_practice, join_practice

from .conftest import PASSPHRASE


@pytest.fixture
def founder_and_removed(tmp_path):
    made = [Vault.create(tmp_path / f"{name}.notesdesk", PASSPHRASE)[0] for name in ("alice", "carol")]
    for vault in made:
        ready_to_sign(vault)
    yield made
    for vault in made:
        vault.close()


def test_the_status_bar_says_the_key_was_renewed_until_the_practice_dialog_shows_it(
    make_window, ctx, founder_and_removed, admin_url, qtbot  # noqa: F811
):
    alice, carol = founder_and_removed
    founded = found_practice(alice, admin_url)
    for vault in (ctx.vault, carol):
        join_practice(alice, vault, admin_url, founded.practice_fingerprint)
    practice.sync(ctx.vault.unit_of_work())
    practice_access.remove_clinician(alice.unit_of_work(), clinician_of(carol))

    window = make_window()  # its first sync accepts version 2
    keeper = window.practice_sync
    qtbot.waitUntil(lambda: keeper.member and not keeper.running, timeout=60_000)
    assert keeper.label.text().startswith("Practice synced")
    assert keeper.label.text().endswith(f" · {KEY_RENEWED}")
    keeper.sync(asked=True)  # said until looked at, not only by the sync that accepted it
    qtbot.waitUntil(lambda: not keeper.running, timeout=60_000)
    assert keeper.label.text().endswith(f" · {KEY_RENEWED}")

    window.practice.practice.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    fingerprint = practice.status(alice.unit_of_work()).key_fingerprint
    assert dialog.fact_labels["Practice key"].text() == f"version 2 · {fingerprint}"
    assert KEY_RENEWED not in keeper.label.text() and keeper.label.text().startswith("Practice synced")
    keeper.sync(asked=True)
    qtbot.waitUntil(lambda: not keeper.running, timeout=60_000)
    assert KEY_RENEWED not in keeper.label.text()
