"""Export and import: the encrypted whole practice (export --all, import) and one client's record
as plain JSON or a FHIR R4 bundle."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Any

from notesdesk.cli.commands_vault import create_vault, print_new_vault
from notesdesk.cli.io import Cli, add_command, check_out, counted, write_out
from notesdesk.cli.records import find_client
from notesdesk.core.backup import container
from notesdesk.core.crypto.policy import passphrase_problem
from notesdesk.core.errors import InvalidInput, NotesdeskError, NotFound, UsageError
from notesdesk.core.exports import check, practice, record
from notesdesk.core.outputs import input_problem

PLAIN_REMINDER = (
    "This file is NOT encrypted: anyone who can read it can read the record. Keep it somewhere safe "
    "and delete it once it has been handed over."
)
FORMATS = ("json", "fhir")

EXPORT_EPILOG = f"""\
export --all --out FILE
    The whole practice, losslessly, encrypted under an export passphrase of its own, for
    'notesdesk import' on another computer. With --passphrase-stdin: line 1 unlocks the vault,
    line 2 is the export passphrase (in a terminal it is asked for twice).
export CLIENT --format json|fhir --out FILE [--include-private]
    One client's record in plain text: JSON in NotesDesk's documented schema
    (docs/export-schema.md), or a FHIR R4 bundle. Psychotherapy notes are left out unless
    --include-private is given.
    {PLAIN_REMINDER}
An existing FILE is never overwritten unless --force is given. Files are written readable by you only.
"""

IMPORT_EPILOG = """\
Loads a whole-practice export ('export --all') into the vault given by --vault, which must not
exist yet (it is created, and its recovery key printed once, as by 'init') or have no clients.
With --passphrase-stdin: line 1 is the export's passphrase, line 2 the vault's passphrase (the new
one when the vault is created). With --recovery-key-stdin (existing vault only): line 1 the export's
passphrase, line 2 the vault's recovery key. A damaged or wrong file changes nothing and creates
no vault.
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    export = add_command(
        commands,
        "export",
        common,
        "export the whole practice (encrypted) or one client's record (plain text)",
        cmd_export,
        epilog=EXPORT_EPILOG,
    )
    export.add_argument("client", nargs="?", metavar="CLIENT", help="the client whose record to export")
    export.add_argument("--all", action="store_true", help="the whole practice, encrypted, for 'import'")
    export.add_argument("--format", choices=FORMATS, type=str.lower, help="json or fhir (with CLIENT)")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")
    export.add_argument(
        "--include-private", action="store_true", help="include psychotherapy notes (with CLIENT)"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")

    checker = add_command(
        commands,
        "check-signature",
        common,
        "check every signature in a client's JSON export (no vault or passphrase needed)",
        cmd_check_signature,
        epilog="Exit 0 when every signed item verifies against the key it names (the export's signing "
        "key, or in a group practice a colleague's key from its practice_keys); "
        "exit 4 naming the first that does not. Compare the key fingerprint printed with the one on a "
        "printed summary: a file re-signed with another key passes this check.",
    )
    checker.add_argument(
        "file", type=Path, metavar="EXPORT.json", help="a file written by 'export --format json'"
    )

    imp = add_command(
        commands,
        "import",
        common,
        "load a whole-practice export into a new or empty vault",
        cmd_import,
        epilog=IMPORT_EPILOG,
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="a file written by 'export --all'")


# -- export -------------------------------------------------------------------------------------


def _check_usage(args: argparse.Namespace) -> None:
    if args.all and args.client:
        raise UsageError("Give either CLIENT or --all, not both.")
    if args.all:
        if args.format or args.include_private:
            raise UsageError(
                "--format and --include-private are for one client's record; "
                "--all is always the complete practice, encrypted."
            )
        return
    if not args.client:
        raise UsageError("Name a CLIENT to export their record, or give --all for the whole practice.")
    if not args.format:
        raise UsageError("Choose the record's format: --format json or --format fhir.")


def cmd_export(cli: Cli, args: argparse.Namespace) -> int:
    _check_usage(args)
    out = check_out(args.out, args.force, cli.vault_path)
    if args.all:
        return _export_all(cli, out)
    return _export_client(cli, args, out)


def _export_all(cli: Cli, out: Path) -> int:
    with cli.open_vault() as vault:
        secret = cli.new_passphrase("the export passphrase", "Export passphrase: ")
        problem = passphrase_problem(secret)
        if problem:
            raise InvalidInput(f"Export passphrase: {problem}")
        data = practice.export_practice(vault, secret)
    write_out(out, data, cli.vault_path)
    counts = container.read_header(data).counts
    if cli.json:
        cli.emit_json({"path": str(out), "encrypted": True, "counts": counts})
        return 0
    cli.out(str(out))
    cli.out(
        f"Encrypted export of the whole practice ({counted(counts)}). It opens only with the export "
        "passphrase; load it with 'notesdesk import'."
    )
    return 0


def _export_client(cli: Cli, args: argparse.Namespace, out: Path) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        if args.format == "fhir":
            from notesdesk.core.exports import fhir  # loaded only when asked for

            data = fhir.client_bundle_json(
                vault.unit_of_work(), client.id, include_private=args.include_private
            )
        else:
            data = record.client_record_json(
                vault.unit_of_work(), client.id, include_private=args.include_private
            )
    write_out(out, data, cli.vault_path)
    private = "with" if args.include_private else "without"
    if cli.json:
        cli.emit_json(
            {
                "path": str(out),
                "encrypted": False,
                "format": args.format,
                "psychotherapy_notes": args.include_private,
            }
        )
        return 0
    cli.out(str(out))
    cli.out(f"The client's record as {args.format.upper()}, {private} psychotherapy notes.")
    cli.out(PLAIN_REMINDER)
    return 0


# -- check-signature ----------------------------------------------------------------------------


def cmd_check_signature(cli: Cli, args: argparse.Namespace) -> int:
    checked = check.check_export(_read(args.file))
    if cli.json:
        cli.emit_json({"path": str(args.file), "signed_items": checked.signed_items,
                       "key_fingerprint": checked.fingerprint,
                       "colleague_key_fingerprints": list(checked.colleagues)})
        return 0
    cli.out(f"All {checked.signed_items} signed items verify.")
    cli.out(f"Signing key fingerprint: {checked.fingerprint} (compare it with the one on a printed summary).")
    for fingerprint in checked.colleagues:  # group practice: compare each with that colleague's summaries
        cli.out(f"Also signed with a colleague's key: {fingerprint}.")
    return 0


# -- import -------------------------------------------------------------------------------------


def _read(file: Path) -> bytes:
    path = Path(file).expanduser()
    problem = input_problem(path, container.MAX_PLAIN)
    if problem:
        raise UsageError(problem)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"No file at {path}.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; give the export file.") from None
    except OSError as exc:
        raise NotesdeskError(f"The file could not be read: {exc.strerror or 'error'}.") from None


def cmd_import(cli: Cli, args: argparse.Namespace) -> int:
    creating = not cli.vault_file().exists()
    if creating and args.recovery_key_stdin:
        raise UsageError("A new vault has no recovery key yet; use --passphrase-stdin or a terminal.")
    data = _read(args.file)
    secret = cli.secret("the export's passphrase", "Export passphrase: ")
    practice.read_export(data, secret)  # wrong passphrase or damage: stop before any vault exists
    if not creating:
        with cli.open_vault() as vault:
            counts = practice.import_practice(vault, data, secret)
        _print_counts(cli, counts, json_extra={"path": str(cli.vault_path)})
        return 0
    vault, recovery_key = create_vault(cli, args)
    try:
        with vault:
            counts = practice.import_practice(vault, data, secret)
    except BaseException:
        _discard_new_vault(cli.vault_path)
        raise
    if cli.json:
        print_new_vault(cli, vault, recovery_key, counts=counts)
        return 0
    print_new_vault(cli, vault, recovery_key)
    cli.out()
    _print_counts(cli, counts)
    return 0


def _discard_new_vault(path: Path) -> None:
    """The vault this command created holds only a failed import and its recovery key was never
    shown: remove it, so nothing half-made is left behind."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _print_counts(cli: Cli, counts: dict[str, int], json_extra: dict[str, Any] | None = None) -> None:
    if cli.json:
        cli.emit_json({**(json_extra or {}), "counts": counts})
        return
    cli.out(f"Imported {counted(counts)}.")
