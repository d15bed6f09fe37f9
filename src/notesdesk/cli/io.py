"""Reading secrets, opening the vault and writing output for the CLI.

Secrets never come from argv or the environment: with --passphrase-stdin / --recovery-key-stdin they
are read one line at a time from standard input (first line: the secret that unlocks; next lines:
a new passphrase for `init`/`passwd`); otherwise, in a terminal, they are prompted for with getpass.
Nothing here writes client data to stderr: error messages are built by the caller from fixed text.
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO, TypeVar

import msgspec

from notesdesk import paths
from notesdesk.core.backup.files import write_atomic, write_atomic_stream
from notesdesk.core.crypto.kdf import normalised
from notesdesk.core.errors import Conflict, InvalidInput, NotFound, UsageError
from notesdesk.core.outputs import output_problem
from notesdesk.core.storage.location import location_warning
from notesdesk.core.storage.vault import Vault

E = TypeVar("E", bound=StrEnum)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What must never reach a terminal raw from a record: C0 controls (but line breaks and tabs, which
# text output lays out), DEL, C1 controls (\x9b is a one-byte escape) and the bidirectional
# overrides that reorder what is shown.
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# JSON escapes C0 itself; the rest is escaped as JSON \u escapes, so the data decodes unchanged.
_JSON_CONTROL = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SHORT_ID = 8
VAULT_SUFFIX = ".notesdesk"


# -- argument types ------------------------------------------------------------------------------


def date_arg(text: str) -> date:
    """YYYY-MM-DD only. The message never repeats the value: it may be a client's date of birth."""
    try:
        if not _DATE.fullmatch(text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("dates are written YYYY-MM-DD, for example 2024-03-15") from None


def cli_name(member: StrEnum) -> str:
    """How an enum value is typed on the command line: 'on hold' -> 'on-hold'."""
    return member.value.replace(" ", "-")


class EnumArg:
    """An argparse type accepting an enum's values case-insensitively, spaces typed as hyphens."""

    def __init__(self, kind: type[E], exclude: Iterable[E] = ()) -> None:
        self.kind = kind
        skip = set(exclude)
        self.members = [m for m in kind if m not in skip]
        self.__name__ = kind.__name__

    @property
    def metavar(self) -> str:
        return "{" + ",".join(cli_name(m) for m in self.members) + "}"

    def __call__(self, text: str) -> StrEnum:
        wanted = text.strip().casefold().replace(" ", "-").replace("_", "-")
        for member in self.members:
            if cli_name(member).casefold() == wanted:
                return member
        raise argparse.ArgumentTypeError("use one of: " + ", ".join(cli_name(m) for m in self.members))


def section_arg(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(
            "sections are given as KEY=TEXT, for example --section subjective='Sleeping better'"
        )
    return key.strip().lower(), value


def printable(text: str) -> str:
    """`text` with terminal control characters shown escaped: "\x1b[2J" prints as \\x1b[2J."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _TERMINAL_CONTROL.sub(escape, text)


def short(record_id: str) -> str:
    return record_id[:SHORT_ID]


def day(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.astimezone().date().isoformat()
    return value.isoformat()


# -- the per-invocation context -----------------------------------------------------------------


@dataclass
class Cli:
    args: argparse.Namespace
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    vault_path: Path
    _lines_read: int = field(default=0)
    _location_checked: bool = field(default=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def stdin_secrets(self) -> bool:
        return bool(self.args.passphrase_stdin or self.args.recovery_key_stdin)

    # -- secrets ---------------------------------------------------------------------------------

    def _line(self, what: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise UsageError(f"Expected {what} on line {self._lines_read + 1} of standard input.")
        self._lines_read += 1
        return line.rstrip("\r\n")

    def interactive(self) -> bool:
        """Standard input is a terminal (a person can be asked)."""
        return self._interactive()

    def _interactive(self) -> bool:
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):
            return False

    def _no_secret_source(self) -> UsageError:
        return UsageError(
            "No passphrase: run this in a terminal, or give it on standard input with --passphrase-stdin."
        )

    def unlock_secrets(self, prompt: str = "Vault passphrase: ") -> tuple[str | None, str | None]:
        """(passphrase, recovery_key): exactly one is set."""
        if self.args.passphrase_stdin and self.args.recovery_key_stdin:
            raise UsageError("Use either --passphrase-stdin or --recovery-key-stdin, not both.")
        if self.args.recovery_key_stdin:
            return None, self._line("the recovery key")
        if self.args.passphrase_stdin:
            return self._line("the passphrase"), None
        if self._interactive():
            return getpass.getpass(prompt), None
        raise self._no_secret_source()

    def secret(self, what: str, prompt: str) -> str:
        """Another passphrase (an export's): the next line of standard input, or asked for once."""
        if self.stdin_secrets:
            return self._line(what)
        if not self._interactive():
            raise self._no_secret_source()
        return getpass.getpass(prompt)

    def new_passphrase(self, what: str = "the new passphrase", prompt: str = "New passphrase: ") -> str:
        if self.stdin_secrets:
            return self._line(what)
        if not self._interactive():
            raise self._no_secret_source()
        first = getpass.getpass(prompt)
        if normalised(getpass.getpass("Type it again: ")) != normalised(first):
            raise InvalidInput("The two passphrases differ; nothing was changed.")
        return first

    def ask_yes(self, question: str) -> bool:
        """A yes/no question, only in a terminal; asked on stderr so stdout stays the command's output."""
        if not self._interactive():
            return False
        self.stderr.write(" ".join(question.split()) + " Type yes to go ahead: ")
        self.stderr.flush()
        return self.stdin.readline().strip().casefold() in ("y", "yes")

    def vault_file(self) -> Path:
        """The vault path, refused early (a usage error) when it names a folder or anything else
        that is not a regular file: opening a FIFO would wait for a writer forever."""
        path = self.vault_path
        if path.is_dir():
            found = sorted(path.glob(f"*{VAULT_SUFFIX}"))
            hint = f", for example --vault {found[0]}" if len(found) == 1 else ""
            raise UsageError(
                f"{path} is a folder, not a vault file: give --vault the vault file itself{hint}."
            )
        if path.exists() and not path.is_file():
            raise UsageError(f"{path} is not a regular file (a device, pipe or socket), so not a vault.")
        return path

    def open_vault(self, repair: bool = False) -> Vault:
        """Unlock; `repair` only for the commands that replace a key slot (Vault.open)."""
        path = self.vault_file()
        passphrase, recovery_key = self.unlock_secrets()
        self.warn_location()
        return Vault.open(path, passphrase=passphrase, recovery_key=recovery_key, repair=repair)

    def warn_location(self) -> None:
        """Once per command: say so when the vault sits in a synced or network folder (no client data)."""
        if self._location_checked:
            return
        self._location_checked = True
        warning = location_warning(self.vault_path)
        if warning:
            self.stderr.write("warning: " + " ".join(warning.split()) + "\n")

    # -- output ----------------------------------------------------------------------------------

    def out(self, text: str = "") -> None:
        """One or more lines of text output; record text in it is shown with controls escaped."""
        self.stdout.write(printable(text) + "\n")

    def note(self, text: str) -> None:
        """A line about what the command did besides its output, on stderr (stdout stays for scripts)."""
        self.stderr.write(printable(" ".join(text.split())) + "\n")

    def emit_json(self, data: Any) -> None:
        text = json.dumps(to_plain(data), ensure_ascii=False, indent=2)
        self.stdout.write(_JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")

    def created(self, record_id: str) -> None:
        """A command that creates a record prints its id."""
        if self.json:
            self.emit_json({"id": record_id})
        else:
            self.out(record_id)

    def done(self, message: str, **data: Any) -> None:
        """A confirmation line, or its data as JSON."""
        if self.json:
            self.emit_json({"ok": True, **data})
        else:
            self.out(message)


def to_plain(data: Any) -> Any:
    """Domain dataclasses, enums and dates to JSON-ready builtins."""
    return msgspec.to_builtins(data)


def counted(counts: dict[str, int]) -> str:
    """{"clients": 3, "private_notes": 1} -> "clients: 3, private notes: 1" (kinds with none left out)."""
    shown = [f"{kind.replace('_', ' ')}: {n}" for kind, n in counts.items() if n]
    return ", ".join(shown) or "no records"


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines()) or prefix.rstrip()


# -- parser helpers ------------------------------------------------------------------------------


def add_group(commands: Any, name: str, help_text: str) -> Any:
    """A command with actions (`client add`, `client list`...)."""
    group = commands.add_parser(name, help=help_text, description=help_text)
    return group.add_subparsers(title="actions", dest=f"{name}_action", metavar="ACTION", required=True)


def add_command(
    commands: Any,
    name: str,
    common: argparse.ArgumentParser,
    help_text: str,
    handler: Any,
    epilog: str | None = None,
    description: str | None = None,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help_text,
        description=description or help_text,
        epilog=epilog,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def check_out(out: Path, force: bool = False, vault: Path | None = None) -> Path:
    """Fail before any work (or any secret is asked for) when FILE cannot or must not be written:
    with or without --force, never over the vault, its companions, a backup or anything that is not
    a regular file (core/outputs.py)."""
    out = Path(out).expanduser()
    problem = output_problem(out, vault, [paths.backup_dir()])
    if problem:
        raise UsageError(f"Not written: {problem}")
    if out.exists() and not force:
        raise Conflict(f"A file already exists at {out}; choose another name or add --force to replace it.")
    if not out.parent.is_dir():
        raise NotFound(f"There is no folder {out.parent}; create it first.")
    return out


def write_out(out: Path, data: bytes, vault: Path | None) -> None:
    """Write an output checked by check_out, looking again first: the work in between took time."""
    problem = output_problem(out, vault, [paths.backup_dir()])
    if problem:
        raise UsageError(f"Not written: {problem}")
    write_atomic(out, data)


def write_out_stream(out: Path, fill: Callable[[Any], object], vault: Path | None) -> None:
    """As write_out, for an output written piece by piece (an attachment): never held whole."""
    problem = output_problem(out, vault, [paths.backup_dir()])
    if problem:
        raise UsageError(f"Not written: {problem}")
    write_atomic_stream(out, fill)
