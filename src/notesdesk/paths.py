"""Where NotesDesk keeps its files. The vault path: --vault, else $NOTESDESK_VAULT, else the default;
backups: $NOTESDESK_BACKUP_DIR, else a "backups" folder in the data folder; each vault's local anchor
(storage/anchor.py): $NOTESDESK_ANCHOR_DIR, else an "anchors" folder in the data folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "NotesDesk"
VAULT_ENV = "NOTESDESK_VAULT"
VAULT_FILENAME = "vault.notesdesk"
BACKUP_DIR_ENV = "NOTESDESK_BACKUP_DIR"
ANCHOR_DIR_ENV = "NOTESDESK_ANCHOR_DIR"


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_vault_path() -> Path:
    return data_dir() / VAULT_FILENAME


def vault_path(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The vault to use: an explicit path wins, then the environment variable, then the default."""
    env = os.environ if env is None else env
    chosen = explicit if explicit not in (None, "") else env.get(VAULT_ENV) or None
    if chosen is None:
        return default_vault_path()
    return Path(chosen).expanduser()


def backup_dir(env: Mapping[str, str] | None = None) -> Path:
    """The folder automatic and `notesdesk backup` backups go to (and `verify` checks the anchor in)."""
    env = os.environ if env is None else env
    chosen = env.get(BACKUP_DIR_ENV) or None
    if chosen is None:
        return data_dir() / "backups"
    return Path(chosen).expanduser()


def anchor_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where each vault's local anchor is kept: outside any vault's folder, one file per vault id."""
    env = os.environ if env is None else env
    chosen = env.get(ANCHOR_DIR_ENV) or None
    if chosen is None:
        return data_dir() / "anchors"
    return Path(chosen).expanduser()
