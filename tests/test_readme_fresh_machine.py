"""The README's fresh-machine promises (issue 15, item 11): the system packages it lists for Debian
are the ones CI installs on its fresh machine before `make test` (and every Qt library CI installs is
listed); the folders it names for the vault, backups and log are where the app puts them on each OS;
the demo commands, run as written, build a demo practice that opens as one."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from platformdirs.macos import MacOS
from platformdirs.unix import Unix

from notesdesk import paths
from notesdesk.core.storage.vault import Vault
from notesdesk.ui.start.window import DEMO_FILENAME, DEMO_PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
NOT_FROM_CI = {"make", "python3", "python3-venv"}  # CI's image has them; the README must name them


def readme_apt() -> set[str]:
    line = next(line for line in README.splitlines() if line.startswith("- **Debian 13, Ubuntu 24.04:**"))
    command = re.search(r"`sudo apt install ([^`]+)`", line)
    assert command is not None
    return set(command.group(1).split())


def ci_apt() -> set[str]:
    block = CI[CI.index("apt-get install"):CI.index(">/dev/null", CI.index("apt-get install"))]
    return {word for word in block.replace("\\", " ").split() if not word.startswith("-")} - {
        "apt-get", "install"}


def test_the_debian_packages_are_those_ci_installs_and_cover_every_qt_library() -> None:
    listed = readme_apt()
    assert listed >= NOT_FROM_CI
    assert listed - NOT_FROM_CI <= ci_apt()  # no invented names: CI installs each one
    qt_libraries = {p for p in ci_apt() if p.startswith("lib")}  # what Qt's plugins load
    assert qt_libraries <= listed, sorted(qt_libraries - listed)


def _row(system: str) -> list[str]:
    row = next(line for line in README.splitlines() if line.startswith(f"| {system} |"))
    return re.findall(r"`([^`]+)`", row)


def test_the_folders_named_are_where_the_app_keeps_its_files(tmp_path: Path, monkeypatch) -> None:
    home = "/home/you"
    monkeypatch.setenv("HOME", home)
    for system, dirs in (("Linux", Unix("NotesDesk", appauthor=False)),
                         ("macOS", MacOS("NotesDesk", appauthor=False))):
        vault, backups, log = (p.replace("~", home) for p in _row(system))
        assert vault == f"{dirs.user_data_dir}/{paths.VAULT_FILENAME}"
        assert backups == f"{dirs.user_data_dir}/backups"
        assert log == dirs.user_log_dir
    # Windows: platformdirs' local app data folder, NotesDesk without an author folder, logs in "Logs".
    assert _row("Windows") == [r"%LOCALAPPDATA%\NotesDesk\vault.notesdesk",
                               r"%LOCALAPPDATA%\NotesDesk\backups", r"%LOCALAPPDATA%\NotesDesk\Logs"]
    # And on this machine the app itself agrees with the Linux row.
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv(paths.BACKUP_DIR_ENV, raising=False)
    assert str(paths.default_vault_path()) == _row("Linux")[0].replace("~", home)
    assert str(paths.backup_dir()) == _row("Linux")[1].replace("~", home)


def test_the_demo_in_the_app_is_as_the_readme_says() -> None:
    assert f"passphrase “{DEMO_PASSPHRASE}”" in README and f"`{DEMO_FILENAME}`" in README


def test_the_demo_commands_as_written_build_a_demo_that_opens_as_one(tmp_path: Path) -> None:
    commands = re.findall(r'^make run ARGS="([^"]+)"', README, re.MULTILINE)
    build, open_it = (c for c in commands if "notesdesk-demo" in c)
    env = {**os.environ, "HOME": str(tmp_path), "NOTESDESK_INSECURE_TEST_KDF": "1",
           paths.BACKUP_DIR_ENV: str(tmp_path / "backups")}
    args = shlex.split(build.replace("$HOME", str(tmp_path)))
    run = subprocess.run([sys.executable, "-m", "notesdesk", "--passphrase-stdin", *args], env=env,
                         input="plum kettle orbit lantern\n", capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    vault_path = Path(shlex.split(open_it.replace("$HOME", str(tmp_path)))[1])
    vault = Vault.open(vault_path, passphrase="plum kettle orbit lantern")
    try:
        assert vault.is_demo and vault.profile().name
    finally:
        vault.close()
