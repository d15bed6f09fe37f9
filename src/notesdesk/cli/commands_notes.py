"""Note commands: note add | edit | sign | addend | cosign | list | show, and search."""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from datetime import time
from typing import TYPE_CHECKING, Any

from notesdesk.cli.io import (
    Cli,
    EnumArg,
    add_command,
    add_group,
    cli_name,
    date_arg,
    day,
    indent,
    section_arg,
    short,
    to_plain,
)
from notesdesk.cli.records import find_client, find_id
from notesdesk.core.codes.cpt import CPT_CODES, check_cpt, cpt_label
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import (
    FORMAT_SECTIONS,
    AddendumKind,
    Delivery,
    NoteFormat,
    PrivateNote,
    RiskAssessment,
    RiskLevel,
    Section,
    SessionNote,
    SessionType,
    Signature,
)
from notesdesk.core.errors import InvalidInput, UsageError, VaultDamaged
from notesdesk.core.services import cosign, notes
from notesdesk.core.services.search import build_index

if TYPE_CHECKING:  # only a type here: the CLI opens the vault in one place (cli/io.py)
    from notesdesk.core.storage.vault import Vault

FORMAT = EnumArg(NoteFormat, exclude=[NoteFormat.CUSTOM])
SESSION_TYPE = EnumArg(SessionType)
DELIVERY = EnumArg(Delivery)
KIND = EnumArg(AddendumKind, exclude=[AddendumKind.CO_SIGNATURE])  # that one: note cosign
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def time_arg(text: str) -> time:
    """HH:MM on a 24-hour clock."""
    found = _CLOCK.fullmatch(text.strip())
    if not found:
        raise argparse.ArgumentTypeError("times are written HH:MM on a 24-hour clock, for example 14:05")
    return time(int(found.group(1)), int(found.group(2)))


def _session_options(parser: argparse.ArgumentParser) -> None:
    """--start, --end, --service (--type), --delivery and --cpt: the session's details."""
    parser.add_argument("--start", type=time_arg, metavar="HH:MM", help="when the session started")
    parser.add_argument("--end", type=time_arg, metavar="HH:MM", help="when it ended")
    parser.add_argument("--service", "--type", dest="type", type=SESSION_TYPE, metavar=SESSION_TYPE.metavar,
                        help="the service (--type is the older name)")
    parser.add_argument("--delivery", type=DELIVERY, metavar=DELIVERY.metavar, help="in person or by video")
    parser.add_argument("--cpt", metavar="CODE",
                        help="CPT code, in the US: " + ", ".join(CPT_CODES) + " ('' to clear)")


def _with_session(note: SessionNote, args: argparse.Namespace, locale: str) -> SessionNote:
    """The note with the session details given on the command line; checked before anything is written."""
    changed = replace(
        note,
        start_time=args.start if args.start is not None else note.start_time,
        end_time=args.end if args.end is not None else note.end_time,
        session_type=args.type or note.session_type,
        delivery=args.delivery or note.delivery,
        cpt_code=check_cpt(args.cpt, locale) if args.cpt is not None else note.cpt_code,
    )
    notes.check_session(changed)
    return changed


def session_line(note: SessionNote) -> str:
    """'10:00–10:50 (50 min) · individual, in person · CPT 90834 — psychotherapy, about 45 minutes'."""
    if note.start_time and note.end_time:
        when = f"{note.start_time:%H:%M}–{note.end_time:%H:%M} ({note.minutes} min)"
    elif note.start_time or note.end_time:
        when = f"{note.start_time or '?'}–{note.end_time or '?'} (times incomplete)"
    else:
        when = "no session times"
    parts = [when, f"{cli_name(note.session_type)}, {note.delivery.value}"]
    if note.cpt_code:
        parts.append("CPT " + cpt_label(note.cpt_code))
    return " · ".join(parts)


RISK = EnumArg(RiskLevel)
RISK_HELP = ("the risk level you judged at this session; moderate and high are flagged once the note is "
             "signed (never the wording of the note)")


def _risk_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--risk", type=RISK, metavar=RISK.metavar, help=RISK_HELP)
    parser.add_argument("--risk-factors", metavar="TEXT", help="risk and protective factors (needs --risk)")
    parser.add_argument("--risk-plan", metavar="TEXT", help="what was agreed about risk (needs --risk)")


def _risk(args: argparse.Namespace, before: RiskAssessment | None = None) -> RiskAssessment | None:
    """The risk from --risk, --risk-factors and --risk-plan, over what the note had (`before`)."""
    level = args.risk or (before.level if before else None)
    if level is None:
        if args.risk_factors is not None or args.risk_plan is not None:
            raise UsageError("Give the risk level (--risk) with its factors or plan.")
        return None
    return RiskAssessment(
        level,
        (args.risk_factors if args.risk_factors is not None else (before.factors if before else "")).strip(),
        (args.risk_plan if args.risk_plan is not None else (before.plan if before else "")).strip(),
    )

SECTION_HELP = (
    "Section keys by format (--section KEY=TEXT, repeatable):\n"
    + "\n".join(
        f"  {fmt.value:<10} {' '.join(key for key, _ in layout)}" for fmt, layout in FORMAT_SECTIONS.items()
    )
    + (
        "\nA psychotherapy note (--private) is kept apart from the record, under its own key; it is"
        "\nfree text (--section text=...) and never appears in 'note list' without --private."
    )
)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "note", "session notes: write, sign, add addenda, read")

    add = add_command(group, "add", common, "write a draft note (prints its id)", cmd_add, SECTION_HELP)
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("--format", type=FORMAT, metavar=FORMAT.metavar, help="required unless --private")
    add.add_argument("--section", type=section_arg, action="append", default=[], metavar="KEY=TEXT")
    add.add_argument("--date", type=date_arg, metavar="DATE", help="session date (default: today)")
    add.add_argument("--private", action="store_true", help="a psychotherapy (process) note")
    _session_options(add)
    _risk_args(add)

    edit = add_command(
        group, "edit", common, "change a draft note (signed notes refuse)", cmd_edit, SECTION_HELP
    )
    edit.add_argument("note", metavar="NOTE")
    edit.add_argument("--section", type=section_arg, action="append", default=[], metavar="KEY=TEXT")
    edit.add_argument("--date", type=date_arg, metavar="DATE")
    _session_options(edit)
    _risk_args(edit)

    sign = add_command(group, "sign", common, "sign a draft: it is locked from then on", cmd_sign)
    sign.add_argument("note", metavar="NOTE")
    sign.add_argument("--without-times", action="store_true",
                      help="sign a note that has no session start and end times without asking")

    addend = add_command(group, "addend", common, "add a signed addendum to a signed note", cmd_addend)
    addend.add_argument("note", metavar="NOTE")
    addend.add_argument("--kind", type=KIND, metavar=KIND.metavar, required=True)
    addend.add_argument("--text", required=True)

    cosign = add_command(
        group, "cosign", common, "co-sign a colleague's signed note as their supervisor", cmd_cosign
    )
    cosign.add_argument("note", metavar="NOTE")
    cosign.add_argument("--text", default="", help="what you add to your co-signature (optional)")

    lst = add_command(group, "list", common, "list a client's notes, newest first", cmd_list)
    lst.add_argument("client", metavar="CLIENT")
    lst.add_argument("--private", action="store_true", help="list the psychotherapy notes instead")

    show = add_command(group, "show", common, "show a note, its signature and its addenda", cmd_show)
    show.add_argument("note", metavar="NOTE")
    show.add_argument("--private", action="store_true", help="NOTE is a psychotherapy note")

    search = add_command(commands, "search", common, "search notes and plans", cmd_search)
    search.add_argument("query", metavar="QUERY", help="words to find (each as a prefix)")
    search.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits (50)")


def _texts(pairs: list[tuple[str, str]]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for key, value in pairs:
        if key in texts:
            raise UsageError(f"The section '{key}' is given twice.")
        texts[key] = value
    return texts


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    texts = _texts(args.section)
    if args.private:
        session = (args.type, args.start, args.end, args.delivery, args.cpt, args.risk)
        if args.format not in (None, NoteFormat.FREE) or any(v is not None for v in session):
            raise UsageError("A psychotherapy note is free text: give only --section text=... and --date.")
        text = notes.build_sections(NoteFormat.FREE, texts)[0].text
        with cli.open_vault() as vault:
            client = find_client(vault, args.client)
            private = PrivateNote(client_id=client.id, note_date=args.date or today(), text=text)
            private = notes.add_private_note(vault.unit_of_work(), private)
        cli.created(private.id)
        return 0
    if args.format is None:
        raise UsageError(f"Give the note's --format {FORMAT.metavar}.")
    sections = notes.build_sections(args.format, texts)
    risk = _risk(args)
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        note = SessionNote(
            client_id=client.id,
            session_date=args.date or today(),
            format=args.format,
            sections=sections,
            risk=risk,
        )
        note = _with_session(note, args, vault.profile().locale)
        note = notes.create_note(vault.unit_of_work(), note)
    cli.created(note.id)
    return 0


def _merge(sections: tuple[Section, ...], texts: dict[str, str]) -> tuple[Section, ...]:
    known = [s.key for s in sections]
    unknown = [k for k in texts if k not in known]
    if unknown:
        raise InvalidInput(f"This note has no section '{unknown[0]}'; use: {', '.join(known)}.")
    return tuple(replace(s, text=texts.get(s.key, s.text)) for s in sections)


def cmd_edit(cli: Cli, args: argparse.Namespace) -> int:
    texts = _texts(args.section)

    def change(note: SessionNote) -> SessionNote:
        """What was given, over what the draft has."""
        return replace(
            note,
            sections=_merge(note.sections, texts),
            session_date=args.date or note.session_date,
            risk=_risk(args, note.risk),
        )

    with cli.open_vault() as vault:
        note_id = find_id(vault, "note", args.note)
        locale = vault.profile().locale

        def with_session(stored: SessionNote) -> SessionNote:
            # A signed note refuses in the service, with its own message, before any session check.
            changed = change(stored)
            return changed if stored.is_signed else _with_session(changed, args, locale)

        note = notes.edit_draft(vault.unit_of_work(), note_id, with_session)
    cli.done("Draft saved.", id=note.id)
    return 0


def signed_line(sig: Signature) -> str:
    who = f"{sig.signer}, {sig.credentials}" if sig.credentials else sig.signer
    return f"Signed ✓ {day(sig.signed_at)} by {who}"


NO_TIMES = ("This note has no session start and end times (receipts and superbills need them); "
            "'notesdesk note edit NOTE --start HH:MM --end HH:MM' adds them.")


SIGNER_UNKNOWN = ("Not signed: a signature names its signer for ever; set yours first with "
                  "notesdesk profile --name … --credentials …")


def check_signer(vault: Vault) -> None:
    """The signing service's own rule (it raises SignerUnknown), said as the command that lifts it and
    checked before any other question is asked."""
    if not vault.profile().can_sign:
        raise InvalidInput(SIGNER_UNKNOWN)


def cmd_sign(cli: Cli, args: argparse.Namespace) -> int:
    """A note without session times is signed only after a yes in a terminal (or --without-times);
    a script signs it and is told in the output, so nothing that worked before stops working."""
    with cli.open_vault() as vault:
        note_id = find_id(vault, "note", args.note)
        check_signer(vault)
        with vault.unit_of_work() as uow:
            draft = uow.notes.get(note_id)
        timed = draft.has_times
        if not timed and not draft.is_signed and not args.without_times and cli.interactive() \
                and not cli.ask_yes(NO_TIMES + " Sign it anyway?"):
            raise InvalidInput("Not signed: add the session times first, or sign with --without-times.")
        note = notes.sign_note(vault.unit_of_work(), note_id)
    assert note.signature is not None
    sig = note.signature
    cli.done(signed_line(sig) + ("" if timed else "\nNo session times recorded."), id=note.id,
             signed_at=sig.signed_at.isoformat(), signer=sig.signer, session_times=timed)
    return 0


def cmd_cosign(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        note_id = find_id(vault, "note", args.note)
        check_signer(vault)
        addendum = cosign.cosign_note(vault.unit_of_work(), note_id, args.text)
    cli.created(addendum.id)
    return 0


def cmd_addend(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        note_id = find_id(vault, "note", args.note)
        check_signer(vault)
        addendum = notes.add_addendum(vault.unit_of_work(), note_id, args.kind, args.text)
    cli.created(addendum.id)
    return 0


def _preview(text: str, width: int = 50) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        if args.private:
            private = notes.list_private_notes(vault.unit_of_work(), client.id)
        else:
            found = notes.list_notes(vault.unit_of_work(), client.id)
    if args.private:
        if cli.json:
            cli.emit_json(private)
            return 0
        cli.out(f"Psychotherapy notes for {client.name} (kept apart from the record):")
        for p in private:
            cli.out(f"{short(p.id)}  {day(p.note_date)}  {_preview(p.text)}")
        if not private:
            cli.out("None.")
        return 0
    if cli.json:
        cli.emit_json(found)
        return 0
    if not found:
        cli.out("No notes.")
    for n in found:
        state = "signed" if n.is_signed else "draft"
        first = next((s.text for s in n.sections if s.text.strip()), "")
        cli.out(
            f"{short(n.id)}  {day(n.session_date)}  {n.format.value:<9} "
            f"{cli_name(n.session_type):<10} {state:<6}  {_preview(first)}"
        )
    return 0


def _show_private(cli: Cli, query: str) -> int:
    with cli.open_vault() as vault:
        note_id = find_id(vault, "psychotherapy note", query)
        note, client = notes.show_private_note(vault.unit_of_work(), note_id)
    if cli.json:
        cli.emit_json({"note": to_plain(note), "client_name": client.name})
        return 0
    cli.out(f"{client.name} — psychotherapy note, {day(note.note_date)}")
    cli.out(f"Id: {note.id}")
    cli.out()
    cli.out(indent(note.text))
    return 0


def cmd_show(cli: Cli, args: argparse.Namespace) -> int:
    if args.private:
        return _show_private(cli, args.note)
    with cli.open_vault() as vault:
        note_id = find_id(vault, "note", args.note)
        shown = notes.show_note(vault.unit_of_work(), note_id)
    note, addenda, client, valid = shown.note, shown.addenda, shown.client, shown.signature_valid
    if cli.json:
        cli.emit_json(
            {
                "note": to_plain(note),
                "client_name": client.name,
                "signature_valid": valid,
                "addenda": to_plain(addenda),
            }
        )
    else:
        cli.out(
            f"{client.name} — {note.format.value} note, {day(note.session_date)} "
            f"({cli_name(note.session_type)})"
        )
        cli.out(f"Id: {note.id}")
        cli.out("Session: " + session_line(note))
        if note.signature is None:
            cli.out("Draft: not signed")
        elif valid:
            cli.out(signed_line(note.signature))
        else:
            cli.out("Signature ✗ does NOT verify: this note was changed after it was signed")
        for section in note.sections:
            cli.out()
            cli.out(section.title)
            cli.out(indent(section.text) if section.text.strip() else "    (blank)")
        if note.risk_text:
            cli.out()
            cli.out("Risk")
            cli.out(indent(note.risk_text))
        if addenda:
            cli.out()
            cli.out("Addenda")
        for a in addenda:
            who = a.signature.signer if a.signature else "?"
            cli.out(f"  {a.kind.value.capitalize()} — {day(a.created_at)} by {who}  [{short(a.id)}]")
            cli.out(indent(a.text, "      "))
    if valid is False:
        raise VaultDamaged(f"Signed note {note.id} fails its signature check: it was altered.")
    return 0


def cmd_search(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        index = build_index(vault.unit_of_work())
        try:
            hits = index.search(args.query, limit=max(1, args.limit))
        finally:
            index.close()
    if cli.json:
        cli.emit_json(
            [
                {
                    "kind": h.kind,
                    "id": h.object_id,
                    "client_id": h.client_id,
                    "client_name": h.client_name,
                    "date": h.day.isoformat() if h.day else None,
                    "snippet": " ".join(h.plain_snippet().split()),
                }
                for h in hits
            ]
        )
        return 0
    if not hits:
        cli.out("No matches.")
    for h in hits:
        cli.out(f"{h.client_name}  {h.kind} {short(h.object_id)}  {day(h.day)}")
        cli.out("    " + " ".join(h.plain_snippet().split()))
    return 0
