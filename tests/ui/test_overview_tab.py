"""The overview tab: milestone dates as the Milestones tab shows them, unsigned notes, privacy mode."""

from __future__ import annotations

from datetime import date, timedelta

from notesdesk.core.domain.care import Milestone, MilestoneKind, MilestoneStatus, StatusChange
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import NoteFormat, SessionNote
from notesdesk.core.domain.plans import Goal, Problem, TreatmentPlan
from notesdesk.core.services import care, notes, plans
from notesdesk.core.services.overview import UNSIGNED_AFTER_DAYS
from notesdesk.ui.workspace.models import MilestoneTableModel
from notesdesk.ui.workspace.overview.data import MilestoneLine

pytest_plugins = ["tests.ui.workspace_fixtures"]

JUNE, SEPT, OCT = date(2026, 6, 12), date(2026, 9, 18), date(2026, 10, 2)


def milestone(*history: StatusChange) -> Milestone:
    return Milestone("c", MilestoneKind.SAFETY, "Can come back into the window", dimension="emotional",
                     status=history[-1].status, history=history)


def test_a_milestone_says_since_when_it_has_its_status_and_when_it_was_first_reached():
    sustained = milestone(
        StatusChange(date(2026, 3, 1), MilestoneStatus.PLANNED),
        StatusChange(JUNE, MilestoneStatus.ACHIEVED),
        StatusChange(SEPT, MilestoneStatus.SUSTAINED),
        StatusChange(OCT, MilestoneStatus.SUSTAINED, "still holding"),  # a repeat does not move 'since'
    )
    assert sustained.status_since == SEPT and sustained.achieved_on == JUNE
    text = MilestoneLine.of(sustained).status_text()
    assert text == "sustained since 2026-09-18 (first reached 2026-06-12)"
    model = MilestoneTableModel()
    model.set_rows([sustained])  # the Milestones tab shows the same two dates
    assert model.index(0, MilestoneTableModel.COL_SINCE).data() == "2026-09-18"
    assert model.index(0, MilestoneTableModel.COL_REACHED).data() == "2026-06-12"
    achieved = milestone(StatusChange(JUNE, MilestoneStatus.ACHIEVED))
    assert MilestoneLine.of(achieved).status_text() == "achieved on 2026-06-12"
    setback = milestone(
        StatusChange(JUNE, MilestoneStatus.ACHIEVED),
        StatusChange(SEPT, MilestoneStatus.EMERGING),
        StatusChange(OCT, MilestoneStatus.ACHIEVED),
    )
    assert MilestoneLine.of(setback).status_text() == "achieved on 2026-10-02 (first reached 2026-06-12)"


def test_the_overview_shows_the_milestone_dates_from_its_history(workspace, ws_ctx, ws_client):
    window = Milestone(ws_client, MilestoneKind.SAFETY, "Come back into the window", dimension="emotional")
    added = care.add_milestone(ws_ctx.uow(), window)
    care.set_milestone_status(ws_ctx.uow(), added.id, MilestoneStatus.ACHIEVED, on=JUNE)
    care.set_milestone_status(ws_ctx.uow(), added.id, MilestoneStatus.SUSTAINED, on=SEPT)
    workspace.overview_tab.refresh()
    shown = workspace.overview_tab.text("milestones")
    assert "sustained since 2026-09-18 (first reached 2026-06-12)" in shown
    assert "sustained on 2026-06-12" not in shown


def _draft(client_id: str, day: date) -> SessionNote:
    return SessionNote(
        client_id=client_id,
        session_date=day,
        format=NoteFormat.FREE,
        sections=notes.build_sections(NoteFormat.FREE, {"text": "Talked about sleep."}),
    )


def test_the_overview_says_which_notes_are_not_signed_yet(workspace, ws_ctx, ws_client):
    overview = workspace.overview_tab
    assert overview.text("notes") == "No session notes yet"  # nothing to call signed (issue 15)
    recent = notes.create_note(ws_ctx.uow(), _draft(ws_client, today()))
    overview.refresh()
    # A draft from today is work in progress: mentioned, not flagged in bold.
    said = f"1 note is not signed yet; the oldest is for the session of {today()} (today)"
    assert overview.text("notes") == said
    old_day = today() - timedelta(days=7)
    notes.create_note(ws_ctx.uow(), _draft(ws_client, old_day))
    overview.refresh()
    shown = overview.text("notes")
    assert shown.startswith("<b>2 notes are not signed yet") and f"{old_day} (7 days ago)" in shown
    assert f"once a draft is {UNSIGNED_AFTER_DAYS} days past its session" in shown
    notes.sign_note(ws_ctx.uow(), recent.id)
    overview.refresh()
    assert overview.text("notes").startswith("<b>1 note is not signed yet")


def test_privacy_mode_masks_names_and_hides_the_clients_own_words(workspace, ws_ctx, ws_client):
    # The client is "Robin Example"; goals and milestones are free text that may name them.
    goal = Goal("Robin takes the bus to work", client_words="I want my life back, said Robin")
    plan = plans.save_plan(ws_ctx.uow(), TreatmentPlan(client_id=ws_client,
                                                       problems=(Problem("Panic", goals=(goal,)),)))
    plans.activate_plan(ws_ctx.uow(), plan.id)
    added = care.add_milestone(ws_ctx.uow(), Milestone(ws_client, MilestoneKind.SAFETY,
                                                       "ROBIN can ask for help", dimension="social"))
    care.set_milestone_status(ws_ctx.uow(), added.id, MilestoneStatus.ACHIEVED, on=JUNE)
    overview = workspace.overview_tab
    overview.refresh()
    assert "Robin takes the bus" in overview.text("goals") and "I want my life back" in overview.text("goals")

    ws_ctx.prefs.privacy_mode = True  # as from View ▸ Privacy mode: the overview redraws at once
    goals, reached = overview.text("goals"), overview.text("milestones")
    assert "Robin" not in goals and "R. takes the bus to work" in goals
    assert "I want my life back" not in goals and "hidden in privacy mode" in goals
    assert "ROBIN" not in reached and "R. can ask for help" in reached

    ws_ctx.prefs.privacy_mode = False
    assert "Robin takes the bus" in overview.text("goals") and "I want my life back" in overview.text("goals")


def test_the_overview_starts_with_who_the_client_is_and_privacy_mode_keeps_it_to_initials(
    workspace, ws_ctx, ws_client
):
    from dataclasses import replace

    from notesdesk.core.services import clients

    client = clients.get_client(ws_ctx.uow(), ws_client, audit_view=False)
    born = today().replace(year=today().year - 36) - timedelta(days=1)
    clients.update_client(ws_ctx.uow(), replace(client, pronouns="they/them", phone="021 555 0199",
                                                date_of_birth=born, emergency_contact="Sam Example"))
    overview = workspace.overview_tab
    overview.refresh()
    header = overview.header.text()
    for shown in ("Robin Example", "36 years old", "they/them", "021 555 0199", "Sam Example"):
        assert shown in header
    ws_ctx.prefs.privacy_mode = True
    overview.refresh()
    header = overview.header.text()
    assert "RE" in header and "Robin" not in header and "555" not in header and "Sam" not in header


def test_every_note_signed_is_said_only_when_there_are_notes():
    from notesdesk.ui.workspace.overview.data import drafts_text

    assert drafts_text((), 0, today(), total=0) == "No session notes yet"
    assert drafts_text((), 0, today(), total=3) == "Every session note is signed"
