"""The layering contract (pyproject.toml, `services-only`) is not only kept, it bites: on a copy of
the package with one forbidden import added to the CLI and one to the UI, lint-imports fails and
names both. `make lint` runs the same contract on the real tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import notesdesk

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(notesdesk.__file__).resolve().parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

FORBIDDEN = {
    # (module file, the import added, how lint-imports reports the edge)
    "cli/commands_clients.py": (
        "from notesdesk.core.storage import uow as _reaching_in  # noqa: F401",
        "notesdesk.cli.commands_clients -> notesdesk.core.storage.uow",
    ),
    "ui/workspace/notes/tab.py": (
        "from notesdesk.core.crypto import cipher as _reaching_in  # noqa: F401",
        "notesdesk.ui.workspace.notes.tab -> notesdesk.core.crypto.cipher",
    ),
}


def test_a_forbidden_import_breaks_the_services_only_contract(tmp_path: Path) -> None:
    copy = tmp_path / "src" / "notesdesk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for module, (line, _) in FORBIDDEN.items():
        path = copy / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    env = os.environ | {"PYTHONPATH": str(tmp_path / "src")}
    result = subprocess.run(
        [str(LINT_IMPORTS), "--contract", "services-only", "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = result.stdout + result.stderr
    assert "Analyzed" in report, report  # it really analysed the copy
    assert result.returncode != 0, report
    assert "only through services BROKEN" in report, report
    for _, edge in FORBIDDEN.values():
        assert edge in report, report
