"""`notesdesk` entry point: a command runs the CLI; no command opens the desktop app.

Only this module knows both front ends, so the CLI never loads Qt (an import-linter contract).
"""

from __future__ import annotations

import sys
from pathlib import Path


def launch_desktop(vault_path: Path) -> int:
    try:
        from notesdesk.ui.app import main as app_main
    except ImportError as exc:
        sys.stderr.write(f"notesdesk: the desktop app cannot start: {exc.name or 'Qt'} failed to load.\n")
        return 1
    return int(app_main(vault_path) or 0)


def main(argv: list[str] | None = None) -> int:
    from notesdesk.cli.main import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, desktop=launch_desktop)


if __name__ == "__main__":
    sys.exit(main())
