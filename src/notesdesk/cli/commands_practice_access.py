"""Group practice, who may read what: practice assign CLIENT --to CLINICIAN [--supervisor | --remove],
practice remove-clinician CLINICIAN
(docs/design-notes.md §9). Registered in the practice group by commands_practice."""

from __future__ import annotations

import argparse
from typing import Any

from notesdesk.cli.io import Cli, add_command
from notesdesk.cli.records import find_client
from notesdesk.core.errors import UsageError
from notesdesk.core.services import practice, practice_access

ASSIGN_EPILOG = """\
CLIENT is a client in this vault (an id or the start of their name); CLINICIAN is a member's
clinician id ('practice status' on their computer). The client's keys are wrapped for them at once:
their next 'practice sync' receives the client's records, earlier ones included. --supervisor gives
read access and lets them co-sign notes. --remove draws a new key for the client's new records,
shared with everyone else assigned; what the clinician already received stays in their vault.
Assigning someone who already holds the client in the other role (a clinician as --supervisor, a
supervisor without it) draws a new key for its new records, which they hold in their new role.
Only a client's clinicians can assign it or --remove someone: a supervisor cannot.
"""


def register(group: Any, common: argparse.ArgumentParser) -> None:
    assign = add_command(
        group,
        "assign",
        common,
        "share a client with a clinician or supervisor (or stop sharing new records)",
        cmd_assign,
        ASSIGN_EPILOG,
    )
    assign.add_argument("client", metavar="CLIENT")
    assign.add_argument("--to", required=True, metavar="CLINICIAN")
    role = assign.add_mutually_exclusive_group()
    role.add_argument("--supervisor", action="store_true", help="read access and co-signing")
    role.add_argument("--remove", action="store_true", help="stop sharing the client's new records")
    remove = add_command(
        group,
        "remove-clinician",
        common,
        "remove a clinician from the practice (their devices can no longer sync)",
        cmd_remove_clinician,
        "Their devices' pushes are refused from now on, and every client they could read gets a new\n"
        "key for new records. What they already received stays in their vault.\n",
    )
    remove.add_argument("clinician", metavar="CLINICIAN")
    upgrade = add_command(
        group,
        "upgrade-server",
        common,
        "bring the practice server's schema up to this version (administrator)",
        cmd_upgrade_server,
        "URL is the server's address with an administrator's login but no password; the password is\n"
        "asked for, used once and never stored.\n",
    )
    upgrade.add_argument("--server", required=True, metavar="URL")


def cmd_assign(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        if args.remove:
            done = practice_access.unassign(vault.unit_of_work(), client.id, args.to)
        else:
            done = practice_access.assign(vault.unit_of_work(), client.id, args.to, args.supervisor)
    if cli.json:
        cli.emit_json(done)
    elif done.role == "removed":
        cli.out(f"New records of client {done.client_id} are no longer shared with {done.clinician_id}.")
    else:
        cli.out(f"Client {done.client_id} is shared with {done.role} {done.clinician_id}.")
        if done.role_changed:
            cli.out(f"Their role changed: the client's new records have a new key, which they hold as "
                    f"{done.role} from their next sync. What they wrote before stays as written.")
    return 0


def cmd_remove_clinician(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        done = practice_access.remove_clinician(vault.unit_of_work(), args.clinician)
    if cli.json:
        cli.emit_json(done)
    else:
        cli.out(
            f"Removed clinician {done.clinician_id} ({len(done.devices)} devices); "
            f"{done.clients_rotated} of their clients here have a new key for new records; the practice "
            f"key is now at version {done.key_version} for everyone else (each takes it at their next sync)."
        )
    return 0


def cmd_upgrade_server(cli: Cli, args: argparse.Namespace) -> int:
    if practice.address_has_password(args.server):
        raise UsageError(
            "Give the server address without its password (it would stay in your shell history); "
            "the password is asked for."
        )
    with cli.open_vault():  # the password follows the passphrase on standard input, as for init
        url = practice.admin_address(
            args.server, cli.secret("the server password", "Server administrator password: ")
        )
    practice_access.upgrade_server(url)
    if cli.json:
        cli.emit_json({"upgraded": True})
    else:
        cli.out("The practice server's schema is up to date.")
    return 0
