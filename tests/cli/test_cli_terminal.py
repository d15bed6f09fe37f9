"""Terminal control characters in names and text are shown escaped, never sent to the terminal:
a name or note cannot recolour, retitle, clear or rewrite what the clinician sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notesdesk.core.domain.clients import Client
from notesdesk.core.storage.vault import Vault

from .conftest import PASSPHRASE, Runner

HOSTILE = "Zed\x1b[2J\x1b]0;owned\x07\r\x08\x9b31m\u202eevil"
RAW = ("\x1b", "\x07", "\r", "\x08", "\x9b", "\u202e")


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    return [s for item in data for s in _strings(item)] if isinstance(data, list) else []


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(char)


def test_control_characters_in_note_text_are_shown_escaped(run: Runner, client_id: str) -> None:
    note = run.ok("note", "add", "Zoë", "--format", "FREE", "--section", f"text={HOSTILE}").strip()
    shown = run.ok("note", "show", note)
    _clean(shown)
    # (a carriage return in a multi-line section is laid out as a line break: it cannot overwrite)
    assert "Zed\\x1b[2J\\x1b]0;owned\\x07" in shown and "\\x08\\x9b31m\\u202eevil" in shown
    as_json = run.ok("--json", "note", "show", note)
    _clean(as_json)
    assert HOSTILE in _strings(json.loads(as_json))  # the data itself is intact


def test_a_name_stored_with_control_characters_is_shown_escaped(
    run: Runner, recovery_key: str, vault_path: Path
) -> None:
    """Such a name cannot be typed in any more (the core refuses it), but one may come from an older
    version or an import: written here straight through the repository."""
    with Vault.open(vault_path, passphrase=PASSPHRASE) as vault, vault.unit_of_work() as uow:
        uow.clients.add(Client(name=HOSTILE))
        uow.commit()
    for argv in (("client", "list"), ("client", "show", "Zed")):
        shown = run.ok(*argv)
        _clean(shown)
        assert "Zed\\x1b[2J" in shown


@pytest.mark.parametrize("name", ["Zed\x1b[31m", "Two\nLines", "Bell\x07", "Flip\u202e"])
def test_control_characters_in_a_new_name_are_refused(run: Runner, recovery_key: str, name: str) -> None:
    result = run("client", "add", name)
    assert result.code == 1 and result.err.count("\n") == 1 and "name" in result.err
    _clean(result.err)
    assert run.ok("client", "list").strip() == "No clients yet." or "Zed" not in run.ok("client", "list")
