"""The app and practice sync, against the real PostgreSQL cluster of tests/sync: the state in the
status bar, "Sync now", syncing at unlock through the background runner, offline as a quiet state,
and a failure shown once through the presenter."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
from PySide6.QtCore import QSettings

from notesdesk.core.services import clients, practice, practice_access
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import state as st
from notesdesk.ui.context import AppContext
from notesdesk.ui.lifecycle import sync_status
from notesdesk.ui.main_window import MainWindow
from notesdesk.ui.prefs import Preferences
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, assign, clinician_of, found_practice, join_practice, signed_note

from .conftest import PASSPHRASE, FakeWorkspace


@pytest.fixture
def colleague(tmp_path):
    vault = Vault.create(tmp_path / "colleague.notesdesk", PASSPHRASE)[0]
    ready_to_sign(vault)
    yield vault
    vault.close()


def _shown_names(window) -> set[str]:
    return {c.name for c in window.panel.model.clients()}


def test_a_vault_outside_a_practice_shows_nothing_about_sync(make_window):
    window = make_window()
    assert not window.practice_sync.label.isVisible()
    assert not window.practice_sync.action.isVisible()
    assert not window.practice_sync.timer.isActive()


def test_the_app_syncs_at_unlock_and_on_sync_now(make_window, ctx, colleague, admin_url, qtbot):  # noqa: F811
    founded = found_practice(ctx.vault, admin_url)
    join_practice(ctx.vault, colleague, admin_url, founded.practice_fingerprint)
    shared = add_client(colleague, "Synthetic Colleague Client")
    practice.sync(colleague.unit_of_work())  # takes the practice key it was given
    assign(colleague, shared.id, clinician_of(ctx.vault))
    signed_note(colleague, shared.id, "From the colleague")
    practice.sync(colleague.unit_of_work())

    window = make_window()
    keeper = window.practice_sync
    assert keeper.label.isVisible() and keeper.action.isVisible() and keeper.timer.isActive()
    assert keeper.timer.interval() == 5 * 60_000  # README: every five minutes
    # The sync at unlock runs in the background; the client list hears of what arrived.
    qtbot.waitUntil(lambda: keeper.label.text().startswith("Practice synced"), timeout=60_000)
    qtbot.waitUntil(lambda: "Synthetic Colleague Client" in _shown_names(window), timeout=10_000)
    assert ctx.errors.last_message is None

    # A second client arrives on "Sync now", from the File menu.
    second = add_client(colleague, "Synthetic Second Client")
    assign(colleague, second.id, clinician_of(ctx.vault))
    practice.sync(colleague.unit_of_work())
    file_menu = window.menuBar().actions()[0].menu()
    assert keeper.action in file_menu.actions()
    keeper.action.trigger()
    assert keeper.label.text() == "Syncing…"
    qtbot.waitUntil(lambda: not keeper.running, timeout=60_000)
    qtbot.waitUntil(lambda: "Synthetic Second Client" in _shown_names(window), timeout=10_000)
    assert {c.name for c in clients.list_clients(ctx.vault.unit_of_work())} == {
        "Synthetic Colleague Client", "Synthetic Second Client"}


def test_offline_is_a_quiet_state(make_window, ctx, admin_url, qtbot):  # noqa: F811
    found_practice(ctx.vault, admin_url)
    practice.sync(ctx.vault.unit_of_work())
    with ctx.vault.unit_of_work() as uow:  # the server moved away: nothing listens on port 1
        ident = st.required_identity(uow)
        st.save(uow, replace(ident, server_url=ident.server_url.replace(f":{_port(ident)}/", ":1/")))
        uow.commit()

    window = make_window()
    keeper = window.practice_sync
    qtbot.waitUntil(lambda: "offline" in keeper.label.text(), timeout=60_000)
    assert "last sync" in keeper.label.text()
    assert ctx.errors.last_message is None  # no popup for a laptop away from the office
    # Asked for by the user, it says why in one line.
    keeper.action.trigger()
    qtbot.waitUntil(lambda: ctx.errors.last_message is not None, timeout=60_000)
    assert "could not be reached" in ctx.errors.last_message
    assert "\n" not in ctx.errors.last_message


def test_a_refused_sync_is_shown_once_then_quiet_until_asked(
    make_window, ctx, colleague, admin_url, qtbot  # noqa: F811
):
    founded = found_practice(ctx.vault, admin_url)
    join_practice(ctx.vault, colleague, admin_url, founded.practice_fingerprint)
    signed_note(colleague, add_client(colleague, "Synthetic Client").id, "Altered on the server")
    practice.sync(colleague.unit_of_work())
    with psycopg.connect(admin_url) as conn:  # the server's operator alters a sealed row
        conn.execute("UPDATE change SET sealed = sealed || '\\x00'::bytea")

    shown: list[str] = []
    ctx.errors.present = lambda exc, title="NotesDesk": shown.append(str(exc))
    window = make_window()
    keeper = window.practice_sync
    qtbot.waitUntil(lambda: len(shown) == 1 and not keeper.running, timeout=60_000)
    assert "Sync refused" in shown[0] and keeper.label.text().startswith("Sync stopped")
    keeper.timer.timeout.emit()  # the next automatic sync fails the same way: quiet
    assert keeper.running
    qtbot.waitUntil(lambda: not keeper.running, timeout=60_000)
    assert len(shown) == 1
    keeper.action.trigger()  # asked for: said again
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=60_000)


def test_the_status_words():
    from datetime import UTC, datetime

    from notesdesk.core.services.sync_state import SyncSummary

    at = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
    local = at.astimezone()
    assert sync_status.describe(SyncSummary(True, None, 0, False)) == "Practice: not synced yet"
    # What waits is named, and where to resolve it is said (Client ▸ Sync conflicts…).
    assert sync_status.describe(SyncSummary(True, at, 2, False)).endswith("· 2 sync conflicts to resolve")
    assert sync_status.describe(SyncSummary(True, at, 1, False)).endswith("· 1 sync conflict to resolve")
    removed = sync_status.describe(SyncSummary(True, at, 0, False), removed=True)
    assert removed == f"Removed from the practice · last sync {local:%Y-%m-%d %H:%M}"
    assert f"{local:%Y-%m-%d %H:%M}" in sync_status.describe(SyncSummary(True, at, 0, False), offline=True)
    assert sync_status.describe(SyncSummary(False, None, 0, False)).startswith("Practice: waiting")
    # Two computers issued receipts offline (tests/sync/test_receipt_numbers.py counts them).
    assert sync_status.describe(SyncSummary(True, at, 0, False, 1)).endswith(
        "· 1 receipt number issued twice")
    assert sync_status.describe(SyncSummary(True, at, 2, False, 2)).endswith(
        "· 2 sync conflicts to resolve · 2 receipt numbers issued twice")
    # Practice settings changed on two computers: the versions kept aside (File ▸ Practice…).
    assert sync_status.describe(SyncSummary(True, at, 1, False, settings_aside=1)).endswith(
        "· 1 sync conflict to resolve · 1 setting version kept aside")
    assert sync_status.describe(SyncSummary(True, at, 0, False, settings_aside=3)).endswith(
        f"synced {sync_status.when(at)} · 3 setting versions kept aside")


def test_a_removed_clinician_sees_that_in_the_status_bar_without_a_popup(
    make_window, ctx, colleague, admin_url, qtbot  # noqa: F811
):
    founded = found_practice(colleague, admin_url)
    me = join_practice(colleague, ctx.vault, admin_url, founded.practice_fingerprint).clinician_id
    practice.sync(ctx.vault.unit_of_work())
    practice_access.remove_clinician(colleague.unit_of_work(), me)

    window = make_window()
    keeper = window.practice_sync
    qtbot.waitUntil(lambda: not keeper.running and "last sync" in keeper.label.text(), timeout=60_000)
    assert keeper.label.text().startswith("Removed from the practice · last sync ")
    assert ctx.errors.last_message is None  # a state, said in the status bar
    assert not keeper.timer.isActive()  # no sync every five minutes that can only fail again
    keeper.action.trigger()  # asked for: told in one line
    qtbot.waitUntil(lambda: ctx.errors.last_message is not None, timeout=60_000)
    assert "removed from the practice" in ctx.errors.last_message


def _port(ident: st.SyncIdentity) -> int:
    from sqlalchemy.engine import make_url

    return int(make_url(ident.server_url).port or 5432)


def test_a_clinician_waiting_to_be_added_sees_that_without_a_popup(
    make_window, ctx, colleague, admin_url, qtbot  # noqa: F811
):
    founded = found_practice(colleague, admin_url)
    practice.join(ctx.vault.unit_of_work(), admin_url, founded.practice_fingerprint)  # nobody adds us

    window = make_window()
    keeper = window.practice_sync
    assert keeper.label.isVisible()
    qtbot.waitUntil(lambda: not keeper.running, timeout=60_000)
    assert keeper.label.text() == "Practice: waiting to be added by a member"
    assert ctx.errors.last_message is None
    keeper.action.trigger()  # asked for: told what to do
    qtbot.waitUntil(lambda: ctx.errors.last_message is not None, timeout=60_000)
    assert "Waiting to be added" in ctx.errors.last_message


def test_a_vault_open_read_only_does_not_sync(qtbot, ui_vault_path, runner, errors, tmp_path, relaunch,
                                              admin_url):  # noqa: F811
    vault, _key = Vault.create(ui_vault_path, PASSPHRASE)
    found_practice(vault, admin_url)
    vault.close()
    vault = Vault.open(ui_vault_path, passphrase=PASSPHRASE, read_only=True)
    prefs = Preferences(QSettings(str(tmp_path / "ro.ini"), QSettings.Format.IniFormat))
    ctx = AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)
    window = MainWindow(ctx, relaunch=relaunch, workspace_factory=FakeWorkspace)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: not window.search_keeper.building)
        keeper = window.practice_sync
        qtbot.waitUntil(lambda: keeper.label.isVisible())
        assert not keeper.running and not keeper.timer.isActive() and not keeper.action.isEnabled()
        assert "read-only" in keeper.label.text()
        runner.wait()
        assert errors.last_message is None
    finally:
        window.shutdown()


def test_a_colleagues_questionnaire_flags_the_client_on_the_list_and_refreshes_its_views(
    make_window, ctx, colleague, admin_url, qtbot  # noqa: F811
):
    from datetime import timedelta

    from notesdesk.core.domain.clients import Client
    from notesdesk.core.domain.common import today
    from notesdesk.core.services import diagnoses, measures
    from notesdesk.ui.models.client_list_model import COL_FLAGS
    from notesdesk.ui.session import ChangeFilter, Kind

    founded = found_practice(ctx.vault, admin_url)
    join_practice(ctx.vault, colleague, admin_url, founded.practice_fingerprint)
    began = today() - timedelta(days=400)
    shared = clients.add_client(colleague.unit_of_work(), Client(name="Synthetic Client", intake_date=began))
    practice.sync(colleague.unit_of_work())
    assign(colleague, shared.id, clinician_of(ctx.vault))
    # PHQ-9 14, then 21 two weeks later: a reliable deterioration (change >= 6).
    measures.record_measure(colleague.unit_of_work(), shared.id, "PHQ-9", [2, 2, 2, 2, 2, 2, 1, 1, 0],
                            on=today() - timedelta(days=14))
    measures.record_measure(colleague.unit_of_work(), shared.id, "PHQ-9", [3, 3, 3, 3, 3, 2, 2, 2, 0])
    practice.sync(colleague.unit_of_work())

    window = make_window()
    heard: list[Kind] = []
    # As the client's measures and diagnoses views listen.
    kinds = (Kind.MEASURE, Kind.DIAGNOSIS)
    ChangeFilter(ctx.session, window, kinds, lambda change: heard.append(change.kind), shared.id)

    def flags_shown() -> str:
        model = window.panel.model
        if shared.id not in {c.id for c in model.clients()}:
            return ""
        return str(model.data(model.index(model.row_of(shared.id), COL_FLAGS)))

    qtbot.waitUntil(lambda: "deteriorating" in flags_shown(), timeout=60_000)
    assert Kind.MEASURE in heard
    # A diagnosis the colleague records later reaches the open views on "Sync now".
    diagnoses.add_diagnosis(colleague.unit_of_work(), shared.id, "F41.1")
    practice.sync(colleague.unit_of_work())
    heard.clear()
    window.practice_sync.action.trigger()
    qtbot.waitUntil(lambda: Kind.DIAGNOSIS in heard, timeout=60_000)
    assert ctx.errors.last_message is None


def test_a_colleagues_attachment_refreshes_the_open_client_views(
    make_window, ctx, colleague, admin_url, qtbot  # noqa: F811
):
    import io

    from notesdesk.core.services import attachments
    from notesdesk.ui.session import ChangeFilter, Kind

    founded = found_practice(ctx.vault, admin_url)
    join_practice(ctx.vault, colleague, admin_url, founded.practice_fingerprint)
    shared = add_client(colleague, "Synthetic Colleague Client")
    practice.sync(colleague.unit_of_work())
    assign(colleague, shared.id, clinician_of(ctx.vault))
    attachments.add_attachment(colleague.unit_of_work(), shared.id, io.BytesIO(b"%PDF-1.4\n" + b"x" * 4096),
                               "referral.pdf")
    practice.sync(colleague.unit_of_work())

    window = make_window()
    heard: list[Kind] = []
    # As the overview's Attachments box listens.
    ChangeFilter(ctx.session, window, (Kind.ATTACHMENT,), lambda change: heard.append(change.kind), shared.id)
    qtbot.waitUntil(lambda: window.practice_sync.label.text().startswith("Practice synced"), timeout=60_000)
    qtbot.waitUntil(lambda: Kind.ATTACHMENT in heard, timeout=10_000)
    assert [a.file_name for a in attachments.list_attachments(ctx.vault.unit_of_work(), shared.id)] == [
        "referral.pdf"
    ]
