"""Care commands: homework add | checkin | list, milestone add | set | list, phase set | show."""

from __future__ import annotations

import argparse
from typing import Any

from notesdesk.cli.io import Cli, EnumArg, add_command, add_group, cli_name, date_arg, day, short
from notesdesk.cli.records import find_client, find_id, resolve
from notesdesk.core.domain.care import (
    DIMENSIONS,
    PHASE_MODELS,
    CheckinStatus,
    Homework,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    PhaseEntry,
    Recurrence,
)
from notesdesk.core.domain.common import today
from notesdesk.core.errors import NotFound, UsageError
from notesdesk.core.services import care, plans

CHECKIN = EnumArg(CheckinStatus)
RECURRENCE = EnumArg(Recurrence)
KIND = EnumArg(MilestoneKind)
MILESTONE_STATUS = EnumArg(MilestoneStatus)

DIMENSION_HELP = (
    "Dimensions: "
    + "; ".join(f"{kind.value}: {', '.join(dims)}" for kind, dims in DIMENSIONS.items() if dims)
    + "; custom: any word (optional)."
)
PHASE_HELP = "Phase names are free text; common models:\n" + "\n".join(
    f"  {name}: {' → '.join(phases)}" for name, phases in PHASE_MODELS.items()
)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    hw = add_group(commands, "homework", "between-session homework and check-ins")
    add = add_command(hw, "add", common, "assign homework (prints its id)", cmd_hw_add)
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("--text", required=True, help="what the client will do")
    add.add_argument("--due", type=date_arg, metavar="DATE")
    add.add_argument("--goal", metavar="ID", help="id (or start) of a goal in the current plan")
    add.add_argument("--recurrence", type=RECURRENCE, metavar=RECURRENCE.metavar, default=Recurrence.ONCE)
    add.add_argument("--rationale", default="", help="why, in words the client will recognise")
    add.add_argument("--date", type=date_arg, metavar="DATE", help="assigned on (default: today)")
    checkin = add_command(hw, "checkin", common, "record how the homework went", cmd_hw_checkin)
    checkin.add_argument("homework", metavar="HOMEWORK")
    checkin.add_argument("--status", type=CHECKIN, metavar=CHECKIN.metavar, required=True)
    checkin.add_argument("--report", default="", help="what the client said")
    checkin.add_argument("--date", type=date_arg, metavar="DATE", help="default: today")
    hlist = add_command(hw, "list", common, "list homework with 4-week adherence", cmd_hw_list)
    hlist.add_argument("client", metavar="CLIENT")

    ms = add_group(commands, "milestone", "safety, integration and custom milestones")
    madd = add_command(ms, "add", common, "add a milestone (prints its id)", cmd_ms_add, DIMENSION_HELP)
    madd.add_argument("client", metavar="CLIENT")
    madd.add_argument("--kind", type=KIND, metavar=KIND.metavar, required=True)
    madd.add_argument("--dimension", default="", metavar="D")
    madd.add_argument("--title", required=True)
    madd.add_argument("--criteria", default="", help="how you will know it is reached")
    mset = add_command(ms, "set", common, "change a milestone's status (back or forward)", cmd_ms_set)
    mset.add_argument("milestone", metavar="MILESTONE")
    mset.add_argument("--status", type=MILESTONE_STATUS, metavar=MILESTONE_STATUS.metavar, required=True)
    mset.add_argument("--comment", default="")
    mset.add_argument("--evidence", metavar="NOTE", help="a note that shows it")
    mset.add_argument("--date", type=date_arg, metavar="DATE", help="default: today")
    mlist = add_command(ms, "list", common, "list a client's milestones", cmd_ms_list)
    mlist.add_argument("client", metavar="CLIENT")

    ph = add_group(commands, "phase", "phase of care and its history")
    pset = add_command(
        ph, "set", common, "enter a new phase (prints the entry id)", cmd_phase_set, PHASE_HELP
    )
    pset.add_argument("client", metavar="CLIENT")
    pset.add_argument("phase", metavar="PHASE")
    pset.add_argument("--date", type=date_arg, metavar="DATE", help="started on (default: today)")
    pset.add_argument("--comment", default="")
    pshow = add_command(ph, "show", common, "current phase and history", cmd_phase_show)
    pshow.add_argument("client", metavar="CLIENT")


# -- homework ----------------------------------------------------------------------------------


def cmd_hw_add(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        goal_id = None
        if args.goal:
            plan = plans.current_plan(vault.unit_of_work(), client.id)
            goals = [g.id for g in plan.goals()] if plan else []
            if not goals:
                raise NotFound("This client's current plan has no goals to link the homework to.")
            goal_id = resolve(goals, args.goal, "goal")
        homework = care.add_homework(
            vault.unit_of_work(),
            Homework(
                client_id=client.id,
                description=args.text.strip(),
                assigned_on=args.date or today(),
                rationale=args.rationale.strip(),
                goal_id=goal_id,
                due_date=args.due,
                recurrence=args.recurrence,
            ),
        )
    cli.created(homework.id)
    return 0


def cmd_hw_checkin(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        homework_id = find_id(vault, "homework", args.homework)
        homework = care.check_in(
            vault.unit_of_work(), homework_id, args.status, args.date, args.report.strip()
        )
    checkin = homework.checkins[-1]
    cli.done(
        f"Check-in recorded: {checkin.status.value} on {day(checkin.checkin_date)}.",
        id=checkin.id,
        homework_id=homework.id,
        active=homework.active,
    )
    return 0


def _homework_line(h: Homework, late: bool) -> str:
    when = cli_name(h.recurrence) + (f", due {day(h.due_date)}" if h.due_date else "")
    state = "active" if h.active else "stopped"
    last = h.checkins[-1] if h.checkins else None
    seen = f"last: {last.status.value} {day(last.checkin_date)}" if last else "no check-in yet"
    flag = "  OVERDUE" if late else ""
    return f"{short(h.id)}  {day(h.assigned_on)}  {h.description}  [{when}]  {state}, {seen}{flag}"


def cmd_hw_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = care.list_homework(vault.unit_of_work(), client.id)
    rate = care.adherence(found)
    counts = care.checkin_counts(found)
    late = {h.id for h in care.overdue(found)}
    if cli.json:
        cli.emit_json({"adherence_4_weeks": rate, "checkins_4_weeks": {s.value: n for s, n in counts.items()},
                       "adherence_rule": care.adherence_rule(), "overdue": sorted(late), "homework": found})
        return 0
    if rate is None:
        cli.out("Adherence, last 4 weeks: no check-ins")
    else:
        cli.out(f"Adherence, last 4 weeks: {round(rate * 100)}% ({care.counts_text(counts)}; "
                f"{care.adherence_rule()})")
    if not found:
        cli.out("No homework.")
    for h in found:
        cli.out(_homework_line(h, h.id in late))
    return 0


# -- milestones ---------------------------------------------------------------------------------


def cmd_ms_add(cli: Cli, args: argparse.Namespace) -> int:
    dimension = args.dimension.strip().lower()
    if args.kind != MilestoneKind.CUSTOM and not dimension:
        raise UsageError(
            f"A {args.kind.value} milestone needs --dimension {'|'.join(DIMENSIONS[args.kind])}."
        )
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        milestone = care.add_milestone(
            vault.unit_of_work(),
            Milestone(
                client_id=client.id,
                kind=args.kind,
                title=args.title.strip(),
                dimension=dimension,
                criteria=args.criteria.strip(),
            ),
        )
    cli.created(milestone.id)
    return 0


def cmd_ms_set(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        milestone_id = find_id(vault, "milestone", args.milestone)
        evidence = find_id(vault, "note", args.evidence) if args.evidence else None
        milestone = care.set_milestone_status(
            vault.unit_of_work(), milestone_id, args.status, args.date, args.comment.strip(), evidence
        )
    cli.done(f"Milestone is now {milestone.status.value}.", id=milestone.id, status=milestone.status.value)
    return 0


def cmd_ms_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = care.list_milestones(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json(found)
        return 0
    if not found:
        cli.out("No milestones.")
    for m in found:
        since = day(m.history[-1].changed_on) if m.history else "-"
        area = f"{m.kind.value}/{m.dimension}" if m.dimension else m.kind.value
        cli.out(f"{short(m.id)}  {area:<22} {m.status.value:<10} since {since}  {m.title}")
    return 0


# -- phases ------------------------------------------------------------------------------------


def cmd_phase_set(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        entry = care.set_phase(
            vault.unit_of_work(),
            PhaseEntry(
                client_id=client.id,
                phase=args.phase.strip(),
                started_on=args.date or today(),
                comment=args.comment.strip(),
            ),
        )
    cli.created(entry.id)
    return 0


def cmd_phase_show(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        history = care.phase_history(vault.unit_of_work(), client.id)
    current = history[-1] if history else None
    if cli.json:
        cli.emit_json({"current": current, "history": history})
        return 0
    if current is None:
        cli.out(f"{client.name}: no phase of care recorded yet.")
        return 0
    cli.out(f"{client.name}: current phase {current.phase} (since {day(current.started_on)})")
    cli.out("History")
    for entry in history:
        comment = f" — {entry.comment}" if entry.comment else ""
        cli.out(f"  {day(entry.started_on)}  {entry.phase}{comment}")
    return 0
