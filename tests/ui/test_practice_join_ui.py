"""Setting up, joining and adding a computer to a group practice from the app (File ▸ Join a practice…,
File ▸ Practice… ▸ Add another computer…), against the real PostgreSQL cluster of tests/sync: the
founder sets up, a colleague joins with the fingerprint read out, the founder adds them, a shared note
syncs; a wrong fingerprint or a used code changes nothing; the administrator's password is kept nowhere."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy.engine import make_url

from notesdesk.core.domain.practice import PractitionerProfile
from notesdesk.core.services import clients, practice
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.context import AppContext
from notesdesk.ui.dialogs.join_practice_dialog import DEVICE, JOIN, SET_UP, WAITING, JoinPracticeDialog
from notesdesk.ui.lifecycle.sync_status import SyncKeeper
from tests.signer import ready_to_sign
from tests.sync.conftest import admin_url, cluster, database  # noqa: F401  (the sync tests' server)
from tests.sync.helpers import add_client, assign, found_practice, note_texts, signed_note

from .conftest import PASSPHRASE


@pytest.fixture
def login(admin_url) -> tuple[str, str]:  # noqa: F811
    """The server address as a therapist types it (no password) and the password asked for apart."""
    url = make_url(admin_url)
    assert url.password
    return f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}", str(url.password)


@pytest.fixture
def other_ctx(tmp_path, runner, errors, prefs):
    """An AppContext on another vault of this machine (a colleague's, or the clinician's other computer)."""
    made: list[Vault] = []

    def make(name: str, signer: bool = True) -> AppContext:
        vault = Vault.create(tmp_path / f"{name}.notesdesk", PASSPHRASE)[0]
        if signer:
            ready_to_sign(vault, PractitionerProfile(name=f"Dr {name.title()}", credentials="LCSW"))
        made.append(vault)
        return AppContext(vault=vault, runner=runner, errors=errors, prefs=prefs)

    yield make
    for vault in made:
        vault.close()


def _fill(dialog: JoinPracticeDialog, choice: str, login: tuple[str, str], fingerprint: str = "",
          code: str = "") -> None:
    dialog.choices[choice].setChecked(True)
    dialog.address.setText(login[0])
    dialog.password.setText(login[1])
    dialog.fingerprint.setText(fingerprint)
    dialog.code.setText(code)


def _finished(qtbot, dialog, errors) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and (dialog.result_shown is not None
                                                 or errors.last_message is not None), timeout=60_000)


def test_the_founder_sets_up_a_colleague_joins_is_added_and_a_shared_note_syncs(
    make_window, ctx, other_ctx, login, errors, qtbot
):
    window = make_window()
    actions = window.practice
    assert actions.join.isVisible() and not actions.practice.isVisible()
    assert not window.practice_sync.label.isVisible()
    actions.join.trigger()
    dialog = actions.dialog
    assert isinstance(dialog, JoinPracticeDialog)
    assert not dialog.fingerprint.isVisible() and not dialog.code.isVisible()
    _fill(dialog, SET_UP, login)
    dialog.go.click()
    assert dialog.password.text() == ""  # used once, not left in the field
    _finished(qtbot, dialog, errors)
    assert errors.last_message is None
    fingerprint = dialog.fact_labels["Practice fingerprint"].text()
    assert fingerprint == practice.status(ctx.vault.unit_of_work()).practice_fingerprint
    key = dialog.key_label.text()
    assert key.count("-") >= 3 and dialog.key_label.isVisible() and dialog.keep_it.isVisible()
    # Shown once: the dialog does not close until the key's last group is typed back.
    assert not dialog.close_button.isEnabled()
    dialog.reject()
    assert dialog.isVisible()
    dialog.last_group.setText(key.rsplit("-", 1)[-1].lower())
    assert dialog.close_button.isEnabled()
    dialog.close_button.click()
    assert not dialog.isVisible()
    # The practice menu and the status bar's sync state appear without a restart.
    qtbot.waitUntil(lambda: actions.practice.isVisible() and not window.practice_sync.running, timeout=60_000)
    assert not actions.join.isVisible() and window.practice_sync.label.isVisible()
    assert window.practice_sync.label.text().startswith("Practice synced")

    # The colleague joins in their app, with the fingerprint read out to them.
    bob = other_ctx("bob")
    joining = JoinPracticeDialog(bob)
    qtbot.addWidget(joining)
    joining.show()
    _fill(joining, JOIN, login, fingerprint=fingerprint)
    assert joining.fingerprint.isVisible()
    joining.go.click()
    _finished(qtbot, joining, errors)
    assert errors.last_message is None
    bob_status = practice.status(bob.vault.unit_of_work())
    assert joining.fact_labels["Your clinician id"].text() == bob_status.clinician_id
    assert joining.fact_labels["Your fingerprint"].text() == bob_status.fingerprint
    assert joining.done_text.text() == WAITING and not joining.key_label.isVisible()
    assert joining.close_button.isEnabled()

    # The founder adds them in File ▸ Practice… (the existing dialog), comparing the fingerprint.
    actions.practice.trigger()
    members = actions.dialog
    qtbot.waitUntil(lambda: not members.busy, timeout=60_000)
    members.add.click()
    members.add_form.clinician.setText(bob_status.clinician_id)
    members.add_form.fingerprint.setText(bob_status.fingerprint)
    members.add_form.compared.setChecked(True)
    members.add_form.ok.click()
    qtbot.waitUntil(lambda: not members.busy and members.status.text().startswith("Added"), timeout=60_000)

    client = add_client(ctx.vault, "Synthetic Joined Client")
    assign(ctx.vault, client.id, bob_status.clinician_id)
    signed_note(ctx.vault, client.id, "Synthetic note for the colleague who joined in the app")
    practice.sync(ctx.vault.unit_of_work())
    practice.sync(bob.vault.unit_of_work())
    assert "Synthetic note for the colleague who joined in the app" in note_texts(bob.vault)


def test_a_wrong_fingerprint_or_server_refuses_in_one_line_and_changes_nothing(
    ctx, other_ctx, login, errors, qtbot
):
    found_practice(ctx.vault, make_url(login[0]).set(password=login[1]).render_as_string(hide_password=False))
    carol = other_ctx("carol")
    before = carol.vault.path.read_bytes()
    dialog = JoinPracticeDialog(carol)
    qtbot.addWidget(dialog)
    dialog.show()
    attempts = [
        ((login[0].replace("@", f":{login[1]}@"), login[1]), "A" * 32, "without its password"),
        (login, "ABCD EFGH", "32 letters and digits"),  # a fingerprint misread
        ((login[0], "not the password"), "A" * 32, "wrong role or password"),
        ((make_url(login[0]).set(port=1).render_as_string(), login[1]), "A" * 32, "could not be reached"),
    ]
    for typed, fingerprint, said in attempts:
        errors.last_message = None
        _fill(dialog, JOIN, typed, fingerprint=fingerprint)
        dialog.go.click()
        _finished(qtbot, dialog, errors)
        assert errors.last_message is not None and said in errors.last_message
        assert "\n" not in errors.last_message and dialog.result_shown is None
        assert dialog.status.text() == "Nothing was changed." and dialog.go.isEnabled() is False
        dialog.password.setText(login[1])
        assert dialog.go.isEnabled()  # the form stays, to correct and try again
    assert carol.vault.path.read_bytes() == before
    assert not dialog.isHidden()


def test_a_well_formed_wrong_fingerprint_is_refused_when_the_key_comes_and_nothing_is_used(
    ctx, other_ctx, login, admin_url, errors, qtbot  # noqa: F811
):
    """The practice fingerprint names the practice key, which a joining vault does not hold yet: a
    fingerprint misread in a way that still looks right is caught when a member adds them, at the
    first sync, which refuses the key in one line and stores nothing."""
    found_practice(ctx.vault, admin_url)
    dave = other_ctx("dave")
    dialog = JoinPracticeDialog(dave)
    qtbot.addWidget(dialog)
    _fill(dialog, JOIN, login, fingerprint="A" * 32)
    dialog.go.click()
    _finished(qtbot, dialog, errors)
    joined = practice.status(dave.vault.unit_of_work())
    practice.add_clinician(ctx.vault.unit_of_work(), joined.clinician_id, joined.fingerprint)
    client = add_client(ctx.vault, "Synthetic Misread Client")
    assign(ctx.vault, client.id, joined.clinician_id)
    parent = QWidget()
    qtbot.addWidget(parent)
    keeper = SyncKeeper(dave, parent)
    keeper.start()
    qtbot.waitUntil(lambda: not keeper.running, timeout=60_000)
    assert errors.last_message is not None
    assert "does not match the practice fingerprint" in errors.last_message
    # The key offered is not taken (only the "who reads what is as of the last sync" mark is written).
    assert practice.status(dave.vault.unit_of_work()).member is False
    actions = _audit_actions(dave.vault)
    assert "practice-join" in actions and "practice-key-received" not in actions
    assert clients.list_clients(dave.vault.unit_of_work()) == []


def _audit_actions(vault: Vault) -> list[str]:
    uow = vault.unit_of_work()
    with uow:
        assert uow.session is not None
        return [e.action for e in uow.vault.audit.entries_after(uow.session, 0)]


def test_another_computer_joins_with_the_code_shown_in_the_app(
    make_window, ctx, other_ctx, login, admin_url, errors, qtbot  # noqa: F811
):
    found_practice(ctx.vault, admin_url)
    window = make_window()
    qtbot.waitUntil(lambda: window.practice_sync.member and not window.practice_sync.running, timeout=60_000)
    window.practice.practice.trigger()
    members = window.practice.dialog
    qtbot.waitUntil(lambda: not members.busy, timeout=60_000)
    assert members.add_computer.isEnabled()
    members.add_computer.click()
    invite = members.invite_dialog
    qtbot.waitUntil(lambda: not invite.busy, timeout=60_000)
    code = invite.code.text()
    assert code and "Add this computer to my account" in invite.status.text()
    assert "valid until" in invite.status.text()

    laptop = other_ctx("laptop", signer=False)
    dialog = JoinPracticeDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, DEVICE, login, code=code)
    assert dialog.code.isVisible() and not dialog.fingerprint.isVisible()
    dialog.go.click()
    _finished(qtbot, dialog, errors)
    assert errors.last_message is None
    founder = practice.status(ctx.vault.unit_of_work())
    assert dialog.fact_labels["Your clinician id"].text() == founder.clinician_id
    practice.sync(laptop.vault.unit_of_work())
    assert practice.status(laptop.vault.unit_of_work()).member

    # The code is used: a third vault typing it is refused in one line, and keeps its bytes.
    spare = other_ctx("spare", signer=False)
    before = spare.vault.path.read_bytes()
    again = JoinPracticeDialog(spare)
    qtbot.addWidget(again)
    _fill(again, DEVICE, login, code=code)
    again.go.click()
    _finished(qtbot, again, errors)
    assert errors.last_message is not None and "Nothing was changed" in errors.last_message
    assert spare.vault.path.read_bytes() == before


def test_the_administrators_password_is_kept_nowhere(
    make_window, ctx, prefs, login, database, tmp_path, errors, qtbot, caplog  # noqa: F811
):
    caplog.set_level(logging.DEBUG)
    window = make_window()
    window.practice.join.trigger()
    dialog = window.practice.dialog
    _fill(dialog, SET_UP, login)
    dialog.go.click()
    _finished(qtbot, dialog, errors)
    assert errors.last_message is None
    qtbot.waitUntil(lambda: window.practice.practice.isVisible() and not window.practice_sync.running,
                    timeout=60_000)
    prefs.sync()
    password = database[0].password.encode()
    assert password == login[1].encode()
    assert password not in ctx.vault.path.read_bytes()
    for stored in tmp_path.rglob("*"):
        if stored.is_file():
            assert password not in stored.read_bytes(), stored.name
    assert login[1] not in caplog.text
    assert all(login[1] not in label.text() for label in dialog.fact_labels.values())
    assert login[1] not in window.windowTitle()



def _attempt(qtbot, errors, ctx_: AppContext, choice: str, login: tuple[str, str]) -> JoinPracticeDialog:
    errors.last_message = None
    dialog = JoinPracticeDialog(ctx_)
    qtbot.addWidget(dialog)
    _fill(dialog, choice, login, fingerprint="A" * 32)
    dialog.go.click()
    _finished(qtbot, dialog, errors)
    return dialog


def test_joining_an_empty_server_or_setting_up_on_a_used_one_says_what_to_choose(
    other_ctx, login, errors, qtbot
):
    erin, fay = other_ctx("erin"), other_ctx("fay")
    before = erin.vault.path.read_bytes()
    _attempt(qtbot, errors, erin, JOIN, login)
    assert errors.last_message is not None
    assert "holds no practice yet" in errors.last_message
    assert "File ▸ Join a practice… ▸ Set up a new practice" in errors.last_message
    assert erin.vault.path.read_bytes() == before
    assert _attempt(qtbot, errors, fay, SET_UP, login).result_shown is not None
    _attempt(qtbot, errors, erin, SET_UP, login)
    assert errors.last_message is not None and "already holds a practice" in errors.last_message
    assert "Nothing was changed" in errors.last_message
    assert erin.vault.path.read_bytes() == before
