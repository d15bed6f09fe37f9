"""`notesdesk` entry point: a command runs the CLI; no command opens the desktop app.

Only this module knows both front ends, so the CLI never loads Qt (an import-linter contract).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python 3.11 with PySide6 6.12.0 aborts within minutes (it drops references to None and True,
# which 3.12 makes immortal), and the code uses 3.12 syntax: say so in one line, not a traceback.
MINIMUM_PYTHON = (3, 12)


def launch_desktop(vault_path: Path, backup: Path | None = None) -> int:
    """The app on `vault_path`; on the page that restores `backup` when one is given."""
    try:
        from notesdesk.ui.app import main as app_main
    except ImportError as exc:
        sys.stderr.write(f"notesdesk: the desktop app cannot start: {exc.name or 'Qt'} failed to load.\n")
        return 1
    return int(app_main(vault_path, backup=backup) or 0)


def python_too_old(version: tuple[int, ...]) -> str | None:
    """The one line to show when this interpreter is too old for NotesDesk, else None."""
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return None
    return (
        f"notesdesk: needs Python {MINIMUM_PYTHON[0]}.{MINIMUM_PYTHON[1]} or newer "
        f"(this is {version[0]}.{version[1]}); `make run` finds or names one.\n"
    )


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The installed app (installer/) starts the search index's child process as itself
        # (core/services/search_process.py): run as that child, this does its work and exits.
        import multiprocessing

        multiprocessing.freeze_support()
    too_old = python_too_old(tuple(sys.version_info[:3]))
    if too_old:
        sys.stderr.write(too_old)
        return 1
    from notesdesk.cli.main import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, desktop=launch_desktop)


if __name__ == "__main__":
    sys.exit(main())
