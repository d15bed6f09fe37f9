"""Measure commands: instruments | score | add | list | import.

`instruments` and `score` need no vault (built-in instruments only, unless --practice unlocks it for the
practitioner's own). Risk flags are printed on standard output, because they are the result the
clinician asked for; they prompt a risk assessment and never classify risk.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from notesdesk.cli.io import Cli, add_command, add_group, date_arg, day, short, to_plain
from notesdesk.cli.records import find_client, find_id
from notesdesk.core.errors import NotFound, UsageError
from notesdesk.core.measures import Flag, FlagKind, Instrument, ScoreResult, builtin_instruments, score
from notesdesk.core.measures.library import find_by_name, load_instrument_file
from notesdesk.core.measures.model import Kind
from notesdesk.core.services import measures
from notesdesk.core.services.measures import MeasureRow

ANSWERS_HELP = (
    "item answers in order, separated by commas; '-' or nothing between commas marks an unanswered "
    "item (never counted as 0). Start with '-' as --answers=-,1,2"
)
RISK_ACTION = "record a risk assessment and review the safety plan"


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    group = add_group(commands, "measure", "outcome measures: instruments, scoring, history")
    practice_help = "also use the practitioner's own instruments stored in the vault (unlocks it)"

    listing = add_command(group, "instruments", common, "list the instruments (no vault needed)",
                          cmd_instruments)
    listing.add_argument("--practice", action="store_true", help=practice_help)

    scoring = add_command(group, "score", common, "score answers without storing them (no vault needed)",
                          cmd_score)
    scoring.add_argument("instrument", metavar="INSTRUMENT", help="id or name, e.g. phq9 or PHQ-9")
    scoring.add_argument("--answers", required=True, metavar="1,2,0,…", help=ANSWERS_HELP)
    scoring.add_argument("--difficulty", type=int, metavar="N", help="answer to the unscored difficulty "
                         "question, 0 = the first option")
    scoring.add_argument("--practice", action="store_true", help=practice_help)

    add = add_command(group, "add", common, "score and store one administration (prints its id)", cmd_add)
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("instrument", metavar="INSTRUMENT", help="id or name, e.g. phq9 or PHQ-9")
    add.add_argument("--answers", required=True, metavar="1,2,0,…", help=ANSWERS_HELP)
    add.add_argument("--date", type=date_arg, metavar="DATE", help="administered on (default: today)")
    add.add_argument("--note", metavar="NOTE", help="the session note it belongs to (id or its start)")
    add.add_argument("--difficulty", type=int, metavar="N", help="answer to the unscored difficulty "
                     "question (kept in the comment), 0 = the first option")
    add.add_argument("--comment", default="")

    history = add_command(group, "list", common, "a client's scores with change against the episode "
                          "baseline, and current measure flags", cmd_list)
    history.add_argument("client", metavar="CLIENT")

    imp = add_command(group, "import", common, "validate a practitioner instrument file (JSON) and store "
                      "its instruments in the vault", cmd_import)
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--replace", action="store_true", help="replace an instrument already imported with "
                     "the same id (its items and option scores must stay the same)")


# -- parsing and resolving --------------------------------------------------------------------------


def parse_answers(text: str) -> tuple[int | None, ...]:
    """'1,2,-,,3' -> (1, 2, None, None, 3). The message names the position, never the value."""
    answers: list[int | None] = []
    for position, part in enumerate(text.split(","), start=1):
        item = part.strip()
        if item in ("", "-"):
            answers.append(None)
        elif item.isascii() and item.isdigit():
            answers.append(int(item))
        else:
            raise UsageError(f"--answers: answer {position} is not a whole number ('-' or nothing marks "
                             "an unanswered item).")
    if all(a is None for a in answers):
        raise UsageError("--answers holds no answer.")
    return tuple(answers)


def _instrument(ref: str, extra: Sequence[Instrument]) -> Instrument:
    try:
        return find_by_name(ref.strip(), extra)
    except NotFound:
        raise NotFound(f"No instrument called '{ref.strip()}'; see 'notesdesk measure instruments'."
                       ) from None


def _extra(cli: Cli, practice: bool) -> tuple[Instrument, ...]:
    if not practice:
        return ()
    with cli.open_vault() as vault:
        return measures.vault_instruments(vault)


def _difficulty(inst: Instrument, value: int | None) -> str:
    if value is None:
        return ""
    if inst.functional_item is None:
        raise UsageError(f"{inst.name} has no difficulty question.")
    options = inst.functional_item.options
    if not 0 <= value < len(options):
        raise UsageError(f"--difficulty is between 0 and {len(options) - 1} for {inst.name}.")
    return options[value]


# -- output ------------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def flag_lines(flags: Sequence[Flag]) -> list[str]:
    """One headline per flag (risk in capitals, with what to do), the instrument's own message below."""
    lines: list[str] = []
    for f in flags:
        if f.kind is FlagKind.RISK:
            rule = _lower_first(f.rule.removesuffix(", whatever the total"))
            lines.append(f"RISK FLAG: {rule} — {RISK_ACTION}")
            lines.append(f"  {f.message}")
        elif f.kind is FlagKind.UNKNOWN_RISK:
            lines.append(f"RISK UNKNOWN: item {f.item} was not answered — ask it directly and record a risk "
                         "assessment" if f.item else f"RISK UNKNOWN: {f.message}")
        else:
            lines.append(f"{f.kind.value.upper()}: {f.message}")
    return lines


def _items(answers: Sequence[int | None]) -> str:
    return "/".join("-" if a is None else str(a) for a in answers)


def result_lines(inst: Instrument, result: ScoreResult, answers: Sequence[int | None] = ()) -> list[str]:
    if inst.kind is Kind.ALLIANCE:
        # Read item by item (a drop on one component matters), so no total is shown.
        lines = [f"{inst.name}: " + ", ".join(f"item {n} = {'-' if a is None else a}"
                                              for n, a in enumerate(answers, start=1))]
    elif result.total is None:
        lines = [f"{inst.name}: not scored"]
    else:
        band = f" ({result.band})" if result.band else ""
        prorated = ", prorated" if result.prorated else ""
        lines = [f"{inst.name} total: {result.total}{band}{prorated}"]
    if inst.kind is not Kind.ALLIANCE:
        lines.append(result.explanation)
    if result.missing_items:
        lines.append("Unanswered: item " + ", ".join(map(str, result.missing_items)))
    if result.functional:
        lines.append(f"Difficulty (unscored): {result.functional}")
    return lines + flag_lines(result.flags)


def score_data(result: ScoreResult) -> dict[str, Any]:
    return {
        "instrument": result.instrument,
        "scorable": result.scorable,
        "total": result.total,
        "band": result.band,
        "prorated": result.prorated,
        "answered": result.answered,
        "missing_items": list(result.missing_items),
        "explanation": result.explanation,
        "functional": result.functional,
        "risk_flagged": result.risk_flagged,
        "flags": to_plain(list(result.flags)),
    }


def licence_line(inst: Instrument) -> str:
    return inst.licence.attribution


# -- commands ------------------------------------------------------------------------------------------


def cmd_instruments(cli: Cli, args: argparse.Namespace) -> int:
    found = (*builtin_instruments(), *_extra(cli, args.practice))
    if cli.json:
        cli.emit_json([{
            "id": i.id, "name": i.name, "title": i.title, "version": i.version, "kind": i.kind.value,
            "rater": i.rater.value, "direction": i.direction.value, "items": len(i.items),
            "range": {"min": i.range_min, "max": i.range_max},
            "bands": [to_plain(b) for b in i.bands],
            "caseness": i.change.caseness, "reliable_change": i.change.reliable_change,
            "critical_items": [c.item for c in i.critical_items],
            "licence": to_plain(i.licence),
        } for i in found])
        return 0
    for i in found:
        cli.out(f"{i.id:<10} {i.name:<16} {len(i.items):>2} items  range {i.range_min}–{i.range_max}  "
                f"({i.licence.owner.value})")
        cli.out(f"           {licence_line(i)}")
    return 0


def cmd_score(cli: Cli, args: argparse.Namespace) -> int:
    answers = parse_answers(args.answers)
    extra = _extra(cli, args.practice)
    inst = _instrument(args.instrument, extra)
    functional = None
    if args.difficulty is not None:
        _difficulty(inst, args.difficulty)
        functional = args.difficulty
    result = score(inst, answers, functional)
    if cli.json:
        cli.emit_json(score_data(result))
        return 0
    for line in result_lines(inst, result, answers):
        cli.out(line)
    return 0


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    answers = parse_answers(args.answers)
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        extra = measures.vault_instruments(vault)
        inst = _instrument(args.instrument, extra)
        comment = args.comment.strip()
        _difficulty(inst, args.difficulty)  # checks the value against the instrument's options
        note_id = find_id(vault, "note", args.note) if args.note else None
        administration, result = measures.record_measure(
            vault.unit_of_work(),
            client.id,
            inst.id,
            answers,
            on=args.date,
            note_id=note_id,
            comment=comment,
            functional=args.difficulty,
        )
        alliance: tuple[Flag, ...] = ()
        if inst.kind is Kind.ALLIANCE:  # drops are judged against the previous check of the episode
            rows = measures.measure_history(vault.unit_of_work(), client.id)
            row = next(r for r in rows if r.administration.id == administration.id)
            alliance = row.alliance.flags if row.alliance else ()
    if cli.json:
        data = score_data(result)
        data["flags"] += to_plain(list(alliance))
        cli.emit_json({"id": administration.id, "date": administration.administered_on, **data})
        return 0
    cli.out(administration.id)
    for line in result_lines(inst, result, answers) + flag_lines(alliance):
        cli.out(line)
    return 0


def row_label(row: MeasureRow) -> str:
    if row.change is not None:
        return row.change.text  # worded as on screen and in the printed summary
    if row.label is not None:
        return row.label.value
    if row.alliance is not None:
        kinds = sorted({f.kind.value for f in row.alliance.flags})
        return ", ".join(kinds) or ("no drop" if row.note == "" else row.note)
    return row.note


def row_data(row: MeasureRow) -> dict[str, Any]:
    adm = row.administration
    return {
        "id": adm.id,
        "date": adm.administered_on,
        "instrument": row.instrument.id if row.instrument else adm.instrument,
        "instrument_name": row.instrument.name if row.instrument else adm.instrument,
        "answers": list(adm.answers),
        "episode_id": row.episode_id,
        "note_id": adm.note_id,
        "comment": adm.comment,
        **(score_data(row.score) if row.score else {"scorable": False, "total": None, "band": None,
                                                      "prorated": False, "flags": []}),
        "is_baseline": row.is_baseline,
        "baseline_id": row.baseline.id if row.baseline else None,
        "baseline_date": row.baseline.administered_on if row.baseline else None,
        "label": row.label.value if row.label else None,
        "rule": row.change.rule if row.change else None,
        "source": row.change.source if row.change else None,
        "change": to_plain(row.change) if row.change else None,
        "alliance": to_plain(row.alliance) if row.alliance else None,
        "note": row.note,
    }


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    with cli.open_vault() as vault:
        client = find_client(vault, args.client)
        rows = measures.measure_history(vault.unit_of_work(), client.id)
        flags = measures.client_measure_flags(vault.unit_of_work(), [client.id])[client.id]
        recovery = measures.client_recovery(vault.unit_of_work(), client.id)
    if cli.json:
        cli.emit_json({"administrations": [row_data(r) for r in rows], "flags": to_plain(flags),
                       "joint_recovery": to_plain(recovery) if recovery else None})
        return 0
    if not rows:
        cli.out("No measures.")
    for row in rows:
        adm = row.administration
        name = row.instrument.name if row.instrument else adm.instrument
        result = row.score
        total = "-"
        if row.instrument is not None and row.instrument.kind is Kind.ALLIANCE:
            total = _items(adm.answers)
        elif result is not None and result.total is not None:
            total = f"{result.total}{'*' if result.prorated else ''}"
        band = (result.band if result else None) or "-"
        risk = "  RISK" if result is not None and result.risk_flagged else ""
        cli.out(f"{short(adm.id)}  {day(adm.administered_on)}  {name:<15} {total:>8}  {band:<18} "
                f"{row_label(row)}{risk}")
    if any(r.score is not None and r.score.prorated for r in rows):
        cli.out("* prorated: at most the allowed number of items were unanswered")
    if recovery is not None:
        cli.out(f"Across questionnaires: {recovery.text}")
    if flags:
        cli.out("Flags")
        for line in flag_lines(flags):
            cli.out("  " + line)
    return 0


def cmd_import(cli: Cli, args: argparse.Namespace) -> int:
    load_instrument_file(args.file)  # every problem named by field, before the vault is unlocked
    with cli.open_vault() as vault:
        imported = measures.import_instruments(vault, args.file, replace_existing=args.replace)
    if cli.json:
        cli.emit_json({"ok": True, "imported": [{"id": i.id, "name": i.name, "items": len(i.items)}
                                                for i in imported]})
        return 0
    for i in imported:
        cli.out(f"Imported {i.id}: {i.name}, {len(i.items)} items, range {i.range_min}–{i.range_max}")
    return 0
