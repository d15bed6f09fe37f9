"""Printed documents as PDF files: summary, record, safety-plan print, homework sheet (and the recovery
sheet that `init --recovery-sheet` writes).

`safety-plan print` and `homework sheet` join the `safety-plan` and `homework` groups that
commands_plans and commands_care create, so this module registers after them (main.py). Every file is
written with write_atomic (mode 0600) after cli.io.check_out, never over an existing file without
--force (nor over the vault, a backup or a non-regular file at all), and each document is logged
in the audit as an export (the document kind and whether the PDF was password-protected, never
client text).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notesdesk.cli.io import Cli, add_command, check_out, date_arg, write_out
from notesdesk.cli.records import find_client
from notesdesk.core.crypto.policy import password_warning
from notesdesk.core.domain.summaries import ClientCopyOptions
from notesdesk.core.errors import UsageError
from notesdesk.core.reports import Paper, PdfOptions, default_paper, render_recovery_sheet
from notesdesk.core.services import summary
from notesdesk.core.services.documents import DOCUMENTS, RecordChoice, make_document

if TYPE_CHECKING:  # a type in signatures only: the composition roots open the vault (docs/architecture.md)
    from notesdesk.core.storage.vault import Vault

AUDIENCES = ("clinician", "client")
PLAIN_REMINDER = (
    "The PDF is not password-protected: keep it private, and delete the file once it has been printed "
    "or handed over."
)

PDF_EPILOG = """\
The paper size follows the locale of your practitioner profile (US and CA: Letter, otherwise A4)
unless --paper is given. With --pdf-password-stdin the PDF is protected with AES-256 under a
password read from standard input: the line after the vault passphrase (in a terminal it is asked
for). An existing FILE is never overwritten unless --force is given; files are readable by you only.
Each document is logged in the audit as an export, saying whether it was password-protected.
"""

SUMMARY_EPILOG = """\
--audience clinician (default): the full treatment summary. --audience client: the client's copy in
plain language, without diagnosis codes unless --include-diagnoses is given. Neither ever contains
psychotherapy notes.
"""

RECORD_EPILOG = """\
The record for a client's access request: every signed progress note with its addenda, every plan
version and the measures. Psychotherapy notes are left out unless --include-private is given.
"""


DOCUMENT_EPILOG = "DOCUMENT is one of:\n" + "\n".join(
    f"  {key:<12} {kind.title}" for key, kind in DOCUMENTS.items()
) + """
--include-diagnoses is for client, --include-private and --include-drafts for record, --week for
homework. A safety plan or maintenance plan the client does not have yet is said in one line.
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    doc = add_command(
        commands,
        "summary",
        common,
        "write a client's treatment summary as a PDF",
        cmd_summary,
        epilog=SUMMARY_EPILOG + "\n" + PDF_EPILOG,
    )
    doc.add_argument("client", metavar="CLIENT")
    doc.add_argument(
        "--audience",
        choices=AUDIENCES,
        type=str.lower,
        default="clinician",
        help="clinician (default) or client",
    )
    doc.add_argument("--include-diagnoses", action="store_true", help="client copy: print the diagnoses")
    _pdf_options(doc)

    rec = add_command(
        commands,
        "record",
        common,
        "write a client's record for an access request as a PDF",
        cmd_record,
        epilog=RECORD_EPILOG + "\n" + PDF_EPILOG,
    )
    rec.add_argument("client", metavar="CLIENT")
    rec.add_argument("--include-private", action="store_true", help="include psychotherapy notes")
    _pdf_options(rec)

    sp = add_command(
        actions_of(commands, "safety-plan"),
        "print",
        common,
        "write the client's safety plan as a one-page PDF",
        cmd_safety_print,
        epilog=PDF_EPILOG,
    )
    sp.add_argument("client", metavar="CLIENT")
    sp.add_argument("--blank", action="store_true",
                    help="a blank worksheet (the seven sections and the practice's crisis lines) to fill in "
                    "with a client who has no plan yet")
    _pdf_options(sp)

    hw = add_command(
        actions_of(commands, "homework"),
        "sheet",
        common,
        "write this week's homework sheet as a PDF",
        cmd_homework_sheet,
        epilog=PDF_EPILOG,
    )
    hw.add_argument("client", metavar="CLIENT")
    hw.add_argument("--week", type=date_arg, metavar="DATE", help="any day of the week (default: this week)")
    _pdf_options(hw)

    any_doc = add_command(
        commands,
        "document",
        common,
        "write any document of the app's Reports menu as a PDF (e.g. the maintenance plan)",
        cmd_document,
        epilog=DOCUMENT_EPILOG + "\n" + PDF_EPILOG,
    )
    any_doc.add_argument("kind", metavar="DOCUMENT", choices=list(DOCUMENTS), help=", ".join(DOCUMENTS))
    any_doc.add_argument("client", metavar="CLIENT")
    any_doc.add_argument("--include-diagnoses", action="store_true", help="client: print the diagnoses")
    any_doc.add_argument("--include-private", action="store_true", help="record: with psychotherapy notes")
    any_doc.add_argument("--include-drafts", action="store_true", help="record: with unsigned drafts")
    any_doc.add_argument("--week", type=date_arg, metavar="DATE", help="homework: any day of the week")
    _pdf_options(any_doc)


def actions_of(commands: Any, group: str) -> Any:
    """The actions of a command group registered by another module (`safety-plan`, `homework`)."""
    parser = commands.choices.get(group)
    found = [a for a in getattr(parser, "_actions", ()) if isinstance(a, argparse._SubParsersAction)]
    if not found:
        raise RuntimeError(f"register commands_reports after the module that creates '{group}'")
    return found[0]


def _pdf_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="the PDF to write")
    parser.add_argument(
        "--paper",
        choices=[p.value for p in Paper],
        type=str.lower,
        help="a4 or letter (default: from your profile's locale)",
    )
    parser.add_argument(
        "--pdf-password-stdin",
        action="store_true",
        help="protect the PDF with a password (the next line of standard input)",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


# -- shared steps ----------------------------------------------------------------------------------


def _options(cli: Cli, args: argparse.Namespace, vault: Vault) -> PdfOptions:
    """Paper and password; the password is read only after the vault passphrase (line 2 of stdin)."""
    paper = Paper(args.paper) if args.paper else default_paper(vault.profile().locale)
    password = None
    if args.pdf_password_stdin:
        password = cli.secret("the PDF password", "PDF password: ")
        if not password:
            raise UsageError("The PDF password is empty; give one, or leave out --pdf-password-stdin.")
        warning = password_warning(password)
        if warning:
            cli.stderr.write(f"warning: {warning}\n")
    return PdfOptions(paper=paper, password=password)


def _protected(options: PdfOptions) -> bool:
    """Whether the PDF is written password-protected (said in the audit entry and the output)."""
    return options.password is not None


def _write(cli: Cli, out: Path, data: bytes, options: PdfOptions, **extra: Any) -> int:
    write_out(out, data, cli.vault_path)
    protected = _protected(options)
    if cli.json:
        cli.emit_json(
            {"path": str(out), "paper": options.paper.value, "password_protected": protected, **extra}
        )
        return 0
    cli.out(str(out))
    if not protected:
        cli.out(PLAIN_REMINDER)
    return 0


def _client_document(cli: Cli, args: argparse.Namespace, key: str, choice: Any = None, **extra: Any) -> int:
    """Any document of the registry (core/services/documents.py), logged in the audit as an export."""
    out = check_out(args.out, args.force, cli.vault_path)
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        options = _options(cli, args, vault)
        data = make_document(vault.unit_of_work(), key, client.id, options, choice)
    return _write(cli, out, data, options, **extra)


# -- the commands ----------------------------------------------------------------------------------


def cmd_summary(cli: Cli, args: argparse.Namespace) -> int:
    clinician = args.audience == "clinician"
    if clinician and args.include_diagnoses:
        raise UsageError("--include-diagnoses is for --audience client; the clinician copy always has them.")
    choice = None if clinician else ClientCopyOptions(include_diagnoses=args.include_diagnoses)
    return _client_document(cli, args, args.audience, choice, audience=args.audience)


def cmd_record(cli: Cli, args: argparse.Namespace) -> int:
    choice = RecordChoice(include_private=args.include_private)
    return _client_document(cli, args, "record", choice, psychotherapy_notes=args.include_private)


def cmd_safety_print(cli: Cli, args: argparse.Namespace) -> int:
    return _client_document(cli, args, "safety-blank" if args.blank else "safety")


def cmd_homework_sheet(cli: Cli, args: argparse.Namespace) -> int:
    return _client_document(cli, args, "homework", args.week)


# Which document takes which option (given to another, an option is refused, not ignored).
DOCUMENT_OPTIONS = {
    "include_diagnoses": ("client", "--include-diagnoses"),
    "include_private": ("record", "--include-private"),
    "include_drafts": ("record", "--include-drafts"),
    "week": ("homework", "--week"),
}


def cmd_document(cli: Cli, args: argparse.Namespace) -> int:
    for name, (key, flag) in DOCUMENT_OPTIONS.items():
        if getattr(args, name) and args.kind != key:
            raise UsageError(f"{flag} is for 'document {key}', not 'document {args.kind}'.")
    choice: Any = None
    extra: dict[str, Any] = {"document": args.kind}
    if args.kind == "client":
        choice = ClientCopyOptions(include_diagnoses=args.include_diagnoses)
    elif args.kind == "record":
        choice = RecordChoice(args.include_private, args.include_drafts)
        extra["psychotherapy_notes"] = args.include_private
    elif args.kind == "homework":
        choice = args.week
    return _client_document(cli, args, args.kind, choice, **extra)


# -- the recovery sheet, written by `init --recovery-sheet FILE` -----------------------------------


def write_recovery_sheet(vault: Vault, recovery_key: str, out: Path) -> None:
    """The recovery key, vault id and date on paper-sized PDF; it holds no client data."""
    practitioner = summary.practitioner_block(vault.unit_of_work())
    sheet = summary.recovery_sheet(recovery_key, vault.vault_id, practitioner=practitioner)
    pdf = render_recovery_sheet(sheet, PdfOptions(paper=default_paper(practitioner.locale)))
    write_out(out, pdf, vault.path)
