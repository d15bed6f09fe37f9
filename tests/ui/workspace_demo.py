"""Fill a client's record with a few realistic records and grab each workspace tab as a PNG.

    QT_QPA_PLATFORM=offscreen NOTESDESK_INSECURE_TEST_KDF=1 \
        .venv/bin/python -m tests.ui.workspace_demo /tmp [PREFIX]
writes /tmp/<PREFIX>-<tab>.png (default prefix "ws"; 1280x800). Synthetic data only.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NOTESDESK_INSECURE_TEST_KDF", "1")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from notesdesk.core.domain.care import (  # noqa: E402
    CheckinStatus,
    Contact,
    Homework,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    PhaseEntry,
    Recurrence,
    SafetyPlan,
)
from notesdesk.core.domain.clients import Client  # noqa: E402
from notesdesk.core.domain.common import today  # noqa: E402
from notesdesk.core.domain.notes import AddendumKind, NoteFormat, PrivateNote, SessionNote  # noqa: E402
from notesdesk.core.domain.plans import (  # noqa: E402
    Goal,
    Intervention,
    Objective,
    ObjectiveStatus,
    Problem,
    TreatmentPlan,
)
from notesdesk.core.domain.practice import PractitionerProfile  # noqa: E402
from notesdesk.core.services import care, clients, measures, notes, plans  # noqa: E402
from notesdesk.core.storage.vault import Vault  # noqa: E402
from notesdesk.ui.background import BackgroundRunner  # noqa: E402
from notesdesk.ui.context import AppContext  # noqa: E402
from notesdesk.ui.errors import ErrorPresenter  # noqa: E402
from notesdesk.ui.prefs import Preferences  # noqa: E402
from notesdesk.ui.workspace.plan import edit as plan_edit  # noqa: E402


def populate(ctx: AppContext, client_id: str) -> None:
    uow, day = ctx.uow, today()
    goal = Goal(
        "Ride public transport without panic", client_words="I want to take the bus to work again",
        agreed_with_client=True,
        objectives=(
            Objective("Fewer than one panic attack a week", measurable_criterion="panic diary",
                      baseline="4 a week", target="under 1 a week", target_date=day + timedelta(days=84),
                      status=ObjectiveStatus.IN_PROGRESS,
                      interventions=(Intervention("Interoceptive exposure", modality="CBT",
                                                  frequency="every session"),)),
            Objective("One bus ride a week", measurable_criterion="bus rides a week",
                      target_date=day + timedelta(days=60),
                      interventions=(Intervention("Graded in-vivo exposure", modality="CBT"),)),
            Objective("Worry in the mild range", linked_measure="GAD-7 < 10", measurable_criterion="GAD-7",
                      target_date=day + timedelta(days=84), status=ObjectiveStatus.IN_PROGRESS),
        ),
    )
    sleep = Goal("Sleep at least 6 hours most nights", client_words="Not lying awake dreading tomorrow",
                 objectives=(Objective("5 of 7 nights over 6 hours", measurable_criterion="sleep diary",
                                       target_date=day + timedelta(days=56),
                                       status=ObjectiveStatus.ACHIEVED),))
    plan = TreatmentPlan(
        client_id=client_id, diagnoses=("F41.0 Panic disorder",), service_type="individual",
        session_length_minutes=50, frequency="weekly", expected_duration="16 weeks",
        strengths="Motivated; supportive sister", discharge_criteria="Panic under 1 a week for a month",
        problems=(Problem("Panic attacks on public transport",
                          behavioral_definition="Sudden fear, racing heart, leaves the bus", goals=(goal,)),
                  Problem("Poor sleep", goals=(sleep,))),
    )
    plan = plans.save_plan(uow(), plan)
    if not ctx.vault.profile().credentials.strip():  # activating signs: the signer must be named
        ctx.vault.save_profile(replace(ctx.vault.profile(), name="Dr Ada Byrne", credentials="PsyD"))
    active = plans.activate_plan(uow(), plan.id, day - timedelta(days=40))
    draft = plans.revise_plan(uow(), active.id)  # version 2, a draft: the signed version 1 is locked
    revised = plan_edit.update_node(draft, goal.id, statement="Ride the bus to work without panic")
    plans.save_plan(uow(), replace(revised, frequency="fortnightly"))
    for offset, text in ((21, "Two attacks this week, both on the bus."), (14, "One attack; rode two stops."),
                         (7, "No attacks; walked to the station twice.")):
        note = SessionNote(
            client_id=client_id, session_date=day - timedelta(days=offset), format=NoteFormat.SOAP,
            start_time=time(10, 0), end_time=time(10, 50),
            sections=notes.build_sections(NoteFormat.SOAP, {
                "subjective": text, "objective": "Calm, good eye contact.",
                "assessment": "Progressing toward goal 1.", "plan": "Continue graded exposure."}),
            interventions=("Interoceptive exposure",),
        )
        note = notes.create_note(uow(), note)
        signed = notes.sign_note(uow(), note.id)
    notes.add_addendum(uow(), signed.id, AddendumKind.CLARIFICATION, "The station walk was with her sister.")
    notes.create_note(uow(), SessionNote(
        client_id=client_id, session_date=day, format=NoteFormat.GIRP,
        objectives_addressed=(goal.objectives[0].id,),
        sections=notes.build_sections(NoteFormat.GIRP, {"response": "Rode the bus to work on Monday."})))
    for offset, answers in ((35, (2, 2, 2, 3, 2, 2, 2)), (7, (1, 1, 1, 2, 1, 1, 1))):
        measures.record_measure(uow(), client_id, "GAD-7", answers, on=day - timedelta(days=offset))
    thought = "Wonder whether the avoidance protects her from the job change."
    notes.add_private_note(uow(), PrivateNote(client_id, day - timedelta(days=7), thought))
    breathing = care.add_homework(uow(), Homework(
        client_id, "Paced breathing, 10 minutes", day - timedelta(days=20), goal_id=goal.id,
        rationale="Calms the body before the bus", recurrence=Recurrence.DAILY))
    for offset, status in ((18, CheckinStatus.DONE), (11, CheckinStatus.PARTIAL), (4, CheckinStatus.DONE)):
        care.check_in(uow(), breathing.id, status, day - timedelta(days=offset), "Most mornings")
    care.add_homework(uow(), Homework(client_id, "Ride two stops and stay on", day - timedelta(days=7),
                                      goal_id=goal.id, due_date=day + timedelta(days=3)))
    sleeps = care.add_milestone(uow(), Milestone(
        client_id, MilestoneKind.SAFETY, "Sleeps through most nights", dimension="physical",
        criteria="5 of 7 nights, sleep diary"))
    care.set_milestone_status(uow(), sleeps.id, MilestoneStatus.ACHIEVED, day - timedelta(days=10),
                              "Diary shows 6 of 7", signed.id)
    care.add_milestone(uow(), Milestone(client_id, MilestoneKind.SAFETY, "Names a person to call",
                                        dimension="relational", status=MilestoneStatus.EMERGING))
    care.add_milestone(uow(), Milestone(client_id, MilestoneKind.INTEGRATION, "Links panic to the job worry",
                                        dimension="cognitive"))
    care.set_phase(uow(), PhaseEntry(client_id, "safety and stabilisation", day - timedelta(days=40)))
    care.set_phase(uow(), PhaseEntry(client_id, "processing", day - timedelta(days=5), comment="Ready"))
    safety = SafetyPlan(client_id, warning_signs=("Not sleeping", "Cancelling plans"),
                        coping_strategies=("Walk the dog", "Cold water on my face"),
                        people_to_ask=(Contact("Sam (sister)", "555 0100"),),
                        crisis_lines=(Contact("988 Suicide & Crisis Lifeline", "988"),),
                        reason_for_living="My daughter", last_reviewed=day - timedelta(days=30))
    care.save_safety_plan(uow(), safety)


def grab_all(out: Path, prefix: str = "ws") -> list[Path]:
    from notesdesk.ui.workspace import ClientWorkspace

    _app = QApplication.instance() or QApplication([])  # noqa: F841  (kept alive while grabbing)
    tmp = Path(tempfile.mkdtemp())
    vault, _ = Vault.create(tmp / "demo.notesdesk", "correct horse battery")
    vault.save_profile(PractitionerProfile(name="Dr Ada Byrne", credentials="PsyD"))
    prefs = Preferences(QSettings(str(tmp / "p.ini"), QSettings.Format.IniFormat))
    ctx = AppContext(vault, BackgroundRunner(), ErrorPresenter(interactive=False), prefs)
    client_id = clients.add_client(ctx.uow(), Client("Robin Example", intake_date=date(2024, 1, 8))).id
    populate(ctx, client_id)
    ws = ClientWorkspace(ctx, client_id, confirm=lambda *_a: True)
    ws.resize(1280, 800)
    ws.show()
    names = ["overview", "notes", "private", "plan", "measures", "homework", "milestones", "safety"]
    paths = []
    for index, name in enumerate(names):
        ws.tabs.setCurrentIndex(index)
        if name == "notes":
            ws.notes_tab.open_note(ws.notes_tab.model.rows()[1].id)
        if name == "private":
            ws.private_tab.view.selectRow(0)
        if name == "plan":
            ws.plan_tab.select(ws.plan_tab.plan.goals()[0].id)
        if name == "homework":
            ws.homework_tab.view.selectRow(0)
        if name == "milestones":
            ws.milestones_tab.views[MilestoneKind.SAFETY].selectRow(0)
        QTest.qWait(150)  # let layouts settle before grabbing
        path = out / f"{prefix}-{name}.png"
        ws.grab().save(str(path))
        paths.append(path)
    for extra, setup in (("plan-details", lambda: ws.plan_tab.pages.setCurrentIndex(1)),
                         ("plan-compare", lambda: ws.plan_tab.pages.setCurrentIndex(3)),
                         ("notes-draft", lambda: ws.notes_tab.open_note(ws.notes_tab.model.rows()[0].id))):
        ws.tabs.setCurrentWidget(ws.notes_tab if extra == "notes-draft" else ws.plan_tab)
        setup()
        QTest.qWait(150)  # let layouts settle before grabbing
        path = out / f"{prefix}-{extra}.png"
        ws.grab().save(str(path))
        paths.append(path)
    print(ctx.errors.last_message or "no errors")
    ws.close()
    vault.close()
    return paths


if __name__ == "__main__":
    where = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp")
    print("\n".join(str(p) for p in grab_all(where, sys.argv[2] if len(sys.argv) > 2 else "ws")))
