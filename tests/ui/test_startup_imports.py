"""The start window shows before the heavy stack loads: the vault (SQLAlchemy, alembic), the demo
generator, reportlab and the main window come after the passphrase, not before the unlock screen
(bench/bench_app.py times it; here only what is loaded is checked, in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notesdesk.core.storage.vault import Vault
from tests.ui.conftest import PASSPHRASE

# Runs the app's own main() and, once its event loop is running, reports which window shows and
# what is loaded, then quits the app the way closing its window would.
SHOW_START_WINDOW = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])

def report():
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    pages = [type(w.stack.currentWidget()).__name__ for w in shown if hasattr(w, "stack")]
    print(json.dumps({"windows": [type(w).__name__ for w in shown], "pages": pages,
                      "loaded": sorted(sys.modules)}))
    app.quit()

QTimer.singleShot(0, report)
from notesdesk.ui import app as ui_app
sys.exit(ui_app.main(Path(sys.argv[1])))
"""

NOT_BEFORE_UNLOCK = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "notesdesk.core.storage.vault",
    "notesdesk.demo",
    "notesdesk.ui.main_window",
    "notesdesk.ui.workspace",
    "notesdesk.ui.dialogs.backups_dialog",
    "zxcvbn",  # the passphrase estimator: only a new passphrase is estimated
    "notesdesk.core.domain.summaries",  # the record types (notes, plans, care, paperwork)
    "notesdesk.core.domain.notes",
)


def start_app(vault_path: Path, home: Path) -> dict[str, list[str]]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TMPDIR": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "NOTESDESK_BACKUP_DIR": str(home / "backups"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SHOW_START_WINDOW, str(vault_path)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("exists, page", [(True, "UnlockPage"), (False, "ChoicePage")])
def test_the_start_window_shows_without_the_vault_stack_reportlab_or_the_main_window(
    tmp_path: Path, exists: bool, page: str
) -> None:
    vault_path = tmp_path / "practice.notesdesk"
    if exists:
        vault, _key = Vault.create(vault_path, PASSPHRASE)
        vault.close()
    seen = start_app(vault_path, tmp_path / "home")
    assert seen["windows"] == ["StartWindow"] and seen["pages"] == [page]
    loaded = set(seen["loaded"])
    assert "PySide6.QtWidgets" in loaded  # the report came from the running app
    early = sorted(n for n in loaded if any(n == m or n.startswith(m + ".") for m in NOT_BEFORE_UNLOCK))
    assert not early, f"loaded before the unlock screen shows: {early}"


# The launcher alone: once its start window shows, the main window's modules load on a thread of
# their own, before any passphrase is given (so the unlock does not wait for them).
WARM_WHILE_TYPING = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from notesdesk.ui.app import Launcher
from notesdesk.ui.background import BackgroundRunner
from notesdesk.ui.errors import ErrorPresenter
from notesdesk.ui.prefs import Preferences

prefs = Preferences(QSettings(sys.argv[2], QSettings.Format.IniFormat))
launcher = Launcher(Path(sys.argv[1]), prefs, ErrorPresenter(interactive=False), BackgroundRunner(app))
window = launcher.start()
before = "notesdesk.ui.main_window" in sys.modules
app.processEvents()
launcher.preloader.join()
print(json.dumps({"before": before, "after": "notesdesk.ui.main_window" in sys.modules,
                  "vault_open": launcher.main_window is not None, "visible": window.isVisible()}))
"""


def test_the_main_windows_modules_load_while_the_passphrase_is_typed(tmp_path: Path) -> None:
    vault_path = tmp_path / "practice.notesdesk"
    Vault.create(vault_path, PASSPHRASE)[0].close()
    done = subprocess.run(
        [sys.executable, "-c", WARM_WHILE_TYPING, str(vault_path), str(tmp_path / "prefs.ini")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTESDESK_BACKUP_DIR": str(tmp_path / "b")},
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"before": False, "after": True, "vault_open": False, "visible": True}
