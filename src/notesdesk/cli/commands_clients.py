"""Client commands: client add | list | show | status | delete."""

from __future__ import annotations

import argparse
from typing import Any

from notesdesk.cli.io import Cli, EnumArg, add_command, add_group, cli_name, date_arg, day, short, to_plain
from notesdesk.cli.records import find_client
from notesdesk.core.domain.clients import Client, ClientStatus, Modality
from notesdesk.core.domain.common import today
from notesdesk.core.errors import Conflict
from notesdesk.core.services import clients, overview, retention

MODALITY = EnumArg(Modality)
STATUS = EnumArg(ClientStatus)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(
        commands, "client", "add, list, show clients; change their status; delete a record after retention"
    )

    add = add_command(group, "add", common, "add a client (prints the new id)", cmd_add)
    add.add_argument("name", metavar="NAME", help="full name, e.g. 'Zoë Ó Briain'")
    add.add_argument("--dob", type=date_arg, metavar="DATE", help="date of birth")
    add.add_argument("--modality", type=MODALITY, metavar=MODALITY.metavar, default=Modality.OTHER)
    add.add_argument("--pronouns", default="", metavar="P")
    add.add_argument("--preferred", default="", metavar="NAME", help="preferred name")
    add.add_argument("--intake", type=date_arg, metavar="DATE", help="intake date (default: today)")

    lst = add_command(group, "list", common, "list clients", cmd_list)
    lst.add_argument("--status", type=STATUS, metavar=STATUS.metavar, help="only clients in this status")

    show = add_command(group, "show", common, "show a client's details", cmd_show)
    show.add_argument("client", metavar="CLIENT", help="id or unambiguous start of the name")

    status = add_command(
        group, "status", common, "put a client on hold, discharge or reactivate them", cmd_status
    )
    status.add_argument("client", metavar="CLIENT")
    status.add_argument("status", type=STATUS, metavar=STATUS.metavar)
    status.add_argument(
        "--date",
        type=date_arg,
        metavar="DATE",
        help="effective date (default: today); a discharge date is never in the future nor before intake",
    )

    delete = add_command(
        group,
        "delete",
        common,
        "destroy a discharged client's whole record once its retention period has passed",
        cmd_delete,
        epilog="A record is kept until its retain-until date (by default 7 years after the last service,\n"
        "or 3 years after the client comes of age, whichever is later) and refused before it. The last\n"
        "service is the latest of the discharge date, the last session, the day the discharge was\n"
        "entered and the day the record was created; the last two cannot be back-dated. After it,\n"
        "deletion needs --yes. It cannot be undone; the audit log keeps the fact that it happened.",
    )
    delete.add_argument("client", metavar="CLIENT")
    delete.add_argument("--yes", action="store_true", help="confirm: delete the record for good")


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = clients.add_client(
            vault.unit_of_work(),
            Client(
                name=args.name,
                date_of_birth=args.dob,
                modality=args.modality,
                pronouns=args.pronouns.strip(),
                preferred_name=args.preferred.strip(),
                intake_date=args.intake,
            ),
        )
    cli.created(client.id)
    return 0


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        found = clients.list_clients(vault.unit_of_work(), args.status)
        flags = overview.client_flags(vault.unit_of_work()) if cli.json else {}
    if cli.json:
        # Each client with the client list's flags: the words shown, and each measure flag with the rule
        # that raised it and that rule's source, so a script can check them rather than trust them.
        cli.emit_json([{**to_plain(c), "flags": _flags_data(flags.get(c.id, overview.NO_FLAGS))}
                       for c in found])
        return 0
    if not found:
        cli.out("No clients." if args.status is None else f"No {args.status.value} clients.")
    for c in found:
        preferred = f" ({c.preferred_name})" if c.preferred_name else ""
        cli.out(f"{short(c.id)}  {c.name}{preferred}  [{cli_name(c.status)}]  {c.modality.value}")
    return 0


def _flags_data(flags: overview.ClientFlags) -> dict[str, Any]:
    return {"labels": flags.labels(), "risk_noted": flags.risk_noted,
            "safety_plan_due": flags.safety_plan_due, **to_plain(flags)}


def client_lines(client: Client) -> list[str]:
    rows = [
        ("Name", client.name),
        ("Preferred name", client.preferred_name),
        ("Pronouns", client.pronouns),
        ("Date of birth", day(client.date_of_birth) if client.date_of_birth else ""),
        ("Phone", client.phone),
        ("Email", client.email),
        ("Address", client.address),
        ("Emergency contact", client.emergency_contact),
        ("Referral", client.referral),
        ("Presenting concerns", client.presenting_concerns),
        ("Modality", client.modality.value),
        ("Status", client.status.value),
        ("Intake", day(client.intake_date) if client.intake_date else ""),
        ("Discharged", day(client.discharge_date) if client.discharge_date else ""),
        ("Id", client.id),
    ]
    return [f"{label + ':':<21}{value}" for label, value in rows if value]


def cmd_show(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        found = find_client(vault, args.client)
        client = clients.get_client(vault.unit_of_work(), found.id)
    if cli.json:
        cli.emit_json(to_plain(client))
    else:
        for line in client_lines(client):
            cli.out(line)
    return 0


def cmd_status(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        found = find_client(vault, args.client)
        client = clients.set_status(vault.unit_of_work(), found.id, args.status, args.date)
    cli.done(f"Status: {client.status.value}.", id=client.id, status=client.status.value)
    return 0


def cmd_delete(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        found = find_client(vault, args.client)
        status = retention.retention_status(vault.unit_of_work(), found.id)
        keep = status.retain_until
        if not args.yes:
            if keep is not None and today() >= keep:
                raise Conflict(
                    f"The record was to be kept until {keep.isoformat()}, which has passed; deleting it "
                    "cannot be undone: confirm with --yes."
                )
            # Refused with the date (or because the client is still in care); never deletes unconfirmed.
            retention.delete_client_record(vault.unit_of_work(), found.id, confirmed=False)
        removed = retention.delete_client_record(vault.unit_of_work(), found.id, confirmed=True)
    until = keep.isoformat() if keep else "-"
    cli.done(
        f"Deleted the record ({removed} entries; it was to be kept until {until}). "
        "The audit log keeps the fact of the deletion.",
        id=found.id,
        removed=removed,
        retain_until=until,
    )
    return 0
