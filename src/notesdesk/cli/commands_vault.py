"""Vault commands: init, passwd, audit, demo (verify is in commands_backup)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from notesdesk.cli.io import Cli, add_command, check_out, short
from notesdesk.core.crypto.policy import passphrase_problem
from notesdesk.core.errors import Conflict, InvalidInput, UsageError
from notesdesk.core.services import audit_log
from notesdesk.core.storage.vault import Vault

RECOVERY_WARNING = (
    "Write this recovery key down on paper now and keep it somewhere safe, away from this computer:",
    "it is shown only this once. It opens the vault if you forget your passphrase.",
    "If you lose both your passphrase and this recovery key, nobody can open the vault:",
    "the notes in it are lost for good.",
)


NEW_KEY_WARNING = (
    "Write this new recovery key down on paper now and keep it somewhere safe, away from this computer:",
    "it is shown only this once. Destroy the old recovery sheet.",
)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    init = add_command(
        commands,
        "init",
        common,
        "create a new vault and print its recovery key (once)",
        cmd_init,
        epilog="The new passphrase is asked for twice in a terminal, or read from the first line of\n"
        "standard input with --passphrase-stdin.",
    )
    init.add_argument("--name", default="", help="your name, shown on signed notes")
    init.add_argument("--credentials", default="", help="your credentials, e.g. 'LCSW'")
    init.add_argument("--recovery-sheet", type=Path, metavar="FILE.pdf",
                      help="also write the recovery key on a printable PDF (print it, then delete the file)")

    add_command(
        commands,
        "passwd",
        common,
        "change the vault passphrase (unlock with the passphrase or the recovery key)",
        cmd_passwd,
        epilog="With --passphrase-stdin: line 1 the current passphrase, line 2 the new one.\n"
        "With --recovery-key-stdin: line 1 the recovery key, line 2 the new passphrase.",
    )
    rekey = add_command(
        commands,
        "rekey",
        common,
        "renew the data key: every record sealed again, a new recovery key printed (once)",
        cmd_rekey,
        epilog="Unlocked with the passphrase, the new key is wrapped by that same passphrase. With\n"
        "--recovery-key-stdin: line 1 the recovery key, line 2 the new passphrase. Backups made\n"
        "before keep opening with the passphrase and recovery key of their day.",
    )
    rekey.add_argument("--recovery-sheet", type=Path, metavar="FILE.pdf",
                       help="also write the new recovery key on a printable PDF")
    recovery_key = add_command(
        commands,
        "recovery-key",
        common,
        "issue a new recovery key in place of the old one (printed once)",
        cmd_recovery_key,
        epilog="Also repairs a damaged recovery key slot (unlock with the passphrase). The data key\n"
        "stays: backups made before still open with the old recovery key ('notesdesk rekey' stops\n"
        "that).",
    )
    recovery_key.add_argument("action", choices=["new"], help="'new': replace the recovery key")
    recovery_key.add_argument("--recovery-sheet", type=Path, metavar="FILE.pdf",
                              help="also write the new recovery key on a printable PDF")
    audit = add_command(
        commands,
        "audit",
        common,
        "list the audit log, or check it",
        cmd_audit,
        epilog="Each entry: number, time, action, table, record and, where there is one, a detail\n"
        "(for a printed or exported document its kind, and for an export whether the PDF was\n"
        "password-protected); never client data.",
    )
    audit.add_argument("--verify", action="store_true", help="check the chain and every record against it")
    audit.add_argument("--last", type=int, metavar="N", help="only the last N entries")

    demo = add_command(
        commands,
        "demo",
        common,
        "create a new vault filled with a synthetic practice (for trying the app, benchmarks)",
        cmd_demo,
        epilog="Demo data never goes into an existing vault: give a --vault path where no file exists.\n"
        "The new passphrase is read as for 'init'.",
    )
    demo.add_argument("--clients", type=int, default=25, metavar="N", help="number of clients (25)")
    demo.add_argument("--notes", type=int, metavar="N", help="total session notes (default: 6-40 per client)")
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="random seed (1)")

    profile = add_command(
        commands,
        "profile",
        common,
        "show or set your name, credentials, contact and country",
        cmd_profile,
        epilog="The country decides the crisis lines printed on safety plans and whether CPT codes are\n"
        "offered (US); until it is set, documents print no crisis number and say why. --country ''\n"
        "unsets it.",
    )
    profile.add_argument("--name", metavar="TEXT", help="your name, as signatures show it")
    profile.add_argument("--credentials", metavar="TEXT", help="e.g. 'PhD, Licensed Psychologist #12345'")
    profile.add_argument("--contact", metavar="TEXT", help="the practice's address, phone, email")
    profile.add_argument("--country", metavar="CODE", help="two letters, e.g. US, UK, AU, IE, CA, NZ")
    profile.add_argument("--npi", metavar="DIGITS", help="your NPI (US; printed on superbills)")
    profile.add_argument("--tax-id", metavar="TEXT", help="your EIN or SSN (US; printed on superbills)")


def print_new_vault(cli: Cli, vault: Vault, recovery_key: str, **extra: Any) -> None:
    if cli.json:
        cli.emit_json({"path": str(vault.path), "recovery_key": recovery_key, **extra})
        return
    cli.out(f"Created the vault {vault.path}")
    cli.out()
    cli.out(f"    Recovery key:  {recovery_key}")
    cli.out()
    for line in RECOVERY_WARNING:
        cli.out(line)


def create_vault(cli: Cli, args: argparse.Namespace) -> tuple[Vault, str]:
    if args.recovery_key_stdin:
        raise UsageError("A new vault has no recovery key yet; use --passphrase-stdin or a terminal.")
    path = cli.vault_file()
    passphrase = cli.new_passphrase()
    cli.warn_location()
    return Vault.create(path, passphrase)


def cmd_init(cli: Cli, args: argparse.Namespace) -> int:
    sheet = check_out(args.recovery_sheet, vault=cli.vault_path) if args.recovery_sheet else None
    vault, recovery_key = create_vault(cli, args)
    with vault:
        if args.name or args.credentials:
            vault.save_profile(
                replace(vault.profile(), name=args.name.strip(), credentials=args.credentials.strip())
            )
        if sheet is None:
            print_new_vault(cli, vault, recovery_key)
            return 0
        try:
            # Inline: reportlab loads only when a sheet is asked for (cli/main.py's COMMANDS).
            from notesdesk.cli.commands_reports import write_recovery_sheet

            write_recovery_sheet(vault, recovery_key, sheet)
        except BaseException:
            print_new_vault(cli, vault, recovery_key)  # the key is shown even if the sheet is not written
            raise
        print_new_vault(cli, vault, recovery_key, recovery_sheet=str(sheet))
        if not cli.json:
            cli.out(f"Recovery sheet: {sheet} (print it, then delete the file)")
    return 0


def cmd_passwd(cli: Cli, args: argparse.Namespace) -> int:
    # With the recovery key, a damaged passphrase slot or header setting is repaired in the same
    # transaction as the new slot (core/storage/header_repair.py).
    with cli.open_vault(repair=bool(args.recovery_key_stdin)) as vault:
        repair = vault.header_repair
        vault.change_passphrase(cli.new_passphrase())
    if repair is not None:
        cli.note(repair.describe())
    cli.done("Passphrase changed. The recovery key still opens the vault.",
             repaired=list(repair.damaged) if repair else [])
    return 0


def print_new_key(cli: Cli, vault: Vault, recovery_key: str, done: str, sheet: Path | None) -> None:
    """The new recovery key, shown once with its warning, and the sheet when asked for."""
    if sheet is not None:
        try:
            from notesdesk.cli.commands_reports import write_recovery_sheet  # inline: reportlab

            write_recovery_sheet(vault, recovery_key, sheet)
        except BaseException:
            cli.note("The recovery sheet was not written; the new key is below.")
            _show_key(cli, recovery_key, done, None)
            raise
    _show_key(cli, recovery_key, done, sheet)


def _show_key(cli: Cli, recovery_key: str, done: str, sheet: Path | None) -> None:
    if cli.json:
        extra = {"recovery_sheet": str(sheet)} if sheet else {}
        cli.emit_json({"ok": True, "recovery_key": recovery_key, **extra})
        return
    cli.out(done)
    cli.out()
    cli.out(f"    New recovery key:  {recovery_key}")
    cli.out()
    for line in NEW_KEY_WARNING:
        cli.out(line)
    if sheet is not None:
        cli.out(f"Recovery sheet: {sheet} (print it, then delete the file)")


def cmd_rekey(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.core.services import key_renewal  # inline: only these commands re-seal the vault

    sheet = check_out(args.recovery_sheet, vault=cli.vault_path) if args.recovery_sheet else None
    passphrase, recovery_key = cli.unlock_secrets()
    path = cli.vault_file()
    cli.warn_location()
    with Vault.open(path, passphrase=passphrase, recovery_key=recovery_key) as vault:
        wrap = passphrase if passphrase is not None else cli.new_passphrase()
        if passphrase is None:
            problem = passphrase_problem(wrap)
            if problem:
                raise InvalidInput(problem)
        new_key = key_renewal.renew_keys(vault, wrap)
        print_new_key(cli, vault, new_key, "The data key was renewed: every record is sealed under "
                      "the new key. The old recovery key no longer opens this vault.", sheet)
    return 0


def cmd_recovery_key(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.core.services import key_renewal  # inline: see cmd_rekey

    sheet = check_out(args.recovery_sheet, vault=cli.vault_path) if args.recovery_sheet else None
    with cli.open_vault(repair=not args.recovery_key_stdin) as vault:
        repair = vault.header_repair
        new_key = key_renewal.new_recovery_key(vault)
        if repair is not None:
            cli.note(repair.describe())
        print_new_key(cli, vault, new_key, "A new recovery key replaces the old one for this vault "
                      "(backups made before still open with the old one until 'notesdesk rekey').", sheet)
    return 0


def cmd_profile(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.core.services import profile as profiles  # inline: only this command needs it

    country = profiles.country_code(args.country) if args.country is not None else None
    given = (args.name, args.credentials, args.contact, country)
    with cli.open_vault() as vault:
        shown = vault.profile()
        if any(value is not None for value in given):
            name, credentials, contact, locale = (
                new if new is not None else old
                for new, old in zip(given, (shown.name, shown.credentials, shown.contact, shown.locale),
                                    strict=True)
            )
            changed = replace(shown, name=name, credentials=credentials, contact=contact, locale=locale)
            shown = profiles.save_profile(vault.unit_of_work(), changed)
        if args.npi is not None or args.tax_id is not None:  # checked by the profile service
            billing = replace(shown, npi=shown.npi if args.npi is None else args.npi,
                              tax_id=shown.tax_id if args.tax_id is None else args.tax_id)
            shown = profiles.save_profile(vault.unit_of_work(), billing)
    if cli.json:
        cli.emit_json({"name": shown.name, "credentials": shown.credentials, "contact": shown.contact,
                       "country": shown.locale, "npi": shown.npi, "tax_id": shown.tax_id})
        return 0
    cli.out(f"Name:         {shown.name or '(not set: nothing is signed until it and the credentials are)'}")
    cli.out(f"Credentials:  {shown.credentials or '(not set)'}")
    cli.out(f"Contact:      {shown.contact.replace(chr(10), '; ') or '(not set)'}")
    cli.out(f"Country:      {shown.locale or '(not set: documents print no crisis number)'}")
    if shown.npi or shown.tax_id:
        cli.out(f"NPI:          {shown.npi or '(not set)'}")
        cli.out(f"Tax id:       {shown.tax_id or '(not set)'}")
    return 0


def cmd_audit(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        if args.verify:
            count = audit_log.verify_audit_log(vault.unit_of_work())
            cli.done(
                f"Audit log OK: {count} entries in an unbroken chain; every record matches its "
                "last audited write.",
                entries=count,
            )
            return 0
        entries = audit_log.audit_entries(vault.unit_of_work())
    if args.last is not None:
        entries = entries[-args.last :] if args.last > 0 else []
    if cli.json:
        cli.emit_json(
            [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "action": e.action,
                    "table": e.table,
                    "row_id": e.row_id,
                    "rev": e.rev,
                    "detail": e.detail,
                }
                for e in entries
            ]
        )
        return 0
    for e in entries:
        at = e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        line = f"{e.seq:>6}  {at}  {e.action:<18} {e.table or '-':<13} {short(e.row_id) or '-':<8}"
        cli.out(f"{line}  {e.detail}" if e.detail else line.rstrip())
    return 0


def cmd_demo(cli: Cli, args: argparse.Namespace) -> int:
    if args.clients < 1 or (args.notes is not None and args.notes < 0):
        raise UsageError("--clients must be at least 1 and --notes at least 0.")
    if cli.vault_file().exists():
        raise Conflict(
            "demo builds a new vault and never adds to an existing one; "
            "give a --vault path where no file exists yet."
        )
    from notesdesk import demo  # inline: only this command needs the demo generator

    vault, recovery_key = create_vault(cli, args)
    with vault:
        demo.build_demo(vault, clients=args.clients, notes=args.notes, seed=args.seed)
        print_new_vault(cli, vault, recovery_key, clients=args.clients)
    return 0
