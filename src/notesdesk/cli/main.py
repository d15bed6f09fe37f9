"""`notesdesk` command line: the parser, dispatch and the one place errors become exit codes.

Exit codes (DESIGN §4): 0 ok; 1 operation failed; 2 usage; 3 wrong passphrase or recovery key;
4 vault damaged or tampered; 5 vault in use by another instance. Every error is one line on stderr
and never a traceback; unexpected failures name only the exception type (its text may hold client data).
With --json that line is a JSON object, {"error": "...", "exit_code": N}, so scripts need not parse text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import TextIO

from notesdesk import __version__, paths
from notesdesk.cli import (
    commands_backup,
    commands_care,
    commands_clients,
    commands_export,
    commands_measures,
    commands_notes,
    commands_plans,
    commands_reports,
    commands_selftest,
    commands_vault,
)
from notesdesk.cli.io import Cli
from notesdesk.core.errors import NotesdeskError, UsageError

DESCRIPTION = """\
NotesDesk: encrypted, offline session notes and treatment plans.

With no command, opens the desktop app. The vault is --vault PATH, else $NOTESDESK_VAULT, else
the default place for your account. The passphrase is asked for in a terminal, or read from the
first line of standard input with --passphrase-stdin (never from the command line).
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

    def error(self, message: str) -> None:  # type: ignore[override]
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


def build_parser() -> Parser:
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
    common = Parser(add_help=False)
    _add_globals(common, suppress=True)
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    modules = (
        commands_vault,
        commands_backup,
        commands_export,
        commands_clients,
        commands_notes,
        commands_plans,
        commands_care,
        commands_measures,
        commands_reports,  # after plans and care: adds `safety-plan print` and `homework sheet`
    )
    for module in modules:
        module.register(commands, common)
    return parser


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
    desktop: Callable[[Path], int] | None = None,
) -> int:
    """Run one command. With no command, `desktop` (given by the entry point, so the CLI itself never
    loads Qt) opens the app."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    as_json = _wants_json(argv)
    try:
        with redirect_stdout(stdout):
            args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        return _fail(stderr, exc.message, exc.exit_code, as_json)
    cli = Cli(args, stdin, stdout, stderr, paths.vault_path(args.vault))
    as_json = cli.json
    try:
        handler = getattr(args, "handler", None)
        if args.selftest and handler is None:
            return commands_selftest.run(cli)
        if args.notices and handler is None:
            from notesdesk.notices import notices_text  # loaded only when asked for (packaging)

            cli.stdout.write(notices_text())
            return 0
        if handler is None:
            if desktop is None:
                return _fail(stderr, "no command given; see 'notesdesk --help'.", 2, as_json)
            return int(desktop(cli.vault_path) or 0)
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
