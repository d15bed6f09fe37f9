"""Consent and agreements (consent add | list | remove | print, paperwork show | set) and letters
(letter CLIENT --template …, letter list | reprint)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from notesdesk.cli.io import Cli, EnumArg, add_command, add_group, check_out, date_arg, day, short
from notesdesk.cli.records import find_client, resolve
from notesdesk.core.domain.paperwork import (
    CONSENT_TITLES,
    HOW_WORDS,
    Consent,
    ConsentHow,
    ConsentKind,
    LetterTemplate,
)
from notesdesk.core.errors import InvalidInput, NotFound, UsageError
from notesdesk.core.services import consent, letters

ADD_EPILOG = """\
KIND is informed (informed consent to treatment, with the limits of confidentiality), fees (fees and
cancellation), telehealth or release (release of information, which needs --to, --purpose and --until;
it is valid through its --until day). HOW is paper (signed on paper), verbal or screen.
"""
LETTER_EPILOG = """\
The letter is drafted from the record: the practice, the client, the dates of the signed session notes
(attendance lists them), the active plan's goals in the client's words with --with-goals. --text-file F
replaces the drafted body with the text in F (UTF-8); --draft prints the drafted body to start from.
Before it is written the letter is checked as the client's copy is: psychotherapy-note text is refused,
and so is a diagnosis unless --with-diagnosis is given. The letter is kept sealed exactly as printed
(`letter list CLIENT`, `letter reprint ID --out F`) and the print is logged in the audit.
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "consent", "consent and agreements on a client, releases of information")
    add = add_command(group, "add", common, "record what a client agreed (prints its id)", cmd_add,
                      ADD_EPILOG)
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("--kind", required=True, type=EnumArg(ConsentKind), metavar="KIND",
                     help="informed | fees | telehealth | release")
    add.add_argument("--date", type=date_arg, metavar="DATE", help="when it was agreed (default: today)")
    add.add_argument("--how", type=EnumArg(ConsentHow), default=ConsentHow.PAPER, metavar="HOW",
                     help="paper (default) | verbal | screen")
    add.add_argument("--note", default="", help="a note beside it")
    add.add_argument("--to", default="", metavar="NAME", help="release: who receives the information")
    add.add_argument("--purpose", default="", metavar="TEXT", help="release: what it is shared for")
    add.add_argument("--until", type=date_arg, metavar="DATE", help="release: its last valid day")
    lst = add_command(group, "list", common, "list a client's agreements and their flags", cmd_list)
    lst.add_argument("client", metavar="CLIENT")
    wd = add_command(group, "withdraw", common,
                     "the client withdrew an agreement (it stays, marked withdrawn)", cmd_withdraw)
    wd.add_argument("consent", metavar="ID", help="its id or its first 6 characters or more")
    wd.add_argument("--date", type=date_arg, metavar="DATE", help="when it was withdrawn (default: today)")
    rm = add_command(group, "remove", common, "take off an agreement recorded in error", cmd_remove)
    rm.add_argument("consent", metavar="ID", help="its id or its first 6 characters or more")
    prn = add_command(group, "print", common, "write the filled agreement form as a PDF", cmd_print)
    prn.add_argument("client", metavar="CLIENT")
    prn.add_argument("--kind", type=EnumArg(ConsentKind), default=ConsentKind.INFORMED, metavar="KIND",
                     help="informed (default) | fees | telehealth | release")
    _pdf_arguments(prn)

    texts = add_group(commands, "paperwork",
                      "the practice's agreement templates (informed consent, fees, telehealth, release)")
    show = add_command(texts, "show", common, "print a template's text (yours, or the starting text)",
                       cmd_template_show)
    show.add_argument("kind", type=EnumArg(ConsentKind), metavar="KIND")
    put = add_command(texts, "set", common, "replace a template's text from a file (UTF-8)", cmd_template_set)
    put.add_argument("kind", type=EnumArg(ConsentKind), metavar="KIND")
    source = put.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", type=Path, metavar="FILE")
    source.add_argument("--reset", action="store_true", help="go back to NotesDesk's starting text")

    letter = add_command(commands, "letter", common, "write a letter from the record as a PDF, kept as sent",
                         cmd_letter, LETTER_EPILOG)
    letter.add_argument("client", metavar="CLIENT")
    letter.add_argument("--template", type=EnumArg(LetterTemplate), metavar="TEMPLATE",
                        help="gp (to a GP or referrer) | attendance | whom (to whom it may concern)")
    letter.add_argument("--text-file", type=Path, metavar="FILE",
                        help="the letter's body, in place of the draft")
    letter.add_argument("--to", default="", metavar="NAME", help="gp: whom the letter greets")
    letter.add_argument("--with-goals", action="store_true", help="the active plan's goals, in plain words")
    letter.add_argument("--with-diagnosis", action="store_true", help="allow (and draft) the diagnosis")
    letter.add_argument("--draft", action="store_true", help="print the drafted body and write nothing")
    letter.add_argument("--list", action="store_true", help="list the client's letters")
    letter.add_argument("--reprint", metavar="ID", help="print a letter sent before, exactly as it was")
    _pdf_arguments(letter, required=False)


def _pdf_arguments(parser: argparse.ArgumentParser, required: bool = True) -> None:
    # As commands_reports' options, written out here: importing it would load reportlab for every
    # consent command.
    parser.add_argument("--out", type=Path, required=required, metavar="FILE", help="the PDF to write")
    parser.add_argument("--paper", choices=["a4", "letter"], type=str.lower,
                        help="a4 or letter (default: from your profile's locale)")
    parser.add_argument("--pdf-password-stdin", action="store_true",
                        help="protect the PDF with a password (the next line of standard input)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _consent_line(c: Consent) -> str:
    line = f"{short(c.id)}  {day(c.agreed_on)}  {CONSENT_TITLES[c.kind]}, {HOW_WORDS[c.how]}"
    if c.kind == ConsentKind.RELEASE and c.until is not None:
        line += f"; to {c.to} for {' '.join(c.purpose.split())}, valid until {c.until.isoformat()}"
    line += f" ({' '.join(c.note.split())})" if c.note else ""
    return line + (f"; withdrawn {c.withdrawn_on.isoformat()}" if c.withdrawn_on else "")


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        wanted = Consent(client.id, args.kind, how=args.how, note=args.note, to=args.to, purpose=args.purpose,
                         until=args.until, **({"agreed_on": args.date} if args.date else {}))
        added = consent.add_consent(vault.unit_of_work(), wanted)
    if cli.json:
        cli.emit_json({"id": added.id, "kind": added.kind.value})
    else:
        cli.out(added.id)
        cli.note(_consent_line(added)[10:])
    return 0


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = consent.list_consents(vault.unit_of_work(), client.id)
        with vault.unit_of_work() as uow:
            flags = consent.flags_for_clients(uow, [client.id]).get(client.id, ())
    if cli.json:
        cli.emit_json({"consents": found, "flags": flags})
        return 0
    if not found:
        cli.out("No agreements recorded.")
    for c in found:
        cli.out(_consent_line(c))
    for flag in flags:
        cli.out(f"! {flag.label}" + (f": {flag.detail}" if flag.detail else ""))
    return 0


def cmd_withdraw(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        with vault.unit_of_work() as uow:
            ids = uow.consents.ids()
        consent_id = resolve(ids, args.consent, "agreement")
        withdrawn = consent.withdraw_consent(vault.unit_of_work(), consent_id, args.date)
    assert withdrawn.withdrawn_on is not None
    title = CONSENT_TITLES[withdrawn.kind].lower()
    cli.done(f"The {title} of {withdrawn.agreed_on.isoformat()} is withdrawn from "
             f"{withdrawn.withdrawn_on.isoformat()}.", id=withdrawn.id)
    return 0


def cmd_remove(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        with vault.unit_of_work() as uow:
            ids = uow.consents.ids()
        consent_id = resolve(ids, args.consent, "agreement")
        removed = consent.remove_consent(vault.unit_of_work(), consent_id)
    cli.done(f"Removed the {CONSENT_TITLES[removed.kind].lower()} of {removed.agreed_on.isoformat()}.",
             id=removed.id)
    return 0


def cmd_print(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.cli.commands_reports import _client_document

    return _client_document(cli, args, "consent", args.kind, document="consent", kind=args.kind.value)


def cmd_template_show(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        text, own = consent.all_template_texts(vault.unit_of_work())[args.kind]
    if cli.json:
        cli.emit_json({"kind": args.kind.value, "text": text, "yours": own})
    else:
        cli.out(text)
    return 0


def cmd_template_set(cli: Cli, args: argparse.Namespace) -> int:
    text = None if args.reset else read_text_file(args.file)
    with cli.open_vault() as vault:
        consent.save_template_text(vault.unit_of_work(), args.kind, text)
    what = CONSENT_TITLES[args.kind]
    cli.done(f"{what}: {'the starting text' if args.reset else 'your text'} is used from now on.",
             kind=args.kind.value)
    return 0


def read_text_file(path: Path) -> str:
    """A UTF-8 text file given on the command line, or one line saying why it cannot be read."""
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text.") from None
    except OSError as exc:
        raise UsageError(f"{path} cannot be read ({exc.strerror or 'error'}).") from None


# -- letters ------------------------------------------------------------------------------------


def _letter_mode(args: argparse.Namespace) -> str:
    modes = [m for m, on in (("list", args.list), ("reprint", args.reprint is not None),
                             ("draft", args.draft)) if on]
    if len(modes) > 1:
        raise UsageError("Use one of --list, --reprint ID and --draft.")
    mode = modes[0] if modes else "write"
    if mode in ("draft", "write") and args.template is None:
        raise UsageError("Give the letter's --template gp|attendance|whom.")
    if mode in ("list", "draft") and args.out is not None:
        raise UsageError(f"--out writes a letter; --{mode} writes none.")
    if mode in ("write", "reprint") and args.out is None:
        raise UsageError("Give the PDF to write with --out FILE.")
    if mode != "write" and args.text_file is not None:
        raise UsageError("--text-file is the body of a new letter (with --template and --out).")
    return mode


def cmd_letter(cli: Cli, args: argparse.Namespace) -> int:
    mode = _letter_mode(args)
    if mode == "list":
        return _list_letters(cli, args)
    body = read_text_file(args.text_file) if args.text_file is not None else None
    out = check_out(args.out, args.force, cli.vault_path) if args.out is not None else None
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        if mode == "draft":
            draft = letters.draft_letter(vault.unit_of_work(), client.id, args.template, args.with_goals,
                                         args.with_diagnosis, args.to)
            if cli.json:
                cli.emit_json({"template": args.template.value, "text": draft.body})
            else:
                cli.out(draft.body)
            return 0
        from notesdesk.cli.commands_reports import _options, _write  # reportlab: only to write a PDF
        from notesdesk.core.reports.paperwork import render_letter

        options = _options(cli, args, vault)
        protected = options.password is not None
        if mode == "reprint":
            with vault.unit_of_work() as uow:
                ids = uow.letters.ids(client_id=client.id)
            letter_id = resolve(ids, args.reprint, "letter")
            kept = letters.reprint_letter(vault.unit_of_work(), letter_id, protected)
        else:
            if body is None:
                body = letters.draft_letter(vault.unit_of_work(), client.id, args.template, args.with_goals,
                                            args.with_diagnosis, args.to).body
            kept = letters.send_letter(vault.unit_of_work(), client.id, args.template, body,
                                       args.with_diagnosis, protected)
        assert out is not None
        data = render_letter(kept, options)
    return _write(cli, out, data, options, id=kept.id, template=kept.template.value)


def _list_letters(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = letters.list_letters(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json([{"id": x.id, "template": x.template.value, "sent_on": x.sent_on.isoformat(),
                        "with_diagnosis": x.with_diagnosis, "text": x.body} for x in found])
        return 0
    if not found:
        cli.out("No letters.")
    for x in found:
        first = next((line for line in x.body.splitlines() if line.strip()), "")
        cli.out(f"{short(x.id)}  {day(x.sent_on)}  {x.title}: {first}")
    return 0
