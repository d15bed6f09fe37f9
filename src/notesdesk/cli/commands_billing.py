"""The fee schedule (fees), what clients paid (payment add | list | remove) and receipts or
superbills (receipt): numbered, sealed and reprinted from what was issued."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notesdesk.cli.io import Cli, EnumArg, add_command, add_group, check_out, date_arg, day, short, write_out
from notesdesk.cli.records import find_client, resolve
from notesdesk.core.codes.currencies import format_amount, parse_amount
from notesdesk.core.domain.billing import Fee, FeeSchedule, PaymentMethod, ReceiptKind
from notesdesk.core.domain.common import today
from notesdesk.core.domain.notes import Delivery, SessionType
from notesdesk.core.errors import UsageError
from notesdesk.core.services import fees, payments

if TYPE_CHECKING:  # the CLI opens the vault in one place (cli/io.py); here it is only a type
    from notesdesk.core.storage.vault import Vault

FEES_EPILOG = """\
Amounts are in the currency of the practice's country (notesdesk profile --country), e.g. 150 or
150.00. A fee applies to a session of its service; --delivery and --cpt make it apply only to
sessions given that way or with that code, and the most specific fee that fits a session is used.
A fee of 0 is allowed (a session given free still appears on the receipt).
"""
RECEIPT_EPILOG = """\
A receipt lists each signed session from --from to --to (date, start and end, minutes, service, CPT
code where used, fee from the fee schedule), the total, what was paid towards those sessions (and on
account within the dates) and the balance. --superbill adds the client's ICD-10-CM diagnoses for
the client's insurer; no claim is submitted. Each receipt takes the next number of this vault and is
kept, sealed, exactly as issued: --reprint N writes receipt N again, the same document whatever
changed since. A refused receipt takes no number. Never shows a note's text or psychotherapy notes.
--void N --reason TEXT marks receipt N void (issued in error): it keeps its number, reprints marked
VOID, and the number is never used again. Two computers of a practice offline can issue one number
twice: --reprint N then refuses rather than guess and names both receipts; add --id ID (the start of
the id it names, also shown by --list) to reprint or void the one meant.
"""


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    fee = commands.add_parser("fees", help="show or set the practice's fee schedule",
                              description="show or set the practice's fee schedule", epilog=FEES_EPILOG,
                              parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter)
    fee.set_defaults(handler=cmd_fees)
    actions = fee.add_subparsers(title="actions", dest="fees_action", metavar="ACTION")
    add_command(actions, "show", common, "list the fees (the default)", cmd_fees)
    put = add_command(actions, "set", common, "set the fee for a service (prints the schedule)", cmd_fee_set,
                      FEES_EPILOG)
    put.add_argument("service", type=EnumArg(SessionType), metavar="SERVICE",
                     help="|".join(m.value for m in SessionType))
    put.add_argument("amount", metavar="AMOUNT", help="e.g. 150 or 150.00")
    _fee_filters(put)
    drop = add_command(actions, "remove", common, "remove a fee from the schedule", cmd_fee_remove)
    drop.add_argument("service", type=EnumArg(SessionType), metavar="SERVICE")
    _fee_filters(drop)

    group = add_group(commands, "payment", "record and list what a client paid")
    paid = add_command(group, "add", common, "record a payment (prints its id)", cmd_payment_add)
    paid.add_argument("client", metavar="CLIENT")
    paid.add_argument("amount", metavar="AMOUNT", help="e.g. 150 or 150.00, in the practice's currency")
    paid.add_argument("--method", type=EnumArg(PaymentMethod), required=True,
                      metavar=EnumArg(PaymentMethod).metavar)
    paid.add_argument("--date", type=date_arg, metavar="DATE", help="when it was paid (default: today)")
    paid.add_argument("--for", dest="notes", action="append", default=[], metavar="NOTE",
                      help="a signed session it pays for (repeat; none: on account)")
    paid.add_argument("--reference", default="", metavar="TEXT", help="e.g. a cheque or transfer number")
    lst = add_command(group, "list", common, "list a client's payments", cmd_payment_list)
    lst.add_argument("client", metavar="CLIENT")
    rm = add_command(group, "remove", common, "take off a payment recorded in error", cmd_payment_remove)
    rm.add_argument("payment", metavar="ID")

    rec = add_command(commands, "receipt", common,
                      "write a numbered receipt or superbill as a PDF, or reprint one", cmd_receipt,
                      RECEIPT_EPILOG)
    rec.add_argument("client", metavar="CLIENT")
    rec.add_argument("--from", dest="start", type=date_arg, metavar="DATE", help="the first session day")
    rec.add_argument("--to", dest="end", type=date_arg, metavar="DATE", help="the last session day")
    rec.add_argument("--superbill", action="store_true", help="with the diagnoses, for the client's insurer")
    rec.add_argument("--reprint", type=int, metavar="N", help="write receipt number N again, as issued")
    rec.add_argument("--list", action="store_true", help="list the client's receipts")
    rec.add_argument("--void", type=int, metavar="N", help="mark receipt number N void (with --reason)")
    rec.add_argument("--reason", default="", metavar="TEXT", help="why the receipt is void")
    rec.add_argument("--id", dest="receipt_id", metavar="ID",
                     help="with --reprint N or --void N: which receipt, where number N was issued twice")
    rec.add_argument("--out", type=Path, metavar="FILE", help="the PDF to write")
    rec.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _fee_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--delivery", type=EnumArg(Delivery), metavar=EnumArg(Delivery).metavar,
                        help="only sessions given this way (default: either)")
    parser.add_argument("--cpt", default="", metavar="CODE", help="only sessions with this CPT code (US)")


def _show_schedule(cli: Cli, schedule: FeeSchedule) -> None:
    if cli.json:
        cli.emit_json({"currency": schedule.currency, "fees": [
            {"service": f.service.value, "delivery": f.delivery.value if f.delivery else None,
             "cpt_code": f.cpt_code or None, "amount_minor": f.amount,
             "amount": format_amount(f.amount, schedule.currency)} for f in schedule.fees]})
        return
    if not schedule.fees:
        cli.out("No fees set yet: notesdesk fees set SERVICE AMOUNT.")
        return
    cli.out(f"Fees ({schedule.currency}):")
    for f in schedule.fees:
        cli.out(f"  {f.describe():<40} {format_amount(f.amount, schedule.currency):>12}")


def cmd_fees(cli: Cli, _args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        schedule = fees.fee_schedule(vault.unit_of_work())
    _show_schedule(cli, schedule)
    return 0


def cmd_fee_set(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        code = fees.practice_currency(vault.unit_of_work())
        amount = parse_amount(args.amount, code, allow_zero=True)
        schedule = fees.set_fee(vault.unit_of_work(), Fee(args.service, amount, args.delivery, args.cpt))
    _show_schedule(cli, schedule)
    return 0


def cmd_fee_remove(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        schedule = fees.remove_fee(vault.unit_of_work(), args.service, args.delivery, args.cpt)
    _show_schedule(cli, schedule)
    return 0


def cmd_payment_add(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        code = fees.practice_currency(vault.unit_of_work())
        amount = parse_amount(args.amount, code, allow_zero=False)
        note_ids: tuple[str, ...] = ()
        if args.notes:
            with vault.unit_of_work() as uow:
                ids = uow.notes.ids(client_id=client.id, signed=1)
            note_ids = tuple(resolve(ids, wanted, "note") for wanted in args.notes)
        paid = payments.record_payment(vault.unit_of_work(), client.id, amount, args.method,
                                       args.date or today(), note_ids, args.reference)
    cli.created(paid.id)
    if not cli.json:
        towards = f"for {len(paid.note_ids)} session(s)" if paid.note_ids else "on account"
        cli.note(f"{format_amount(paid.amount, paid.currency)} by {paid.method.value}, {towards}.")
    return 0


def cmd_payment_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = payments.list_payments(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json(found)
        return 0
    if not found:
        cli.out("No payments.")
    for p in found:
        towards = ", ".join(short(n) for n in p.note_ids) or "on account"
        cli.out(f"{short(p.id)}  {day(p.paid_on)}  {format_amount(p.amount, p.currency):>12}  "
                f"{p.method.value:<9} {towards}")
    return 0


def cmd_payment_remove(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        with vault.unit_of_work() as uow:
            ids = uow.payments.ids()
        payment_id = resolve(ids, args.payment, "payment")
        removed = payments.remove_payment(vault.unit_of_work(), payment_id)
    cli.done(f"Removed the payment of {format_amount(removed.amount, removed.currency)}.", id=removed.id)
    return 0


def _check_receipt_args(args: argparse.Namespace) -> None:
    issuing = args.start is not None or args.end is not None
    voiding = args.void is not None
    if sum((issuing, args.reprint is not None, args.list, voiding)) != 1:
        raise UsageError("Give --from DATE --to DATE --out FILE (a new receipt), --reprint N --out FILE, "
                         "--void N --reason TEXT, or --list.")
    if args.reason and not voiding:
        raise UsageError("--reason goes with --void N.")
    if args.receipt_id is not None and args.reprint is None and not voiding:
        raise UsageError("--id goes with --reprint N or --void N (a number issued twice).")
    if voiding:
        if args.out is not None or args.superbill:
            raise UsageError("--void N writes no PDF: reprint it afterwards with --reprint N --out FILE.")
        return
    if issuing and (args.start is None or args.end is None):
        raise UsageError("A new receipt needs both --from DATE and --to DATE.")
    if not args.list and args.out is None:
        raise UsageError("Give the PDF to write with --out FILE.")
    if args.superbill and not issuing:
        raise UsageError("--superbill goes with a new receipt (--from, --to); a reprint keeps its kind.")


def cmd_receipt(cli: Cli, args: argparse.Namespace) -> int:
    _check_receipt_args(args)
    if args.list:
        return _list_receipts(cli, args)
    if args.void is not None:
        return _void_receipt(cli, args)
    out = check_out(args.out, args.force, cli.vault_path)
    from notesdesk.core.services import receipts  # the PDF needs reportlab: only when asked for

    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        if args.reprint is not None:
            chosen = _chosen_id(vault, client.id, args.receipt_id)
            receipt, pdf = receipts.reprint_receipt(vault.unit_of_work(), client.id, args.reprint,
                                                    receipt_id=chosen)
        else:
            kind = ReceiptKind.SUPERBILL if args.superbill else ReceiptKind.RECEIPT
            issued = receipts.issue_receipt(vault.unit_of_work(), client.id, args.start, args.end, kind)
            receipt, pdf = issued.receipt, issued.pdf
        write_out(out, pdf, cli.vault_path)
    data = receipt.data
    if cli.json:
        cli.emit_json({"path": str(out), "id": receipt.id, "number": data.number, "kind": data.kind.value,
                       "currency": data.currency, "total_minor": data.total, "paid_minor": data.paid,
                       "balance_minor": data.balance})
        return 0
    cli.out(str(out))
    cli.note(f"{data.kind.value.capitalize()} {data.number}: {len(data.lines)} session(s), total "
             f"{format_amount(data.total, data.currency)}, paid {format_amount(data.paid, data.currency)}.")
    return 0


def _chosen_id(vault: Vault, client_id: str, query: str | None) -> str | None:
    """The full id of the client's receipt named by --id (a prefix will do); None without --id."""
    from notesdesk.core.services import receipts

    if query is None:
        return None
    return resolve([r.id for r in receipts.list_receipts(vault.unit_of_work(), client_id)], query, "receipt")


def _list_receipts(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.core.services import receipts

    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        found = receipts.list_receipts(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json([{"id": r.id, "number": r.number, "kind": r.data.kind.value,
                        "issued_on": r.data.issued_on.isoformat(), "from": r.data.period_from.isoformat(),
                        "to": r.data.period_to.isoformat(), "currency": r.data.currency,
                        "total_minor": r.data.total, "paid_minor": r.data.paid,
                        "voided_on": r.voided.on.isoformat() if r.voided else None} for r in found])
        return 0
    if not found:
        cli.out("No receipts.")
    twice = {n for n, times in Counter(r.number for r in found).items() if times > 1}
    for r in found:
        d = r.data
        void = f"  VOID since {day(r.voided.on)}" if r.voided else ""
        # A number issued twice (offline): the id that --id takes tells its receipts apart.
        named = f"  id {r.id[:receipts.ID_SHOWN]}" if r.number in twice else ""
        cli.out(f"{d.number:>5}  {d.kind.value:<9}  issued {day(d.issued_on)}  {day(d.period_from)} to "
                f"{day(d.period_to)}  {format_amount(d.total, d.currency):>12}{void}{named}")
    return 0


def _void_receipt(cli: Cli, args: argparse.Namespace) -> int:
    from notesdesk.core.services import receipts

    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        chosen = _chosen_id(vault, client.id, args.receipt_id)
        voided = receipts.void_receipt(vault.unit_of_work(), client.id, args.void, args.reason,
                                       receipt_id=chosen)
    assert voided.voided is not None
    if cli.json:
        cli.emit_json({"id": voided.id, "number": voided.number, "voided_on": voided.voided.on.isoformat(),
                       "reason": voided.voided.reason})
        return 0
    cli.out(f"{voided.data.kind.value.capitalize()} {voided.number} is void from "
            f"{voided.voided.on.isoformat()}; its number is not used again.")
    return 0


