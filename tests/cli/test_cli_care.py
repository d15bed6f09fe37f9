"""Treatment plans, homework, milestones, phases and safety plans."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Runner

PLAN_TOML = """
diagnoses = ["F41.1 Generalized anxiety disorder"]
service_type = "individual psychotherapy"
session_length_minutes = 50
frequency = "weekly"
expected_duration = "16 weeks"
effective_date = 2024-03-01

[[problems]]
title = "Persistent worry"
behavioral_definition = "Worries most days for hours"

[[problems.goals]]
statement = "Worry takes less of the day"
client_words = "Quiero recuperar mis tardes"
agreed_with_client = true

[[problems.goals.objectives]]
description = "Uses a set worry time"
measurable_criterion = "Days a week the worry time is used (diary)"
target_date = 2024-05-01
status = "in progress"

[[problems.goals.objectives.interventions]]
technique = "Worry postponement"
modality = "CBT"
"""


def _plan_file(tmp_path: Path, text: str = PLAN_TOML, name: str = "plan.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_plan_set_from_toml_then_show(run: Runner, client_id: str, tmp_path: Path) -> None:
    assert "no treatment plan yet" in run.ok("plan", "show", "Zoë")
    plan_id = run.ok("plan", "set", "Zoë", "--file", _plan_file(tmp_path), "--activate").strip()
    shown = run.ok("plan", "show", "Zoë")
    assert plan_id in shown
    assert "v1 — active — effective 2024-03-01, review due 2024-05-30" in shown
    assert "F41.1 Generalized anxiety disorder" in shown
    assert "Problem 1: Persistent worry" in shown
    assert "“Quiero recuperar mis tardes”" in shown
    assert "Uses a set worry time — in progress, by 2024-05-01" in shown
    assert "Intervention: Worry postponement (CBT)" in shown

    out = run.ok(
        "plan", "review", "Zoë", "--outcome", "continue", "--summary", "Steady", "--date", "2024-04-01"
    )
    assert "next review due 2024-06-30" in out
    assert "2024-04-01 continue: Steady" in run.ok("plan", "show", "Zoë")


def test_plan_from_json_as_draft_then_activate(run: Runner, client_id: str, tmp_path: Path) -> None:
    body = {"problems": [{"title": "Low mood", "goals": [{"statement": "More good days"}]}]}
    run.ok("plan", "set", "Zoë", "--file", _plan_file(tmp_path, json.dumps(body), "plan.json"))
    assert "— draft —" in run.ok("plan", "show", "Zoë")
    assert "is now active" in run.ok("plan", "activate", "Zoë", "--date", "2024-02-01")
    plan = json.loads(run.ok("--json", "plan", "show", "Zoë"))
    assert plan["status"] == "active" and plan["review_due"] == "2024-05-01"


def test_plan_file_errors_name_the_field(run: Runner, client_id: str, tmp_path: Path) -> None:
    typo = "[[problems]]\ntitle = 'Worry'\n[[problems.goals]]\nstatment = 'x'\n"
    result = run("plan", "set", "Zoë", "--file", _plan_file(tmp_path, typo))
    assert result.code == 1 and "problems[0].goals[0].statment" in result.err
    wrong_type = "session_length_minutes = 'fifty'\n"
    result = run("plan", "set", "Zoë", "--file", _plan_file(tmp_path, wrong_type))
    assert result.code == 1 and "session_length_minutes" in result.err and "fifty" not in result.err
    kept = "status = 'active'\n"
    result = run("plan", "set", "Zoë", "--file", _plan_file(tmp_path, kept))
    assert result.code == 1 and "'status' is kept by NotesDesk" in result.err
    result = run("plan", "set", "Zoë", "--file", _plan_file(tmp_path, "x = [", "broken.toml"))
    assert result.code == 1 and "not valid TOML" in result.err
    no_goals = "[[problems]]\ntitle = 'Worry'\n"
    result = run("plan", "set", "Zoë", "--file", _plan_file(tmp_path, no_goals), "--activate")
    assert result.code == 1 and "at least one goal" in result.err
    assert "no treatment plan yet" in run.ok("plan", "show", "Zoë")


def test_homework_add_checkin_list(run: Runner, client_id: str, tmp_path: Path) -> None:
    run.ok("plan", "set", "Zoë", "--file", _plan_file(tmp_path), "--activate")
    goal = json.loads(run.ok("--json", "plan", "show", "Zoë"))["problems"][0]["goals"][0]["id"]
    homework = run.ok(
        "homework",
        "add",
        "Zoë",
        "--text",
        "Worry log each evening",
        "--recurrence",
        "daily",
        "--goal",
        goal[:8],
        "--rationale",
        "See the pattern",
    ).strip()
    listed = run.ok("homework", "list", "Zoë")
    assert "no check-ins" in listed and "Worry log each evening" in listed and "no check-in yet" in listed
    assert "done" in run.ok("homework", "checkin", homework[:8], "--status", "done", "--report", "5 of 7")
    run.ok("homework", "checkin", homework[:8], "--status", "not-done")
    run.ok("homework", "checkin", homework[:8], "--status", "partial")
    listed = run.ok("homework", "list", "Zoë")
    # 1 done + 1 partial at half credit (rules/alerts.json) over 3 check-ins: 1.5 / 3 = 50%.
    assert ("Adherence, last 4 weeks: 50% (1 done, 1 partial, 1 not done; a partial check-in counts as 0.5 "
            "of a done one)") in listed
    assert "last: partial" in listed
    data = json.loads(run.ok("--json", "homework", "list", "Zoë"))
    assert data["adherence_4_weeks"] == 0.5
    assert data["checkins_4_weeks"] == {"done": 1, "partial": 1, "not done": 1}
    assert data["homework"][0]["goal_id"] == goal
    assert [c["client_report"] for c in data["homework"][0]["checkins"]] == ["5 of 7", "", ""]
    missing = run("homework", "add", "Zoë", "--text", "x", "--goal", "ffffffff")
    assert missing.code == 1 and "No goal" in missing.err


def test_milestone_add_set_list(run: Runner, client_id: str) -> None:
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", "text=Slept alone all week").strip()
    milestone = run.ok(
        "milestone",
        "add",
        "Zoë",
        "--kind",
        "safety",
        "--dimension",
        "physical",
        "--title",
        "Sleeps through the night",
        "--criteria",
        "5 nights a week",
    ).strip()
    bad = run("milestone", "add", "Zoë", "--kind", "integration", "--dimension", "physical", "--title", "x")
    assert bad.code == 1 and "cognitive, emotional, behavioural" in bad.err
    listed = run.ok("milestone", "list", "Zoë")
    assert "safety/physical" in listed and "planned" in listed and "Sleeps through the night" in listed
    run.ok(
        "milestone",
        "set",
        milestone[:8],
        "--status",
        "achieved",
        "--evidence",
        note[:8],
        "--date",
        "2024-04-02",
    )
    run.ok("milestone", "set", milestone[:8], "--status", "emerging", "--comment", "setback after the move")
    listed = run.ok("milestone", "list", "Zoë")
    assert "emerging" in listed and "achieved" not in listed
    data = json.loads(run.ok("--json", "milestone", "list", "Zoë"))[0]
    assert [h["status"] for h in data["history"]] == ["planned", "achieved", "emerging"]
    assert data["evidence_note_ids"] == [note]


def test_phase_set_and_show(run: Runner, client_id: str) -> None:
    assert "no phase of care recorded" in run.ok("phase", "show", "Zoë")
    run.ok("phase", "set", "Zoë", "safety and stabilisation", "--date", "2024-01-15")
    run.ok(
        "phase", "set", "Zoë", "processing", "--date", "2024-04-01", "--comment", "window of tolerance wider"
    )
    shown = run.ok("phase", "show", "Zoë")
    assert "current phase processing (since 2024-04-01)" in shown
    history = shown.splitlines()[2:]
    assert history[0].strip() == "2024-01-15  safety and stabilisation"
    assert "window of tolerance wider" in history[1]


SAFETY_TOML = """
warning_signs = ["Not sleeping", "Stops answering messages"]
coping_strategies = ["Walk by the river"]
people_to_ask = ["Ana", {name = "Tomás", phone = "555-0100", note = "evenings"}]
reason_for_living = "Mis hijos"
last_reviewed = 2024-03-01

[[crisis_lines]]
name = "988 Suicide & Crisis Lifeline"
phone = "988"
"""


def test_safety_plan_set_and_show(run: Runner, client_id: str, tmp_path: Path) -> None:
    assert "no safety plan yet" in run.ok("safety-plan", "show", "Zoë")
    path = _plan_file(tmp_path, SAFETY_TOML, "safety.toml")
    first = run.ok("safety-plan", "set", "Zoë", "--file", path).strip()
    shown = run.ok("safety-plan", "show", "Zoë")
    assert "Safety plan v1, last reviewed 2024-03-01" in shown and first in shown
    assert (
        "Warning signs that a crisis may be building\n  • Not sleeping\n  • Stops answering messages" in shown
    )
    assert "• Tomás — 555-0100 — evenings" in shown and "• Ana" in shown
    assert "• 988 Suicide & Crisis Lifeline — 988" in shown
    assert "Mis hijos" in shown
    run.ok("safety-plan", "set", "Zoë", "--file", path)
    assert "Safety plan v2" in run.ok("safety-plan", "show", "Zoë")
    bad = run("safety-plan", "set", "Zoë", "--file", _plan_file(tmp_path, "warning_sign = []", "s.toml"))
    assert bad.code == 1 and "warning_sign" in bad.err
