"""Group practice: practice init | join | invite-device | add-clinician | assign | remove-clinician |
sync | status | conflicts | resolve | settings-aside (docs/design-notes.md §9)."""

from __future__ import annotations

import argparse
from typing import Any

from notesdesk.cli import commands_practice_access
from notesdesk.cli.io import Cli, add_command, add_group
from notesdesk.core.errors import UsageError
from notesdesk.core.services import practice, practice_settings, receipts, supervision, sync_conflicts

SERVER_EPILOG = """\
URL is the PostgreSQL server's address with an administrator's login but no password, e.g.
postgresql://admin@db.example:5432/notesdesk. The password is asked for (with --passphrase-stdin: the
line after the vault passphrase); it is used once, to set up the schema and this device's own login
role, and never stored. The device's own role and password are kept sealed in the vault.
"""
CONFLICTS_WAITING = (
    "{count} record(s) were edited on another device from the same version as yours: both are kept; "
    "choose with 'notesdesk practice conflicts' and 'practice resolve'."
)
SETTINGS_ASIDE = (
    "{count} version(s) of practice settings changed on two computers were kept aside: "
    "'notesdesk practice settings-aside' lists them."
)
KEY_RENEWED = (
    "The practice key was renewed (version {version}) after a clinician was removed: compare its "
    "fingerprint {fingerprint} with a colleague by phone or in person; if it differs, stop syncing and "
    "tell the practice."
)
RECOVERY_WARNING = (
    "Practice recovery key: write it down and keep it apart from every computer; it is shown only this once.",
    "With it the practice owner can open every record the practice shares.",
)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "practice", "group practice: share clients through a PostgreSQL server")
    init = add_command(
        group,
        "init",
        common,
        "start a practice on a server (prints its fingerprint)",
        cmd_init,
        SERVER_EPILOG,
    )
    init.add_argument("--server", required=True, metavar="URL")
    join = add_command(
        group,
        "join",
        common,
        "join a practice as a new clinician (prints your fingerprint)",
        cmd_join,
        SERVER_EPILOG + "\nFINGERPRINT is the practice's, read out by a member "
        "('notesdesk practice status').\n",
    )
    join.add_argument("--server", required=True, metavar="URL")
    join.add_argument("--practice-fingerprint", metavar="FINGERPRINT")
    join.add_argument(
        "--device", action="store_true", help="join as another device of a clinician already in the practice"
    )
    join.add_argument(
        "--code", metavar="CODE", help="with --device: the code 'practice invite-device' printed"
    )
    add_command(
        group,
        "invite-device",
        common,
        "let another device of yours join: prints a one-time code valid 15 minutes",
        cmd_invite_device,
        "Type the code on the new device: notesdesk practice join --device --server URL --code CODE.\n"
        "Use a new, empty vault there; it takes your keys and profile.\n",
    )
    add = add_command(
        group,
        "add-clinician",
        common,
        "give a clinician who joined the practice key, after comparing their fingerprint",
        cmd_add_clinician,
        "CLINICIAN and FINGERPRINT are what 'practice join' printed on their computer: compare\n"
        "the fingerprint with them by phone or in person, never through the server.\n",
    )
    add.add_argument("clinician", metavar="CLINICIAN")
    add.add_argument("--fingerprint", required=True, metavar="FINGERPRINT")
    commands_practice_access.register(group, common)
    add_command(group, "sync", common, "send this vault's new records and receive the others'", cmd_sync)
    add_command(group, "status", common, "this vault's practice, fingerprints and last sync", cmd_status)
    listed = add_command(
        group, "conflicts", common, "records edited on two devices from the same version", cmd_conflicts
    )
    listed.add_argument("--all", action="store_true", help="resolved ones too")
    aside = add_command(
        group,
        "settings-aside",
        common,
        "practice settings' versions that did not stand here; use or discard one",
        cmd_settings_aside,
        "ID is what the listing shows. --use makes that version the one in use here; the next sync\n"
        "sends it to every device the setting travels to. --discard drops it; the one in use stays.\n",
    )
    chosen = aside.add_mutually_exclusive_group()
    chosen.add_argument("--use", metavar="ID", help="make this version the one in use")
    chosen.add_argument("--discard", metavar="ID", help="drop this version")
    resolve = add_command(
        group,
        "resolve",
        common,
        "choose which version of a record in conflict to keep",
        cmd_resolve,
        "ID is what 'practice conflicts' lists. The version kept (or merged) is sent at the next sync,\n"
        "so every device ends with it; both versions stay on record.\n",
    )
    resolve.add_argument("conflict", metavar="ID")
    resolve.add_argument("--keep", required=True, choices=("mine", "theirs"))
    resolve.add_argument(
        "--take-theirs",
        action="append",
        default=[],
        metavar="FIELD",
        help="with --keep mine: take this field from theirs (a merge); repeat for more fields",
    )


def _admin_url(cli: Cli, url: str) -> str:
    if practice.address_has_password(url):
        raise UsageError(practice.PASSWORD_IN_ADDRESS)  # refused before the password is asked for
    return practice.admin_login(url, cli.secret("the server password", "Server administrator password: "))


def cmd_init(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        url = _admin_url(cli, args.server)
        founded = practice.init(vault.unit_of_work(), url)
    if cli.json:
        cli.emit_json(founded)
        return 0
    cli.out(f"Practice {founded.practice_id}")
    cli.out(f"Practice fingerprint: {founded.practice_fingerprint}")
    cli.out(f"Your clinician id: {founded.clinician_id}")
    for line in RECOVERY_WARNING:
        cli.note(line)
    cli.out(founded.recovery_key)
    return 0


def cmd_join(cli: Cli, args: argparse.Namespace) -> int:
    if args.device:
        return _join_device(cli, args)
    if args.practice_fingerprint is None or args.code is not None:
        raise UsageError(
            "Join as a new clinician with --practice-fingerprint, or as another device of yours "
            "with --device --code CODE."
        )
    with cli.open_vault() as vault:
        url = _admin_url(cli, args.server)
        joined = practice.join(vault.unit_of_work(), url, args.practice_fingerprint)
    if cli.json:
        cli.emit_json(joined)
        return 0
    cli.out(f"Your clinician id: {joined.clinician_id}")
    cli.out(f"Your fingerprint: {joined.fingerprint}")
    cli.note(
        "Read both to a member of the practice, who runs 'notesdesk practice add-clinician'; "
        "then run 'notesdesk practice sync'."
    )
    return 0


def _join_device(cli: Cli, args: argparse.Namespace) -> int:
    if args.code is None or args.practice_fingerprint is not None:
        raise UsageError("Join as another device with --device --code CODE (no practice fingerprint).")
    from notesdesk.core.services import practice_devices

    with cli.open_vault() as vault:
        url = _admin_url(cli, args.server)
        joined = practice_devices.join_device(vault.unit_of_work(), url, args.code)
    if cli.json:
        cli.emit_json(joined)
        return 0
    cli.out(f"Joined as another device of clinician {joined.clinician_id}: device {joined.device_id}")
    cli.note("Run 'notesdesk practice sync' to receive your records.")
    return 0


def cmd_invite_device(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.core.services import practice_devices

    with cli.open_vault() as vault:
        invitation = practice_devices.invite_device(vault.unit_of_work())
    if cli.json:
        cli.emit_json(invitation)
        return 0
    cli.out(invitation.code)
    cli.note(
        f"One-time code, valid until {invitation.expires_at.astimezone().strftime('%H:%M')}: on your "
        "other device run 'notesdesk practice join --device --server URL --code CODE'."
    )
    return 0


def cmd_add_clinician(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        device = practice.add_clinician(vault.unit_of_work(), args.clinician, args.fingerprint)
    if cli.json:
        cli.emit_json({"device": device})
    else:
        cli.out(f"Added: device {device} can now sync.")
    return 0


def cmd_sync(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        report = practice.sync(vault.unit_of_work())
        waiting = sync_conflicts.open_count(vault.unit_of_work())
        twice = receipts.numbers_issued_twice(vault.unit_of_work())
    if cli.json:
        cli.emit_json(report)
        return 0
    cli.out(f"Sent {report.pushed} record{'' if report.pushed == 1 else 's'}, received {report.received}.")
    if report.key_renewed:
        cli.note(KEY_RENEWED.format(version=report.key_renewed, fingerprint=report.key_fingerprint))
    if waiting:
        cli.note(CONFLICTS_WAITING.format(count=waiting))
    if twice:
        cli.note(_issued_twice(twice))
    return 0


def _issued_twice(numbers: list[int]) -> str:
    """What to do about receipt numbers two computers both issued offline (docs/design-notes.md §9)."""
    listed = ", ".join(str(n) for n in numbers)
    what = f"Receipt number {listed} was" if len(numbers) == 1 else f"Receipt numbers {listed} were"
    return (f"{what} issued twice (on two computers while offline): 'notesdesk receipt CLIENT --list' "
            f"shows both with their ids; void one with 'notesdesk receipt CLIENT --void {numbers[0]} --id ID "
            f"--reason ...' and issue it again; it takes a new number.")


def cmd_status(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        found = practice.status(vault.unit_of_work())
        waiting = sync_conflicts.open_count(vault.unit_of_work())
        aside = practice_settings.count_set_aside(vault.unit_of_work())
    if cli.json:
        cli.emit_json(found)
        return 0
    cli.out(f"Practice {found.practice_id} on {found.server}")
    cli.out(f"Practice fingerprint: {found.practice_fingerprint}")
    if found.key_version > 1:
        cli.out(f"Practice key version {found.key_version} (since a removal): {found.key_fingerprint}")
    cli.out(f"Clinician {found.clinician_id}, device {found.device_id}")
    cli.out(f"Your fingerprint: {found.fingerprint}")
    if not found.member:
        cli.out("Waiting to be added by a member (practice add-clinician).")
    last = found.last_sync.strftime("%Y-%m-%d %H:%M") if found.last_sync else "never"
    cli.out(f"Last sync: {last}; sent {found.pushed} records, received {found.received}")
    if found.waiting_to_push:
        cli.out("A batch is waiting to be sent: run 'notesdesk practice sync'.")
    if found.member:
        cli.out(
            f"Clients shared with you: {found.clients_shared}; "
            f"others' clients not shared with you: {found.clients_not_shared}"
        )
    if waiting:
        cli.out(CONFLICTS_WAITING.format(count=waiting))
    if aside:
        cli.out(SETTINGS_ASIDE.format(count=aside))
    if found.receipt_numbers_twice:
        cli.out(_issued_twice(found.receipt_numbers_twice))
    if found.kept_here:
        cli.out(supervision.KEPT_HERE.format(count=found.kept_here))
    return 0


def cmd_settings_aside(cli: Cli, args: argparse.Namespace) -> int:
    if args.use is not None or args.discard is not None:
        return _use_or_discard(cli, args)
    with cli.open_vault() as vault:
        found = practice_settings.set_aside(vault.unit_of_work())
    if cli.json:
        cli.emit_json(found)
        return 0
    if not found:
        cli.out("No practice setting was changed on two computers.")
    for aside in found:
        value = "removed" if aside.value is None else _short(aside.value)
        cli.out(f"{aside.id}  {aside.at[:16]}  {aside.what} {aside.item} from {aside.device} "
                f"({aside.why}): {value}")
    return 0


def _use_or_discard(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        if args.use is not None:
            done = practice_settings.use_set_aside(vault.unit_of_work(), args.use)
        else:
            done = practice_settings.discard_set_aside(vault.unit_of_work(), args.discard)
    if cli.json:
        cli.emit_json(done)
    elif args.use is not None:
        cli.out(f"Now in use here: the {done.what} {done.item} from {done.device}; the next sync sends it "
                "to the others.")
    else:
        cli.out(f"Discarded the {done.what} {done.item} from {done.device}; the one in use stays.")
    return 0


def cmd_conflicts(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        found = sync_conflicts.list_conflicts(vault.unit_of_work(), include_resolved=args.all)
    if cli.json:
        cli.emit_json([{**vars(c), "differing": c.differing} for c in found])
        return 0
    if not found:
        cli.out("No conflicts: every record agrees with the other devices' last versions.")
    for conflict in found:
        cli.out(f"{conflict.id}  {conflict.what} of {conflict.client_name}  ({conflict.kept}; from device "
                f"{conflict.theirs_device}, {conflict.found_at[:16]})")
        for name in conflict.differing:
            mine, theirs = _short(conflict.mine.get(name)), _short(conflict.theirs.get(name))
            cli.out(f"    {name}: mine {mine} | theirs {theirs}")
    return 0


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def cmd_resolve(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        done = sync_conflicts.resolve(vault.unit_of_work(), args.conflict, args.keep, tuple(args.take_theirs))
    if cli.json:
        cli.emit_json({**vars(done), "differing": done.differing})
    else:
        cli.out(f"Kept {done.kept} for the {done.what} of {done.client_name}; it goes to the other devices "
                "at the next sync.")
    return 0
