"""The Conflicts list: both versions side by side, field by field; choosing one writes it through the
session (one Changed) and the list empties. A conflict is made here as sync makes one: a colleague's
edit arriving from another revision (core/sync/shared.py)."""

from __future__ import annotations

from dataclasses import replace

from notesdesk.core.domain.clients import Client
from notesdesk.core.services import clients, sync_conflicts, sync_state
from notesdesk.core.storage.sealer import encode
from notesdesk.core.sync import shared
from notesdesk.ui.dialogs.conflicts_dialog import HIDDEN, NONE_LEFT, TITLE, ConflictsDialog, shown
from notesdesk.ui.session import Changed, Kind


def _conflicted(vault) -> Client:
    client = clients.add_client(vault.unit_of_work(), Client(name="Synthetic Person", phone="555-0101"))
    theirs = shared.Shared(encode(replace(client, phone="555-0202")).decode(), ("c:another-revision",))
    with vault.unit_of_work() as uow:
        assert shared.incoming(uow, "client", client.id, "d" * 36, encode(theirs), {}, {}) == "conflict"
        uow.commit()
    return client


def test_both_versions_are_shown_side_by_side_and_the_choice_is_written(qtbot, ctx, tmp_path):
    client = _conflicted(ctx.vault)
    changes: list[Changed] = []
    ctx.session.sig_changed.connect(changes.append)
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.windowTitle() == TITLE and "Synthetic" not in dialog.windowTitle()
    assert dialog.listing.count() == 1 and "Synthetic Person" in dialog.listing.item(0).text()
    assert dialog.fields.rowCount() == 1
    assert dialog.fields.verticalHeaderItem(0).text() == "phone"
    assert [dialog.fields.item(0, c).text() for c in (0, 1)] == ["555-0101", "555-0202"]
    dialog.grab().save(str(tmp_path / "conflicts.png"))

    dialog.keep_theirs.click()

    assert changes == [Changed(Kind.CLIENT, client.id, changes[0].object_id)]
    assert clients.get_client(ctx.vault.unit_of_work(), client.id).phone == "555-0202"
    assert sync_conflicts.list_conflicts(ctx.vault.unit_of_work()) == []
    assert dialog.listing.count() == 0 and dialog.empty.text() == NONE_LEFT
    assert not dialog.keep_mine.isEnabled()


def test_privacy_mode_shows_initials_only(qtbot, ctx):
    _conflicted(ctx.vault)
    ctx.prefs.privacy_mode = True
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)

    assert "Synthetic" not in dialog.listing.item(0).text() and "SP" in dialog.listing.item(0).text()


def test_the_client_menu_opens_the_conflicts_list(qtbot, ctx, make_window):
    _conflicted(ctx.vault)
    window = make_window()
    client_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Client")
    assert window.actions_by_name["conflicts"] in client_menu.actions()

    window.actions_by_name["conflicts"].trigger()

    qtbot.waitExposed(window.conflicts_dialog)
    assert window.conflicts_dialog.listing.count() == 1
    window.conflicts_dialog.reject()


def test_the_status_bar_counts_the_open_conflicts(ctx):
    """'N to resolve' in the status bar is the conflicts waiting for a choice, and drops once chosen."""
    _conflicted(ctx.vault)
    with ctx.vault.unit_of_work() as uow:
        assert sync_state.to_resolve(uow) == 1
    [waiting] = sync_conflicts.list_conflicts(ctx.vault.unit_of_work())
    sync_conflicts.resolve(ctx.vault.unit_of_work(), waiting.id, "mine")
    with ctx.vault.unit_of_work() as uow:
        assert sync_state.to_resolve(uow) == 0



def test_a_plan_shows_as_an_outline_not_one_joined_line():
    import json

    from notesdesk.core.domain.plans import Goal, Objective, Problem, TreatmentPlan

    goal = Goal("Takes the bus to work", client_words="I want my mornings back",
                objectives=(Objective("Rides two stops with a support person"),))
    plan = TreatmentPlan(client_id="c", problems=(Problem("Panic", goals=(goal,)), Problem("Sleep")))
    lines = shown(json.loads(encode(plan))["problems"]).splitlines()
    # Each problem, goal and objective on its own line, nested under its parent, with its details.
    assert lines == ["• Panic",
                     "    • Takes the bus to work",
                     "      client words: I want my mornings back",
                     "        • Rides two stops with a support person",
                     "          status: not started",
                     "• Sleep"]


def test_privacy_mode_hides_both_versions_values(qtbot, ctx):
    _conflicted(ctx.vault)
    ctx.prefs.privacy_mode = True
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [dialog.fields.item(r, c).text() for r in range(dialog.fields.rowCount()) for c in (0, 1)]
    assert texts == [HIDDEN, HIDDEN] and dialog.privacy_note.isVisible()
    assert dialog.fields.verticalHeaderItem(0).text() == "phone"  # which field differs, still


def test_a_choice_on_every_kind_that_can_conflict_names_what_it_changed():
    # Every synced kind edited in place or in versions can be held in conflict, so chosen in the dialog.
    from notesdesk.ui.dialogs.conflicts_dialog import change_of

    can_conflict = [spec.table for spec in shared.SPECS.values() if spec.editable or spec.versioned]
    assert {"episode", "receipt", "consent", "plan"} <= set(can_conflict)
    for table in can_conflict:
        change_of(table)  # raised ValueError for an episode or a receipt: the choice could not be made
    assert change_of("episode") is Kind.CLIENT


def test_an_episode_in_conflict_is_chosen_in_the_dialog(qtbot, ctx):
    client = clients.add_client(ctx.vault.unit_of_work(), Client(name="Synthetic Person"))
    with ctx.vault.unit_of_work() as uow:
        [intake] = uow.episodes.where(client_id=client.id)
    theirs = shared.Shared(encode(replace(intake, reason="closed on the desk")).decode(), ("e:another",))
    with ctx.vault.unit_of_work() as uow:
        assert shared.incoming(uow, "episode", intake.id, "d" * 36, encode(theirs), {}, {}) == "conflict"
        uow.commit()
    changes: list[Changed] = []
    ctx.session.sig_changed.connect(changes.append)
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)

    dialog.keep_theirs.click()

    assert ctx.errors.last_message is None and dialog.listing.count() == 0
    assert [c.kind for c in changes] == [Kind.CLIENT]
    with ctx.vault.unit_of_work() as uow:
        assert uow.episodes.get(intake.id).reason == "closed on the desk"
