"""`notesdesk` command line: the parser, dispatch and the one place errors become exit codes.

Exit codes (docs/design-notes.md §2): 0 ok; 1 operation failed; 2 usage; 3 wrong passphrase or recovery key;
4 vault damaged or tampered; 5 vault in use by another instance. Every error is one line on stderr
and never a traceback; unexpected failures name only the exception type (its text may hold client data).
With --json that line is a JSON object, {"error": "...", "exit_code": N}, so scripts need not parse text.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Iterable
from contextlib import redirect_stdout
from pathlib import Path
from typing import NoReturn, TextIO

from notesdesk import __version__, paths
from notesdesk.core.errors import NotesdeskError, UsageError

# The command modules (notesdesk.cli.commands_*), in the order they register: `reports` adds
# `safety-plan print` and `homework sheet`, so it comes after plans and care.
MODULES = ("vault", "backup", "export", "clients", "notes", "plans", "care", "measures", "reports", "visits",
           "attach", "paperwork", "billing", "practice")
REPORTS = ("plans", "care", "reports")  # `reports` registers into both of the others' groups

# Every command, its line in `notesdesk --help` and the modules that register it. Only the modules
# of the command given are imported, so `notesdesk client list` loads neither reportlab nor the demo
# generator, and `--help` loads no command at all (tests/cli/test_cli_imports.py checks this table
# against what the modules register).
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "init": ("create a new vault and print its recovery key (once)", ("vault",)),
    "passwd": ("change the vault passphrase (unlock with the passphrase or the recovery key)", ("vault",)),
    "rekey": ("renew the data key: every record sealed again, a new recovery key printed (once)",
              ("vault",)),
    "recovery-key": ("issue a new recovery key in place of the old one (printed once)", ("vault",)),
    "audit": ("list the audit log, or check it", ("vault",)),
    "demo": ("create a new vault filled with a synthetic practice (for trying the app, benchmarks)",
             ("vault",)),
    "profile": ("show or set your name, credentials, contact and country", ("vault",)),
    "backup": ("write a verified, encrypted backup of the vault (prints its path); "
               "'backup list' lists them", ("backup",)),
    "verify": ("check the whole vault, or a backup FILE (which needs no vault)", ("backup",)),
    "restore": ("replace the vault with a verified backup, keeping the replaced vault", ("backup",)),
    "export": ("export the whole practice (encrypted) or one client's record (plain text)", ("export",)),
    "check-signature": ("check every signature in a client's JSON export (no vault or passphrase needed)",
                        ("export",)),
    "import": ("load a whole-practice export into a new or empty vault", ("export",)),
    "client": ("add, list, show clients; change their status; delete a record after retention",
               ("clients",)),
    "note": ("session notes: write, sign, add addenda, read", ("notes",)),
    "search": ("search notes and plans", ("notes",)),
    "plan": ("treatment plans: show, set from a file, activate (signs), sign, revise, agree, review",
             ("plans",)),
    "safety-plan": ("safety plans: set from a file, show, mark reviewed, print", REPORTS),
    "homework": ("between-session homework and check-ins", REPORTS),
    "milestone": ("safety, integration and custom milestones", ("care",)),
    "phase": ("phase of care and its history", ("care",)),
    "measure": ("outcome measures: instruments, scoring, history", ("measures",)),
    "summary": ("write a client's treatment summary as a PDF", REPORTS),
    "record": ("write a client's record for an access request as a PDF", REPORTS),
    "document": ("write any document of the app's Reports menu as a PDF (e.g. the maintenance plan)",
                 REPORTS),
    "diagnosis": ("ICD-10-CM diagnoses on a client", ("visits",)),
    "next-session": ("set a client's next session and how often they come", ("visits",)),
    "due": ("what is due at the next visit, for a day's clients", ("visits",)),
    "attach": ("files attached to a client: a signed consent, a letter, a scan", ("attach",)),
    "consent": ("consent and agreements on a client, releases of information", ("paperwork",)),
    "paperwork": ("the practice's agreement templates (informed consent, fees, telehealth, release)",
                  ("paperwork",)),
    "letter": ("write a letter from the record as a PDF, kept as sent", ("paperwork",)),
    "fees": ("show or set the practice's fee schedule", ("billing",)),
    "payment": ("record and list what a client paid", ("billing",)),
    "receipt": ("write a numbered receipt or superbill as a PDF, or reprint one", ("billing",)),
    "practice": ("group practice: share clients through a PostgreSQL server", ("practice",)),
}

DESCRIPTION = """\
NotesDesk: encrypted, offline session notes and treatment plans.

With no command, opens the desktop app; 'notesdesk FILE.ndbk' (or --restore FILE) opens it on the
page that restores that backup, as double-clicking a backup does. The vault is --vault PATH, else
$NOTESDESK_VAULT, else the default place for your account. The passphrase is asked for in a
terminal, or read from the first line of standard input with --passphrase-stdin (never from the
command line).
"""

EPILOG = """\
A vault in a cloud-synced or network folder is used, with a warning on standard error.
Clients are named by id or by an unambiguous start of their name; notes, homework and milestones
by id or a unique start of it (at least 6 characters). Dates are YYYY-MM-DD.
Exit codes: 0 ok, 1 failed, 2 usage, 3 wrong passphrase or recovery key, 4 vault damaged or
tampered, 5 vault in use by another NotesDesk. With --json, an error is one line of JSON on standard
error: {"error": "...", "exit_code": N}.
"""


class Parser(argparse.ArgumentParser):
    """Usage errors become one line (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _add_globals(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """The global options, accepted before the command and (suppress=True) after it too."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("global options")
    group.add_argument("--vault", metavar="PATH", default=default(None), help="the vault file")
    group.add_argument(
        "--passphrase-stdin",
        action="store_true",
        default=default(False),
        help="read the passphrase from the first line of standard input "
        "(init: the new passphrase; passwd: current, then new on the next line; "
        "export --all: then the export's passphrase; import: the export's passphrase first)",
    )
    group.add_argument(
        "--recovery-key-stdin",
        action="store_true",
        default=default(False),
        help="unlock with the recovery key read from the first line of standard input",
    )
    group.add_argument("--json", action="store_true", default=default(False), help="machine-readable output")


def build_parser(modules: Iterable[str] = MODULES, stubs: bool = False) -> Parser:
    """The parser with the commands of `modules` (names in MODULES) registered in full; with `stubs`,
    every other command in COMMANDS as a placeholder that takes any arguments, so `--help` and a
    mistyped command read as with all of them, and `command_of` can tell which one was given."""
    parser = Parser(
        prog="notesdesk",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_globals(parser, suppress=False)
    parser.add_argument("--version", action="version", version=f"notesdesk {__version__}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check this installation on a throw-away vault (deleted afterwards) and exit: 0 when it works",
    )
    parser.add_argument(
        "--notices", action="store_true", help="print the licences of the third-party components and exit"
    )
    parser.add_argument(
        "--restore",
        type=Path,
        metavar="FILE",
        help="open the desktop app on the page that restores this backup file (as a double-click does); "
        "the 'restore' command does it in the terminal",
    )
    common = Parser(add_help=False)
    _add_globals(common, suppress=True)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    wanted = set(modules)
    for name in MODULES:  # the registering order, whatever the order asked for
        if name in wanted:
            importlib.import_module(f"notesdesk.cli.commands_{name}").register(commands, common)
    if stubs:
        for name, (help_text, _modules) in COMMANDS.items():
            if name not in commands.choices:
                stub = commands.add_parser(name, help=help_text, add_help=False)
                stub.add_argument("rest", nargs=argparse.REMAINDER)
        # Listed in COMMANDS' order, as they would be with every module registered.
        order = list(COMMANDS)
        commands._choices_actions.sort(key=lambda action: order.index(action.dest))
    return parser


def command_of(argv: list[str]) -> str | None:
    """The command `argv` names (a key of COMMANDS), or None; parsed with the placeholders only, so
    nothing is imported. --help and --version before a command exit here, as they would anyway."""
    args, _rest = build_parser(modules=(), stubs=True).parse_known_args(argv)
    return args.command


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse `argv` after importing only the modules of the command it names."""
    try:
        command = command_of(argv)
    except UsageError:
        command = "*"  # let the whole parser say what is wrong, exactly as before
    if command == "*":
        return build_parser(MODULES).parse_args(argv)
    # No placeholders now: the command parsed above is registered in full, and nothing else is parsed.
    return build_parser(COMMANDS[command][1] if command else ()).parse_args(argv)


BACKUP_SUFFIX = ".ndbk"  # core/backup/service.py's SUFFIX (not imported: --help loads no backup code)


def opened_file(argv: list[str]) -> list[str]:
    """`notesdesk FILE` as `notesdesk --restore FILE`, when FILE is no command and ends in .ndbk or
    names a file: what a desktop runs for a double-clicked backup (the .desktop entry's `%f`). Any
    other word stays a mistyped command."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index += 2 if argv[index] in ("--vault", "--restore") else 1  # the options that take a value
    if index >= len(argv) or argv[index] in COMMANDS:
        return argv
    word = argv[index]
    if not (word.lower().endswith(BACKUP_SUFFIX) or Path(word).expanduser().is_file()):
        return argv
    return [*argv[:index], "--restore", word, *argv[index + 1:]]


def _say(stream: TextIO, message: str) -> None:
    stream.write("notesdesk: " + " ".join(message.split()) + "\n")


def _fail(stream: TextIO, message: str, code: int, as_json: bool) -> int:
    """Report an error in one line on stderr (JSON with --json) and return its exit code."""
    if as_json:
        stream.write(json.dumps({"error": " ".join(message.split()), "exit_code": code}, ensure_ascii=False)
                     + "\n")
    else:
        _say(stream, message)
    return code


def _wants_json(argv: list[str]) -> bool:
    """--json given anywhere before a lone '--' (also when the rest could not be parsed)."""
    return "--json" in (argv[: argv.index("--")] if "--" in argv else argv)


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    desktop: Callable[[Path, Path | None], int] | None = None,
) -> int:
    """Run one command. With no command, `desktop` (given by the entry point, so the CLI itself never
    loads Qt) opens the app on the vault, and on the restore page for a backup given with --restore."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    argv = opened_file(sys.argv[1:] if argv is None else list(argv))
    as_json = _wants_json(argv)
    try:
        with redirect_stdout(stdout):
            args = parse(argv)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        return _fail(stderr, exc.message, exc.exit_code, as_json)
    from notesdesk.cli.io import Cli  # inline: it loads the vault, which --help never needs

    cli = Cli(args, stdin, stdout, stderr, paths.vault_path(args.vault))
    as_json = cli.json
    try:
        handler = getattr(args, "handler", None)
        if args.selftest and handler is None:
            from notesdesk.cli import commands_selftest  # inline: see COMMANDS

            return commands_selftest.run(cli)
        if args.notices and handler is None:
            from notesdesk.notices import notices_text  # loaded only when asked for (packaging)

            cli.stdout.write(notices_text())
            return 0
        if handler is not None and args.restore is not None:
            raise UsageError("--restore FILE opens the desktop app; give no command with it, or use "
                             "'notesdesk restore FILE' in the terminal.")
        if handler is None:
            if desktop is None:
                return _fail(stderr, "no command given; see 'notesdesk --help'.", 2, as_json)
            return int(desktop(cli.vault_path, args.restore) or 0)
        return int(handler(cli, args) or 0)
    except NotesdeskError as exc:
        return _fail(stderr, exc.message, exc.exit_code, as_json)
    except KeyboardInterrupt:
        return _fail(stderr, "interrupted.", 130, as_json)
    except BrokenPipeError:
        return 1
    except OverflowError:  # a date or number beyond what the calendar or a field can hold
        return _fail(stderr, "a date or number is out of range; nothing was changed.", 1, as_json)
    except Exception as exc:  # last resort: never a traceback, never the message (client data)
        return _fail(stderr, f"unexpected error ({type(exc).__name__}); nothing was changed", 1, as_json)
