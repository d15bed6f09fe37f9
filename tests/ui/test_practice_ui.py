"""The group practice in the app, against the real PostgreSQL cluster of tests/sync: Client ▸ Share
with colleague… (share, share as supervisor, stop sharing: audited, and the colleague's next sync
brings the client), File ▸ Practice… (the facts to compare, members, add and remove a clinician), the
overview's "Shared with" line, and the Qt models over plain rows, without a window."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import make_url

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import clients, practice
from notesdesk.core.services.practice_view import MEMBER, REMOVED, WAITING, Member, Reader
from notesdesk.core.storage.vault import Vault
from notesdesk.core.sync import state as st
from notesdesk.ui.dialogs.practice_dialog import WAITING_HERE
from notesdesk.ui.dialogs.share_dialog import NOT_SHARED
from notesdesk.ui.lifecycle.sync_status import when
from notesdesk.ui.models.practice_models import CLINICIAN_ROLE, MembersModel, ReadersModel
from notesdesk.ui.workspace.overview.sharing_line import NOT_KNOWN_YET, ONLY_YOU
from notesdesk.ui.workspace.overview.tab import OverviewTab
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, assign, clinician_of, found_practice, join_practice, signed_note
from tests.sync.proxy import Proxy

from .conftest import PASSPHRASE


@pytest.fixture
def colleagues(tmp_path):
    made: list[Vault] = []

    def make(name: str) -> Vault:
        vault = Vault.create(tmp_path / f"{name}.notesdesk", PASSPHRASE)[0]
        ready_to_sign(vault, PractitionerProfile(name=f"Dr {name.title()}", credentials="LCSW"))
        made.append(vault)
        return vault

    yield make
    for vault in made:
        vault.close()


def _audited(vault: Vault, action: str) -> list[str]:
    uow = vault.unit_of_work()
    with uow:
        assert uow.session is not None
        return [e.detail or "" for e in uow.vault.audit.entries_after(uow.session, 0) if e.action == action]


def _member_window(make_window, qtbot):
    window = make_window()
    qtbot.waitUntil(lambda: window.practice_sync.member and not window.practice_sync.running, timeout=60_000)
    return window


def test_the_models_show_plain_rows_without_a_window():
    members = MembersModel()
    members.set_rows([Member("a" * 36, "Dr Ada Byrne", 2, MEMBER, you=True),
                      Member("b" * 36, "", 1, WAITING), Member("c" * 36, "", 1, REMOVED)])
    cells = [[members.data(members.index(r, c)) for c in range(4)] for r in range(3)]
    assert cells[0] == ["Dr Ada Byrne (you)", "Member", "2", "a" * 36]
    assert cells[1][:2] == ["clinician bbbbbbbb", "Waiting to be added"]
    assert cells[2][1] == "Removed"
    assert members.data(members.index(1, 0), CLINICIAN_ROLE) == "b" * 36
    assert members.colleagues() == []  # neither one waiting nor one removed can be shared with
    readers = ReadersModel()
    readers.set_rows([Reader("d" * 36, "Dr Bo Li", "supervisor")])
    shown = [readers.data(readers.index(0, c)) for c in range(2)]
    assert shown == ["Dr Bo Li", "Supervisor (reads, co-signs)"]


def test_a_client_shared_from_the_dialog_reaches_the_colleague_and_stops_on_request(
    make_window, ctx, colleagues, admin_url, qtbot  # noqa: F811
):
    bob = colleagues("bob")
    founded = found_practice(ctx.vault, admin_url)
    b = join_practice(ctx.vault, bob, admin_url, founded.practice_fingerprint).clinician_id
    practice.sync(bob.unit_of_work())
    client = add_client(ctx.vault, "Synthetic Shared Client")
    window = _member_window(make_window, qtbot)
    actions = window.practice
    assert actions.practice.isVisible() and actions.share.isVisible()
    assert actions.share in window.menuBar().actions()[1].menu().actions()  # the Client menu
    window.panel.select_client(client.id)
    actions.enable_share()
    assert actions.share.isEnabled()
    overview = OverviewTab(ctx, client.id)  # its "Shared with" line follows what the dialog does
    qtbot.addWidget(overview)
    assert overview.sharing.text() == ONLY_YOU

    actions.share.trigger()
    dialog = actions.dialog
    assert "Synthetic" not in dialog.windowTitle()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.status.text() == NOT_SHARED
    assert [dialog.colleague.itemData(i) for i in range(dialog.colleague.count())] == [b]
    dialog.share.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.readers.rowCount() == 2, timeout=60_000)
    # Bob has no signed note here: he is named by his profile's name, which synced.
    assert dialog.status.text().startswith("Shared with Dr Bob, LCSW as clinician")
    assert [r.clinician_id for r in dialog.readers.rows() if not r.you] == [b]
    assert any(client.id in d and b in d for d in _audited(ctx.vault, "practice-assign"))
    assert ctx.errors.last_message is None
    assert overview.sharing.text() == "Shared with: Dr Bob, LCSW"

    # The colleague's next sync brings the client (the app's own sync sent it first).
    window.practice_sync.action.trigger()
    qtbot.waitUntil(lambda: not window.practice_sync.running, timeout=60_000)
    practice.sync(bob.unit_of_work())
    assert [c.name for c in clients.list_clients(bob.unit_of_work())] == ["Synthetic Shared Client"]

    questions: list[str] = []
    dialog.confirm = lambda _parent, _title, text: questions.append(text) or True
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.readers.rows()) if not r.you))
    dialog.stop.click()
    assert "what they already received stays" in questions[0]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.readers.rowCount() == 1, timeout=60_000)
    assert dialog.readers.rows()[0].you
    assert any(b in d for d in _audited(ctx.vault, "practice-unassign"))
    assert overview.sharing.text() == ONLY_YOU


def test_a_supervisor_is_shared_with_and_named_so(make_window, ctx, colleagues, admin_url, qtbot):  # noqa: F811
    sam = colleagues("sam")
    founded = found_practice(ctx.vault, admin_url)
    s = join_practice(ctx.vault, sam, admin_url, founded.practice_fingerprint).clinician_id
    client = add_client(ctx.vault, "Synthetic Supervised Client")
    window = _member_window(make_window, qtbot)
    window.panel.select_client(client.id)
    window.practice.share.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    dialog.as_supervisor.setChecked(True)
    dialog.share.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.readers.rowCount() == 2, timeout=60_000)
    assert any(f"supervisor {s}" in d for d in _audited(ctx.vault, "practice-assign"))
    (theirs,) = [r for r in dialog.readers.rows() if not r.you]
    assert theirs.supervisor


def test_the_overview_says_who_the_client_is_shared_with(ctx, colleagues, admin_url, qtbot):  # noqa: F811
    bob = colleagues("bob")
    founded = found_practice(ctx.vault, admin_url)
    join_practice(ctx.vault, bob, admin_url, founded.practice_fingerprint)
    practice.sync(bob.unit_of_work())
    shared = add_client(bob, "Synthetic Cover Client")
    practice.sync(bob.unit_of_work())
    assign(bob, shared.id, clinician_of(ctx.vault))
    signed_note(bob, shared.id, "cover session")
    practice.sync(bob.unit_of_work())
    practice.sync(ctx.vault.unit_of_work())
    mine = add_client(ctx.vault, "Synthetic Own Client")
    practice.sync(ctx.vault.unit_of_work())

    overview = OverviewTab(ctx, shared.id)
    qtbot.addWidget(overview)
    # Named as they sign, with credentials; the same in privacy mode (a clinician's name is not the
    # client's).
    assert overview.sharing.text() == "Shared with: Dr Bob, LCSW" and overview.sharing.isVisibleTo(overview)
    ctx.prefs.privacy_mode = True
    try:
        private = OverviewTab(ctx, shared.id)
        qtbot.addWidget(private)
        assert private.sharing.text() == "Shared with: Dr Bob, LCSW"
        assert "Synthetic" not in private.header.text()  # the client's name is what privacy mode hides
    finally:
        ctx.prefs.privacy_mode = False
    alone = OverviewTab(ctx, mine.id)
    qtbot.addWidget(alone)
    assert alone.sharing.text() == ONLY_YOU
    assert ctx.errors.last_message is None


def test_the_overview_names_who_reads_with_the_server_out_of_reach_and_never_asks_it(
    make_window, ctx, colleagues, database, qtbot  # noqa: F811
):
    server, _name, url = database
    proxy = Proxy(server.port)  # this vault's way to the server: its connections counted
    try:
        bob = colleagues("bob")
        founded = found_practice(ctx.vault, url.replace(f":{server.port}/", f":{proxy.port}/"))
        b = join_practice(ctx.vault, bob, url, founded.practice_fingerprint).clinician_id
        client = add_client(ctx.vault, "Synthetic Shared Client")
        practice.sync(ctx.vault.unit_of_work())
        assign(ctx.vault, client.id, b)
        practice.sync(ctx.vault.unit_of_work())
        practice.sync(bob.unit_of_work())
        window = _member_window(make_window, qtbot)
        opened = proxy.accepted
        jobs: list[object] = []
        background = ctx.session.background
        ctx.session.background = lambda fn, done, failed=None: (jobs.append(fn), background(fn, done, failed))

        overview = OverviewTab(ctx, client.id)
        qtbot.addWidget(overview)
        assert overview.sharing.text() == "Shared with: Dr Bob, LCSW"  # at once: nothing waited for
        assert proxy.accepted == opened and jobs == []  # no connection, no background job

        with ctx.vault.unit_of_work() as uow:  # the laptop leaves the office: nothing listens on port 1
            ident = st.required_identity(uow)
            st.save(uow, replace(ident, server_url=ident.server_url.replace(f":{proxy.port}/", ":1/")))
            uow.commit()
        window.practice_sync.action.trigger()
        qtbot.waitUntil(lambda: not window.practice_sync.running, timeout=60_000)
        assert window.practice_sync.label.text().startswith("Practice server offline")
        # The open overview now says the line is as of the last sync that reached the server.
        with ctx.vault.unit_of_work() as uow:
            last = st.state(uow).last_sync
        expected = f"Shared with: Dr Bob, LCSW (as of the last sync, {when(last)})"
        qtbot.waitUntil(lambda: overview.sharing.text() == expected, timeout=60_000)
        jobs.clear()
        again = OverviewTab(ctx, client.id)
        qtbot.addWidget(again)
        assert again.sharing.text() == expected and jobs == []
        assert "out of reach" not in again.sharing.text()
    finally:
        proxy.close()


def test_the_overview_line_is_absent_outside_a_practice_and_says_when_not_known_yet(
    ctx, admin_url, qtbot  # noqa: F811
):
    outside = add_client(ctx.vault, "Synthetic Solo Client")
    solo = OverviewTab(ctx, outside.id)
    qtbot.addWidget(solo)
    assert not solo.sharing.member and solo.sharing.isHidden()

    found_practice(ctx.vault, admin_url)
    before = OverviewTab(ctx, outside.id)
    qtbot.addWidget(before)
    assert before.sharing.text() == NOT_KNOWN_YET  # a member, before its first sync
    practice.sync(ctx.vault.unit_of_work())
    after = OverviewTab(ctx, outside.id)
    qtbot.addWidget(after)
    assert after.sharing.text() == ONLY_YOU and ctx.errors.last_message is None


def test_the_practice_dialog_shows_what_to_compare_and_adds_and_removes_clinicians(
    make_window, ctx, colleagues, admin_url, qtbot  # noqa: F811
):
    bob, carol = colleagues("bob"), colleagues("carol")
    founded = found_practice(ctx.vault, admin_url)
    b = join_practice(ctx.vault, bob, admin_url, founded.practice_fingerprint).clinician_id
    joined = practice.join(carol.unit_of_work(), admin_url, founded.practice_fingerprint)
    window = _member_window(make_window, qtbot)
    file_menu = window.menuBar().actions()[0].menu().actions()
    assert file_menu.index(window.practice.practice) + 1 == file_menu.index(window.practice_sync.action)

    window.practice.practice.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    facts = {name: label.text() for name, label in dialog.fact_labels.items()}
    url = make_url(admin_url)
    assert facts["Server"] == f"{url.host}:{url.port}/{url.database}"  # the host, never a login
    assert url.password and all(url.password not in text for text in facts.values())
    assert facts["Practice fingerprint"] == founded.practice_fingerprint
    assert facts["Practice key"] == "version 1 (its fingerprint is the practice's)"
    assert facts["Your clinician id"] == founded.clinician_id
    states = {m.clinician_id: m.state for m in dialog.members.rows()}
    assert states == {founded.clinician_id: MEMBER, b: MEMBER, joined.clinician_id: WAITING}
    assert dialog.status.text().startswith("1 waiting to be added")

    # Adding: the comparison is asked for, and a fingerprint that does not match changes nothing.
    dialog.table.selectRow(next(i for i, m in enumerate(dialog.members.rows()) if m.state == WAITING))
    dialog.add.click()
    form = dialog.add_form
    assert form.clinician.text() == joined.clinician_id
    form.fingerprint.setText("AAAA " * 8)
    assert not form.ok.isEnabled()
    form.compared.setChecked(True)
    form.ok.click()
    qtbot.waitUntil(lambda: ctx.errors.last_message is not None, timeout=60_000)
    assert "does not match" in ctx.errors.last_message
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert not [d for d in _audited(ctx.vault, "practice-add-clinician") if joined.clinician_id in d]
    assert practice.status(carol.unit_of_work()).member is False
    dialog.add.click()
    dialog.add_form.fingerprint.setText(joined.fingerprint)
    dialog.add_form.compared.setChecked(True)
    dialog.add_form.ok.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status.text().startswith("Added"), timeout=60_000)
    assert {m.clinician_id: m.state for m in dialog.members.rows()}[joined.clinician_id] == MEMBER
    assert any(joined.clinician_id in d for d in _audited(ctx.vault, "practice-add-clinician"))

    # Removing says it rotates the practice key, and the dialog then shows the new version.
    questions: list[str] = []
    dialog.confirm = lambda _parent, _title, text: questions.append(text) or True
    dialog.table.selectRow(next(i for i, m in enumerate(dialog.members.rows()) if m.clinician_id == b))
    dialog.remove.click()
    assert "rotates the practice key to a new version" in questions[0]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.status.text().startswith("Removed"), timeout=60_000)
    assert dialog.fact_labels["Practice key"].text().startswith("version 2 · ")
    assert {m.clinician_id: m.state for m in dialog.members.rows()}[b] == REMOVED
    assert _audited(ctx.vault, "practice-remove-clinician")

    dialog.sync_now.click()
    qtbot.waitUntil(lambda: not dialog.busy and not window.practice_sync.running, timeout=60_000)
    assert dialog.status.text().startswith("Practice synced")


def test_a_clinician_waiting_to_be_added_is_told_what_to_read_out(
    make_window, ctx, colleagues, admin_url, qtbot  # noqa: F811
):
    founder = colleagues("alice")
    founded = found_practice(founder, admin_url)
    joined = practice.join(ctx.vault.unit_of_work(), admin_url, founded.practice_fingerprint)
    window = make_window()
    qtbot.waitUntil(lambda: window.practice.practice.isVisible() and not window.practice_sync.running,
                    timeout=60_000)
    window.practice.practice.trigger()
    dialog = window.practice.dialog
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.status.text() == WAITING_HERE
    assert dialog.fact_labels["Your fingerprint"].text() == joined.fingerprint
    assert "Practice key" not in dialog.fact_labels
    assert [m.state for m in dialog.members.rows()] == [WAITING]
    assert not dialog.add.isEnabled() and not dialog.remove.isEnabled()
    window.practice.enable_share()
    assert not window.practice.share.isEnabled()  # not a member yet: nothing to share with
