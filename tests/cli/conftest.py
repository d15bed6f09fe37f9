"""Run the CLI in-process against a fresh vault in a temporary folder, with the fast test KDF."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import NamedTuple

import pytest

from notesdesk.cli.main import main

PASSPHRASE = "correct horse battery staple"


class Result(NamedTuple):
    code: int
    out: str
    err: str


class Runner:
    def __init__(self, vault: Path) -> None:
        self.vault = vault

    def __call__(
        self, *args: str, stdin: str = PASSPHRASE + "\n", unlock: str | None = "--passphrase-stdin"
    ) -> Result:
        """`notesdesk --vault <tmp> [unlock] ARGS` with `stdin` as standard input."""
        argv = ["--vault", str(self.vault), *([unlock] if unlock else []), *args]
        out, err = io.StringIO(), io.StringIO()
        code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def ok(
        self, *args: str, stdin: str = PASSPHRASE + "\n", unlock: str | None = "--passphrase-stdin"
    ) -> str:
        """Run a command that must succeed; return its stdout."""
        result = self(*args, stdin=stdin, unlock=unlock)
        assert result.code == 0, result.err
        assert result.err == ""
        return result.out


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NOTESDESK_INSECURE_TEST_KDF", "1")
    monkeypatch.delenv("NOTESDESK_VAULT", raising=False)
    # Never touch the real backup folder: `backup` and `verify` default to it.
    monkeypatch.setenv("NOTESDESK_BACKUP_DIR", str(tmp_path / "backups"))
    return tmp_path / "practice.notesdesk"


@pytest.fixture
def run(vault_path: Path) -> Runner:
    return Runner(vault_path)


@pytest.fixture
def recovery_key(run: Runner) -> str:
    """Create the vault; returns its recovery key."""
    out = run.ok("--json", "init", "--name", "Dr Ada Lee", "--credentials", "PhD")
    return json.loads(out)["recovery_key"]


@pytest.fixture
def client_id(run: Runner, recovery_key: str) -> str:
    return run.ok("client", "add", "Zoë Ó Briain", "--dob", "1988-04-02", "--pronouns", "she/her").strip()
