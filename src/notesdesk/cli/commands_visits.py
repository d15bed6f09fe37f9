"""Diagnoses (diagnosis add | list | remove), the next session (next-session) and the day's list of
what is due at the next visit (due)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from notesdesk.cli.io import Cli, add_command, add_group, check_out, date_arg, day, short, to_plain
from notesdesk.cli.records import find_client, resolve
from notesdesk.core.domain.common import today
from notesdesk.core.errors import UsageError
from notesdesk.core.services import diagnoses, visits

ADD_EPILOG = """\
The code is checked against the offline ICD-10-CM list: an unknown code, or a category that is not
specific enough to record, is refused.
"""
DUE_EPILOG = """\
The clients whose next session (notesdesk next-session) falls on DATE, and for each what is due:
questionnaires in use, a plan review, homework check-ins, a safety-plan review. The rules and their
sources are in the printed list and in --json. With --out the list is written as a PDF (readable by you
only; an existing FILE is replaced only with --force) and the print is logged in the audit.
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "diagnosis", "ICD-10-CM diagnoses on a client")
    add = add_command(group, "add", common, "record an ICD-10-CM code on a client (prints its id)", cmd_add,
                      ADD_EPILOG)
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("code", metavar="CODE", help="ICD-10-CM code, e.g. F41.1 (dot optional)")
    add.add_argument("--text", default="", help="your own words beside the code")
    add.add_argument("--date", type=date_arg, metavar="DATE", help="when it was made (default: today)")
    lst = add_command(group, "list", common, "list a client's diagnoses", cmd_list)
    lst.add_argument("client", metavar="CLIENT")
    rm = add_command(group, "remove", common, "take a diagnosis off a client (the audit keeps the fact)",
                     cmd_remove)
    rm.add_argument("diagnosis", metavar="ID", help="the diagnosis id or its first 6 characters or more")

    nxt = add_command(commands, "next-session", common, "set a client's next session and how often they come",
                      cmd_next_session)
    nxt.add_argument("client", metavar="CLIENT")
    nxt.add_argument("--date", type=date_arg, metavar="DATE", help="the next session's date")
    nxt.add_argument("--every", type=int, metavar="DAYS", help="sessions recur every DAYS days (7: weekly)")
    nxt.add_argument("--clear", action="store_true", help="no next session booked")

    due = add_command(commands, "due", common, "what is due at the next visit, for a day's clients", cmd_due,
                      DUE_EPILOG)
    due.add_argument("--date", type=date_arg, metavar="DATE", help="the day (default: today)")
    due.add_argument("--out", type=Path, metavar="FILE", help="write the list as a PDF")
    due.add_argument("--force", action="store_true", help="replace FILE if it exists")


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        added = diagnoses.add_diagnosis(vault.unit_of_work(), client.id, args.code, args.text, args.date)
    if cli.json:
        cli.emit_json({"id": added.id, "code": added.code, "description": added.description})
    else:
        cli.out(added.id)
        cli.note(f"{added.code} {added.description}")
    return 0


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = diagnoses.list_diagnoses(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json(found)
        return 0
    if not found:
        cli.out("No diagnoses.")
    for d in found:
        cli.out(f"{short(d.id)}  {day(d.recorded_on)}  {d.code:<8} {d.description}")
        if d.text:
            cli.out(f"{'':30}{' '.join(d.text.split())}")
    return 0


def cmd_remove(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        with vault.unit_of_work() as uow:
            ids = uow.diagnoses.ids()
        diagnosis_id = resolve(ids, args.diagnosis, "diagnosis")
        removed = diagnoses.remove_diagnosis(vault.unit_of_work(), diagnosis_id)
    cli.done(f"Removed {removed.code}.", id=removed.id, code=removed.code)
    return 0


def cmd_next_session(cli: Cli, args: argparse.Namespace) -> int:
    if args.clear == (args.date is not None):
        raise UsageError("Give the next session's --date DATE (--every DAYS makes it recur), or --clear.")
    if args.clear and args.every is not None:
        raise UsageError("--every goes with --date, not with --clear.")
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        if args.clear:
            visits.clear_next_session(vault.unit_of_work(), client.id)
            cli.done("No next session booked.", client_id=client.id, next_session=None)
            return 0
        booked = visits.set_next_session(vault.unit_of_work(), client.id, args.date, args.every)
    every = f", then every {booked.every_days} days" if booked.every_days else ""
    cli.done(f"Next session {booked.next_on.isoformat()}{every}.", client_id=client.id,
             next_session=booked.next_on.isoformat(), every_days=booked.every_days)
    return 0


def cmd_due(cli: Cli, args: argparse.Namespace) -> int:
    on: date = args.date or today()
    out = check_out(args.out, args.force, cli.vault_path) if args.out else None
    with cli.open_vault() as vault:
        due = visits.due_on(vault.unit_of_work(), on)
        if out is not None:
            from notesdesk.cli.io import write_out  # the PDF needs reportlab: only when asked for
            from notesdesk.core.reports.base import PdfOptions, default_paper
            from notesdesk.core.reports.due_list import render_due_list
            from notesdesk.core.services.summary import practitioner_block

            with vault.unit_of_work() as uow:
                practitioner = practitioner_block(uow)
            pdf = render_due_list(due, practitioner, PdfOptions(paper=default_paper(practitioner.locale)))
            write_out(out, pdf, cli.vault_path)
            visits.log_due_list(vault.unit_of_work(), "export", on, protected=False)
    if cli.json:
        cli.emit_json({"date": on.isoformat(), "visits": to_plain(due.visits),
                       "rules": [{"kind": k, "rule": r, "source": s} for k, r, s in due.rules],
                       **({"path": str(out)} if out else {})})
        return 0
    if out is not None:
        cli.out(str(out))
        return 0
    cli.out(f"Due at the next visit, {on.isoformat()}:")
    if not due.visits:
        cli.out("No client has a session booked on this day.")
    for visit in due.visits:
        cli.out()
        cli.out(visit.client_name)
        for item in visit.items:
            cli.out(f"  - {item.kind.value}: {' '.join(item.what.split())}")
        if not visit.items:
            cli.out("  nothing due")
    return 0
