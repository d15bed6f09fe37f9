"""Plan commands: plan show | set | activate | sign | revise | agree | review, safety-plan set | show |
review."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from notesdesk.cli import planfiles
from notesdesk.cli.io import Cli, EnumArg, add_command, add_group, date_arg, day, short, to_plain
from notesdesk.cli.records import find_client
from notesdesk.core.domain.care import SAFETY_PLAN_SECTIONS, Contact, SafetyPlan
from notesdesk.core.domain.common import today
from notesdesk.core.domain.plans import AgreementHow, PlanStatus, ReviewOutcome, TreatmentPlan
from notesdesk.core.errors import InvalidInput, NotFound
from notesdesk.core.services import care, plans
from notesdesk.core.services.plan_rules import missing_for_country

OUTCOME = EnumArg(ReviewOutcome)
HOW = EnumArg(AgreementHow)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "plan",
                      "treatment plans: show, set from a file, activate (signs), sign, revise, agree, review")
    show = add_command(group, "show", common, "show the client's current treatment plan", cmd_plan_show)
    show.add_argument("client", metavar="CLIENT")
    put = add_command(
        group,
        "set",
        common,
        "save a new plan version from a TOML or JSON file (prints its id)",
        cmd_plan_set,
        epilog=planfiles.FILE_HELP + "\n\n" + planfiles.PLAN_HELP,
    )
    put.add_argument("client", metavar="CLIENT")
    put.add_argument("--file", type=Path, required=True, metavar="PLAN.toml|json")
    put.add_argument("--activate", action="store_true", help="make it the active plan at once")
    activate = add_command(
        group, "activate", common, "make the newest draft the active plan", cmd_plan_activate
    )
    activate.add_argument("client", metavar="CLIENT")
    activate.add_argument("--date", type=date_arg, metavar="DATE", help="effective date (default: today)")
    sign = add_command(group, "sign", common, "sign the active plan made before plans were signed (once)",
                       cmd_plan_sign)
    sign.add_argument("client", metavar="CLIENT")
    revise = add_command(group, "revise", common,
                         "make a new draft version from the active plan (prints its id)", cmd_plan_revise)
    revise.add_argument("client", metavar="CLIENT")
    agree = add_command(group, "agree", common,
                        "record the client's agreement to the active, signed plan", cmd_plan_agree)
    agree.add_argument("client", metavar="CLIENT")
    agree.add_argument("--date", type=date_arg, metavar="DATE", help="agreed on (default: today)")
    agree.add_argument("--how", type=HOW, metavar=HOW.metavar, required=True,
                       help="paper: signed on paper; verbal: agreed verbally; screen: in person, on screen")
    review = add_command(group, "review", common, "record a review of the active plan", cmd_plan_review)
    review.add_argument("client", metavar="CLIENT")
    review.add_argument("--outcome", type=OUTCOME, metavar=OUTCOME.metavar, required=True)
    review.add_argument("--summary", required=True)
    review.add_argument("--date", type=date_arg, metavar="DATE", help="review date (default: today)")
    review.add_argument("--next-due", type=date_arg, metavar="DATE", help="default: 90 days on")

    safety = add_group(commands, "safety-plan",
                       "safety plans: set from a file, show, mark reviewed, print")
    sset = add_command(
        safety,
        "set",
        common,
        "save a new safety-plan version from a TOML or JSON file (prints its id)",
        cmd_safety_set,
        epilog=planfiles.FILE_HELP + "\n\n" + planfiles.SAFETY_HELP,
    )
    sset.add_argument("client", metavar="CLIENT")
    sset.add_argument("--file", type=Path, required=True, metavar="SAFETY.toml|json")
    sshow = add_command(safety, "show", common, "show the client's latest safety plan", cmd_safety_show)
    sshow.add_argument("client", metavar="CLIENT")
    sreview = add_command(safety, "review", common, "record that the safety plan was reviewed with the "
                          "client (answers the 'safety plan not reviewed' flag)", cmd_safety_review)
    sreview.add_argument("client", metavar="CLIENT")
    sreview.add_argument("--date", type=date_arg, metavar="DATE", help="review date (default: today)")


# -- treatment plans ---------------------------------------------------------------------------


def plan_lines(plan: TreatmentPlan, country: str = "", agreement: str = "") -> list[str]:
    lines = [
        f"Treatment plan v{plan.version} — {plan.status.value} — effective {day(plan.effective_date)}, "
        f"review due {day(plan.review_due)}",
        f"Id: {plan.id}",
    ]
    if plan.is_signed or plan.unsigned_active:
        lines.append(plans.status_line(plan) + ".")
    if plan.signature is not None:
        lines.append(f"Content hash: {plan.signature.content_hash}")
    if agreement:
        lines.append(agreement)
    service = ", ".join(
        part
        for part in (
            plan.service_type,
            f"{plan.session_length_minutes} min" if plan.session_length_minutes else "",
            plan.frequency,
            f"for {plan.expected_duration}" if plan.expected_duration else "",
        )
        if part
    )
    for label, value in (
        ("Diagnoses", "; ".join(plan.diagnoses)),
        ("Service", service),
        ("Strengths", plan.strengths),
        ("Discharge criteria", plan.discharge_criteria),
        (
            "Client agreement",
            "" if agreement else " ".join(
                filter(
                    None,
                    [
                        day(plan.client_agreement_date) if plan.client_agreement_date else "",
                        plan.client_agreement_how,
                    ],
                )
            ),
        ),
    ):
        if value:
            lines.append(f"{label}: {value}")
    for p, problem in enumerate(plan.problems, 1):
        lines += ["", f"Problem {p}: {problem.title}"]
        if problem.behavioral_definition:
            lines.append(f"    Definition: {problem.behavioral_definition}")
        for g, goal in enumerate(problem.goals, 1):
            agreed = " (agreed with client)" if goal.agreed_with_client else ""
            lines.append(f"    Goal {p}.{g} [{short(goal.id)}]: {goal.statement}{agreed}")
            if goal.client_words:
                lines.append(f"        In the client's words: “{goal.client_words}”")
            for o, obj in enumerate(goal.objectives, 1):
                by = f", by {day(obj.target_date)}" if obj.target_date else ""
                lines.append(f"        Objective {p}.{g}.{o}: {obj.description} — {obj.status.value}{by}")
                details = [
                    f"{label} {value}"
                    for label, value in (
                        ("criterion:", obj.measurable_criterion),
                        ("baseline:", obj.baseline),
                        ("target:", obj.target),
                        ("measure:", obj.linked_measure),
                    )
                    if value
                ]
                if details:
                    lines.append("            " + "; ".join(details))
                for i in obj.interventions:
                    extra = ", ".join(filter(None, [i.modality, i.frequency]))
                    lines.append(
                        f"            Intervention: {i.technique}" + (f" ({extra})" if extra else "")
                    )
    if plan.reviews:
        lines += ["", "Reviews"]
        lines += [f"    {day(r.review_date)} {r.outcome.value}: {r.summary}" for r in plan.reviews]
    missing = missing_for_country(plan, country)  # Medicare's fields, only where the country uses them
    if missing:
        lines += ["", "Still missing before use: " + "; ".join(missing)]
    return lines


def cmd_plan_show(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        versions = plans.plan_versions(vault.unit_of_work(), client.id)
        plan = plans.current_plan(vault.unit_of_work(), client.id)
        country = vault.profile().locale
        agreed = plans.agreement_of(vault.unit_of_work(), plan) if plan is not None else None
    if cli.json:
        shown = to_plain(plan)
        if plan is not None:
            shown["agreement"] = to_plain(agreed)
            shown["agreement_line"] = plans.agreement_line(plan, agreed)
        cli.emit_json(shown)
        return 0
    if plan is None:
        cli.out(f"{client.name} has no treatment plan yet (see 'notesdesk plan set --help').")
        return 0
    cli.out(f"{client.name}")
    agreement = plans.agreement_line(plan, agreed) if plan.status is not PlanStatus.DRAFT else ""
    for line in plan_lines(plan, country, agreement):
        cli.out(line)
    if len(versions) > 1:
        cli.out("")
        cli.out("Versions: " + ", ".join(f"v{v.version} {v.status.value}" for v in versions))
    return 0


def cmd_plan_set(cli: Cli, args: argparse.Namespace) -> int:
    data = planfiles.load(args.file, "plan")
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = planfiles.plan_from(data, client.id)
        if args.activate and not plan.goals():
            # Checked before saving, so a refused activation leaves no stray draft behind.
            raise InvalidInput("A plan needs at least one goal before it is activated.")
        plan = plans.save_plan(vault.unit_of_work(), plan)
        if args.activate:
            plan = plans.activate_plan(vault.unit_of_work(), plan.id)
    cli.created(plan.id)
    return 0


def cmd_plan_activate(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        drafts = [
            p for p in plans.plan_versions(vault.unit_of_work(), client.id) if p.status == PlanStatus.DRAFT
        ]
        if not drafts:
            raise NotFound("This client has no draft plan to activate.")
        plan = plans.activate_plan(vault.unit_of_work(), drafts[-1].id, args.date)
    cli.done(
        f"Plan v{plan.version} is now active; review due {day(plan.review_due)}.",
        id=plan.id,
        review_due=day(plan.review_due),
    )
    return 0


def _active(vault: Any, client_id: str) -> TreatmentPlan:
    plan = plans.current_plan(vault.unit_of_work(), client_id)
    if plan is None or plan.status is not PlanStatus.ACTIVE:
        raise NotFound("This client has no active plan.")
    return plan


def cmd_plan_sign(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = plans.sign_plan(vault.unit_of_work(), _active(vault, client.id).id)
    assert plan.signature is not None
    cli.done(f"Plan v{plan.version} signed.", id=plan.id, content_hash=plan.signature.content_hash)
    return 0


def cmd_plan_revise(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = plans.revise_plan(vault.unit_of_work(), _active(vault, client.id).id)
    cli.created(plan.id)
    return 0


def cmd_plan_agree(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = _active(vault, client.id)
        agreement = plans.agree_plan(vault.unit_of_work(), client.id, args.date or today(), args.how)
    cli.done(plans.agreement_line(plan, agreement), id=agreement.id, plan_id=plan.id,
             agreed_on=day(agreement.agreed_on), how=agreement.how.value)
    return 0


def cmd_plan_review(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = plans.record_review(
            vault.unit_of_work(),
            client.id,
            args.date or today(),
            args.outcome,
            args.summary.strip(),
            args.next_due,
        )
    review = plan.reviews[-1]
    cli.done(
        f"Review recorded ({review.outcome.value}); plan is {plan.status.value}, "
        f"next review due {day(plan.review_due)}.",
        id=review.id,
        plan_id=plan.id,
        status=plan.status.value,
        review_due=day(plan.review_due),
    )
    return 0


# -- safety plans ------------------------------------------------------------------------------


def _contact(c: Contact) -> str:
    return " — ".join(filter(None, [c.name, c.phone, c.note]))


def safety_lines(plan: SafetyPlan) -> list[str]:
    lines = [f"Safety plan v{plan.version}, last reviewed {day(plan.last_reviewed)}", f"Id: {plan.id}"]
    for key, title in SAFETY_PLAN_SECTIONS:
        if key == "reason_for_living":
            items = [plan.reason_for_living] if plan.reason_for_living else []
        elif key == "professionals":
            items = [_contact(c) for c in (*plan.professionals, *plan.crisis_lines)]
        elif key == "people_to_ask":
            items = [_contact(c) for c in plan.people_to_ask]
        else:
            items = list(getattr(plan, key))
        lines += ["", title]
        lines += [f"  • {item}" for item in items] or ["  (none yet)"]
    return lines


def cmd_safety_set(cli: Cli, args: argparse.Namespace) -> int:
    data = planfiles.load(args.file, "safety plan")
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = planfiles.safety_plan_from(data, client.id)
        plan = care.save_safety_plan(vault.unit_of_work(), plan)
    cli.created(plan.id)
    return 0


def cmd_safety_review(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        plan = care.mark_safety_plan_reviewed(vault.unit_of_work(), client.id, args.date)
    cli.done(f"Safety plan v{plan.version} reviewed {day(plan.last_reviewed)}.", id=plan.id)
    return 0


def cmd_safety_show(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        versions = care.safety_plan_versions(vault.unit_of_work(), client.id)
    latest = versions[-1] if versions else None
    if cli.json:
        cli.emit_json(to_plain(latest))
        return 0
    if latest is None:
        cli.out(f"{client.name} has no safety plan yet (see 'notesdesk safety-plan set --help').")
        return 0
    cli.out(client.name)
    for line in safety_lines(latest):
        cli.out(line)
    return 0
