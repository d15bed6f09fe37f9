"""The CLI imports only what its command needs: `--help` loads no command, `client list` neither
reportlab nor the demo generator, and nothing loads Qt (cli/main.py's COMMANDS table)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notesdesk.cli.main import COMMANDS, MODULES, build_parser

from .conftest import PASSPHRASE, Runner

# Runs the real entry point (notesdesk/__main__.py) and reports what it loaded, on stderr's last line.
RUN_AND_REPORT = """
import json, sys
from notesdesk.__main__ import main
try:
    code = main(sys.argv[1:])
finally:
    sys.stdout.flush()
    sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""

HEAVY = ("reportlab", "notesdesk.demo", "PySide6", "notesdesk.ui")


def run_reporting(*argv: str, stdin: str = "") -> tuple[int, str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_REPORT, *argv],
        input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NOTESDESK_INSECURE_TEST_KDF": "1"},
    )
    return done.returncode, done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def loaded_of(loaded: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(n for n in loaded if any(n == p or n.startswith(p + ".") for p in prefixes))


def test_help_loads_no_command_and_no_vault() -> None:
    code, out, loaded = run_reporting("--help")
    assert code == 0 and "client" in out and "safety-plan" in out
    assert not loaded_of(loaded, (*HEAVY, "sqlalchemy", "alembic", "notesdesk.core.storage.vault"))
    assert not [n for n in loaded if n.startswith("notesdesk.cli.commands_")]


def test_client_list_loads_neither_reportlab_nor_the_demo_nor_qt(
    run: Runner, client_id: str, vault_path: Path
) -> None:
    code, out, loaded = run_reporting("--vault", str(vault_path), "--passphrase-stdin", "client", "list",
                                      stdin=PASSPHRASE + "\n")
    assert code == 0 and "Zoë Ó Briain" in out
    assert "sqlalchemy" in loaded  # it did open the vault
    assert not loaded_of(loaded, HEAVY)
    # A vault at the newest revision is checked against the schema snapshot, not the migrations.
    assert not loaded_of(loaded, ("alembic",))
    assert not loaded_of(loaded, ("notesdesk.cli.commands_reports", "notesdesk.cli.commands_vault"))


def test_the_command_table_matches_what_the_modules_register() -> None:
    """COMMANDS must name every command, with its help line, in the order the modules register them:
    `--help` is printed from the table alone."""
    every = build_parser(MODULES)
    listed = [(a.dest, a.help) for a in every._subparsers._group_actions[0]._choices_actions]  # type: ignore[union-attr]  # argparse's private parts
    assert listed == [(name, help_text) for name, (help_text, _modules) in COMMANDS.items()]
    with pytest.raises(SystemExit):
        every.parse_args(["--help"])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_is_whole_with_only_its_own_modules(command: str) -> None:
    """A command built from its table entry alone has every action and option it has with all modules
    (e.g. `safety-plan print`, which commands_reports adds)."""

    def command_help(parser: object) -> str:
        sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[attr-defined]  # as above
        return sub.format_help()

    assert command_help(build_parser(COMMANDS[command][1], stubs=True)) == command_help(build_parser(MODULES))
